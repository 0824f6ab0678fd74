"""Composition root and Python API facade.

``Workspace.open(settings)`` picks the storage implementation from the settings,
creates or upgrades the schema, and exposes the use cases as methods::

    from raretrace import Settings, Workspace
    ws = Workspace.open(Settings(database_url="sqlite:///demo.db"))
    ws.import_bundle(Path("my_network/"))
    print(ws.summary().bom_depth)
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cached_property
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any

from raretrace.domain.clock import Clock, FixedClock, SystemClock
from raretrace.errors import StorageError
from raretrace.settings import Settings

# The services are imported by the methods that use them, so that a command pays only
# for what it runs (``python -X importtime -c "import raretrace.workspace"``).
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from raretrace.domain.currency import StoredRates
    from raretrace.domain.market import PriceScenario, PriceTable, StoredPrices
    from raretrace.domain.network import Network
    from raretrace.domain.surveys import CampaignRow, SurveyRequest
    from raretrace.domain.test_reports import TestReport
    from raretrace.rules import Determination, RuleBook
    from raretrace.services.classification.facts import TraceInputs
    from raretrace.services.classification.service import RulesService
    from raretrace.services.classification.use_cases import BomRow, Diff, FlowReport, Shipment
    from raretrace.services.formats import erp_profiles as erp_import
    from raretrace.services.formats.ipc1752 import DeclarationImport
    from raretrace.services.jobs.service import JobsService
    from raretrace.services.licensing.service import LicensingService
    from raretrace.services.market.service import MarketService
    from raretrace.services.network.bundles import ImportReport, NetworkSummary
    from raretrace.services.network.catalogue import NetworkIndex
    from raretrace.services.network.service import NetworkService
    from raretrace.services.network.snapshots import SnapshotService
    from raretrace.services.rates.service import ExchangeRatesService
    from raretrace.services.screening.api import ScreeningAPI
    from raretrace.services.simulation.service import SimulationService
    from raretrace.services.survey import SurveyReport, amrt
    from raretrace.services.survey.service import SurveysService
    from raretrace.services.tracing.service import TracingService
    from raretrace.services.users.service import UsersService


def _first_line(err: object) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def clock_for(settings: Settings) -> Clock:
    """The clock entry points use: fixed at ``settings.fixed_now`` when set, else the
    system clock. Nothing below the entry points reads the wall clock."""
    if settings.fixed_now is not None:
        return FixedClock(settings.fixed_now)
    return SystemClock()


class Workspace:
    """One supply-network workspace (one database)."""

    def __init__(self, settings: Settings, engine: Engine, clock: Clock | None = None) -> None:
        from raretrace.storage.sql.unit_of_work import SqlUnitOfWorkFactory

        self.settings = settings
        self.engine = engine
        #: The one source of "now" for every service of this workspace.
        self.clock: Clock = clock if clock is not None else clock_for(settings)
        #: Units of work begin only in the area services (and this facade's methods).
        self._uow = SqlUnitOfWorkFactory(engine, clock=self.clock)
        self._cache_lock = Lock()
        self._load_lock = Lock()
        self._network_cache: tuple[int, Network] | None = None

    @classmethod
    def open(
        cls, settings: Settings, *, upgrade: bool = True, clock: Clock | None = None
    ) -> Workspace:
        """Open the workspace database, creating or upgrading its schema if asked.

        ``clock`` is where every service of the workspace reads "now" (default:
        ``clock_for(settings)``, the wall clock unless ``settings.fixed_now`` is set);
        tests pass a ``FixedClock``.
        """
        from sqlalchemy.exc import DBAPIError

        from raretrace.storage.sql import migrate
        from raretrace.storage.sql.engine import make_engine

        engine = make_engine(settings.database_url, echo=settings.echo_sql)
        where = engine.url.render_as_string(hide_password=True)
        try:
            if upgrade:
                migrate.upgrade(engine)
            elif migrate.current_revision(engine) != migrate.head_revision(engine):
                raise StorageError(
                    f"database {where} is not initialised or not up to date; run `raretrace init`"
                )
        except migrate.SchemaTooNew as exc:
            from raretrace.services.tracing.service import package_version

            engine.dispose()
            raise StorageError(
                f"database {where} has schema revision {exc.revision!r}, which this "
                f"raretrace ({package_version()}) does not know: it was written by a newer "
                "version. Upgrade raretrace; nothing was changed."
            ) from None
        except DBAPIError as exc:
            engine.dispose()
            raise StorageError(f"cannot open database {where}: {_first_line(exc.orig)}") from None
        except StorageError:
            engine.dispose()
            raise
        return cls(settings, engine, clock)

    def close(self) -> None:
        """Wait for the tracing cache's files (if a compile is writing them), then close
        the database's connections."""
        tracing = self.__dict__.get("tracing")  # only if it was used
        if tracing is not None:
            tracing.flush()
        self.engine.dispose()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- network --------------------------------------------------------------------

    def revision(self) -> int:
        with self._uow() as uow:
            return uow.network.revision()

    def versions(self) -> tuple[int, int]:
        """(network revision, data version): one query, for caches of request views."""
        with self._uow() as uow:
            return uow.network.versions()

    def network(self) -> Network:
        """The whole network, cached until the workspace revision changes."""
        with self._uow() as uow:
            rev = uow.network.revision()
            with self._cache_lock:
                if self._network_cache and self._network_cache[0] == rev:
                    return self._network_cache[1]
        # Concurrent callers wait for one load instead of each loading a copy.
        with self._load_lock, self._uow() as uow:
            rev = uow.network.revision()
            with self._cache_lock:
                if self._network_cache and self._network_cache[0] == rev:
                    return self._network_cache[1]
            net = uow.network.load()
            with self._cache_lock:
                self._network_cache = (rev, net)
        return net

    def import_bundle(self, path: Path, *, replace: bool = False) -> ImportReport:
        return self.imports.import_bundle(path, replace=replace)

    def export_bundle(self, path: Path) -> list[Path]:
        return self.imports.export_bundle(path)

    def load_sample(self) -> ImportReport:
        """Replace the network with the embedded (illustrative) sample world."""
        from raretrace.sample import world_path

        return self.import_bundle(world_path(), replace=True)

    def summary(self) -> NetworkSummary:
        from raretrace.services.network import bundles as network_service

        return network_service.summarise(self.network())

    @cached_property
    def screening(self) -> ScreeningAPI:
        """Restricted-party screening: lists, screen, decide, audit (see ScreeningAPI)."""
        from raretrace.services.screening.alerts import AlertConfig
        from raretrace.services.screening.api import ScreeningAPI

        st = self.settings
        alerts = AlertConfig(
            webhook_url=st.screening_alert_webhook,
            email_to=tuple(st.screening_alert_email_to),
            email_from=st.screening_alert_email_from,
            smtp_host=st.smtp_host,
            smtp_port=st.smtp_port,
            smtp_username=st.smtp_username,
            smtp_password=st.smtp_password,
            smtp_starttls=st.smtp_starttls,
            timeout_s=st.screening_alert_timeout_s,
        )
        return ScreeningAPI(self._uow, self.network, alerts)

    @cached_property
    def tracing(self) -> TracingService:
        """Element rollup, origin, where-used and supplier exposure (see TracingService).

        Compiled arrays are cached in memory and on disk (``Settings.cache_dir``).
        """
        from raretrace.services.tracing.service import TracingService

        return TracingService(
            self._uow,
            database=self.engine.url.render_as_string(),
            cache_dir=self.cache_dir(),
            clock=self.clock.now,
            stamp=self._uow.stamp,
        )

    # -- area services: one object per area, each opening its own units of work ------

    @cached_property
    def imports(self) -> NetworkService:
        """The network's data: check, import (audited) and export bundles, load a
        synthetic network (see NetworkService)."""
        from raretrace.services.network.service import NetworkService

        return NetworkService(self._uow)

    @cached_property
    def users(self) -> UsersService:
        """Web-app users, logins, sessions, API tokens and the audit log."""
        from raretrace.services.users.service import UsersService

        return UsersService(self._uow)

    @cached_property
    def jobs(self) -> JobsService:
        """Background jobs kept in the database (see JobsService)."""
        from raretrace.services.jobs.service import JobsService

        return JobsService(self._uow)

    @cached_property
    def surveys(self) -> SurveysService:
        """Survey requests sent and answers received (see SurveysService)."""
        from raretrace.services.survey.service import SurveysService

        return SurveysService(self._uow, self.clock)

    @cached_property
    def simulation(self) -> SimulationService:
        """Simulation runs as background jobs: check, submit (audited), re-run, read
        back (see SimulationService)."""
        from raretrace.services.simulation.service import SimulationService
        from raretrace.services.tracing.service import package_version

        return SimulationService(
            jobs=self.jobs,
            users=self.users,
            compiled=lambda: self.tracing.engine().compiled,
            network=self.network,
            revision=self.revision,
            simulate=self.simulate,
            version=package_version(),
        )

    @cached_property
    def snapshots(self) -> SnapshotService:
        """The network tables of the current revision as arrays, mapped from the cache
        folder and shared by every process on the host (see ``services.network.snapshots``)."""
        from raretrace.services.network.snapshots import SnapshotService

        return SnapshotService(self._uow, cache_dir=self.cache_dir())

    def network_index(self) -> NetworkIndex:
        """Look-ups over the current network revision (parts, sites, BOM, supply),
        array-backed: records are built when looked up; ``.network`` loads them all."""

        def whole() -> Network:
            import gc

            net = self.network()
            # Millions of long-lived records at 1M parts: keep the cyclic garbage
            # collector from walking them in every full collection (multi-second
            # pauses); they hold no cycles, so reference counting still frees them.
            gc.freeze()
            return net

        return self.snapshots.index(whole)

    def cache_dir(self) -> Path | None:
        """This database's folder for rebuildable data (None: an in-memory database)."""
        url = self.engine.url
        if url.get_backend_name() == "sqlite":
            db = url.database
            if not db or db == ":memory:" or db.startswith("file::memory:"):
                return None
            if self.settings.cache_dir is None:
                return Path(db + ".cache")
        # One folder per database; the password is not part of the name.
        name = url.render_as_string(hide_password=True)
        return self.settings.cache_root() / hashlib.sha256(name.encode()).hexdigest()[:16]

    # -- export-control classification (issue 4) ---------------------------------------

    @cached_property
    def rules(self) -> RulesService:
        """Rule book, classification, determinations, the rules' workspace inputs
        (listings, test reports) (see RulesService)."""
        from raretrace.services.classification.service import RulesService

        return RulesService(
            self._uow,
            network=self.network,
            index=self.network_index,
            tracing=self.tracing,
            rules_dir=self.settings.rules_dir,
            practice_threshold=self.settings.practice_threshold,
        )

    # The Python API's conveniences (README, docs/rules.md): each is ``ws.rules.<name>``.

    def rule_book(self) -> RuleBook:
        return self.rules.rule_book()

    def party_listings(self) -> dict[str, str]:
        return self.rules.party_listings()

    def trace_inputs(self, practice_threshold: float | None = None) -> TraceInputs:
        return self.rules.trace_inputs(practice_threshold)

    def record_test_report(self, report: TestReport) -> TestReport:
        return self.rules.record_test_report(report)

    def test_reports(self) -> list[TestReport]:
        return self.rules.test_reports()

    def classify_part(self, part_id: str, as_of: date, **kw: Any) -> Determination:
        """See ``RulesService.classify_part`` (policy, rates, practice_threshold)."""
        return self.rules.classify_part(part_id, as_of, **kw)

    def classify_bom(self, product_id: str, as_of: date, **kw: Any) -> list[BomRow]:
        return self.rules.classify_bom(product_id, as_of, **kw)

    def determine(self, shipment: Shipment, as_of: date, **kw: Any) -> Determination:
        """See ``RulesService.determine`` (listed, policy, rates, practice_threshold)."""
        return self.rules.determine(shipment, as_of, **kw)

    def determine_flows(self, as_of: date, **kw: Any) -> FlowReport:
        """See ``RulesService.determine_flows`` (listed, policy, alternative, rates)."""
        return self.rules.determine_flows(as_of, **kw)

    def rules_diff(self, date_from: date, date_to: date, **kw: Any) -> Diff:
        return self.rules.diff(date_from, date_to, **kw)

    # -- licence applications and the licence ledger (issue 6) -------------------------

    @cached_property
    def licensing(self) -> LicensingService:
        """Applications, licences, drawdowns and the ledger (see LicensingService)."""
        from raretrace.services.licensing.service import LicensingService

        return LicensingService(
            self._uow,
            network=self.network,
            tracing=self.tracing,
            determine=lambda shipment, as_of: self.rules.determine(shipment, as_of),
            classify=lambda part_id, as_of: self.rules.classify_part(part_id, as_of),
            review_working_days=self.settings.licence_review_working_days,
            review_days_by_pack=self.settings.licence_review_days_by_pack,
            clock=self.clock,
        )

    # -- supplier data exchange (issue 8): the Python API's shortcuts to ``surveys``
    # and ``imports`` (the front ends call those) ------------------------------------

    def make_survey(self, supplier_party_id: str, path: Path, **kw: Any) -> SurveyRequest:
        return self.surveys.make(supplier_party_id, path, **kw)

    def read_surveys(
        self, paths: list[Path], *, apply: bool = False, names: list[str] | None = None
    ) -> SurveyReport:
        return self.surveys.read(paths, apply=apply, names=names)

    def make_amrt(self, supplier_party_id: str, path: Path, **kw: Any) -> SurveyRequest:
        return self.surveys.make_amrt(supplier_party_id, path, **kw)

    def read_amrt(self, path: Path, **kw: Any) -> amrt.AmrtReport:
        return self.surveys.read_amrt(path, **kw)

    def survey_workbook(self, request_id: int) -> tuple[SurveyRequest, bytes]:
        return self.surveys.workbook(request_id)

    def survey_campaign(self, *, today: date | None = None) -> list[CampaignRow]:
        return self.surveys.campaign(today=today)

    def import_erp(
        self, path: Path, profile: erp_import.Profile, **kw: Any
    ) -> erp_import.ErpImport:
        return self.imports.import_erp(path, profile, **kw)

    def import_declaration(self, path: Path, *, apply: bool = True) -> DeclarationImport:
        return self.imports.import_declaration(path, apply=apply)

    def export_declaration(self, part_id: str, path: Path) -> Path:
        return self.imports.export_declaration(part_id, path)

    # -- exchange rates supplied by the user --------------------------------------

    @cached_property
    def exchange_rates(self) -> ExchangeRatesService:
        """Rate tables supplied by the user: store (audited), list, get."""
        from raretrace.services.rates.service import ExchangeRatesService

        return ExchangeRatesService(self._uow, clock=self.clock)

    def store_rates(self, data: bytes, name: str, *, actor: str) -> StoredRates:
        return self.exchange_rates.store(data, name, actor=actor)

    def stored_rates(self) -> list[StoredRates]:
        return self.exchange_rates.list()

    def rates(self, rates_id: int) -> StoredRates:
        return self.exchange_rates.get(rates_id)

    # -- disruption simulation and dependence (issue 7) ----------------------------

    def simulate(self, scenario: Any, **options: Any) -> Any:
        """Run a ``Scenario`` (or a scenario file path) on the current network; returns
        an ``analytics.results.SimulationResult``. ``options``: runs, seed, threads,
        scheduler, local_cluster, progress (see ``services.simulation.runs.run``)."""
        from raretrace.services.simulation import runs as simulation
        from raretrace.services.tracing.service import package_version

        eng = self.tracing.engine()
        if isinstance(scenario, str | Path):
            scenario = simulation.load_scenario(Path(scenario), eng.compiled)
        if any(r.denial_by_verdict for r in scenario.licensing):
            options.setdefault("verdicts_of", self._verdicts_of)
        if scenario.count_in_transit and "lead_times" not in options:
            options["lead_times"] = {
                (x.supplier_site_id, x.part_id, x.buyer_site_id): float(x.lead_time_days)
                for x in self.network().supply
                if x.lead_time_days is not None
            }
        return simulation.run(
            eng.compiled, scenario, version=package_version(), revision=eng.revision, **options
        )

    def _verdicts_of(self, as_of: date) -> dict[tuple[str, str, str], str]:
        """Each cross-border supply link's outcome under the rule packs on ``as_of``."""
        report = self.rules.determine_flows(as_of)
        return {(f.supplier_site_id, f.part_id, f.buyer_site_id): f.outcome.value
                for f in report.flows}  # fmt: skip

    def load_scenario(self, path: Path) -> Any:
        """Read a scenario file and check it, ids included, against the current network
        (``InputError`` listing every problem with its line and key path)."""
        from raretrace.services.simulation import runs as simulation

        return simulation.load_scenario(path, self.tracing.engine().compiled)

    def dependence(self, product: str | None = None) -> Any:
        """World concentration by stage next to this network's origin shares."""
        from raretrace.services.simulation import dependence

        return dependence.dependence(self.tracing.engine(), self.network(), product)

    # -- market: prices, cost exposure, the road out (issue 18) --------------------

    @cached_property
    def market(self) -> MarketService:
        """Price tables, cost exposure of a price scenario, the capacity horizon
        outside China (see MarketService)."""
        from raretrace.services.market.service import MarketService

        return MarketService(self._uow, tracing=self.tracing, jobs=self.jobs, clock=self.clock)

    def store_prices(self, data: bytes, name: str, *, actor: str) -> StoredPrices:
        return self.market.store_prices(data, name, actor=actor)

    def stored_prices(self) -> list[StoredPrices]:
        return self.market.stored_prices()

    def price_table(self, prices_id: int | None = None) -> PriceTable:
        return self.market.price_table(prices_id)

    def market_exposure(self, product: str, scenario: PriceScenario, **kw: Any) -> Any:
        """See ``MarketService.exposure`` (prices_id, rates, stock_days,
        simulation_stock)."""
        return self.market.exposure(product, scenario, **kw)

    def market_overview(self, scenario: PriceScenario, *, prices_id: int | None = None) -> Any:
        return self.market.overview(scenario, prices_id=prices_id)

    def market_horizon(self, **kw: Any) -> Any:
        """See ``MarketService.horizon`` (product, first_year, last_year, projects)."""
        return self.market.horizon(**kw)
