"""Recognise the Responsible Minerals Initiative (RMI) reporting templates.

RMI publishes three supplier templates, laid out alike (Revision, Instructions,
Definitions, Declaration, Smelter List, Checker, Product List, Smelter Look-up):

- **CMRT** (Conflict Minerals Reporting Template): tin, tantalum, tungsten and gold
  (3TG) only.
- **EMRT** (Extended Minerals Reporting Template, 2.x): cobalt, mica, copper, natural
  graphite, lithium and nickel; it adds a Mine List.
- **AMRT** (Additional Minerals Reporting Template, 1.3 of October 2025): minerals
  outside CMRT and EMRT, chosen from a list that includes "Rare Earth Elements"; it adds
  a Minerals Scope sheet and a Mine List. It is the only RMI template whose scope covers
  rare earths, so it is the one raretrace reads (``services.survey.amrt``).

Scopes as stated on RMI's template pages
(https://www.responsiblemineralsinitiative.org/minerals-due-diligence/reporting-templates/).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_NAMES = {
    "CMRT": "Conflict Minerals Reporting Template",
    "EMRT": "Extended Minerals Reporting Template",
    "AMRT": "Additional Minerals Reporting Template",
}
_SCOPE = {
    "CMRT": "tin, tantalum, tungsten and gold (3TG)",
    "EMRT": "cobalt, mica, copper, natural graphite, lithium and nickel",
    "AMRT": "minerals outside CMRT and EMRT, including Rare Earth Elements",
}
_VERSION = re.compile(r"(?:revision|version|rev\.?)\s*(\d+\.\d+(?:\.\d+)?)", re.IGNORECASE)
_KIND_TEXT = (
    ("AMRT", re.compile(r"additional minerals? reporting template|\bAMRT\b|pilot reporting", re.I)),
    ("EMRT", re.compile(r"extended minerals? reporting template|\bEMRT\b", re.I)),
    ("CMRT", re.compile(r"conflict minerals? reporting template|\bCMRT\b", re.I)),
)


@dataclass(frozen=True, slots=True)
class Template:
    kind: str  #: CMRT, EMRT or AMRT
    version: str  #: as written in the workbook ("" when not found)

    @property
    def name(self) -> str:
        return _NAMES[self.kind]

    @property
    def covers_rare_earths(self) -> bool:
        return self.kind == "AMRT"

    def describe(self) -> str:
        version = f" {self.version}" if self.version else ""
        return f"an RMI {self.kind}{version} ({self.name}; scope: {_SCOPE[self.kind]})"

    def not_a_survey(self) -> str:
        """Why a raretrace survey reader refuses this workbook, and what to do instead."""
        if self.covers_rare_earths:
            return (
                f"this is {self.describe()}, not a raretrace survey workbook; "
                "read it with `raretrace survey amrt-read` (web: Surveys, AMRT returns)"
            )
        return (
            f"this is {self.describe()}; it does not cover rare earths, so it cannot answer "
            "the rare-earth survey: ask the supplier for the raretrace survey workbook or "
            "an RMI AMRT (Additional Minerals Reporting Template) declaring Rare Earth Elements"
        )


def _texts(sheet: Any, rows: int = 12, cols: int = 12) -> list[str]:
    out: list[str] = []
    for row in sheet.iter_rows(max_row=rows, max_col=cols, values_only=True):
        out.extend(v for v in row if isinstance(v, str) and v.strip())
    return out


def identify(book: Any) -> Template | None:
    """The RMI template an openpyxl workbook is, or ``None``."""
    names = {n.strip().lower(): n for n in book.sheetnames}
    if "smelter list" not in names or "declaration" not in names:
        return None
    texts: list[str] = []
    for name in ("revision", "declaration", "instructions"):
        if name in names:
            texts.extend(_texts(book[names[name]]))
    kind = None
    for candidate, pattern in _KIND_TEXT:
        if any(pattern.search(t) for t in texts):
            kind = candidate
            break
    if kind is None:
        if "minerals scope" in names:
            kind = "AMRT"
        elif "mine list" in names:
            kind = "EMRT"
        else:
            kind = "CMRT"
    version = ""
    for t in texts:
        m = _VERSION.search(t)
        if m:
            version = m.group(1)
            break
    return Template(kind, version)
