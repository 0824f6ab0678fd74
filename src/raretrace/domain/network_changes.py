"""What an import would change: per table, the records added, changed and removed
(by natural key, ``record_key``), with a few keys of each for people to check."""

from __future__ import annotations

from dataclasses import dataclass, field

from raretrace.domain.network import TABLES, Network, record_key

#: Keys listed per kind of change and table (the counts are always complete).
SAMPLE = 5


@dataclass(frozen=True, slots=True)
class TableChanges:
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0
    added_keys: tuple[str, ...] = ()
    changed_keys: tuple[str, ...] = ()
    removed_keys: tuple[str, ...] = ()

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)


@dataclass(frozen=True, slots=True)
class NetworkChanges:
    tables: dict[str, TableChanges] = field(default_factory=dict)

    @property
    def any(self) -> bool:
        return any(t.any for t in self.tables.values())


def _label(key: tuple[str, ...]) -> str:
    return " / ".join(key)


def network_changes(before: Network, after: Network) -> NetworkChanges:
    """``before`` -> ``after``, table by table."""
    out: dict[str, TableChanges] = {}
    for name in TABLES:
        old = {record_key(name, r): r for r in getattr(before, name)}
        new = {record_key(name, r): r for r in getattr(after, name)}
        added = [k for k in new if k not in old]
        removed = [k for k in old if k not in new]
        changed = [k for k, r in new.items() if k in old and old[k] != r]
        out[name] = TableChanges(
            added=len(added),
            changed=len(changed),
            removed=len(removed),
            unchanged=len(new) - len(added) - len(changed),
            added_keys=tuple(_label(k) for k in sorted(added)[:SAMPLE]),
            changed_keys=tuple(_label(k) for k in sorted(changed)[:SAMPLE]),
            removed_keys=tuple(_label(k) for k in sorted(removed)[:SAMPLE]),
        )
    return NetworkChanges(out)
