"""A list file's entries by key, in file order, for every list reader: a row whose key
was read before is not an entry, but it is counted and named by row (or line) number in
the import notes, never dropped in silence. The first row of a key is kept."""

from __future__ import annotations

from raretrace.domain.screening import ListEntry

#: Most row numbers a note names (the rest are counted)
SHOWN = 20


class KeyedEntries:
    def __init__(self) -> None:
        self._entries: dict[str, ListEntry] = {}
        self._repeated: list[int | None] = []

    def add(self, entry: ListEntry, row: int | None) -> None:
        """Keep ``entry`` (read at ``row``) unless its key was read before."""
        if entry.entry_key in self._entries:
            self._repeated.append(row)
        else:
            self._entries[entry.entry_key] = entry

    @property
    def entries(self) -> list[ListEntry]:
        return list(self._entries.values())

    def notes(self, key: str, rows: str = "rows") -> list[str]:
        """The note on repeated keys (none when there are none): ``key`` says what makes
        two rows one entry ("the same QID and list"), ``rows`` what the numbers count
        ("rows", "lines")."""
        if not self._repeated:
            return []
        known = [str(r) for r in self._repeated if r is not None]
        shown = ", ".join(known[:SHOWN]) + (", ..." if len(known) > SHOWN else "")
        n = len(self._repeated)
        what = f"{n} {rows} repeat" if n > 1 else f"1 {rows.removesuffix('s')} repeats"
        where = f", {rows if len(known) > 1 else rows.removesuffix('s')} {shown} not read"
        return [f"{what} an entry read before ({key}); the first kept{where if known else ''}"]


__all__ = ["KeyedEntries"]
