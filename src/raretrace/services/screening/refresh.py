"""Keep lists current: re-read a list, store it as a new version, re-screen what changed.

``refresh_list`` reads a list file (or every list file in a folder) in the list's
format, stores it as a new version of the list, and compares it with the previous
version entry by entry (by the publisher's id, else a fingerprint). Only the parties
the change can affect are screened again, against the new version:

- parties whose names reach the review band against an added or changed entry
  (a matcher over just those entries screens every party: cheap, as it is small);
- parties an earlier run found against a changed or removed entry (their hit may
  have gone or changed);
- subsidiaries and branches of those parties (the >= 50 % look-through), and, as in
  every party screening, their owners up the chain.

Decisions are kept: a hit's key does not depend on the list version, so a decision
taken on an earlier version applies to the same hit found again. Hits that are open
(no decision), at or above the match threshold and never found before are *new open
hits*; the caller alerts on them (``services.screening.alerts``) after the
transaction, so that a failed alert never loses the refresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from raretrace.domain.network import Network
from raretrace.domain.screening import Hit, ListEntry, ListFormat, ScreeningRun
from raretrace.errors import InputError, Problem
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Matcher
from raretrace.services.formats.party_lists import ParsedList, detect_format, read_list
from raretrace.services.screening.alerts import AlertDelivery
from raretrace.services.screening.use_cases import (
    ListImportReport,
    _check_threshold,
    party_subjects,
    screen_parties,
    store_version,
)
from raretrace.storage.ports import UnitOfWork

#: File names read from a folder, per format (others in the folder are ignored).
SUFFIXES: dict[ListFormat, tuple[str, ...]] = {
    ListFormat.CSL: (".csv",),
    ListFormat.MOFCOM: (".csv",),
    ListFormat.INTERNAL: (".csv",),
    ListFormat.FTM: (".json", ".jsonl", ".ndjson", ".ftm"),
    ListFormat.UN: (".xml",),
    ListFormat.UK: (".xlsx", ".csv"),
}


@dataclass(frozen=True, slots=True)
class RefreshReport:
    """What a refresh stored, whom it screened again, and what is new."""

    imported: ListImportReport
    files: tuple[str, ...]  #: the files read
    rescreened: tuple[str, ...]  #: party ids screened again
    run: ScreeningRun | None  #: None when no party could be affected
    new_hits: tuple[Hit, ...]  #: open hits at or above the threshold, never found before
    alerts: tuple[AlertDelivery, ...] = ()  #: filled in by the caller after the commit


def read_list_source(path: Path, fmt: ListFormat) -> tuple[ParsedList, tuple[str, ...]]:
    """A list file, or every list file of ``fmt`` in a folder (sorted by name) read as
    one list; an entry in two files is kept from the later file, and counted."""
    if not path.is_dir():
        return read_list(path, fmt), (str(path),)
    files = sorted(
        p
        for p in path.iterdir()
        if p.is_file() and not p.name.startswith(".") and p.suffix.lower() in SUFFIXES[fmt]
    )
    if not files:
        wanted = ", ".join(SUFFIXES[fmt])
        msg = f"no {fmt.value} list file ({wanted}) in the folder"
        raise InputError(f"{path}: {msg}", [Problem(str(path), None, None, msg)])
    entries: dict[str, ListEntry] = {}
    notes: list[str] = []
    skipped = 0
    repeated = 0
    for file in files:
        parsed = read_list(file, fmt)
        skipped += parsed.skipped
        notes.extend(f"{file.name}: {n}" for n in parsed.notes)
        for e in parsed.entries:
            repeated += e.entry_key in entries
            entries[e.entry_key] = e
    if repeated:
        notes.append(f"{repeated} entries appear in more than one file; the later file's kept")
    return ParsedList(list(entries.values()), skipped, tuple(notes)), tuple(map(str, files))


def _affected(
    uow: UnitOfWork,
    net: Network,
    list_name: str,
    version_id: int | None,
    entries: list[ListEntry],
    touched: set[str],
    gone: set[str],
    lowest: float,
) -> set[str]:
    subjects = party_subjects(net)
    affected: set[str] = set()
    delta = [IndexedEntry(list_name, version_id, e) for e in entries if e.entry_key in touched]
    if delta and subjects:
        order = sorted(subjects)
        for subject, found in Matcher(delta).match_many([subjects[p] for p in order], lowest):
            if found and subject.party_id is not None:
                affected.add(subject.party_id)
    if touched | gone:
        affected |= uow.screening.parties_hit(list_name, touched | gone) & subjects.keys()
    children: dict[str, list[str]] = {}
    for p in net.parties:
        for parent in (p.owner_party_id, p.branch_of_party_id):
            if parent:
                children.setdefault(parent, []).append(p.party_id)
    todo = list(affected)
    while todo:  # subsidiaries and branches, all the way down
        for child in children.get(todo.pop(), ()):
            if child not in affected:
                affected.add(child)
                todo.append(child)
    return affected


def refresh_list(
    uow: UnitOfWork,
    path: Path,
    *,
    list_name: str,
    fmt: ListFormat | None = None,
    version_date: date | None = None,
    actor: str = "cli",
    network: Network | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    review_threshold: float | None = None,
) -> RefreshReport:
    """Store ``path`` as a new version of ``list_name`` (in the list's stored format
    unless ``fmt`` is given; a new list's told from its file) and re-screen the parties
    the change can affect."""
    lowest = _check_threshold(threshold, review_threshold)
    if not list_name.strip():
        raise InputError("a list name is required", [Problem(str(path), None, None, "no name")])
    if not path.exists():
        raise InputError(f"{path}: no such file or folder", [Problem(str(path), None, None, "")])
    previous = uow.screening.latest_version(list_name)
    if fmt is None:
        if previous is not None:
            fmt = previous.format
        elif path.is_file():  # a new list from one file: its format is told from it
            fmt = detect_format(path)
        else:
            msg = f"no list named {list_name!r} yet: give the folder's --format to import it"
            raise InputError(msg, [Problem("--format", None, None, msg)])
    parsed, files = read_list_source(path, fmt)
    report, old = store_version(uow, parsed, fmt, list_name, str(path), version_date, actor)
    before = {e.entry_key: e for e in old}
    touched = {e.entry_key for e in parsed.entries if before.get(e.entry_key) != e}
    gone = before.keys() - {e.entry_key for e in parsed.entries}
    if not touched and not gone:
        return RefreshReport(report, files, (), None, ())
    net = network if network is not None else uow.network.load()
    version = report.version
    affected = _affected(
        uow, net, list_name, version.version_id, parsed.entries, touched, gone, lowest
    )
    if not affected:
        return RefreshReport(report, files, (), None, ())
    matcher = Matcher(IndexedEntry(list_name, version.version_id, e) for e in parsed.entries)
    run = screen_parties(
        uow,
        sorted(affected),
        threshold=threshold,
        actor=actor,
        network=net,
        matcher=(matcher, [version]),
        review_threshold=review_threshold,
        scope="refresh",
        query=f"{list_name}@{version.version_date.isoformat()}",
    )
    open_hits = [h for h in run.hits if h.band == "hit" and h.decision is None]
    known = uow.screening.known_hit_keys({h.hit_key for h in open_hits}, run.run_id or 0)
    new = tuple(h for h in open_hits if h.hit_key not in known)
    return RefreshReport(report, files, tuple(sorted(affected)), run, new)


__all__ = ["SUFFIXES", "RefreshReport", "read_list_source", "refresh_list"]
