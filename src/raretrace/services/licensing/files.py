"""Files in and out of the licence ledger: licence CSV import, ledger JSON-lines dump.

Licence CSV: one row per licensed item; rows with the same ``licence_id`` form one
licence and must agree on its header columns. Lists (``end_users``, ``destinations``)
are separated by ``;``. Quantities are mass text ("500 kg"; a bare number is kg).

Ledger dump: one JSON object per line, ``{"type": "licence", ...}`` lines first, then
``{"type": "entry", ...}`` in entry order. Masses are integers (mg), values strings
(exact decimals), times ISO 8601 UTC, so a dump re-imports unchanged.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from raretrace.domain.ledger import EntryKind, LedgerEntry
from raretrace.domain.licences import (
    Licence,
    LicenceItem,
    LicenceType,
    check_currency,
    parse_mass,
    parse_money,
)
from raretrace.errors import InputError, Problem

LICENCE_COLUMNS = (
    "licence_id",
    "licence_type",
    "exporter",
    "importer",
    "end_users",
    "destinations",
    "valid_from",
    "valid_to",
    "part_id",
    "description",
    "control_code",
    "quantity",
    "value",
    "currency",
)
_HEADER = LICENCE_COLUMNS[:8]


def _date(text: str, where: str, row: int, col: str, problems: list[Problem]) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems.append(Problem(where, row, col, f"{text!r} is not a date (YYYY-MM-DD)"))
        return None


def read_licences_csv(path: str) -> list[tuple[int, Licence]]:
    """(first row number, licence) per licence; ``InputError`` lists every bad cell."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    with p.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in LICENCE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(
                f"{path}: columns missing", [Problem(path, 1, c, "missing") for c in missing]
            )
        rows = list(reader)
    problems: list[Problem] = []
    groups: dict[str, tuple[int, dict[str, str], list[tuple[int, dict[str, str]]]]] = {}
    for n, r in enumerate(rows, 2):
        lid = (r["licence_id"] or "").strip()
        if not lid:
            problems.append(Problem(path, n, "licence_id", "empty"))
            continue
        if lid in groups:
            first_n, head, items = groups[lid]
            for c in _HEADER:
                if (r[c] or "").strip() != (head[c] or "").strip():
                    problems.append(Problem(path, n, c, f"differs from row {first_n}"))
            items.append((n, r))
        else:
            groups[lid] = (n, r, [(n, r)])
    out = []
    for lid, (n, head, items) in groups.items():
        kind = (head["licence_type"] or "").strip().lower()
        if kind not in {t.value for t in LicenceType}:
            problems.append(Problem(path, n, "licence_type", f"{kind!r}: use single or general"))
            kind = "general"
        vf = _date(head["valid_from"] or "", path, n, "valid_from", problems)
        vt = _date(head["valid_to"] or "", path, n, "valid_to", problems)
        lic_items = []
        for i, (rn, r) in enumerate(items, 1):
            try:
                lic_items.append(
                    LicenceItem(
                        item_no=i,
                        part_id=(r["part_id"] or "").strip(),
                        description=(r["description"] or "").strip(),
                        control_code=(r["control_code"] or "").strip(),
                        mass_mg=parse_mass(
                            r["quantity"] or "", where="quantity", default_unit="kg"
                        ),
                        value=parse_money(r["value"] or "", where="value"),
                        currency=check_currency(r["currency"] or "", where="currency"),
                    )
                )
            except InputError as exc:
                col = str(exc).split(":", 1)[0]
                problems.append(Problem(path, rn, col, str(exc).split("\n", 1)[0]))
            if not (r["part_id"] or "").strip():
                problems.append(Problem(path, rn, "part_id", "empty"))
        if vf is None or vt is None:
            continue
        out.append(
            (
                n,
                Licence(
                    licence_id=lid,
                    licence_type=LicenceType(kind),
                    exporter=(head["exporter"] or "").strip(),
                    importer=(head["importer"] or "").strip(),
                    end_users=_split(head["end_users"]),
                    destinations=tuple(c.upper() for c in _split(head["destinations"])),
                    valid_from=vf,
                    valid_to=vt,
                    items=tuple(lic_items),
                ),
            )
        )
    if problems:
        raise InputError(f"{path}: licences not imported", problems)
    return out


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x.strip() for x in (text or "").split(";") if x.strip())


@dataclass(frozen=True, slots=True)
class LedgerDump:
    licences: list[Licence]
    entries: list[LedgerEntry]


def _licence_json(lic: Licence) -> dict[str, Any]:
    return {
        "type": "licence",
        "licence_id": lic.licence_id,
        "licence_type": lic.licence_type.value,
        "exporter": lic.exporter,
        "importer": lic.importer,
        "end_users": list(lic.end_users),
        "destinations": list(lic.destinations),
        "valid_from": lic.valid_from.isoformat(),
        "valid_to": lic.valid_to.isoformat(),
        "application_id": lic.application_id,
        "notes": lic.notes,
        "items": [
            {
                "item_no": i.item_no,
                "part_id": i.part_id,
                "description": i.description,
                "control_code": i.control_code,
                "mass_mg": i.mass_mg,
                "value": str(i.value),
                "currency": i.currency,
            }
            for i in lic.items
        ],
    }


def _entry_json(e: LedgerEntry) -> dict[str, Any]:
    return {
        "type": "entry",
        "entry_id": e.entry_id,
        "licence_id": e.licence_id,
        "item_no": e.item_no,
        "kind": e.kind.value,
        "mass_mg": e.mass_mg,
        "value": str(e.value),
        "currency": e.currency,
        "shipment_id": e.shipment_id,
        "shipped_on": e.shipped_on.isoformat() if e.shipped_on else None,
        "destination": e.destination,
        "end_user": e.end_user,
        "recorded_at": e.recorded_at.isoformat(),
        "actor": e.actor,
        "reason": e.reason,
        "reverses": e.reverses,
    }


def write_ledger_jsonl(dump: LedgerDump, path: str) -> int:
    lines = [_licence_json(lic) for lic in dump.licences]
    lines += [_entry_json(e) for e in dump.entries]
    with Path(path).open("w", encoding="utf-8", newline="\n") as fh:
        for obj in lines:
            fh.write(json.dumps(obj, ensure_ascii=False, sort_keys=True) + "\n")
    return len(lines)


def read_ledger_jsonl(path: str) -> LedgerDump:
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{path}: no such file")
    lics: list[Licence] = []
    entries: list[LedgerEntry] = []
    problems: list[Problem] = []
    for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = json.loads(line)
            if o["type"] == "licence":
                lics.append(
                    Licence(
                        licence_id=o["licence_id"],
                        licence_type=LicenceType(o["licence_type"]),
                        exporter=o["exporter"],
                        importer=o["importer"],
                        end_users=tuple(o["end_users"]),
                        destinations=tuple(o["destinations"]),
                        valid_from=date.fromisoformat(o["valid_from"]),
                        valid_to=date.fromisoformat(o["valid_to"]),
                        items=tuple(
                            LicenceItem(
                                i["item_no"],
                                i["part_id"],
                                i["description"],
                                i["control_code"],
                                int(i["mass_mg"]),
                                Decimal(i["value"]),
                                i["currency"],
                            )
                            for i in o["items"]
                        ),
                        application_id=o["application_id"],
                        notes=o["notes"],
                    )
                )
            elif o["type"] == "entry":
                at = datetime.fromisoformat(o["recorded_at"])
                if at.tzinfo is None:
                    raise ValueError("recorded_at has no time zone")
                entries.append(
                    LedgerEntry(
                        entry_id=int(o["entry_id"]),
                        licence_id=o["licence_id"],
                        item_no=int(o["item_no"]),
                        kind=EntryKind(o["kind"]),
                        mass_mg=int(o["mass_mg"]),
                        value=Decimal(o["value"]),
                        currency=o["currency"],
                        shipment_id=o["shipment_id"],
                        shipped_on=date.fromisoformat(o["shipped_on"]) if o["shipped_on"] else None,
                        destination=o["destination"],
                        end_user=o["end_user"],
                        recorded_at=at,
                        actor=o["actor"],
                        reason=o["reason"],
                        reverses=o["reverses"],
                    )
                )
            else:
                raise ValueError(f"unknown type {o['type']!r}")
        except (ValueError, KeyError, TypeError, ArithmeticError) as exc:
            problems.append(Problem(path, n, None, f"{type(exc).__name__}: {exc}"))
    if problems:
        raise InputError(f"{path}: not a raretrace ledger export", problems)
    known = {lic.licence_id for lic in lics}
    for e in entries:
        if e.licence_id not in known:
            problems.append(Problem(path, None, None, f"entry {e.entry_id}: licence missing"))
    if problems:
        raise InputError(f"{path}: not a raretrace ledger export", problems)
    return LedgerDump(lics, entries)
