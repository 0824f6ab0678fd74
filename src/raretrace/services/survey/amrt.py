"""Read RMI AMRT returns (the rare-earth smelter tier) into the network and campaign.

``read_amrt`` takes the cells (Declaration answers, the Smelter List rows whose metal
is Rare Earth Elements, the Product List) with every located problem; CMRT and EMRT
workbooks are recognised and refused with what they are (they do not cover rare
earths). ``apply_amrt`` turns an answer into network records: each smelter becomes a
party (role separator) with a site in its country; for each declared part the
supplier makes, the part's rare-earth inputs (BOM children holding rare earths) gain
supply links from the smelters' sites where no source was known (the AMRT states no
shares, so they are split equally and the link says so); where sources are known
the smelters are recorded and reported, not linked. The answer is kept as a survey
response (so the campaign shows the supplier answered) with its stated facts.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import Network, SupplyLink
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.surveys import Assertion, SurveyResponse
from raretrace.errors import InputError, Problem
from raretrace.services.formats import amrt_layout as L
from raretrace.services.formats import columns, rmi_templates
from raretrace.services.formats.amrt_sheets import (
    Lookup,
    Mine,
    checked,
    country_code,
    country_table,
    is_ree,
    read_lookup,
    read_mines,
    smelter_row_mines,
    table,
    text,
)
from raretrace.services.formats.file_bounds import ProblemLog, clip, scan_xlsx
from raretrace.services.network.supplier_data import ChangeSet, Partial, plan_and_apply
from raretrace.services.survey.amrt_mines import add_mine_tier, slug
from raretrace.services.survey.answers import parts_supplied
from raretrace.services.survey.layout import MAX_ROWS, MAX_WORKBOOK_BYTES
from raretrace.storage.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Smelter:
    row: int
    name: str
    country: str  #: ISO 3166-1 alpha-2
    smelter_id: str
    id_source: str
    city: str


@dataclass(slots=True)
class AmrtReturn:
    path: str
    sha256: str
    version: str
    declaration: dict[str, tuple[int, str]] = field(default_factory=dict)
    minerals: list[str] = field(default_factory=list)
    q1: dict[str, tuple[int, str]] = field(default_factory=dict)  #: mineral -> (row, answer)
    q2: dict[str, tuple[int, str]] = field(default_factory=dict)
    smelters: list[Smelter] = field(default_factory=list)  #: Rare Earth Elements only
    other_metals: int = 0  #: Smelter List rows for other metals (not read)
    products: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    mines: list[Mine] = field(default_factory=list)  #: Rare Earth Elements only
    other_metal_mines: int = 0  #: Mine List rows for other metals (not read)
    #: smelter name -> ISO codes of the mine countries its Smelter List row states
    mine_countries: dict[str, list[str]] = field(default_factory=dict)
    #: what was read but not used, and rows completed from the Smelter Look-up
    read_notes: list[str] = field(default_factory=list)

    @property
    def declares_ree(self) -> bool:
        return any(m.lower() == L.REE.lower() for m in self.minerals)


def _norm(label: str) -> str:
    return (
        label.lower().replace("(*)", "").replace("–", "-").replace(":", "").replace("  ", " ")
    ).strip()


_LABELS = {_norm(label): key for _, label, key in L.DECLARATION_ROWS}
#: Row -> key in the 1.3 layout, for labels not in English (RMI writes them by formula
#: in the language chosen on the Declaration sheet and keeps that text).
_ROWS = {row: key for row, _, key in L.DECLARATION_ROWS}


def template_of(path: Path) -> rmi_templates.Template | None:
    """The RMI template a workbook is (after the same bounds as every read), or ``None``
    when it is not one or cannot be read safely (the full reader then says why)."""
    import openpyxl

    try:
        if path.stat().st_size > MAX_WORKBOOK_BYTES:
            return None
        if scan_xlsx(path, str(path), ProblemLog(), max_rows=MAX_ROWS) is None:
            return None
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception:
        return None
    try:
        return rmi_templates.identify(book)
    except Exception:
        return None
    finally:
        book.close()


def read_amrt(path: Path, name: str | None = None) -> AmrtReturn:
    """The answers of an AMRT workbook; ``InputError`` with every located problem."""
    import openpyxl

    label = name or str(path)
    problems = ProblemLog()

    def fail() -> InputError:
        return InputError(f"{label}: the AMRT has {len(problems)} problem(s)", problems.problems())

    size = path.stat().st_size
    if size > MAX_WORKBOOK_BYTES:
        message = f"file is {size} bytes, over the {MAX_WORKBOOK_BYTES} limit"
        raise InputError(f"{label}: refused", [Problem(label, None, None, message)])
    if scan_xlsx(path, label, problems, max_rows=MAX_ROWS) is None:
        raise fail()
    data = path.read_bytes()
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True, keep_links=False)
    except Exception as exc:
        problems.append(Problem(label, None, None, f"not a readable .xlsx workbook ({clip(exc)})"))
        raise fail() from None
    try:
        template = rmi_templates.identify(book)
        if template is None:
            problems.append(
                Problem(label, None, None, "not an RMI template (no Declaration / Smelter List)")
            )
            raise fail()
        if not template.covers_rare_earths:
            problems.append(Problem(label, None, None, template.not_a_survey()))
            raise fail()
        out = AmrtReturn(label, hashlib.sha256(data).hexdigest(), template.version)
        names = {n.strip().lower(): n for n in book.sheetnames}
        countries = country_table(book)
        lookup = Lookup({}, {})
        if "smelter look-up" in names:
            where = f"{label} [sheet Smelter Look-up]"
            lookup = read_lookup(book[names["smelter look-up"]], where, ProblemLog())
        _declaration(book[names["declaration"]], f"{label} [sheet Declaration]", out, problems)
        where = f"{label} [sheet Smelter List]"
        _smelters(book[names["smelter list"]], where, out, problems, lookup, countries)
        if "mine list" in names:
            where = f"{label} [sheet Mine List]"
            mines, out.other_metal_mines = read_mines(
                book[names["mine list"]], where, problems, countries
            )
            out.mines.extend(mines)
        if "product list" in names:
            where = f"{label} [sheet Product List]"
            _products(book[names["product list"]], where, out, problems)
    finally:
        book.close()
    if problems:
        raise fail()
    return out


def _declaration(sheet: Any, where: str, out: AmrtReturn, problems: ProblemLog) -> None:
    question = ""
    minerals_row = -1
    for row in sheet.iter_rows(max_row=200, max_col=12):
        cells = {getattr(c, "column", 0): c.value for c in row if getattr(c, "value", None)}
        if not cells:
            continue
        r = next(getattr(c, "row", 0) for c in row if getattr(c, "value", None) is not None)
        b = text(cells.get(2))
        if b.startswith(("1)", "2)", "3)")):
            question = b[:2]
            continue
        key = (_LABELS.get(_norm(b)) or _ROWS.get(r)) if b else None
        if key == "minerals" or (not b and r == minerals_row + 1):
            # the minerals in scope: D12:I12 and the second row of slots D13:I13
            question = ""
            minerals_row = r if key == "minerals" else -1
            for col in range(4, 10):
                m = checked(cells.get(col), where, r, "minerals", problems)
                if m:
                    out.minerals.append(m)
            continue
        if key:
            question = ""
            out.declaration[key] = (r, checked(cells.get(4), where, r, key, problems))
            continue
        mineral = checked(cells.get(3), where, r, "mineral", problems)
        answer = checked(cells.get(4), where, r, "answer", problems)
        if question == "1)" and mineral:
            if answer and answer not in L.Q1_ANSWERS:
                choices = ", ".join(L.Q1_ANSWERS)
                problems.append(Problem(where, r, "D", f"{clip(answer)} is not one of: {choices}"))
            out.q1[mineral] = (r, answer)
        elif question == "2)" and mineral:
            out.q2[mineral] = (r, answer)


def _smelters(
    sheet: Any,
    where: str,
    out: AmrtReturn,
    problems: ProblemLog,
    lookup: Lookup,
    countries: dict[str, str],
) -> None:
    rows = table(
        sheet,
        L.SMELTER_FIELDS,
        "metal",
        where,
        problems,
        positions=L.SMELTER_POSITIONS,
        header_row=L.SMELTER_HEADER_ROW,
    )
    completed = 0
    for r, v in rows:
        if not is_ree(v.get("metal", "")):
            out.other_metals += 1
            continue
        alias = v.get("lookup", "")
        listed = alias.lower() not in L.NOT_A_SMELTER
        known = lookup.find(v.get("id_input", ""), alias if listed else "")
        if known and not (v.get("name") and v.get("country") and v.get("smelter_id")):
            completed += 1  # the row's formulas left values out: RMI's look-up has them
        name = v.get("name") or (known.name if known else "") or (alias if listed else "")
        if not name:
            problems.append(Problem(where, r, "Smelter Name (1)", "value is required"))
            continue
        country = v.get("country") or (known.country if known else "")
        if not country:
            problems.append(Problem(where, r, "Smelter Country (*)", "value is required"))
            continue
        try:
            code = country_code(country, countries)
        except ValueError as exc:
            problems.append(Problem(where, r, "Smelter Country (*)", str(exc)))
            continue
        sid = v.get("smelter_id") or (known.smelter_id if known else "") or v.get("id_input", "")
        if sid:
            try:
                sid = columns.ident(sid)
            except ValueError as exc:
                problems.append(Problem(where, r, "Smelter Identification", str(exc)))
                continue
        source = v.get("id_source") or (known.id_source if known else "")
        city = v.get("city") or (known.city if known else "")
        out.smelters.append(Smelter(r, name, code, sid, source, city))
        mine, codes, note = smelter_row_mines(r, name, v, countries)
        if mine:
            out.mines.append(mine)
        if codes:
            out.mine_countries[name] = codes
        if note:
            out.read_notes.append(note)
    if completed:
        out.read_notes.append(
            f"{completed} Smelter List row(s) completed from the workbook's Smelter Look-up "
            "(RMI's list of known smelters)"
        )


def _products(sheet: Any, where: str, out: AmrtReturn, problems: ProblemLog) -> None:
    out.products = table(
        sheet,
        L.PRODUCT_FIELDS,
        "manufacturer's product number",
        where,
        problems,
        positions=L.PRODUCT_POSITIONS,
        header_row=L.PRODUCT_HEADER_ROW,
    )


# --------------------------------------------------------------------------- apply


@dataclass(frozen=True, slots=True)
class AmrtReport:
    file: str
    supplier_party_id: str
    version: str
    smelters: list[str]  #: party ids of the rare-earth smelters named
    linked: list[str]  #: "smelter site -> part -> supplier site"
    notes: list[str]
    changes: ChangeSet
    mines: list[str] = field(default_factory=list)  #: party ids of the rare-earth mines named


def apply_amrt(
    uow: UnitOfWork,
    path: Path,
    *,
    supplier: str | None = None,
    apply: bool = False,
    now: datetime,
    name: str | None = None,
) -> AmrtReport:
    """Read one AMRT return into the network (``apply``) and the campaign."""
    ret = read_amrt(path, name)
    stored = uow.network.load()
    dwhere = f"{ret.path} [sheet Declaration]"
    problems: list[Problem] = []
    row_id, declared = ret.declaration.get("company_id", (None, ""))
    sid = supplier or declared
    parties = {p.party_id: p for p in stored.parties}
    if not sid:
        problems.append(
            Problem(dwhere, row_id, "Company Unique ID", "give the supplier (its party id)")
        )
    elif sid not in parties:
        problems.append(
            Problem(dwhere, row_id, "Company Unique ID", f"unknown supplier {clip(sid)}")
        )
    elif supplier and declared and declared != supplier:
        problems.append(
            Problem(
                dwhere,
                row_id,
                "Company Unique ID",
                f"the AMRT says {clip(declared)}, not {clip(supplier)}",
            )
        )
    if not ret.declares_ree:
        problems.append(
            Problem(
                dwhere,
                None,
                "minerals",
                f"{L.REE!r} is not among the minerals in scope: this AMRT says nothing "
                "about rare earths",
            )
        )
    if problems:
        raise InputError(f"{ret.path}: {len(problems)} problem(s)", problems)
    supplied = parts_supplied(stored, sid)
    parts: list[str] = []
    pwhere = f"{ret.path} [sheet Product List]"
    for r, row in ret.products:
        pid = row.get("requester_number") or row.get("number", "")
        if pid in supplied:
            parts.append(pid)
        else:
            problems.append(
                Problem(
                    pwhere,
                    r,
                    "Requester's Product Number",
                    f"{clip(pid)} is not a part {sid} supplies in the buyer's records",
                )
            )
    if problems:
        raise InputError(f"{ret.path}: {len(problems)} problem(s)", problems)
    parts = parts or sorted(supplied)
    net = Network()
    where: dict[tuple[str, tuple[str, ...]], tuple[str, int | None]] = {}
    swhere = f"{ret.path} [sheet Smelter List]"
    assertions: list[Assertion] = []
    smelter_sites: list[str] = []
    smelter_ids: list[str] = []
    smelter_at: dict[str, tuple[str, str]] = {}  #: smelter name (lower) -> (party, site)
    smelter_at_id: dict[str, tuple[str, str]] = {}
    sites_of: dict[str, list[Site]] = {}
    for s in stored.sites:
        sites_of.setdefault(s.party_id, []).append(s)
    by_name = {(p.name.strip().lower(), p.country): p.party_id for p in stored.parties}
    for sm in ret.smelters:
        pid = slug(sm.smelter_id) if sm.smelter_id else slug(sm.name)
        if pid not in parties:  # a company we already know, named as we name it
            pid = by_name.get((sm.name.strip().lower(), sm.country), pid)
        if pid in smelter_ids:
            smelter_at.setdefault(sm.name.strip().lower(), smelter_at_id[pid])
            continue
        old = parties.get(pid)
        roles = tuple(old.roles) if old else ()
        if Role.SEPARATOR not in roles:
            roles = (*roles, Role.SEPARATOR)
        note = f"rare-earth smelter/refiner named in the AMRT of {sid}"
        if sm.smelter_id:
            note += f"; RMI id {sm.smelter_id}" + (f" ({sm.id_source})" if sm.id_source else "")
        party = Party(pid, sm.name, sm.country, roles, notes=old.notes if old else note)
        net.parties.append(party)
        where[("parties", (pid,))] = (swhere, sm.row)
        known = sites_of.get(pid)
        if known:
            site_id = known[0].site_id
        else:
            site_id = f"{pid}-S1"
            net.sites.append(Site(site_id, pid, sm.name, sm.country, sm.city))
            where[("sites", (site_id,))] = (swhere, sm.row)
        smelter_ids.append(pid)
        smelter_sites.append(site_id)
        smelter_at_id[pid] = (pid, site_id)
        smelter_at.setdefault(sm.name.strip().lower(), (pid, site_id))
        for code in ret.mine_countries.get(sm.name, []):
            stated = f"{swhere}, row {sm.row}"
            assertions.append(Assertion("smelters", (sid, pid), "mine_country", code, sid, stated))
        assertions.append(
            Assertion("smelters", (sid, pid), "country", sm.country, sid, f"{swhere}, row {sm.row}")
        )
    linked: list[str] = []
    notes: list[str] = []
    if ret.other_metals:
        notes.append(f"{ret.other_metals} Smelter List row(s) for other metals were not read")
    own_sites = {s.site_id for s in sites_of.get(sid, [])}
    re_parts = {
        c.part_id for c in stored.composition if c.element in RARE_EARTHS and c.mass_fraction > 0
    }
    for part in parts:
        children = [
            b.child_part_id
            for b in stored.bom
            if b.parent_part_id == part and b.child_part_id in re_parts
        ]
        if not children:
            notes.append(f"{part}: no rare-earth input in its BOM; smelters recorded, not linked")
            continue
        makers = {lk.supplier_site_id for lk in stored.supply if lk.part_id == part} & own_sites
        for site in sorted(makers or own_sites):
            for child in children:
                sources = [
                    lk for lk in stored.supply if lk.part_id == child and lk.buyer_site_id == site
                ]
                if sources:
                    known_from = ", ".join(sorted(lk.supplier_site_id for lk in sources))
                    notes.append(f"{child} into {site} already comes from {known_from}; not linked")
                    continue
                share = 1 / len(smelter_sites) if smelter_sites else 0
                for ss in smelter_sites:
                    net.supply.append(SupplyLink(ss, child, site, share))
                    where[("supply", (ss, child, site))] = (swhere, ret.smelters[0].row)
                    linked.append(f"{ss} -> {child} -> {site} (share {share:.3g}, split equally)")
    tier = add_mine_tier(
        ret.mines,
        path=ret.path,
        supplier=sid,
        stored=stored,
        net=net,
        where=where,
        assertions=assertions,
        smelter_at=smelter_at,
        rare_earth_parts=re_parts,
    )
    linked.extend(tier.linked)
    notes.extend(ret.read_notes)
    notes.extend(tier.notes)
    if ret.other_metal_mines:
        notes.append(f"{ret.other_metal_mines} Mine List row(s) for other metals were not read")
    for fact, (r, answer) in (
        ("ree_intentionally_added", ret.q1.get(L.REE, (0, ""))),
        ("ree_suppliers_responded", ret.q2.get(L.REE, (0, ""))),
    ):
        if answer:
            stated = f"{dwhere}, row {r}"
            assertions.append(Assertion("declarations", (sid,), fact, answer.lower(), sid, stated))
    changes = plan_and_apply(uow, Partial(net, where), label=ret.path, apply=apply)
    if apply:
        answered = None
        effective = ret.declaration.get("effective_date", (0, ""))[1]
        try:
            answered = date.fromisoformat(effective[:10]) if effective else None
        except ValueError:
            answered = None
        uow.surveys.add_response(
            SurveyResponse(sid, now, ret.path, ret.sha256, tuple(assertions), answered)
        )
    return AmrtReport(ret.path, sid, ret.version, smelter_ids, linked, notes, changes, tier.mines)
