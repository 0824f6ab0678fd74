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
from raretrace.errors import InputError, NotFoundError, StorageError
from raretrace.settings import Settings

# The services are imported by the methods that use them, so that a command pays only
# for what it runs (``python -X importtime -c "import raretrace.workspace"``).
if TYPE_CHECKING:
    from sqlalchemy import Engine

    from raretrace.domain.exchange import ExchangeRates, StoredRates
    from raretrace.domain.market import PriceScenario, PriceTable, Project, StoredPrices
    from raretrace.domain.network import Network
    from raretrace.domain.surveys import CampaignRow, SurveyRequest
    from raretrace.domain.test_reports import TestReport
    from raretrace.rules import Determination, RuleBook, SuspensionPolicy
    from raretrace.services import amrt, classification, erp_import
    from raretrace.services.classification_facts import TraceInputs
    from raretrace.services.ipc1752 import DeclarationImport
    from raretrace.services.jobs_service import JobsService
    from raretrace.services.licensing import LicensingService
    from raretrace.services.network import ImportReport, NetworkSummary
    from raretrace.services.network_service import NetworkService
    from raretrace.services.screening_api import ScreeningAPI
    from raretrace.services.simulation_service import SimulationService
    from raretrace.services.survey import SurveyReport
    from raretrace.services.surveys_service import SurveysService
    from raretrace.services.tracing import TracingService
    from raretrace.services.users_service import UsersService


def _first_line(err: object) -> str:
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def _as_written(policy: SuspensionPolicy | None, *, lifted: bool = False) -> SuspensionPolicy:
    """``policy``, by default suspensions as written (``lifted``: all lifted). Defaults
    are ``None`` in the signatures so that importing this module does not import the
    rules package."""
    from raretrace.rules import SuspensionPolicy

    if policy is not None:
        return policy
    return SuspensionPolicy.LIFTED if lifted else SuspensionPolicy.AS_WRITTEN


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
            from raretrace.services.tracing import package_version

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
        from raretrace.services import network as network_service

        with self._uow(write=True) as uow:
            return network_service.import_bundle(uow, path, replace=replace)

    def export_bundle(self, path: Path) -> list[Path]:
        from raretrace.services import network as network_service

        with self._uow() as uow:
            return network_service.export_bundle(uow, path)

    def load_sample(self) -> ImportReport:
        """Replace the network with the embedded (illustrative) sample world."""
        from raretrace.sample import world_path

        return self.import_bundle(world_path(), replace=True)

    def summary(self) -> NetworkSummary:
        from raretrace.services import network as network_service

        return network_service.summarise(self.network())

    @cached_property
    def screening(self) -> ScreeningAPI:
        """Restricted-party screening: lists, screen, decide, audit (see ScreeningAPI)."""
        from raretrace.services.screening_api import ScreeningAPI

        return ScreeningAPI(self._uow, self.network)

    @cached_property
    def tracing(self) -> TracingService:
        """Element rollup, origin, where-used and supplier exposure (see TracingService).

        Compiled arrays are cached in memory and on disk (``Settings.cache_dir``).
        """
        from raretrace.services.tracing import TracingService

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
        from raretrace.services.network_service import NetworkService

        return NetworkService(self._uow)

    @cached_property
    def users(self) -> UsersService:
        """Web-app users, logins, sessions, API tokens and the audit log."""
        from raretrace.services.users_service import UsersService

        return UsersService(self._uow)

    @cached_property
    def jobs(self) -> JobsService:
        """Background jobs kept in the database (see JobsService)."""
        from raretrace.services.jobs_service import JobsService

        return JobsService(self._uow)

    @cached_property
    def surveys(self) -> SurveysService:
        """Survey requests sent and answers received (see SurveysService)."""
        from raretrace.services.surveys_service import SurveysService

        return SurveysService(self._uow)

    @cached_property
    def simulation(self) -> SimulationService:
        """Simulation runs as background jobs: check, submit (audited), re-run, read
        back (see SimulationService)."""
        from raretrace.services.simulation_service import SimulationService
        from raretrace.services.tracing import package_version

        return SimulationService(
            jobs=self.jobs,
            users=self.users,
            compiled=lambda: self.tracing.engine().compiled,
            network=self.network,
            revision=self.revision,
            simulate=self.simulate,
            version=package_version(),
        )

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

    def rule_book(self) -> RuleBook:
        """Shipped rule packs plus those in ``settings.rules_dir``, compiled."""
        from raretrace.services import classification

        return classification.load_book(self.settings.rules_dir)

    def party_listings(self) -> dict[str, str]:
        """Workspace parties on China's Control or Watch List: confirmed screening
        matches (latest decision "match") against stored entries with that list kind."""
        from raretrace.services import classification

        with self._uow() as uow:
            rows = uow.screening.confirmed_listings()
        kinds = {"control": "control", "watch": "watch", "export_control": "listed"}
        return classification.listings_of(
            {pid: kinds[kind] for pid, kind, _, _ in rows if kind in kinds}
        )

    def trace_inputs(self, practice_threshold: float | None = None) -> TraceInputs:
        """Latest test report per part and the practice threshold (argument, else the
        setting)."""
        from raretrace.services.classification_facts import TraceInputs

        with self._uow() as uow:
            latest = uow.test_reports.latest()
        threshold = practice_threshold
        if threshold is None:
            threshold = self.settings.practice_threshold
        return TraceInputs({p: float(r.dy_tb_fraction) for p, r in latest.items()}, threshold)

    def record_test_report(self, report: TestReport) -> TestReport:
        """Record a laboratory test report (Dy + Tb) of a workspace part."""
        if report.part_id not in {p.part_id for p in self.network().parts}:
            raise NotFoundError(f"no part {report.part_id!r} in the workspace")
        if not (0 <= report.dy_tb_fraction <= 1):
            raise InputError(f"Dy + Tb must be a mass fraction 0..1, not {report.dy_tb_fraction}")
        with self._uow() as uow:
            return uow.test_reports.add(report)

    def test_reports(self) -> list[TestReport]:
        with self._uow() as uow:
            return uow.test_reports.all()

    def classify_part(
        self,
        part_id: str,
        as_of: date,
        *,
        policy: SuspensionPolicy | None = None,
        rates: ExchangeRates | None = None,
        practice_threshold: float | None = None,
    ) -> Determination:
        """``rates``: convert input values in other currencies for value-share rules
        (without them such a share is unknown and the verdict says *uncertain*)."""
        from raretrace.services import classification

        return classification.classify_part(
            self.network(),
            self.rule_book(),
            part_id,
            as_of,
            _as_written(policy),
            engine=self.tracing.engine(),
            rates=rates,
            trace=self.trace_inputs(practice_threshold),
        )

    def classify_bom(
        self,
        product_id: str,
        as_of: date,
        *,
        policy: SuspensionPolicy | None = None,
        rates: ExchangeRates | None = None,
        practice_threshold: float | None = None,
    ) -> list[classification.BomRow]:
        from raretrace.services import classification

        return classification.classify_bom(
            self.network(),
            self.rule_book(),
            product_id,
            as_of,
            _as_written(policy),
            engine=self.tracing.engine(),
            rates=rates,
            trace=self.trace_inputs(practice_threshold),
        )

    def determine(
        self,
        shipment: classification.Shipment,
        as_of: date,
        *,
        listed: frozenset[str] | classification.Listings = frozenset(),
        policy: SuspensionPolicy | None = None,
        rates: ExchangeRates | None = None,
        practice_threshold: float | None = None,
    ) -> Determination:
        """``listed`` adds to the listings read from the stored lists
        (``party_listings``); the stronger kind wins."""
        from raretrace.services import classification

        return classification.determine(
            self.network(),
            self.rule_book(),
            shipment,
            as_of,
            listed=classification.listings_of(self.party_listings(), listed),
            policy=_as_written(policy),
            engine=self.tracing.engine(),
            rates=rates,
            trace=self.trace_inputs(practice_threshold),
        )

    def determine_flows(
        self,
        as_of: date,
        *,
        listed: frozenset[str] | classification.Listings = frozenset(),
        policy: SuspensionPolicy | None = None,
        alternative: SuspensionPolicy | None = None,
        rates: ExchangeRates | None = None,
    ) -> classification.FlowReport:
        from raretrace.services import classification

        return classification.determine_flows(
            self.network(),
            self.rule_book(),
            as_of,
            listed=classification.listings_of(self.party_listings(), listed),
            trace=self.trace_inputs(),
            policy=_as_written(policy),
            alternative=_as_written(alternative, lifted=True),
            engine=self.tracing.engine(),
            rates=rates,
        )

    def rules_diff(
        self,
        date_from: date,
        date_to: date,
        *,
        listed: frozenset[str] | classification.Listings = frozenset(),
    ) -> classification.Diff:
        from raretrace.services import classification

        return classification.diff(
            self.network(),
            self.rule_book(),
            date_from,
            date_to,
            listed=classification.listings_of(self.party_listings(), listed),
            engine=self.tracing.engine(),
        )

    # -- licence applications and the licence ledger (issue 6) -------------------------

    @cached_property
    def licensing(self) -> LicensingService:
        """Applications, licences, drawdowns and the ledger (see LicensingService)."""
        from raretrace.services.licensing import LicensingService

        return LicensingService(
            self._uow,
            network=self.network,
            tracing=self.tracing,
            determine=lambda shipment, as_of: self.determine(shipment, as_of),
            classify=lambda part_id, as_of: self.classify_part(part_id, as_of),
            review_working_days=self.settings.licence_review_working_days,
            review_days_by_pack=self.settings.licence_review_days_by_pack,
            clock=self.clock,
        )

    # -- supplier data exchange (issue 8) -----------------------------------------

    def make_survey(self, supplier_party_id: str, path: Path, **kw: Any) -> SurveyRequest:
        from raretrace.services import survey as survey_service

        kw.setdefault("now", self.clock.now())
        with self._uow() as uow:
            return survey_service.make_survey(uow, supplier_party_id, path, **kw)

    def read_surveys(
        self, paths: list[Path], *, apply: bool = False, names: list[str] | None = None
    ) -> SurveyReport:
        """``names``: what each file is called in problems and the stored answers."""
        from raretrace.services import survey as survey_service

        with self._uow() as uow:
            return survey_service.read_surveys(
                uow, paths, apply=apply, names=names, now=self.clock.now()
            )

    def make_amrt(self, supplier_party_id: str, path: Path, **kw: Any) -> SurveyRequest:
        """A pre-filled AMRT (RMI AMRT 1.3 layout) for one supplier, tracked as campaign
        ``amrt``."""
        from raretrace.services import amrt_writer

        kw.setdefault("now", self.clock.now())
        with self._uow() as uow:
            return amrt_writer.make_amrt(uow, supplier_party_id, path, **kw)

    def read_amrt(
        self,
        path: Path,
        *,
        supplier: str | None = None,
        apply: bool = False,
        name: str | None = None,
    ) -> amrt.AmrtReport:
        """Read an AMRT return: smelters become sites, parts gain the smelter tier."""
        from raretrace.services import amrt

        with self._uow() as uow:
            return amrt.apply_amrt(
                uow, path, supplier=supplier, apply=apply, now=self.clock.now(), name=name
            )

    def survey_workbook(self, request_id: int) -> tuple[SurveyRequest, bytes]:
        """A survey request and the workbook sent with it, byte for byte."""
        from raretrace.services import survey as survey_service

        with self._uow() as uow:
            return survey_service.sent_workbook(uow, request_id)

    def survey_campaign(self, *, today: date | None = None) -> list[CampaignRow]:
        from raretrace.services import survey as survey_service

        with self._uow() as uow:
            return survey_service.campaign(uow, today=today or self.clock.today())

    def import_erp(
        self,
        path: Path,
        profile: erp_import.Profile,
        *,
        root: str | None = None,
        apply: bool = False,
    ) -> erp_import.ErpImport:
        """Load an ERP/PLM export through a column-mapping profile."""
        from raretrace.services import erp_import

        with self._uow() as uow:
            return erp_import.import_export(uow, path, profile, root=root, apply=apply)

    def import_declaration(self, path: Path, *, apply: bool = True) -> DeclarationImport:
        from raretrace.services import ipc1752

        with self._uow() as uow:
            return ipc1752.import_declaration(uow, path, apply=apply)

    def export_declaration(self, part_id: str, path: Path) -> Path:
        from raretrace.services import ipc1752

        with self._uow() as uow:
            return ipc1752.export_part(uow, part_id, path)

    # -- exchange rates supplied by the user --------------------------------------

    def store_rates(self, data: bytes, name: str, *, actor: str) -> StoredRates:
        """Validate a rates CSV file (``services.exchange_rates``) and keep the table."""
        from raretrace.services import exchange_rates as rates_service

        with self._uow() as uow:
            return rates_service.store_rates(uow, data, name, actor=actor, now=self.clock.now())

    def stored_rates(self) -> list[StoredRates]:
        """Every stored rate table, newest first."""
        from raretrace.services import exchange_rates as rates_service

        with self._uow() as uow:
            return rates_service.list_rates(uow)

    def rates(self, rates_id: int) -> StoredRates:
        from raretrace.services import exchange_rates as rates_service

        with self._uow() as uow:
            return rates_service.get_rates(uow, rates_id)

    # -- disruption simulation and dependence (issue 7) ----------------------------

    def simulate(self, scenario: Any, **options: Any) -> Any:
        """Run a ``Scenario`` (or a scenario file path) on the current network; returns
        an ``analytics.results.SimulationResult``. ``options``: runs, seed, threads,
        scheduler, local_cluster, progress (see ``services.simulation.run``)."""
        from raretrace.services import simulation
        from raretrace.services.tracing import package_version

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
        report = self.determine_flows(as_of)
        return {(f.supplier_site_id, f.part_id, f.buyer_site_id): f.outcome.value
                for f in report.flows}  # fmt: skip

    def load_scenario(self, path: Path) -> Any:
        """Read a scenario file and check it, ids included, against the current network
        (``InputError`` listing every problem with its line and key path)."""
        from raretrace.services import simulation

        return simulation.load_scenario(path, self.tracing.engine().compiled)

    def dependence(self, product: str | None = None) -> Any:
        """World concentration by stage next to this network's origin shares."""
        from raretrace.services import dependence

        return dependence.dependence(self.tracing.engine(), self.network(), product)

    # -- market: prices, cost exposure, the road out (issue 18) --------------------

    def store_prices(self, data: bytes, name: str, *, actor: str) -> StoredPrices:
        """Check a price CSV file (``services.market_data``) and keep the table."""
        from raretrace.services import market_prices

        with self._uow() as uow:
            return market_prices.store_prices(uow, data, name, actor=actor, now=self.clock.now())

    def stored_prices(self) -> list[StoredPrices]:
        """Every imported price table, newest first."""
        from raretrace.services import market_prices

        with self._uow() as uow:
            return market_prices.list_prices(uow)

    def price_table(self, prices_id: int | None = None) -> PriceTable:
        """An imported price table, or the shipped USGS series (``None``)."""
        from raretrace.services import market_prices

        with self._uow() as uow:
            return market_prices.price_table(uow, prices_id)

    def market_exposure(
        self,
        product: str,
        scenario: PriceScenario,
        *,
        prices_id: int | None = None,
        rates: ExchangeRates | None = None,
        stock_days: float | None = None,
        simulation_stock: bool = True,
    ) -> Any:
        """What ``scenario`` costs ``product`` per unit and per plan year, by element,
        and which suppliers carry it (``services.market.MarketExposure``). With
        ``simulation_stock``, the stock the newest finished simulation run says is
        needed on each link is valued under the scenario too."""
        from raretrace.services import market

        table = self.price_table(prices_id)
        t = self.tracing
        eng = t.engine()
        prov = t.provenance(
            eng, None, product=product, scenario=scenario.name,
            scenario_file=scenario.source_file, prices=_prices_ref(table, prices_id),
            rates=None if rates is None else rates.describe(), stock_days=stock_days,
        )  # fmt: skip
        needed, run = self._latest_stock_needed() if simulation_stock else ([], None)
        return market.market_exposure(
            eng, product, scenario, table, provenance=prov, rates=rates, stock_days=stock_days,
            stock_needed=needed, simulation_run=run,
        )  # fmt: skip

    def _latest_stock_needed(self) -> tuple[list[dict[str, Any]], str | None]:
        """``stock_needed`` of the newest finished simulation run, and which run."""
        import json

        from raretrace.services import jobs

        with self._uow() as uow:
            job = jobs.latest_done(uow, "simulation")
        if job is None or not job.result:
            return [], None
        try:
            data = json.loads(job.result)
            rows = [r for r in data.get("stock_needed", []) if isinstance(r, dict)]
        except (ValueError, AttributeError):
            return [], None
        when = job.finished_at.date().isoformat() if job.finished_at else "?"
        return rows, f"simulation run {job.job_id} ({job.title}, finished {when})"

    def market_overview(self, scenario: PriceScenario, *, prices_id: int | None = None) -> Any:
        """Cost exposure of every product node at once (``services.market_all``)."""
        from raretrace.services import market_all

        table = self.price_table(prices_id)
        t = self.tracing
        eng = t.engine()
        prov = t.provenance(
            eng, None, scenario=scenario.name, scenario_file=scenario.source_file,
            prices=_prices_ref(table, prices_id),
        )  # fmt: skip
        return market_all.exposure_all(eng, scenario, table, provenance=prov)

    def market_horizon(
        self,
        *,
        product: str | None = None,
        first_year: int | None = None,
        last_year: int | None = None,
        projects: list[Project] | None = None,
        projects_file: str | None = None,
    ) -> Any:
        """Capacity outside China by stage against the plan's need
        (``services.market.HorizonResult``). Years default to this year + 10."""
        from raretrace.services import market
        from raretrace.services.market_data import PROJECTS_FILE, shipped_projects

        first = first_year if first_year is not None else self.clock.today().year
        last = last_year if last_year is not None else first + 10
        if last < first or last - first > 50:
            raise InputError(f"years {first}..{last}: give at most 51 years, first <= last")
        t = self.tracing
        eng = t.engine()
        prov = t.provenance(
            eng, None, product=product, first_year=first, last_year=last,
            projects=projects_file or f"raretrace/data/market/{PROJECTS_FILE} (shipped)",
        )  # fmt: skip
        return market.horizon(
            eng, projects if projects is not None else shipped_projects(),
            tuple(range(first, last + 1)), product=product, provenance=prov,
        )  # fmt: skip


def _prices_ref(table: PriceTable, prices_id: int | None) -> str:
    if prices_id is None:
        return "raretrace/data/market/usgs_rare_earth_oxide_prices.csv (shipped USGS series)"
    return f"price table {prices_id} ({table.name})"
