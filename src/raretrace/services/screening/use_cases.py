"""Screening use cases: import lists, screen names and parties, decide hits, audit.

Each function runs inside the caller's unit of work (one transaction). The matcher
is pure (``raretrace.screening``); this module feeds it from storage, attaches
earlier decisions to repeated hits, flags >= 50 %-owned subsidiaries of listed
parties, and writes the audit log.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from pathlib import Path

from raretrace.domain.network import Network
from raretrace.domain.screening import (
    AuditRow,
    Decision,
    FeatureContribution,
    Hit,
    HitKind,
    ListDiff,
    ListEntry,
    ListFormat,
    ListVersion,
    ScreeningRun,
    Subject,
)
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Match, Matcher, look_through
from raretrace.services.formats.formula_guard import csv_cell
from raretrace.services.formats.party_lists import ParsedList, read_list
from raretrace.storage.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class ListImportReport:
    version: ListVersion
    diff: ListDiff
    skipped: int  #: FtM records that are not parties (relations), not imported
    notes: tuple[str, ...] = ()  #: what else the file held and what was done with it


def import_list(
    uow: UnitOfWork,
    path: Path,
    *,
    fmt: ListFormat,
    list_name: str,
    version_date: date | None = None,
    actor: str = "cli",
    source: str | None = None,
) -> ListImportReport:
    """Validate and store a new version of ``list_name``; report what changed.
    ``source``: what the version says it came from (default ``path``; the web app
    passes the uploaded file's name, never its server-side staging path)."""
    origin = source or str(path)
    if not list_name.strip():
        raise InputError("a list name is required", [Problem(str(path), None, None, "no name")])
    parsed = read_list(path, fmt)
    return store_version(uow, parsed, fmt, list_name, origin, version_date, actor)[0]


def store_version(
    uow: UnitOfWork,
    parsed: ParsedList,
    fmt: ListFormat,
    list_name: str,
    origin: str,
    version_date: date | None,
    actor: str,
) -> tuple[ListImportReport, list[ListEntry]]:
    """Store ``parsed`` as the newest version of ``list_name``, with its diff against the
    previous version; also returns the previous version's entries."""
    previous = uow.screening.latest_version(list_name)
    old = []
    if previous is not None and previous.version_id is not None:
        old = uow.screening.entries(previous.version_id)
    diff = diff_entries(list_name, previous, old, parsed.entries)
    now = uow.clock.now()
    version = uow.screening.add_version(
        ListVersion(
            list_name,
            fmt,
            origin,
            version_date or parsed.published or now.date(),
            now,
            len(parsed.entries),
        ),
        parsed.entries,
    )
    uow.screening.log(
        at=now,
        action="list_import",
        actor=actor,
        version_id=version.version_id,
        detail=f"{len(parsed.entries)} entries from {origin}; added {len(diff.added)}, "
        f"changed {len(diff.changed)}, removed {len(diff.removed)}, unchanged {diff.unchanged}",
    )
    return ListImportReport(version, diff, parsed.skipped, parsed.notes), old


def diff_entries(
    list_name: str,
    previous: ListVersion | None,
    old: Sequence[ListEntry],
    new: Sequence[ListEntry],
) -> ListDiff:
    """What ``new`` adds, changes and removes against ``old`` (entries matched by key)."""
    before = {e.entry_key: e for e in old}
    after = {e.entry_key: e for e in new}
    both = before.keys() & after.keys()
    changed = {k for k in both if before[k] != after[k]}
    return ListDiff(
        list_name=list_name,
        previous_version_date=previous.version_date if previous else None,
        added=tuple(sorted(after[k].name for k in after.keys() - before.keys())),
        removed=tuple(sorted(before[k].name for k in before.keys() - after.keys())),
        unchanged=len(both) - len(changed),
        changed=tuple(sorted(after[k].name for k in changed)),
    )


def list_versions(uow: UnitOfWork) -> list[ListVersion]:
    return uow.screening.latest_versions()


def load_matcher(
    uow: UnitOfWork, lists: Sequence[str] | None = None
) -> tuple[Matcher, list[ListVersion]]:
    """A matcher over the newest version of every list (or of ``lists``)."""
    versions = uow.screening.latest_versions()
    if lists:
        unknown = sorted(set(lists) - {v.list_name for v in versions})
        if unknown:
            raise NotFoundError(f"no list named {', '.join(unknown)}; see `raretrace lists show`")
        versions = [v for v in versions if v.list_name in lists]
    if not versions:
        raise NotFoundError("no screening lists imported yet; see `raretrace lists import`")
    indexed = [
        IndexedEntry(v.list_name, v.version_id, e)
        for v in versions
        if v.version_id is not None
        for e in uow.screening.entries(v.version_id)
    ]
    return Matcher(indexed), versions


def hit_key(kind: HitKind, subject: Subject, list_name: str, entry_key: str, extra: str) -> str:
    """Stable key of a hit: decisions are reused while subject, entry and name agree."""
    who = subject.party_id or subject.name.casefold().strip()
    raw = "\x1f".join((kind.value, who, subject.name, list_name, entry_key, extra))
    return hashlib.sha1(raw.encode()).hexdigest()[:24]


def _name_hit(subject: Subject, m: Match, threshold: float) -> Hit:
    ie = m.indexed
    return Hit(
        hit_key=hit_key(HitKind.NAME, subject, ie.list_name, ie.entry.entry_key, ie.entry.name),
        kind=HitKind.NAME,
        subject=subject,
        list_name=ie.list_name,
        list_version_id=ie.version_id,
        entry=ie.entry,
        matched_name=m.matched_name,
        score=m.score,
        threshold=threshold,
        features=m.features,
    )


def _check_threshold(threshold: float, review: float | None = None) -> float:
    """The lowest score to screen for: ``review`` when given (a near-miss band below
    ``threshold``), else ``threshold``."""
    if not 0.0 < threshold <= 1.0:
        msg = f"threshold must be in (0, 1], got {threshold}"
        raise InputError(msg, [Problem("--threshold", None, None, msg)])
    if review is None:
        return threshold
    if not 0.0 < review <= threshold:
        msg = f"review threshold must be in (0, {threshold}], got {review}"
        raise InputError(msg, [Problem("--review-threshold", None, None, msg)])
    return review


def _finish(
    uow: UnitOfWork,
    scope: str,
    query: str,
    threshold: float,
    versions: Sequence[ListVersion],
    subjects: int,
    hits: Iterable[Hit],
    actor: str,
) -> ScreeningRun:
    hits = list(hits)
    decisions = uow.screening.latest_decisions({h.hit_key for h in hits})
    hits = [replace(h, decision=decisions.get(h.hit_key)) for h in hits]
    hits.sort(key=lambda h: (h.subject.party_id or h.subject.name, -h.score, h.entry.name))
    now = uow.clock.now()
    run = ScreeningRun(
        scope=scope,
        query=query,
        threshold=threshold,
        started_at=now,
        list_version_ids=tuple(v.version_id for v in versions if v.version_id is not None),
        subjects=subjects,
        hits=tuple(hits),
    )
    run = uow.screening.save_run(run)
    lists = ", ".join(f"{v.list_name}@{v.version_date.isoformat()}" for v in versions)
    uow.screening.log(
        at=now,
        action="screen",
        actor=actor,
        run_id=run.run_id,
        detail=f"{scope} '{query}': {subjects} subject(s), {len(hits)} hit(s), "
        f"threshold {threshold}; lists {lists}",
    )
    return run


def screen_name(
    uow: UnitOfWork,
    name: str,
    *,
    country: str = "",
    threshold: float = DEFAULT_THRESHOLD,
    lists: Sequence[str] | None = None,
    actor: str = "cli",
    matcher: tuple[Matcher, list[ListVersion]] | None = None,
    review_threshold: float | None = None,
    ids: Sequence[tuple[str, str]] = (),
) -> ScreeningRun:
    """Screen one free-text name (e.g. a prospective customer not yet in the network).

    With ``review_threshold``, near misses scoring between it and ``threshold`` are
    returned too (``Hit.band == "review"``). ``ids``: the subject's registration
    numbers as (scheme, value), e.g. ``[("uscc", "9111...")]`` (see ``screening.ids``)."""
    lowest = _check_threshold(threshold, review_threshold)
    if not name.strip():
        raise InputError("nothing to screen", [Problem("NAME", None, None, "empty name")])
    m, versions = matcher or load_matcher(uow, lists)
    subject = Subject(name.strip(), None, country.upper(), (), tuple(ids))
    hits = [_name_hit(subject, x, threshold) for x in m.match(subject, lowest)]
    return _finish(uow, "name", name, threshold, versions, 1, hits, actor)


def party_subjects(net: Network) -> dict[str, Subject]:
    cities: dict[str, list[str]] = {}
    for site in net.sites:
        if site.city:
            cities.setdefault(site.party_id, []).append(site.city)
    return {
        p.party_id: Subject(
            p.name,
            p.party_id,
            p.country,
            tuple(cities.get(p.party_id, ())),
            (("uscc", p.uscc),) if p.uscc else (),
        )
        for p in net.parties
    }


def screen_parties(
    uow: UnitOfWork,
    party_ids: Sequence[str] | None = None,
    *,
    threshold: float = DEFAULT_THRESHOLD,
    lists: Sequence[str] | None = None,
    actor: str = "cli",
    network: Network | None = None,
    matcher: tuple[Matcher, list[ListVersion]] | None = None,
    review_threshold: float | None = None,
    scope: str | None = None,
    query: str | None = None,
) -> ScreeningRun:
    """Screen some parties (or all, when ``party_ids`` is None) by name and ownership.

    Owners up each party's chain are screened too, so that a party >= 50 % owned by a
    listed party is flagged with the ownership path even when its own name is clean.
    A name hit a reviewer marked as no match does not make its party "listed", nor does
    a near miss (with ``review_threshold``: scored below ``threshold``, for review).
    """
    lowest = _check_threshold(threshold, review_threshold)
    net = network if network is not None else uow.network.load()
    subjects = party_subjects(net)
    if party_ids is None:
        targets = list(subjects)
    else:
        missing = [p for p in party_ids if p not in subjects]
        if missing:
            raise NotFoundError(f"no party {', '.join(map(repr, missing))} in the workspace")
        targets = list(party_ids)
    owners = {p.party_id: p.owner_party_id for p in net.parties}
    wanted = set(targets)
    for pid in targets:  # add every owner up the chain
        seen = {pid}
        nxt = owners.get(pid)
        while nxt and nxt not in seen and nxt in subjects:
            wanted.add(nxt)
            seen.add(nxt)
            nxt = owners.get(nxt)
    m, versions = matcher or load_matcher(uow, lists)
    name_hits: dict[str, list[Hit]] = {}
    order = sorted(wanted)
    batch = m.match_many([subjects[pid] for pid in order], lowest)
    for pid, (subject, found) in zip(order, batch, strict=True):
        if found:
            name_hits[pid] = [_name_hit(subject, x, threshold) for x in found]
    decided = uow.screening.latest_decisions({h.hit_key for hs in name_hits.values() for h in hs})
    listed: dict[str, Hit] = {}
    for pid, hs in name_hits.items():
        live = [
            h
            for h in hs
            if h.band == "hit" and not (h.hit_key in decided and not decided[h.hit_key].is_match)
        ]
        if live:
            listed[pid] = live[0]
    hits = [h for pid in targets for h in name_hits.get(pid, [])]
    target_set = set(targets)
    for owned in look_through(net.parties, listed):
        if owned.party_id not in target_set:
            continue
        owner_hit = listed[owned.listed_party_id]
        subject = subjects[owned.party_id]
        chain = " -> ".join(
            f"{link.owner_party_id} {link.pct:g}% of {link.owned_party_id}" for link in owned.path
        )
        feature = FeatureContribution(
            "ownership",
            1.0,
            owned.effective_pct / 100.0,
            0.0,
            f"owned through {chain} (effective {owned.effective_pct:g}%); owner "
            f"{owned.listed_party_id} matched '{owner_hit.matched_name}' at {owner_hit.score}",
        )
        extra = "|".join(link.owner_party_id for link in owned.path) + "|" + owner_hit.hit_key
        hits.append(
            replace(
                owner_hit,
                hit_key=hit_key(
                    HitKind.OWNERSHIP,
                    subject,
                    owner_hit.list_name,
                    owner_hit.entry.entry_key,
                    extra,
                ),
                kind=HitKind.OWNERSHIP,
                subject=subject,
                features=(feature, *owner_hit.features),
                path=owned.path,
                decision=None,
            )
        )
    scope = scope or ("all" if party_ids is None else "party")
    query = query or ("*" if party_ids is None else ",".join(targets))
    return _finish(uow, scope, query, threshold, versions, len(targets), hits, actor)


def decide(
    uow: UnitOfWork, hit_id: int, *, is_match: bool, reason: str, decided_by: str
) -> Decision:
    """Record a reviewer's verdict on a hit; later runs reuse it for the same hit key."""
    problems = []
    if not reason.strip():
        problems.append(Problem("--reason", None, None, "a reason is required"))
    if not decided_by.strip():
        problems.append(Problem("--by", None, None, "the reviewer's name is required"))
    if problems:
        raise InputError("the decision is incomplete", problems)
    hit = uow.screening.hit(hit_id)
    if hit is None:
        raise NotFoundError(f"no hit {hit_id}")
    now = uow.clock.now()
    decision = uow.screening.add_decision(
        Decision(hit.hit_key, is_match, reason.strip(), decided_by.strip(), now, hit_id)
    )
    uow.screening.log(
        at=now,
        action="decision",
        actor=decided_by.strip(),
        hit_id=hit_id,
        detail=str(decision.decision_id),
    )
    return decision


def get_hit(uow: UnitOfWork, hit_id: int) -> Hit:
    hit = uow.screening.hit(hit_id)
    if hit is None:
        raise NotFoundError(f"no hit {hit_id}")
    return hit


def audit_trail(uow: UnitOfWork) -> list[AuditRow]:
    return uow.screening.audit_rows()


AUDIT_COLUMNS = tuple(f.name for f in fields(AuditRow))


def write_audit_csv(rows: Sequence[AuditRow], path: Path) -> Path:
    """Write the audit trail as CSV (one line per import, run, hit and decision)."""
    if not path.parent.exists():
        msg = "folder does not exist"
        raise InputError(f"{path}: cannot write", [Problem(str(path), None, None, msg)])
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(AUDIT_COLUMNS)
        for r in rows:
            writer.writerow(
                csv_cell(
                    ""
                    if (v := getattr(r, c)) is None
                    else v.isoformat()
                    if isinstance(v, date | datetime)
                    else v
                )
                for c in AUDIT_COLUMNS
            )
    return path


__all__ = [
    "AUDIT_COLUMNS",
    "ListImportReport",
    "audit_trail",
    "decide",
    "diff_entries",
    "get_hit",
    "hit_key",
    "import_list",
    "list_versions",
    "load_matcher",
    "party_subjects",
    "screen_name",
    "screen_parties",
    "store_version",
    "write_audit_csv",
]
