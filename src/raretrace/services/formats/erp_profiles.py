"""Import ERP/PLM exports through a YAML column-mapping profile.

A profile says which column of the export holds which of our fields, how numbers are
written and how units and plants translate; the export is then loaded without hand
editing, through the same merge -> validate -> diff -> upsert path as bundles. Three
kinds (examples with what they can and cannot map: ``docs/erp-profiles.md``):

- ``multilevel_bom``: one row per BOM item with its level (SAP CS12 "explode BOM
  multi-level": ``Level`` 1, 2 ... or ``.1``, ``..2``, component, quantity, unit,
  plant); the parent of an item is the nearest item above it one level up, the top
  level's parent is the root material (``--root``).
- ``parent_child_bom``: one row per parent/child pair (a Teamcenter or Windchill BOM
  report exported as CSV).
- ``supplier_master``: one row per vendor (number, name, country, city) -> parties
  with role and one site each.

Profiles are strict: an unknown key anywhere is refused with its line in the profile.
Exports are delimited text (CSV/TSV, UTF-8 or cp1252); every problem is located
(file, row, column), at most ``file_bounds.MAX_PROBLEMS`` listed.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from raretrace.domain.network import BomLine, Network, Production
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.parts import Part, PartKind
from raretrace.errors import InputError, Problem
from raretrace.services.formats import columns
from raretrace.services.formats.file_bounds import MAX_CELL_CHARS, ProblemLog, TooManyProblems, clip
from raretrace.services.network.supplier_data import ChangeSet, Partial, plan_and_apply
from raretrace.storage.ports import UnitOfWork

MAX_EXPORT_BYTES = 512 * 1024**2
MAX_PROFILE_BYTES = 256 * 1024
Kind = Literal["multilevel_bom", "parent_child_bom", "supplier_master"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FileFormat(_Strict):
    delimiter: str = Field(",", min_length=1, max_length=1)
    encoding: Literal["utf-8", "utf-8-sig", "cp1252", "latin-1"] = "utf-8-sig"
    header_row: int = Field(1, ge=1, le=100)
    decimal_comma: bool = False  #: "1.234,5" means 1234.5


class Columns(_Strict):
    level: str | None = None
    parent: str | None = None
    component: str | None = None
    description: str | None = None
    quantity: str | None = None
    unit: str | None = None
    plant: str | None = None
    mass_kg: str | None = None
    supplier_id: str | None = None
    name: str | None = None
    country: str | None = None
    city: str | None = None


class Profile(_Strict):
    profile: str
    kind: Kind
    description: str = ""
    file: FileFormat = FileFormat()
    columns: Columns
    units: dict[str, str] = {}  #: export unit -> our uom (ea, kg, g, m ...)
    plants: dict[str, str] = {}  #: plant code -> our site id
    part_kind: PartKind = PartKind.COMPONENT  #: kind of parts first seen in the export
    supplier_role: Role = Role.COMPONENT_MAKER


_REQUIRED: dict[str, tuple[str, ...]] = {
    "multilevel_bom": ("level", "component", "quantity"),
    "parent_child_bom": ("parent", "component", "quantity"),
    "supplier_master": ("supplier_id", "name", "country"),
}


def _line_of(node: Any, loc: tuple[Any, ...]) -> int | None:
    """The profile line of a pydantic error location, walking the YAML node tree."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            found = next((k for k, _ in node.value if k.value == str(key)), None)
            node = next((v for k, v in node.value if k.value == str(key)), None)
            if found is None:
                return line
            line = found.start_mark.line + 1
        else:
            return line
    return line


def load_profile(path: Path) -> Profile:
    """A validated profile; ``InputError`` names each unknown or bad key with its line."""
    label = str(path)
    if path.stat().st_size > MAX_PROFILE_BYTES:
        raise InputError(f"{label}: refused", [Problem(label, None, None, "profile too large")])
    text = path.read_text("utf-8")
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        raise InputError(
            f"{label}: not YAML", [Problem(label, line, None, clip(exc, 200))]
        ) from None
    try:
        profile = Profile.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(p) for p in loc)
            what = "unknown key" if err["type"] == "extra_forbidden" else err["msg"]
            problems.append(Problem(label, _line_of(node, loc), where, what))
        raise InputError(f"{label}: {len(problems)} problem(s) in the profile", problems) from None
    missing = [f for f in _REQUIRED[profile.kind] if getattr(profile.columns, f) is None]
    if missing:
        line = _line_of(node, ("columns",))
        raise InputError(
            f"{label}: incomplete profile",
            [
                Problem(
                    label,
                    line,
                    "columns",
                    f"a {profile.kind} profile must map: {', '.join(missing)}",
                )
            ],
        )
    return profile


@dataclass(frozen=True, slots=True)
class ErpImport:
    profile: str
    kind: str
    rows: int
    changes: ChangeSet


def _rows(
    path: Path, profile: Profile, label: str
) -> tuple[list[str], list[tuple[int, list[str]]]]:
    size = path.stat().st_size
    if size > MAX_EXPORT_BYTES:
        message = f"file is {size:,} bytes, over the {MAX_EXPORT_BYTES:,} limit"
        raise InputError(f"{label}: refused", [Problem(label, None, None, message)])
    fmt = profile.file
    csv.field_size_limit(MAX_CELL_CHARS)
    try:
        text = path.read_text(fmt.encoding)
    except UnicodeDecodeError as exc:
        message = (
            f"not {fmt.encoding} text (byte 0x{exc.object[exc.start]:02x} at offset {exc.start})"
        )
        raise InputError(
            f"{label}: cannot be read", [Problem(label, None, None, message)]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=fmt.delimiter)
    header: list[str] = []
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:
            if reader.line_num < fmt.header_row:
                continue
            if reader.line_num == fmt.header_row or not header:
                header = [h.strip() for h in row]
                continue
            if any(c.strip() for c in row):
                rows.append((reader.line_num, row))
    except csv.Error as exc:
        raise InputError(
            f"{label}: not valid delimited text",
            [Problem(label, reader.line_num, None, clip(exc, 200))],
        ) from None
    return header, rows


def import_export(
    uow: UnitOfWork,
    path: Path,
    profile: Profile,
    *,
    root: str | None = None,
    apply: bool = False,
) -> ErpImport:
    """Load one export with ``profile``; ``InputError`` lists every located problem."""
    label = str(path)
    header, rows = _rows(path, profile, label)
    problems = ProblemLog()
    mapped = {f: c for f, c in profile.columns.model_dump().items() if c is not None}
    index: dict[str, int] = {}
    for field_name, column in mapped.items():
        if column not in header:
            problems.append(
                Problem(
                    label,
                    profile.file.header_row,
                    column,
                    f"column for {field_name} is missing from the export",
                )
            )
        else:
            index[field_name] = header.index(column)
    if problems:
        raise InputError(f"{label}: does not match profile {profile.profile}", problems.problems())
    stored = uow.network.load()
    try:
        net, where = _build(profile, rows, index, label, root, stored, problems)
    except TooManyProblems:
        net, where = Network(), {}
    if problems:
        raise InputError(
            f"{label}: {len(problems)} problem(s); nothing was written", problems.problems(label)
        )
    changes = plan_and_apply(uow, Partial(net, where), label=label, apply=apply)
    return ErpImport(profile.profile, profile.kind, len(rows), changes)


def _build(
    profile: Profile,
    rows: list[tuple[int, list[str]]],
    index: dict[str, int],
    label: str,
    root: str | None,
    stored: Network,
    problems: ProblemLog,
) -> tuple[Network, dict[tuple[str, tuple[str, ...]], tuple[str, int | None]]]:
    net = Network()
    where: dict[tuple[str, tuple[str, ...]], tuple[str, int | None]] = {}
    known_parts = {p.part_id for p in stored.parts}
    seen_parts: set[str] = set()
    qty_parse = columns.number(low=0, low_open=True)

    def cell(row: list[str], name: str) -> str:
        i = index.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    def number(text: str) -> str:
        if profile.file.decimal_comma:
            return text.replace(".", "").replace(",", ".")
        return text

    def part(line: int, row: list[str], pid: str) -> None:
        if pid in known_parts or pid in seen_parts:
            return
        seen_parts.add(pid)
        unit = cell(row, "unit")
        uom = profile.units.get(unit, unit.lower() or "ea")
        name = columns.text(cell(row, "description") or pid)
        net.parts.append(
            Part(pid, name, profile.part_kind, uom=uom, source=f"ERP {profile.profile}")
        )
        where[("parts", (pid,))] = (label, line)

    if profile.kind == "supplier_master":
        for line, row in rows:
            try:
                pid = columns.ident(cell(row, "supplier_id"))
                name = columns.text(cell(row, "name"))
                country = columns.country(cell(row, "country"))
                city = columns.text(cell(row, "city"))
            except ValueError as exc:
                problems.append(Problem(label, line, None, str(exc)))
                continue
            if not pid or not name:
                problems.append(Problem(label, line, None, "supplier id and name are required"))
                continue
            net.parties.append(Party(pid, name, country, (profile.supplier_role,)))
            net.sites.append(Site(f"{pid}-S1", pid, name, country, city))
            where[("parties", (pid,))] = (label, line)
            where[("sites", (f"{pid}-S1",))] = (label, line)
        return net, where

    stack: list[str] = []  #: part id at each level (multilevel)
    lines: dict[tuple[str, str], float] = {}
    for line, row in rows:
        try:
            child = columns.ident(cell(row, "component"))
            qty = qty_parse(number(cell(row, "quantity")))
            if profile.kind == "multilevel_bom":
                level_text = cell(row, "level").replace(".", "") or "0"
                level = int(level_text) if level_text.isdigit() else len(cell(row, "level"))
                if level < 1:
                    raise ValueError(f"level {clip(cell(row, 'level'))} is not 1, 2 ... or .1, ..2")
                if root is None:
                    raise ValueError(
                        "give the root material (--root): a multi-level BOM lists only "
                        "its components"
                    )
                if level > len(stack) + 1:
                    raise ValueError(
                        f"level {level} follows level {len(stack)}: a level is missing"
                    )
                del stack[level - 1 :]
                parent = stack[-1] if stack else root
                stack.append(child)
            else:
                parent = columns.ident(cell(row, "parent"))
        except ValueError as exc:
            problems.append(Problem(label, line, None, str(exc)))
            continue
        if not child or not parent:
            problems.append(Problem(label, line, None, "parent and component are required"))
            continue
        part(line, row, child)
        key = (parent, child)
        lines[key] = lines.get(key, 0.0) + qty  # the same item twice under one parent adds up
        where[("bom", key)] = (label, line)
        plant = cell(row, "plant")
        if plant and profile.plants:
            site = profile.plants.get(plant)
            if site is None:
                problems.append(
                    Problem(
                        label,
                        line,
                        profile.columns.plant,
                        f"plant {clip(plant)} is not in the profile's plants",
                    )
                )
            elif ("production", (site, parent)) not in where and parent in (
                known_parts | seen_parts | {root}
            ):
                net.production.append(Production(site, parent))
                where[("production", (site, parent))] = (label, line)
    if root is not None and root not in known_parts and root not in seen_parts:
        problems.append(
            Problem(label, None, None, f"root material {clip(root)} is not a known part")
        )
    net.bom.extend(BomLine(p, c, q) for (p, c), q in lines.items())
    return net, where
