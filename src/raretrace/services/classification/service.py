"""Export-control classification as one service object (``Workspace.rules``): the rule
book, classifying a part or a BOM, determining a shipment or every cross-border flow,
what changes between two dates, and the inputs the rules read from the workspace
(confirmed listings of parties, laboratory test reports). Each method opens its own
unit of work; the rules themselves are ``services.classification.use_cases``."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from raretrace.domain.currency import ExchangeRates
from raretrace.domain.network import Network
from raretrace.domain.test_reports import TestReport
from raretrace.errors import InputError, NotFoundError
from raretrace.storage.ports import UnitOfWorkFactory

# The rule packs and the evaluator (yaml, numpy) are imported by the methods that
# evaluate, so that recording or listing test reports stays light.
if TYPE_CHECKING:
    from raretrace.rules import Determination, RuleBook, SuspensionPolicy
    from raretrace.services.classification import use_cases as classification
    from raretrace.services.classification.facts import TraceInputs
    from raretrace.services.network.catalogue import NetworkIndex
    from raretrace.services.tracing.service import TracingService

#: Stored list kinds (screening) and the listing each gives a confirmed party.
LIST_KINDS = {"control": "control", "watch": "watch", "export_control": "listed"}


def as_written(policy: SuspensionPolicy | None, *, lifted: bool = False) -> SuspensionPolicy:
    """``policy``, by default suspensions as written (``lifted``: all lifted)."""
    from raretrace.rules import SuspensionPolicy

    if policy is not None:
        return policy
    return SuspensionPolicy.LIFTED if lifted else SuspensionPolicy.AS_WRITTEN


class RulesService:
    def __init__(
        self,
        uow: UnitOfWorkFactory,
        *,
        network: Callable[[], Network],
        tracing: TracingService,
        rules_dir: Path | None,
        practice_threshold: float | None,
        index: Callable[[], NetworkIndex] | None = None,
    ) -> None:
        self._uow = uow
        self._network = network
        #: the network's look-up index (over the table snapshot): whole-network sweeps
        #: such as ``determine_flows`` read it instead of the network as records
        self._index = index
        self._tracing = tracing
        self._rules_dir = rules_dir
        self._practice_threshold = practice_threshold

    # -- inputs ---------------------------------------------------------------------

    def rule_book(self) -> RuleBook:
        """Shipped rule packs plus those in ``settings.rules_dir``, compiled."""
        from raretrace.services.classification import use_cases as classification

        return classification.load_book(self._rules_dir)

    def party_listings(self) -> dict[str, str]:
        """Workspace parties on China's Control or Watch List: confirmed screening
        matches (latest decision "match") against stored entries with that list kind."""
        from raretrace.services.classification import use_cases as classification

        with self._uow() as uow:
            rows = uow.screening.confirmed_listings()
        return classification.listings_of(
            {pid: LIST_KINDS[kind] for pid, kind, _, _ in rows if kind in LIST_KINDS}
        )

    def trace_inputs(self, practice_threshold: float | None = None) -> TraceInputs:
        """Latest test report per part and the practice threshold (argument, else the
        setting)."""
        from raretrace.services.classification.facts import TraceInputs

        with self._uow() as uow:
            latest = uow.test_reports.latest()
        threshold = practice_threshold
        if threshold is None:
            threshold = self._practice_threshold
        return TraceInputs({p: float(r.dy_tb_fraction) for p, r in latest.items()}, threshold)

    def record_test_report(self, report: TestReport) -> TestReport:
        """Record a laboratory test report (Dy + Tb) of a workspace part."""
        if report.part_id not in {p.part_id for p in self._network().parts}:
            raise NotFoundError(f"no part {report.part_id!r} in the workspace")
        if not (0 <= report.dy_tb_fraction <= 1):
            raise InputError(f"Dy + Tb must be a mass fraction 0..1, not {report.dy_tb_fraction}")
        with self._uow() as uow:
            return uow.test_reports.add(report)

    def test_reports(self) -> list[TestReport]:
        with self._uow() as uow:
            return uow.test_reports.all()

    # -- verdicts -------------------------------------------------------------------

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
        from raretrace.services.classification import use_cases as classification

        return classification.classify_part(
            self._network(),
            self.rule_book(),
            part_id,
            as_of,
            as_written(policy),
            engine=self._tracing.engine(),
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
        from raretrace.services.classification import use_cases as classification

        return classification.classify_bom(
            self._network(),
            self.rule_book(),
            product_id,
            as_of,
            as_written(policy),
            engine=self._tracing.engine(),
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
        from raretrace.services.classification import use_cases as classification

        return classification.determine(
            self._network(),
            self.rule_book(),
            shipment,
            as_of,
            listed=classification.listings_of(self.party_listings(), listed),
            policy=as_written(policy),
            engine=self._tracing.engine(),
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
        from raretrace.services.classification import use_cases as classification

        return classification.determine_flows(
            self._index() if self._index is not None else self._network(),
            self.rule_book(),
            as_of,
            listed=classification.listings_of(self.party_listings(), listed),
            trace=self.trace_inputs(),
            policy=as_written(policy),
            alternative=as_written(alternative, lifted=True),
            engine=self._tracing.engine(),
            rates=rates,
        )

    def diff(
        self,
        date_from: date,
        date_to: date,
        *,
        listed: frozenset[str] | classification.Listings = frozenset(),
    ) -> classification.Diff:
        """What changes for the network's parts and flows between two dates."""
        from raretrace.services.classification import use_cases as classification

        return classification.diff(
            self._network(),
            self.rule_book(),
            date_from,
            date_to,
            listed=classification.listings_of(self.party_listings(), listed),
            engine=self._tracing.engine(),
        )
