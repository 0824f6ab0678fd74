"""Applying a partial network that came from outside (survey answers, declarations).

The same path as ``import_bundle``: merge the partial network into the stored one,
run ``validate_network`` on the result (located problems, all at once), and only then
upsert. What is new here is the **diff**: what the partial network would add or
change, field by field, so a user can look before ``--apply``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from dataclasses import dataclass, field

from raretrace.domain.network import TABLES, Network, record_key
from raretrace.errors import InputError
from raretrace.services.network.validation import Locate, validate_network
from raretrace.storage.ports import UnitOfWork

#: Floats that differ by less than this (relative) are taken as equal in a diff.
FLOAT_RTOL = 1e-9

#: Provenance fields: a record whose only difference is here is left as it is, so that
#: re-reading the same facts from another file changes nothing.
PROVENANCE = frozenset({"source", "notes"})


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: object
    new: object


@dataclass(frozen=True, slots=True)
class RecordChange:
    """One record the partial network adds (``action="add"``) or changes (``"update"``)."""

    table: str
    key: tuple[str, ...]
    action: str
    fields: tuple[FieldChange, ...] = ()

    def describe(self) -> str:
        what = f"{self.table} {' / '.join(self.key)}"
        if self.action == "add":
            return f"add {what}"
        parts = ", ".join(f"{f.field}: {_show(f.old)} -> {_show(f.new)}" for f in self.fields)
        return f"change {what}: {parts}"


@dataclass(frozen=True, slots=True)
class ChangeSet:
    changes: tuple[RecordChange, ...] = ()
    unchanged: int = 0
    applied: bool = False
    revision: int | None = None

    def counts(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for (table, action), n in Counter((c.table, c.action) for c in self.changes).items():
            out.setdefault(table, {})[action] = n
        return out


def _show(v: object) -> str:
    if v is None or v == "":
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    if isinstance(v, tuple):
        return ";".join(str(x) for x in v) or "-"
    return str(v)


def _same(a: object, b: object) -> bool:
    if isinstance(a, float) and isinstance(b, float):
        return abs(a - b) <= FLOAT_RTOL * max(abs(a), abs(b), 1e-300)
    return a == b


def diff_network(stored: Network, partial: Network) -> ChangeSet:
    """What upserting ``partial`` into ``stored`` would add or change."""
    changes: list[RecordChange] = []
    unchanged = 0
    for table in TABLES:
        old_by_key = {record_key(table, r): r for r in getattr(stored, table)}
        for rec in getattr(partial, table):
            key = record_key(table, rec)
            old = old_by_key.get(key)
            if old is None:
                changes.append(RecordChange(table, key, "add"))
                continue
            fields = tuple(
                FieldChange(f.name, getattr(old, f.name), getattr(rec, f.name))
                for f in dataclasses.fields(rec)
                if not _same(getattr(old, f.name), getattr(rec, f.name))
            )
            if any(f.field not in PROVENANCE for f in fields):
                changes.append(RecordChange(table, key, "update", fields))
            else:
                unchanged += 1
    return ChangeSet(tuple(changes), unchanged)


def changed_only(partial: Network, changes: ChangeSet) -> Network:
    """The records of ``partial`` that ``changes`` lists (skip the unchanged ones)."""
    keys = {(c.table, c.key) for c in changes.changes}
    out = Network()
    for table in TABLES:
        recs = [r for r in getattr(partial, table) if (table, record_key(table, r)) in keys]
        setattr(out, table, recs)
    return out


@dataclass(slots=True)
class Partial:
    """A partial network and where each record came from."""

    network: Network
    where: dict[tuple[str, tuple[str, ...]], tuple[str, int | None]] = field(default_factory=dict)

    def locate(self, table: str, key: tuple[str, ...]) -> tuple[str, int | None]:
        return self.where.get((table, key), ("workspace", None))


def plan_and_apply(
    uow: UnitOfWork, partial: Partial, *, label: str, apply: bool, locate: Locate | None = None
) -> ChangeSet:
    """Validate ``partial`` merged into the stored network, diff it, and upsert it if
    ``apply``. Raises ``InputError`` with every located problem; then nothing is written.
    """
    stored = uow.network.load()
    # The file's records first, so sums and cycles are reported at a row of the file.
    merged = partial.network.merged_with(stored).merged_with(partial.network)
    problems = validate_network(merged, locate or partial.locate)
    if problems:
        raise InputError(
            f"{label}: {len(problems)} problem(s) against the workspace; nothing was written",
            problems,
        )
    changes = diff_network(stored, partial.network)
    if not apply or not changes.changes:
        return changes
    uow.network.upsert(changed_only(partial.network, changes))
    revision = uow.network.bump_revision()
    return dataclasses.replace(changes, applied=True, revision=revision)
