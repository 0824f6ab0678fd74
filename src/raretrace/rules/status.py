"""Measures whose status is not confirmed after a date: the "status unknown" notices.

A suspension with ``uncertain_after`` says the sources do not know what happened after
it ended (Ann. 2025 No. 70, "until 10 Nov 2026"; regime.md 9.7). After that day every
verdict that could depend on it is shown with a notice, and ``raretrace rules status``
lists each such measure with the rules it touches under the three readings side by
side (as written: the suspension ended; extended: it was renewed; lifted: no
suspension at all).

``UNENCODED`` lists measures the fact sheet marks unconfirmed that no pack encodes
(they concern no rare-earth item, or no rule of China's), so users still see them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from raretrace.rules.book import RuleBook, SuspensionPolicy, rule_status
from raretrace.rules.schema import RulePack


@dataclass(frozen=True, slots=True)
class StatusNotice:
    """One measure whose status is not confirmed since ``unknown_since``."""

    measure: str  #: what is unconfirmed (the suspending instrument and what it covers)
    until: date  #: last day the sources confirm
    unknown_since: date
    packs: tuple[str, ...]  #: packs whose rules depend on it ("" none: not encoded)
    note: str
    citation: str
    #: whose measure: CN (China's, in the banner) or US (listed by `rules status` only)
    regime: str = "CN"

    @property
    def text(self) -> str:
        covers = f" (packs {', '.join(self.packs)})" if self.packs else " (not encoded)"
        return f"Status unknown since {self.unknown_since}: {self.measure}{covers}. {self.note}"


#: Unconfirmed measures no shipped pack encodes (regime.md 9.7, 3.3).
UNENCODED: tuple[StatusNotice, ...] = (
    StatusNotice(
        measure="MOFCOM Ann. 2024 No. 46 clause 2 (Ga, Ge, Sb, superhard materials to the US; "
        "graphite scrutiny), suspended by Ann. 2025 No. 72 until 27 Nov 2026",
        until=date(2026, 11, 27),
        unknown_since=date(2026, 11, 28),
        packs=(),
        note="No rare-earth item; whether No. 72 was renewed is not known.",
        citation="regime.md 9.3, 9.7; https://www.businesstimes.com.sg/international/"
        "china-suspends-ban-exports-gallium-germanium-antimony-us [B]",
    ),
    StatusNotice(
        measure="US BIS suspension of the 50 % affiliates rule (10 Nov 2025 - 9 Nov 2026)",
        until=date(2026, 11, 9),
        unknown_since=date(2026, 11, 10),
        packs=(),
        note="A US rule (context for screening); whether BIS extended it is not known.",
        citation="regime.md 3.3, 9.7 (MOFCOM response, grade D)",
        regime="US",
    ),
)


def status_notices(
    packs: Sequence[RulePack], as_of: date, *, unencoded: bool = True
) -> list[StatusNotice]:
    """Every measure whose status is unconfirmed on ``as_of`` (after its last known day)."""
    found: dict[tuple[str, date], StatusNotice] = {}
    for pack in packs:
        sus = list(pack.suspensions) + [s for r in pack.rules for s in r.suspensions]
        for s in sus:
            if not s.uncertain_after or as_of <= s.until:
                continue
            key = (s.by.instrument, s.until)
            old = found.get(key)
            ids = (*old.packs, pack.id) if old else (pack.id,)
            cite = f"{s.by.citation.text} <{s.by.citation.url}> [{s.by.citation.quality}]"
            found[key] = StatusNotice(
                measure=f"{s.by.instrument} suspended these rules until {s.until}",
                until=s.until,
                unknown_since=s.until + timedelta(days=1),
                packs=tuple(dict.fromkeys(ids)),
                note=(
                    s.after_note
                    or f"Whether the suspension was renewed after {s.until} is not known."
                )
                + " Verdicts apply the rules as written (the suspension ended); compare "
                "with --what-if extended (renewed).",
                citation=cite,
            )
    out = list(found.values())
    if unencoded:
        out += [n for n in UNENCODED if as_of >= n.unknown_since]
    return sorted(out, key=lambda n: (n.unknown_since, n.measure))


@dataclass(frozen=True, slots=True)
class StatusRow:
    """One rule touched by an unconfirmed measure, under the three readings."""

    rule_id: str
    pack: str
    as_written: str
    extended: str
    lifted: str


def status_rows(book: RuleBook, as_of: date) -> list[StatusRow]:
    """Rules of the packs in ``status_notices`` with their state under each reading."""
    packs = {p for n in status_notices(book.packs, as_of, unencoded=False) for p in n.packs}
    rows = []
    for cr in (*book.item_rules, *book.shipment_rules):
        if cr.pack.id not in packs:
            continue

        pack, rule = cr.pack, cr.rule
        states = {p: rule_status(pack, rule, as_of, p).state for p in SuspensionPolicy}
        rows.append(
            StatusRow(
                cr.id,
                cr.pack.id,
                as_written=states[SuspensionPolicy.AS_WRITTEN],
                extended=states[SuspensionPolicy.EXTENDED],
                lifted=states[SuspensionPolicy.LIFTED],
            )
        )
    return rows


__all__ = ["UNENCODED", "StatusNotice", "StatusRow", "status_notices", "status_rows"]
