"""Licensing results and the shared state of the licensing use cases.

The result types (views of applications and licences, shipment input and result, the
end-use chain), a few pure helpers, and ``LicensingBase``: the dependencies every
licensing use case needs, set once by ``LicensingService``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, date, datetime

from raretrace.domain.applications import (
    Application,
    ChecklistRow,
    Deadline,
)
from raretrace.domain.calendar import WorkingCalendar
from raretrace.domain.clock import CHINA_TZ, Clock
from raretrace.domain.ledger import (
    Balance,
    LedgerEntry,
    Violation,
)
from raretrace.domain.licences import (
    Licence,
)
from raretrace.domain.network import Network
from raretrace.domain.parties import Party
from raretrace.errors import InputError, NotFoundError
from raretrace.rules import Determination
from raretrace.services.calendar import calendar_covering
from raretrace.services.classification.use_cases import Shipment
from raretrace.services.tracing.service import TracingService
from raretrace.storage.ports import UnitOfWork

DEFAULT_REVIEW_WORKING_DAYS = 45
CHAIN_NOTE = (
    "From the network's where-used paths; quantities are planned production x "
    "BOM quantity x supply share, not a forecast."
)


def calendar_for(*days: date | None) -> WorkingCalendar:
    """The China working-day calendar covering ``days`` (see ``services.calendar``)."""
    return calendar_covering(*days)


# -- results ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChainStep:
    site: str
    party: str
    party_name: str
    country: str
    part: str
    part_name: str
    party_name_zh: str = ""
    part_name_zh: str = ""


@dataclass(frozen=True, slots=True)
class ChainRow:
    """One downstream path from the consignee's site to a final product."""

    steps: tuple[ChainStep, ...]
    units_per_product: float  # shipped units per unit of the final product (with shares)
    products_per_year: float | None  # planned output of the final product at its plant
    units_per_year: float | None
    kg_per_year: float | None

    @property
    def text(self) -> str:
        return " → ".join(f"{s.part_name} at {s.party_name} ({s.country})" for s in self.steps)


@dataclass(frozen=True, slots=True)
class EndUseChain:
    part_id: str
    rows: tuple[ChainRow, ...]
    truncated: bool
    total_kg_per_year: float | None
    note: str


@dataclass(frozen=True, slots=True)
class PartyInfo:
    ref: str
    party_id: str
    name: str
    country: str
    address: str  # the party's full address; else city and country of the site; else ""
    name_zh: str = ""  # registered Chinese name
    address_zh: str = ""
    uscc: str = ""  # 统一社会信用代码
    contact: str = ""
    telephone: str = ""
    site_name: str = ""  # the site named as exporter/end user, if a site was named


@dataclass(frozen=True, slots=True)
class ApplicationView:
    application: Application
    parties: dict[str, PartyInfo]  # exporter / importer / end_user
    checklist: tuple[ChecklistRow, ...]
    blocking: tuple[str, ...]  # document keys still missing
    deadline: Deadline
    chain: EndUseChain
    warnings: tuple[str, ...]
    calendar_source: str


@dataclass(frozen=True, slots=True)
class LicenceView:
    licence: Licence
    balances: tuple[Balance, ...]
    used: bool
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ShipmentInput:
    shipment_id: str
    part_id: str
    quantity: str  # mass text, e.g. "10 kg"
    value: str
    currency: str
    exporter: str = ""
    consignee: str = ""
    end_user: str = ""
    destination: str = ""
    shipped_on: date | None = None
    end_use: str = ""


@dataclass(frozen=True, slots=True)
class ShipResult:
    shipment_id: str
    licence_id: str | None
    accepted: bool
    violations: tuple[Violation, ...]
    entry: LedgerEntry | None
    balance: Balance | None
    determination: str  # outcome of the rules when no licence was given; else ""
    #: The shipment id was already booked with the same details: ``entry`` is that
    #: first booking, and nothing new was written (a retry after a timeout is safe).
    duplicate: bool = False


@dataclass(frozen=True, slots=True)
class ItemInput:
    part_id: str
    quantity: str
    value: str
    currency: str
    hs_code: str = ""  # default: the part's hs_code
    spec_model: str = ""


class LicensingBase:
    """What the application and ledger use cases share (see ``LicensingService``)."""

    def __init__(
        self,
        uow: Callable[[], AbstractContextManager[UnitOfWork]],
        *,
        network: Callable[[], Network],
        tracing: TracingService,
        determine: Callable[[Shipment, date], Determination],
        classify: Callable[[str, date], Determination],
        review_working_days: int = DEFAULT_REVIEW_WORKING_DAYS,
        review_days_by_pack: dict[str, int] | None = None,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._network = network
        self._tracing = tracing
        self._determine = determine
        self._classify = classify
        self._review_days = review_working_days
        self._by_pack = dict(review_days_by_pack or {})
        self._clock = clock


def check_hs_code(code: str, where: str) -> str:
    """An HS / China customs commodity code (商品编码): 6 to 10 digits, dots and spaces
    ignored; "" stays "" (the packet prints 待填写)."""
    digits = code.replace(".", "").replace(" ", "")
    if not digits:
        return ""
    if not digits.isdigit() or not 6 <= len(digits) <= 10:
        raise InputError(f"{where} hs_code: {code!r} is not an HS code (6 to 10 digits)")
    return digits


def aware_at(at: datetime) -> datetime:
    """An event time in UTC; a time without a zone is China Standard Time (the regime's
    business time: "submitted at 09:00" means 09:00 in Beijing)."""
    return at.replace(tzinfo=CHINA_TZ).astimezone(UTC) if at.tzinfo is None else at.astimezone(UTC)


def party_info(net: Network, ref: str, role: str) -> PartyInfo:
    def info(p: Party, country: str, fallback: str, site_name: str = "") -> PartyInfo:
        return PartyInfo(
            ref, p.party_id, p.name, country, p.address or fallback, p.name_zh, p.address_zh,
            p.uscc, p.contact, p.telephone, site_name,
        )  # fmt: skip

    for s in net.sites:
        if s.site_id == ref:
            p = next(p for p in net.parties if p.party_id == s.party_id)
            addr = ", ".join(x for x in (s.city, s.country) if x)
            return info(p, s.country, addr, s.name)
    for p in net.parties:
        if p.party_id == ref:
            return info(p, p.country, "")
    raise NotFoundError(f"{role}: no site or party {ref!r} in the workspace")


def sites_of(net: Network, ref: str) -> set[str]:
    if any(s.site_id == ref for s in net.sites):
        return {ref}
    return {s.site_id for s in net.sites if s.party_id == ref}


def country_of(net: Network | None, ref: str) -> str:
    if net is None:
        return ""
    try:
        return party_info(net, ref, "end user").country
    except NotFoundError:
        return ""


def chain_texts(rows: Iterable[ChainRow]) -> list[str]:
    return [r.text for r in rows]
