"""Exception tree for raretrace.

::

    RaretraceError
    ├── InputError            bad data from outside; carries located Problems
    │   └── BundleError       a supply-network bundle failed validation
    ├── NotFoundError         an id that does not exist in the workspace
    ├── NetworkError          the stored network cannot be used (cycle, dangling reference)
    └── StorageError          the database could not be opened or migrated

Domain exceptions carry no HTTP status or exit code: ``cli/output.py`` (and later
``web/errors.py``) hold the one mapping table each.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in an input file.

    ``row`` is the 1-based line number as a spreadsheet or editor shows it (the header
    is row 1, the first data row is row 2); ``None`` when the problem is about the
    whole file or a whole column.
    """

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.message}"


class RaretraceError(Exception):
    """Base class of every error raretrace raises on purpose."""


class InputError(RaretraceError):
    """Input from outside is invalid. ``problems`` lists every problem found."""

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems: list[Problem] = list(problems or [])

    def __str__(self) -> str:
        head = super().__str__()
        if not self.problems:
            return head
        lines = [head, *(f"  - {p}" for p in self.problems[:200])]
        if len(self.problems) > 200:
            lines.append(f"  ... and {len(self.problems) - 200} more")
        return "\n".join(lines)


class BundleError(InputError):
    """A bundle (CSV folder or XLSX workbook) failed validation; nothing was written."""


class NotFoundError(RaretraceError):
    """The id asked for does not exist in the workspace."""


class NetworkError(RaretraceError):
    """The stored supply network cannot be used as it is (e.g. a BOM cycle)."""


class StorageError(RaretraceError):
    """The database could not be opened, created or migrated."""
