"""The market as one service object (``Workspace.market``): price tables (imported,
audited, or the shipped USGS series), what a price scenario costs a product or every
product at once, and the capacity horizon outside China. Each method opens its own
unit of work; the figures come from ``services.market.use_cases`` and
``services.market.all_products``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from raretrace.domain.clock import Clock
from raretrace.domain.currency import ExchangeRates
from raretrace.domain.market import PriceScenario, PriceTable, Project, StoredPrices
from raretrace.errors import InputError
from raretrace.services.jobs.service import JobsService
from raretrace.services.market import prices as market_prices
from raretrace.storage.ports import UnitOfWorkFactory

# The figures (numpy, the tracing engine) are imported by the methods that compute
# them, so that storing or listing price tables stays light.
if TYPE_CHECKING:
    from raretrace.services.market.all_products import MarketOverview
    from raretrace.services.market.use_cases import HorizonResult, MarketExposure
    from raretrace.services.tracing.service import TracingService

SHIPPED_PRICES = "raretrace/data/market/usgs_rare_earth_oxide_prices.csv (shipped USGS series)"


def prices_ref(table: PriceTable, prices_id: int | None) -> str:
    """Where a price table came from, for provenance."""
    if prices_id is None:
        return SHIPPED_PRICES
    return f"price table {prices_id} ({table.name})"


class MarketService:
    def __init__(
        self, uow: UnitOfWorkFactory, *, tracing: TracingService, jobs: JobsService, clock: Clock
    ) -> None:
        self._uow = uow
        self._tracing = tracing
        self._jobs = jobs
        self._clock = clock

    # -- price tables -------------------------------------------------------------

    def store_prices(self, data: bytes, name: str, *, actor: str) -> StoredPrices:
        """Check a price CSV file (``services.market.data``) and keep the table."""
        with self._uow() as uow:
            return market_prices.store_prices(uow, data, name, actor=actor, now=self._clock.now())

    def stored_prices(self) -> list[StoredPrices]:
        """Every imported price table, newest first."""
        with self._uow() as uow:
            return market_prices.list_prices(uow)

    def price_table(self, prices_id: int | None = None) -> PriceTable:
        """An imported price table, or the shipped USGS series (``None``)."""
        with self._uow() as uow:
            return market_prices.price_table(uow, prices_id)

    # -- figures --------------------------------------------------------------------

    def exposure(
        self,
        product: str,
        scenario: PriceScenario,
        *,
        prices_id: int | None = None,
        rates: ExchangeRates | None = None,
        stock_days: float | None = None,
        simulation_stock: bool = True,
    ) -> MarketExposure:
        """What ``scenario`` costs ``product`` per unit and per plan year, by element,
        and which suppliers carry it (``services.market.use_cases.MarketExposure``). With
        ``simulation_stock``, the stock the newest finished simulation run says is
        needed on each link is valued under the scenario too."""
        table = self.price_table(prices_id)
        t = self._tracing
        eng = t.engine()
        prov = t.provenance(
            eng, None, product=product, scenario=scenario.name,
            scenario_file=scenario.source_file, prices=prices_ref(table, prices_id),
            rates=None if rates is None else rates.describe(), stock_days=stock_days,
        )  # fmt: skip
        from raretrace.services.market import use_cases as market

        needed, run = self.latest_stock_needed() if simulation_stock else ([], None)
        return market.market_exposure(
            eng, product, scenario, table, provenance=prov, rates=rates, stock_days=stock_days,
            stock_needed=needed, simulation_run=run,
        )  # fmt: skip

    def latest_stock_needed(self) -> tuple[list[dict[str, Any]], str | None]:
        """``stock_needed`` of the newest finished simulation run, and which run."""
        job = self._jobs.latest_done("simulation")
        if job is None or not job.result:
            return [], None
        try:
            data = json.loads(job.result)
            rows = [r for r in data.get("stock_needed", []) if isinstance(r, dict)]
        except (ValueError, AttributeError):
            return [], None
        when = job.finished_at.date().isoformat() if job.finished_at else "?"
        return rows, f"simulation run {job.job_id} ({job.title}, finished {when})"

    def overview(self, scenario: PriceScenario, *, prices_id: int | None = None) -> MarketOverview:
        """Cost exposure of every product node at once (``services.market.all_products``)."""
        from raretrace.services.market import all_products as market_all

        table = self.price_table(prices_id)
        t = self._tracing
        eng = t.engine()
        prov = t.provenance(
            eng, None, scenario=scenario.name, scenario_file=scenario.source_file,
            prices=prices_ref(table, prices_id),
        )  # fmt: skip
        return market_all.exposure_all(eng, scenario, table, provenance=prov)

    def horizon(
        self,
        *,
        product: str | None = None,
        first_year: int | None = None,
        last_year: int | None = None,
        projects: list[Project] | None = None,
        projects_file: str | None = None,
    ) -> HorizonResult:
        """Capacity outside China by stage against the plan's need
        (``services.market.use_cases.HorizonResult``). Years default to this year + 10."""
        from raretrace.services.market import use_cases as market
        from raretrace.services.market.data import PROJECTS_FILE, shipped_projects

        first = first_year if first_year is not None else self._clock.today().year
        last = last_year if last_year is not None else first + 10
        if last < first or last - first > 50:
            raise InputError(f"years {first}..{last}: give at most 51 years, first <= last")
        t = self._tracing
        eng = t.engine()
        prov = t.provenance(
            eng, None, product=product, first_year=first, last_year=last,
            projects=projects_file or f"raretrace/data/market/{PROJECTS_FILE} (shipped)",
        )  # fmt: skip
        return market.horizon(
            eng, projects if projects is not None else shipped_projects(),
            tuple(range(first, last + 1)), product=product, provenance=prov,
        )  # fmt: skip
