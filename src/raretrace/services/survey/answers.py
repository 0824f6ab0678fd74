"""Turn a returned workbook's cells into a partial network and assertions."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import Network, SupplyLink, record_key
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.parts import CompositionLine, MagnetType, Part, PartKind
from raretrace.domain.surveys import (
    Assertion,
    SurveyRequest,
)
from raretrace.errors import InputError, Problem
from raretrace.services.formats import columns
from raretrace.services.formats.file_bounds import ProblemLog, TooManyProblems, clip
from raretrace.services.network.supplier_data import Partial
from raretrace.services.survey.layout import LICENCE, MAGNET, SOURCE_ROLES
from raretrace.services.survey.reader import RawSurvey

# --------------------------------------------------------------------------- interpret


@dataclass(slots=True)
class Answers:
    """One workbook turned into records and assertions."""

    path: str
    sha256: str
    supplier_party_id: str
    answered_on: date | None
    partial: Partial
    assertions: list[Assertion] = field(default_factory=list)


def _slug(name: str) -> str:
    s = re.sub(r"[^A-Za-z0-9]+", "-", name.upper()).strip("-")
    return s[:60] or "UNNAMED"


def _fmt(x: float) -> str:
    return f"{x:.6g}"


class _Builder:
    """Builds one workbook's partial network while collecting problems and assertions."""

    def __init__(self, raw: RawSurvey, stored: Network, problems: ProblemLog) -> None:
        self.raw = raw
        self.stored = stored
        self.problems = problems
        self.parties = {p.party_id: p for p in stored.parties}
        self.parts = {p.part_id: p for p in stored.parts}
        self.sites_of: dict[str, list[Site]] = {}
        for s in stored.sites:
            self.sites_of.setdefault(s.party_id, []).append(s)
        self.net = Network()
        self.where: dict[tuple[str, tuple[str, ...]], tuple[str, int | None]] = {}
        self.assertions: list[Assertion] = []
        self.supplier = ""
        self.records: dict[tuple[str, tuple[str, ...]], object] = {}

    def problem(self, where: str, row: int | None, col: str | None, msg: str) -> None:
        self.problems.append(Problem(where, row, col, msg))

    def put(self, table: str, rec: object, where: str, row: int) -> None:
        key = record_key(table, rec)
        self.records[(table, key)] = rec
        self.where[(table, key)] = (where, row)

    def say(
        self, table: str, key: tuple[str, ...], fld: str, value: str, where: str, row: int
    ) -> None:
        self.assertions.append(
            Assertion(table, key, fld, value, self.supplier, f"{where}, row {row}")
        )

    def parse(self, fn: Callable[[str], Any], text: str, where: str, row: int, col: str) -> Any:
        try:
            return fn(text)
        except ValueError as exc:
            self.problem(where, row, col, str(exc))
            return None

    def party_for(self, row: dict[str, str], where: str, i: int, role: str | None) -> Party | None:
        name, pid_text = row.get("company_name", ""), row.get("party_id", "")
        country = (
            self.parse(columns.country, row.get("country", ""), where, i, "country")
            if row.get("country")
            else None
        )
        if not name:
            self.problem(where, i, "company_name", "value is required")
        if not row.get("country"):
            self.problem(where, i, "country", "value is required")
        if not name or country is None:
            return None
        pid = self.parse(columns.ident, pid_text, where, i, "party_id") if pid_text else _slug(name)
        if pid is None:
            return None
        pending = self.records.get(("parties", (pid,)))
        old = pending if isinstance(pending, Party) else self.parties.get(pid)
        roles = tuple(old.roles) if old else ()
        if role and Role(role) not in roles:
            roles = (*roles, Role(role))
        party = (
            replace(old, roles=roles, country=country)
            if old
            else Party(pid, name, country, roles, notes=f"named in the survey of {self.supplier}")
        )
        # Optional filing particulars of a Chinese source (regime.md §9.6).
        name_zh = row.get("company_name_zh", "")
        uscc = self.parse(columns.uscc, row["uscc"], where, i, "uscc") if row.get("uscc") else ""
        if name_zh or uscc:
            party = replace(party, name_zh=name_zh or party.name_zh, uscc=uscc or party.uscc)
        self.put("parties", party, where, i)
        self.say("parties", (pid,), "country", country, where, i)
        if not self.sites_of.get(pid) and ("sites", (f"{pid}-S1",)) not in self.records:
            self.put("sites", Site(f"{pid}-S1", pid, name, country, row.get("city", "")), where, i)
        return party

    def site_of(self, pid: str) -> str:
        known = self.sites_of.get(pid)
        return known[0].site_id if known else f"{pid}-S1"


def parts_supplied(net: Network, supplier_party_id: str) -> set[str]:
    """The parts a supplier supplies in the buyer's records: supply links from its sites,
    or (when it has none) what its sites produce. The survey may answer only for these."""
    site_ids = {s.site_id for s in net.sites if s.party_id == supplier_party_id}
    parts = {lk.part_id for lk in net.supply if lk.supplier_site_id in site_ids}
    return parts or {pr.part_id for pr in net.production if pr.site_id in site_ids}


def _check_identity(
    b: _Builder, raw: RawSurvey, sid: str, requests: Sequence[SurveyRequest], where: str
) -> None:
    """``supplier_party_id`` must name a supplier the campaign's survey was sent to."""
    row_sid = raw.declaration.get("supplier_party_id", (None, ""))[0]
    campaign = raw.declaration.get("campaign", (None, ""))[1]
    sent = [r for r in requests if r.campaign == campaign] if campaign else list(requests)
    suppliers = sorted({r.supplier_party_id for r in sent})
    if sent and sid not in suppliers:
        listed = ", ".join(suppliers[:10]) + (" ..." if len(suppliers) > 10 else "")
        b.problem(
            where,
            row_sid,
            "answer",
            f"no survey{f' of campaign {clip(campaign)}' if campaign else ''} was sent to "
            f"{clip(sid)}: supplier_party_id must stay as it was sent (sent to: {listed})",
        )


def interpret(raw: RawSurvey, stored: Network, requests: Sequence[SurveyRequest] = ()) -> Answers:
    """Turn a workbook's cells into a partial network and assertions (located problems).
    ``requests``: the surveys sent; the declared supplier must be one they were sent to,
    and the Parts sheet may hold only parts that supplier supplies in ``stored``."""
    problems = ProblemLog()
    try:
        return _interpret(raw, stored, requests, problems)
    except TooManyProblems:
        raise InputError(
            f"{raw.path}: the survey has {len(problems)} problem(s)", problems.problems(raw.path)
        ) from None


def _interpret(
    raw: RawSurvey, stored: Network, requests: Sequence[SurveyRequest], problems: ProblemLog
) -> Answers:
    b = _Builder(raw, stored, problems)
    dwhere = f"{raw.path} [sheet Declaration]"
    row_sid, sid = raw.declaration.get("supplier_party_id", (None, ""))
    if not sid:
        b.problem(dwhere, row_sid, "answer", "supplier_party_id is required")
    elif sid not in b.parties:
        b.problem(dwhere, row_sid, "answer", f"unknown supplier {clip(sid)} (not in the workspace)")
    else:
        _check_identity(b, raw, sid, requests, dwhere)
    b.supplier = sid
    supplied = parts_supplied(stored, sid)
    answered_on: date | None = None
    row_d, d_text = raw.declaration.get("answer_date", (None, ""))
    if d_text:
        try:
            answered_on = date.fromisoformat(d_text[:10])
        except ValueError:
            b.problem(dwhere, row_d, "answer", f"{clip(d_text)} is not a date (YYYY-MM-DD)")
    for key in ("any_rare_earths", "chinese_export_licence", "licence_numbers"):
        row_k, value = raw.declaration.get(key, (0, ""))
        if value:
            b.say(
                "declarations",
                (sid,),
                key,
                value.lower() if key != "licence_numbers" else value,
                dwhere,
                row_k,
            )
    if problems:
        raise InputError(
            f"{raw.path}: the survey has {len(problems)} problem(s)", problems.problems(raw.path)
        )

    parts_sheet = raw.sheets["Parts"]
    sheet_parts: dict[str, dict[str, Any]] = {}
    for i, row in parts_sheet.rows:
        w = parts_sheet.label
        pid = row.get("part_id", "")
        if not pid:
            b.problem(w, i, "part_id", "value is required")
            continue
        if pid not in b.parts:
            b.problem(
                w, i, "part_id", f"unknown part {clip(pid)}: the survey covers the buyer's parts"
            )
            continue
        if pid not in supplied:
            b.problem(
                w,
                i,
                "part_id",
                f"{clip(sid)} does not supply part {clip(pid)} in the buyer's records: the "
                "answer may cover only that supplier's parts (was supplier_party_id changed?)",
            )
            continue
        if pid in sheet_parts:
            b.problem(w, i, "part_id", f"part {clip(pid)} is listed twice")
            continue
        info: dict[str, Any] = {"row": i}
        part = b.parts[pid]
        if row.get("part_mass_g"):
            g = b.parse(
                columns.number(low=0, low_open=True), row["part_mass_g"], w, i, "part_mass_g"
            )
            if g is not None:
                part = replace(part, mass_kg=g / 1000)
                b.say("parts", (pid,), "mass_kg", _fmt(g / 1000), w, i)
        if row.get("magnet_mass_g"):
            info["magnet_g"] = b.parse(
                columns.number(low=0, low_open=True), row["magnet_mass_g"], w, i, "magnet_mass_g"
            )
        mt = row.get("magnet_type", "").lower()
        if mt:
            if mt not in {"ndfeb", "smco", "none", "other"}:
                b.problem(
                    w,
                    i,
                    "magnet_type",
                    f"{clip(row['magnet_type'])} is not one of: {', '.join(MAGNET)}",
                )
            elif mt != "other":
                part = replace(part, magnet_type=MagnetType(mt))
                b.say("parts", (pid,), "magnet_type", mt, w, i)
        contains = row.get("contains_rare_earths", "").lower()
        if contains and contains not in {"yes", "no", "unknown"}:
            b.problem(
                w,
                i,
                "contains_rare_earths",
                f"{clip(row['contains_rare_earths'])} is not Yes, No or Unknown",
            )
        info["contains"] = contains
        lic = row.get("chinese_export_licence", "").lower()
        if lic and lic not in {v.lower() for v in LICENCE}:
            b.problem(
                w,
                i,
                "chinese_export_licence",
                f"{clip(row['chinese_export_licence'])} is not one of: {', '.join(LICENCE)}",
            )
        elif lic:
            b.say("licences", (sid, pid), "chinese_export_licence", lic, w, i)
            if lic == "yes" and not row.get("licence_number"):
                b.problem(
                    w, i, "licence_number", "give the licence number when shipping under a licence"
                )
        if row.get("licence_number"):
            b.say("licences", (sid, pid), "licence_number", row["licence_number"], w, i)
        info["part"] = part
        sheet_parts[pid] = info
        b.put("parts", part, w, i)

    content = raw.sheets["Content"]
    declared: dict[str, set[str]] = {}
    for i, row in content.rows:
        w = content.label
        pid = row.get("part_id", "")
        el = (
            b.parse(columns.element, row["element"], w, i, "element")
            if row.get("element")
            else None
        )
        if not row.get("element"):
            b.problem(w, i, "element", "value is required")
        if not pid:
            b.problem(w, i, "part_id", "value is required")
            continue
        if pid not in sheet_parts:
            b.problem(w, i, "part_id", f"part {clip(pid)} is not on the Parts sheet")
            continue
        if el is None:
            continue
        info = sheet_parts[pid]
        if info.get("contains") == "no" and el in RARE_EARTHS:
            b.problem(
                w, i, "element", f"Parts says {clip(pid)} has no rare earths, but {el} is listed"
            )
            continue
        given = [
            c for c in ("mass_g_per_unit", "percent_of_part", "percent_of_magnet") if row.get(c)
        ]
        if len(given) != 1:
            b.problem(
                w,
                i,
                "mass_g_per_unit",
                "give exactly one of mass_g_per_unit, percent_of_part, percent_of_magnet",
            )
            continue
        col = given[0]
        x = b.parse(
            columns.number(low=0, high=None if col == "mass_g_per_unit" else 100),
            row[col],
            w,
            i,
            col,
        )
        if x is None:
            continue
        part_mass_g = (info["part"].mass_kg or 0) * 1000
        if col == "percent_of_part":
            frac = x / 100
        elif col == "mass_g_per_unit":
            if not part_mass_g:
                b.problem(
                    w, i, col, f"part {clip(pid)} has no mass; give part_mass_g on the Parts sheet"
                )
                continue
            frac = x / part_mass_g
        else:
            magnet_g = info.get("magnet_g")
            if not magnet_g or not part_mass_g:
                b.problem(
                    w,
                    i,
                    col,
                    "percent_of_magnet needs magnet_mass_g and part_mass_g on the Parts sheet",
                )
                continue
            frac = x / 100 * magnet_g / part_mass_g
        if frac > 1:
            b.problem(w, i, col, f"that is {frac:.3g} of the part's mass, more than all of it")
            continue
        if el in declared.setdefault(pid, set()):
            b.problem(w, i, "element", f"{el} is listed twice for part {clip(pid)}")
            continue
        declared[pid].add(el)
        basis = row.get("basis", "")
        source = f"survey {sid}" + (f" ({basis})" if basis else "")
        b.put("composition", CompositionLine(pid, el, round(frac, 12), source), w, i)
        b.say("composition", (pid, el), "mass_fraction", _fmt(frac), w, i)
    # A part answered as rare-earth free (or with its rare earths listed) replaces
    # the stored rare-earth lines the answer no longer contains.
    for c in stored.composition:
        answered = sheet_parts.get(c.part_id)
        if answered is None or c.element not in RARE_EARTHS or c.mass_fraction <= 0:
            continue
        if answered.get("contains") == "no" or (
            c.part_id in declared and c.element not in declared[c.part_id]
        ):
            b.put(
                "composition",
                CompositionLine(c.part_id, c.element, 0.0, f"survey {sid}: none"),
                parts_sheet.label,
                answered["row"],
            )
            b.say(
                "composition",
                (c.part_id, c.element),
                "mass_fraction",
                "0",
                parts_sheet.label,
                answered["row"],
            )

    sources = raw.sheets["Sources"]
    for i, row in sources.rows:
        w = sources.label
        role = row.get("role", "")
        if role not in SOURCE_ROLES:
            b.problem(
                w,
                i,
                "role",
                f"{clip(role)} is not one of: {', '.join(SOURCE_ROLES)}"
                if role
                else "value is required",
            )
            continue
        pid = row.get("part_id", "")
        if pid and pid not in sheet_parts:
            b.problem(w, i, "part_id", f"part {clip(pid)} is not on the Parts sheet")
            continue
        party = b.party_for(row, w, i, role)
        if party is None:
            continue
        b.say("sources", (sid, pid, role), "party_id", party.party_id, w, i)
        lic = row.get("chinese_export_licence", "").lower()
        if lic:
            b.say("licences", (party.party_id, pid), "chinese_export_licence", lic, w, i)
        if row.get("licence_number"):
            b.say("licences", (party.party_id, pid), "licence_number", row["licence_number"], w, i)

    tier = raw.sheets["NextTier"]
    own_sites = [s.site_id for s in b.sites_of.get(sid, [])]
    for i, row in tier.rows:
        w = tier.label
        party = b.party_for(row, w, i, None)
        if party is None or not row.get("supplies_part_id"):
            continue
        part_id = b.parse(columns.ident, row["supplies_part_id"], w, i, "supplies_part_id")
        if part_id is None:
            continue
        if part_id not in b.parts and ("parts", (part_id,)) not in b.records:
            b.put(
                "parts",
                Part(
                    part_id,
                    row.get("supplies_part_name") or part_id,
                    PartKind.COMPONENT,
                    source=f"survey {sid}",
                ),
                w,
                i,
            )
        share = 1.0
        if row.get("share"):
            share = b.parse(
                columns.number(low=0, high=1, low_open=True), row["share"], w, i, "share"
            )
            if share is None:
                continue
        buyer = row.get("your_site_id", "")
        if not buyer:
            if len(own_sites) != 1:
                b.problem(
                    w,
                    i,
                    "your_site_id",
                    f"choose one of your sites: {', '.join(own_sites) or 'none known'}",
                )
                continue
            buyer = own_sites[0]
        elif buyer not in own_sites:
            b.problem(
                w,
                i,
                "your_site_id",
                f"{clip(buyer)} is not one of your sites ({', '.join(own_sites)})",
            )
            continue
        supplier_site = b.site_of(party.party_id)
        for site in b.sites_of.get(party.party_id, []):  # keep the site of a known link
            if any(
                lk.supplier_site_id == site.site_id
                and lk.part_id == part_id
                and lk.buyer_site_id == buyer
                for lk in stored.supply
            ):
                supplier_site = site.site_id
        link = SupplyLink(supplier_site, part_id, buyer, share)
        old = next(
            (lk for lk in stored.supply if record_key("supply", lk) == record_key("supply", link)),
            None,
        )
        if old is not None:
            link = replace(link, lead_time_days=old.lead_time_days)
        b.put("supply", link, w, i)
        b.say("supply", record_key("supply", link), "share", _fmt(share), w, i)
    if problems:
        raise InputError(
            f"{raw.path}: the survey has {len(problems)} problem(s)", problems.problems(raw.path)
        )
    for (table, _key), rec in b.records.items():
        getattr(b.net, table).append(rec)
    return Answers(raw.path, raw.sha256, sid, answered_on, Partial(b.net, b.where), b.assertions)
