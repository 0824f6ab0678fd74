"""The licence ledger (pure): append-only entries, computed balances, drawdown checks.

Entries are ``issue`` (the licensed limit of one item, written when the licence is
added), ``drawdown`` (a shipment against an item) and ``reversal`` (cancels one earlier
drawdown in full; a correction is a reversal plus a new drawdown, never an edit).
Balances are computed from the entries every time; nothing mutable is stored.

Quantities are integer milligrams and values ``Decimal``: sums are exact. No shipping
tolerance is applied: none was found for Chinese dual-use licences (regime fact sheet
§5.1 describes only the US AES 10 % value tolerance), so any excess is a violation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from raretrace.domain.licences import Licence, LicenceType, format_mass


class EntryKind(StrEnum):
    ISSUE = "issue"
    DRAWDOWN = "drawdown"
    REVERSAL = "reversal"


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """One ledger line. ``entry_id`` is set by storage (``None`` before it is saved).

    For a reversal, ``mass_mg``/``value`` repeat the reversed drawdown's figures (positive)
    and ``reverses`` names it.
    """

    entry_id: int | None
    licence_id: str
    item_no: int
    kind: EntryKind
    mass_mg: int
    value: Decimal
    currency: str
    shipment_id: str
    shipped_on: date | None
    destination: str
    end_user: str
    recorded_at: datetime
    actor: str
    reason: str
    reverses: int | None = None


@dataclass(frozen=True, slots=True)
class Balance:
    licence_id: str
    item_no: int
    part_id: str
    currency: str
    issued_mg: int
    drawn_mg: int
    issued_value: Decimal
    drawn_value: Decimal

    @property
    def remaining_mg(self) -> int:
        return self.issued_mg - self.drawn_mg

    @property
    def remaining_value(self) -> Decimal:
        return self.issued_value - self.drawn_value

    @property
    def remaining_share(self) -> float:
        """The smaller of the quantity and value shares still left (0..1)."""
        q = float(Decimal(self.remaining_mg) / Decimal(self.issued_mg)) if self.issued_mg else 0.0
        if not self.issued_value:
            return q
        return min(q, float(self.remaining_value / self.issued_value))


#: A licence item is near exhaustion when less than this share of its quantity or value
#: is left; a licence is near expiry within this many calendar days of its end.
NEAR_EXHAUSTION_SHARE = 0.10
NEAR_EXPIRY_DAYS = 30


class LicenceFlag(StrEnum):
    """What a compliance officer watches on a licence, as of a day."""

    USED = "used"  # a single licence whose one export has been made
    EXHAUSTED = "exhausted"  # nothing left on any item
    NEAR_EXHAUSTION = "near_exhaustion"
    EXPIRED = "expired"
    NOT_YET_VALID = "not_yet_valid"
    NEAR_EXPIRY = "near_expiry"


def licence_flags(
    licence: Licence, balances: Sequence[Balance], used: bool, today: date
) -> list[LicenceFlag]:
    """The licence's flags on ``today`` (a China Standard Time day)."""
    flags = []
    if used and licence.licence_type is LicenceType.SINGLE:
        flags.append(LicenceFlag.USED)
    if balances and all(b.remaining_share <= 0 for b in balances):
        flags.append(LicenceFlag.EXHAUSTED)
    elif any(b.remaining_share < NEAR_EXHAUSTION_SHARE for b in balances):
        flags.append(LicenceFlag.NEAR_EXHAUSTION)
    if today > licence.valid_to:
        flags.append(LicenceFlag.EXPIRED)
    elif today < licence.valid_from:
        flags.append(LicenceFlag.NOT_YET_VALID)
    elif (licence.valid_to - today).days <= NEAR_EXPIRY_DAYS:
        flags.append(LicenceFlag.NEAR_EXPIRY)
    return flags


class ViolationCode(StrEnum):
    NO_LICENCE = "no_licence"
    UNKNOWN_ITEM = "item_not_on_licence"
    OVER_QUANTITY = "over_quantity_balance"
    OVER_VALUE = "over_value_balance"
    OUTSIDE_VALIDITY = "outside_validity"
    DESTINATION = "destination_not_named"
    END_USER = "end_user_not_named"
    SINGLE_USED = "single_licence_used"
    CURRENCY = "currency_mismatch"
    DUPLICATE = "shipment_already_booked"


@dataclass(frozen=True, slots=True)
class Violation:
    code: ViolationCode
    message: str


@dataclass(frozen=True, slots=True)
class DrawdownRequest:
    licence_id: str
    part_id: str
    mass_mg: int
    value: Decimal
    currency: str
    shipment_id: str
    shipped_on: date
    destination: str
    end_user: str


def active_drawdowns(entries: Iterable[LedgerEntry]) -> list[LedgerEntry]:
    """Drawdowns not reversed, in entry order."""
    entries = list(entries)
    reversed_ids = {e.reverses for e in entries if e.kind is EntryKind.REVERSAL}
    return [e for e in entries if e.kind is EntryKind.DRAWDOWN and e.entry_id not in reversed_ids]


def balances(licence: Licence, entries: Iterable[LedgerEntry]) -> list[Balance]:
    """Issued, drawn and remaining per item, computed from the entries."""
    entries = list(entries)
    out = []
    for item in licence.items:
        mine = [e for e in entries if e.item_no == item.item_no]
        issued = [e for e in mine if e.kind is EntryKind.ISSUE]
        drawn = [e for e in mine if e.kind is EntryKind.DRAWDOWN]
        back = [e for e in mine if e.kind is EntryKind.REVERSAL]
        out.append(
            Balance(
                licence_id=licence.licence_id,
                item_no=item.item_no,
                part_id=item.part_id,
                currency=item.currency,
                issued_mg=sum(e.mass_mg for e in issued),
                drawn_mg=sum(e.mass_mg for e in drawn) - sum(e.mass_mg for e in back),
                issued_value=sum((e.value for e in issued), Decimal(0)),
                drawn_value=sum((e.value for e in drawn), Decimal(0))
                - sum((e.value for e in back), Decimal(0)),
            )
        )
    return out


def check_drawdown(
    licence: Licence, entries: Sequence[LedgerEntry], req: DrawdownRequest
) -> list[Violation]:
    """Every reason the drawdown must not be booked; empty when it may."""
    out: list[Violation] = []
    item = licence.item(req.part_id)
    if item is None:
        return [
            Violation(
                ViolationCode.UNKNOWN_ITEM,
                f"licence {licence.licence_id} does not cover part {req.part_id}",
            )
        ]
    if not licence.valid_on(req.shipped_on):
        out.append(
            Violation(
                ViolationCode.OUTSIDE_VALIDITY,
                f"shipment date {req.shipped_on} is outside the validity "
                f"{licence.valid_from} to {licence.valid_to}",
            )
        )
    if req.destination not in licence.destinations:
        out.append(
            Violation(
                ViolationCode.DESTINATION,
                f"destination {req.destination} is not named on the licence "
                f"({', '.join(licence.destinations)})",
            )
        )
    if req.end_user not in licence.end_users:
        out.append(
            Violation(
                ViolationCode.END_USER,
                f"end user {req.end_user} is not named on the licence "
                f"({', '.join(licence.end_users)})",
            )
        )
    if req.currency != item.currency:
        out.append(
            Violation(
                ViolationCode.CURRENCY,
                f"value is in {req.currency}; the licence item is in {item.currency}",
            )
        )
    used = active_drawdowns(entries)
    if licence.licence_type is LicenceType.SINGLE and used:
        out.append(
            Violation(
                ViolationCode.SINGLE_USED,
                f"single licence already used by shipment {used[0].shipment_id}",
            )
        )
    bal = next(b for b in balances(licence, entries) if b.item_no == item.item_no)
    if req.mass_mg > bal.remaining_mg:
        out.append(
            Violation(
                ViolationCode.OVER_QUANTITY,
                f"{format_mass(req.mass_mg)} exceeds the remaining "
                f"{format_mass(bal.remaining_mg)} of item {item.item_no}",
            )
        )
    if req.currency == item.currency and req.value > bal.remaining_value:
        out.append(
            Violation(
                ViolationCode.OVER_VALUE,
                f"{req.value} {req.currency} exceeds the remaining value "
                f"{bal.remaining_value} {item.currency} of item {item.item_no}",
            )
        )
    return out


def issue_entries(licence: Licence, *, at: datetime, actor: str, reason: str) -> list[LedgerEntry]:
    """The opening ``issue`` entry of every item of a new licence."""
    return [
        LedgerEntry(
            entry_id=None,
            licence_id=licence.licence_id,
            item_no=it.item_no,
            kind=EntryKind.ISSUE,
            mass_mg=it.mass_mg,
            value=it.value,
            currency=it.currency,
            shipment_id="",
            shipped_on=None,
            destination="",
            end_user="",
            recorded_at=at,
            actor=actor,
            reason=reason,
        )
        for it in licence.items
    ]
