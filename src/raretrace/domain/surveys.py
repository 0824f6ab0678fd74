"""Supplier surveys: requests sent, answers received, conflicts between suppliers.

An answer is kept as a list of ``Assertion``s, one per fact a supplier stated
("part P contains 4 % Dy", "our magnet maker is X in CN"), so answers from different
suppliers can be compared fact by fact and conflicts reported instead of merged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class Assertion:
    """One stated fact: field ``field`` of record ``table``/``key`` is ``value``.

    ``table`` is a network table (``parts``, ``composition``, ``parties`` ...) or a
    survey-only one (``licences``, ``sources``). ``value`` is normalised text, so two
    answers are equal when their texts are. ``where`` is ``"file [sheet S], row N"``.
    """

    table: str
    key: tuple[str, ...]
    field: str
    value: str
    supplier_party_id: str
    where: str = ""


@dataclass(frozen=True, slots=True)
class Conflict:
    """Two or more suppliers stated different values for the same fact."""

    table: str
    key: tuple[str, ...]
    field: str
    answers: tuple[Assertion, ...]

    def describe(self) -> str:
        said = "; ".join(
            f"{a.supplier_party_id} says {a.value!r} ({a.where})" for a in self.answers
        )
        return f"{self.table} {' / '.join(self.key)} {self.field}: {said}"


def find_conflicts(assertions: Iterable[Assertion]) -> list[Conflict]:
    """Facts on which different suppliers disagree (a supplier may revise its own)."""
    latest: dict[tuple[str, tuple[str, ...], str], dict[str, Assertion]] = defaultdict(dict)
    for a in assertions:
        latest[(a.table, a.key, a.field)][a.supplier_party_id] = a
    out: list[Conflict] = []
    for (table, key, fld), by_supplier in latest.items():
        if len({a.value for a in by_supplier.values()}) > 1:
            answers = tuple(sorted(by_supplier.values(), key=lambda a: a.supplier_party_id))
            out.append(Conflict(table, key, fld, answers))
    return sorted(out, key=lambda c: (c.table, c.key, c.field))


@dataclass(frozen=True, slots=True)
class SurveyRequest:
    """A survey workbook generated for (sent to) one supplier."""

    supplier_party_id: str
    campaign: str
    sent_at: datetime
    due_date: date
    file: str  #: the workbook's file name as sent (its bytes are kept with the request)
    request_id: int | None = None
    sha256: str = ""  #: of the workbook as sent


@dataclass(frozen=True, slots=True)
class SurveyResponse:
    """A returned workbook that was applied (possibly with conflicting facts held)."""

    supplier_party_id: str
    received_at: datetime
    file: str
    sha256: str
    assertions: tuple[Assertion, ...]
    answered_on: date | None = None
    held: int = 0  #: facts not applied because of conflicts
    response_id: int | None = None


class CampaignStatus(StrEnum):
    SENT = "sent"
    OVERDUE = "overdue"
    ANSWERED = "answered"


@dataclass(frozen=True, slots=True)
class CampaignRow:
    supplier_party_id: str
    supplier_name: str
    campaign: str
    sent_at: datetime
    due_date: date
    status: CampaignStatus
    answered_at: datetime | None = None
    days_overdue: int = 0
    request_id: int | None = None  #: the latest request (its workbook can be downloaded)
    file: str = ""
    sha256: str = ""  #: of the workbook sent ("" if it was recorded without it)


def campaign_status(
    requests: Iterable[SurveyRequest],
    responses: Iterable[SurveyResponse],
    names: dict[str, str],
    today: date,
) -> list[CampaignRow]:
    """Latest request per (campaign, supplier) and whether it was answered after it."""
    latest: dict[tuple[str, str], SurveyRequest] = {}
    for r in requests:
        k = (r.campaign, r.supplier_party_id)
        if k not in latest or r.sent_at >= latest[k].sent_at:
            latest[k] = r
    answered: dict[str, datetime] = {}
    for resp in responses:
        prev = answered.get(resp.supplier_party_id)
        if prev is None or resp.received_at > prev:
            answered[resp.supplier_party_id] = resp.received_at
    rows: list[CampaignRow] = []
    for (campaign, supplier), req in sorted(latest.items()):
        got = answered.get(supplier)
        if got is not None and got >= req.sent_at:
            status, late = CampaignStatus.ANSWERED, 0
        elif today > req.due_date:
            status, late = CampaignStatus.OVERDUE, (today - req.due_date).days
        else:
            status, late = CampaignStatus.SENT, 0
        rows.append(
            CampaignRow(
                supplier,
                names.get(supplier, supplier),
                campaign,
                req.sent_at,
                req.due_date,
                status,
                got if status is CampaignStatus.ANSWERED else None,
                late,
                req.request_id,
                req.file,
                req.sha256,
            )
        )
    return rows


__all__ = [
    "Assertion",
    "CampaignRow",
    "CampaignStatus",
    "Conflict",
    "SurveyRequest",
    "SurveyResponse",
    "campaign_status",
    "find_conflicts",
]
