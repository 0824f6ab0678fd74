"""`raretrace licences ...`, `raretrace ship ...`, `raretrace ledger ...`."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import output
from raretrace.cli.licence_options import By, done, parse_day
from raretrace.cli.options import AsJson, Db, open_workspace, who
from raretrace.domain.ledger import licence_flags
from raretrace.domain.licences import (
    Licence,
    LicenceItem,
    LicenceType,
    check_currency,
    format_mass,
    licence_id_problem,
    parse_mass,
    parse_money,
)
from raretrace.errors import InputError, Problem
from raretrace.services.licensing.service import (
    LicenceView,
    ShipmentInput,
    ShipResult,
)

licences_app = typer.Typer(no_args_is_help=True, help="Export licences and their balances.")
ledger_app = typer.Typer(no_args_is_help=True, help="The append-only licence ledger.")


# -- licences ----------------------------------------------------------------------------


def _render_licence(v: LicenceView) -> None:
    lic = v.licence
    output.console.print(
        f"[bold]{lic.licence_id}[/] {lic.licence_type} · {lic.exporter} → {lic.importer} · "
        f"end users {', '.join(lic.end_users)} · to {', '.join(lic.destinations)} · "
        f"valid {lic.valid_from} to {lic.valid_to}" + (" · used" if v.used else "")
    )
    output.console.print(
        output.table(
            "Balances",
            ["item", "part", "issued", "drawn", "remaining", "value left"],
            [
                [
                    b.item_no,
                    b.part_id,
                    format_mass(b.issued_mg),
                    format_mass(b.drawn_mg),
                    format_mass(b.remaining_mg),
                    f"{b.remaining_value} {b.currency}",
                ]
                for b in v.balances
            ],
        )
    )
    for w in v.warnings:
        output.console.print(f"[yellow]warning:[/] {w}")


@licences_app.command("add")
def licences_add(
    licence_id: Annotated[str, typer.Argument(help="Licence number as issued.")],
    exporter: Annotated[str, typer.Option()],
    importer: Annotated[str, typer.Option()],
    end_user: Annotated[list[str], typer.Option(help="Named end user; repeat.")],
    destination: Annotated[list[str], typer.Option(help="Country code; repeat.")],
    valid_from: Annotated[str, typer.Option()],
    valid_to: Annotated[str, typer.Option()],
    part: Annotated[list[str], typer.Option(help="Part id per item; repeat.")],
    quantity: Annotated[list[str], typer.Option(help='Mass per item, e.g. "500 kg".')],
    value: Annotated[list[str], typer.Option(help="Value limit per item.")],
    currency: Annotated[str, typer.Option()] = "USD",
    control_code: Annotated[list[str] | None, typer.Option(help="Per item; repeat.")] = None,
    licence_type: Annotated[str, typer.Option("--type", help="single or general.")] = "single",
    application: Annotated[int | None, typer.Option(help="Application it answers.")] = None,
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Record a licence; its limits open the ledger (one issue entry per item)."""
    with output.errors():
        if why := licence_id_problem(licence_id):
            raise InputError(
                "the licence number cannot be used",
                [Problem("licences add", None, "LICENCE_ID", why)],
            )
    with output.errors(), open_workspace(db) as ws:
        if not len(part) == len(quantity) == len(value):
            raise InputError("give one --quantity and one --value per --part")
        codes = list(control_code or []) + [""] * len(part)
        if licence_type not in {t.value for t in LicenceType}:
            raise InputError(f"--type {licence_type!r}: use single or general")
        net_parts = {p.part_id: p.name for p in ws.network().parts}
        vf, vt = parse_day(valid_from, "--valid-from"), parse_day(valid_to, "--valid-to")
        assert vf is not None
        assert vt is not None
        cur = check_currency(currency)
        lic = Licence(
            licence_id=licence_id,
            licence_type=LicenceType(licence_type),
            exporter=exporter,
            importer=importer,
            end_users=tuple(end_user),
            destinations=tuple(d.upper() for d in destination),
            valid_from=vf,
            valid_to=vt,
            items=tuple(
                LicenceItem(
                    n,
                    p,
                    net_parts.get(p, ""),
                    codes[n - 1],
                    parse_mass(q, where=f"item {n} quantity", default_unit="kg"),
                    parse_money(val, where=f"item {n} value"),
                    cur,
                )
                for n, (p, q, val) in enumerate(zip(part, quantity, value, strict=True), 1)
            ),
            application_id=application,
        )
        v = ws.licensing.add_licence(lic, actor=who(by))
        output.emit_json(v) if as_json else _render_licence(v)


@licences_app.command("list")
def licences_list(
    today: Annotated[
        str | None, typer.Option("--today", help="Flags as of this day (default: today, CST).")
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Every licence with its remaining balance per item and its flags: used, exhausted,
    near exhaustion (< 10 % left), expired, not yet valid, near expiry (<= 30 days)."""
    with output.errors(), open_workspace(db) as ws:
        day = parse_day(today, "--today") or ws.clock.today()
        views = ws.licensing.licences()
        flags = {
            v.licence.licence_id: [
                f.value for f in licence_flags(v.licence, v.balances, v.used, day)
            ]
            for v in views
        }
        if as_json:
            output.emit_json(
                [{"licence": v, "flags": flags[v.licence.licence_id], "as_of": day} for v in views]
            )
            return
        rows = [
            [
                v.licence.licence_id if i == 0 else "",
                v.licence.licence_type if i == 0 else "",
                ", ".join(v.licence.end_users) if i == 0 else "",
                f"{v.licence.valid_from}..{v.licence.valid_to}" if i == 0 else "",
                b.part_id,
                format_mass(b.remaining_mg),
                f"{b.remaining_value} {b.currency}",
                ", ".join(flags[v.licence.licence_id]).replace("_", " ") if i == 0 else "",
            ]
            for v in views
            for i, b in enumerate(v.balances)
        ]
        output.console.print(
            output.table(
                f"Licences on {day}",
                [
                    "licence",
                    "type",
                    "end users",
                    "valid",
                    "part",
                    "remaining",
                    "value left",
                    "flags",
                ],
                rows,
            )
        )


@licences_app.command("show")
def licences_show(licence_id: str, db: Db = None, as_json: AsJson = False) -> None:
    """One licence and its balances."""
    with output.errors(), open_workspace(db) as ws:
        v = ws.licensing.licence(licence_id)
        output.emit_json(v) if as_json else _render_licence(v)


@licences_app.command("import")
def licences_import(
    csv_file: Annotated[Path, typer.Argument(help="CSV, one row per licensed item.")],
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Import existing licences from CSV (all or nothing; errors name row and column)."""
    with output.errors(), open_workspace(db) as ws:
        views = ws.licensing.import_licences(str(csv_file), actor=who(by))
        if as_json:
            output.emit_json(views)
        else:
            output.console.print(f"imported {len(views)} licences")


# -- ship --------------------------------------------------------------------------------

SHIP_COLUMNS = (
    "shipment_id",
    "licence_id",
    "part_id",
    "quantity",
    "value",
    "currency",
    "exporter",
    "consignee",
    "end_user",
    "destination",
    "shipped_on",
)


def _read_shipments(path: Path) -> list[tuple[ShipmentInput, str | None]]:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        missing = [c for c in SHIP_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(
                f"{path}: columns missing", [Problem(str(path), 1, c, "missing") for c in missing]
            )
        rows = list(reader)
    out, problems = [], []
    for n, r in enumerate(rows, 2):
        cell = {c: (r.get(c) or "").strip() for c in SHIP_COLUMNS}
        try:
            parse_mass(cell["quantity"], where="quantity", default_unit="kg")
            parse_money(cell["value"], where="value")
            check_currency(cell["currency"], where="currency")
            on = parse_day(cell["shipped_on"], "shipped_on") if cell["shipped_on"] else None
        except InputError as exc:
            col = str(exc).split(":", 1)[0]
            problems.append(Problem(str(path), n, col, str(exc).split("\n", 1)[0]))
            continue
        if not cell["shipment_id"]:
            problems.append(Problem(str(path), n, "shipment_id", "empty"))
        out.append(
            (
                ShipmentInput(
                    cell["shipment_id"],
                    cell["part_id"],
                    cell["quantity"],
                    cell["value"],
                    cell["currency"],
                    cell["exporter"],
                    cell["consignee"],
                    cell["end_user"],
                    cell["destination"],
                    on,
                ),
                cell["licence_id"] or None,
            )
        )
    if problems:
        raise InputError(f"{path}: shipments not booked", problems)
    return out


def ship(
    shipments: Annotated[list[str] | None, typer.Argument(help="Shipment id(s).")] = None,
    licence: Annotated[str | None, typer.Option(help="Licence to draw on.")] = None,
    part: Annotated[str | None, typer.Option()] = None,
    quantity: Annotated[str | None, typer.Option(help='Mass per shipment ("10 kg").')] = None,
    value: Annotated[str | None, typer.Option(help="Value per shipment.")] = None,
    currency: Annotated[str, typer.Option()] = "USD",
    exporter: Annotated[str, typer.Option()] = "",
    consignee: Annotated[str, typer.Option()] = "",
    end_user: Annotated[str, typer.Option()] = "",
    destination: Annotated[str, typer.Option()] = "",
    on: Annotated[str | None, typer.Option(help="Shipment date (default today).")] = None,
    why: Annotated[str, typer.Option(help="Reason kept on the entry.")] = "",
    from_csv: Annotated[Path | None, typer.Option("--csv", help="Shipments CSV.")] = None,
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Book shipments against a licence, or check that none is needed.

    Each SHIPMENT id is one shipment of --quantity. Rejected shipments are listed with
    their reasons and nothing is booked for them; the exit code is then 6."""
    with output.errors(), open_workspace(db) as ws:
        if from_csv is not None:
            todo = _read_shipments(from_csv)
        else:
            if not shipments or part is None or quantity is None or value is None:
                raise InputError("give SHIPMENT ids with --part, --quantity and --value, or --csv")
            d = parse_day(on, "--on")
            todo = [
                (
                    ShipmentInput(
                        s,
                        part,
                        quantity,
                        value,
                        currency,
                        exporter,
                        consignee,
                        end_user,
                        destination,
                        d,
                    ),
                    licence,
                )
                for s in shipments
            ]
        results: list[ShipResult] = [
            ws.licensing.ship(s, lic, actor=who(by), reason=why) for s, lic in todo
        ]
        if as_json:
            output.emit_json(results)
        else:
            rows = [
                [
                    r.shipment_id,
                    r.licence_id or "-",
                    f"already booked (entry {r.entry.entry_id})"
                    if r.duplicate and r.entry
                    else "booked"
                    if r.accepted and r.entry
                    else "no licence needed"
                    if r.accepted
                    else "REJECTED",
                    "; ".join(v.message for v in r.violations)
                    or (
                        f"remaining {format_mass(r.balance.remaining_mg)}"
                        if r.balance
                        else r.determination
                    ),
                ]
                for r in results
            ]
            output.console.print(
                output.table("Shipments", ["shipment", "licence", "result", "detail"], rows)
            )
        if any(not r.accepted for r in results):
            raise typer.Exit(6)


# -- ledger ------------------------------------------------------------------------------


@ledger_app.command("show")
def ledger_show(
    licence_id: Annotated[str | None, typer.Argument()] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Ledger entries (of one licence, or all), oldest first."""
    with output.errors(), open_workspace(db) as ws:
        entries = ws.licensing.ledger(licence_id)
        if as_json:
            output.emit_json(entries)
            return
        rows = [
            [
                e.entry_id,
                e.licence_id,
                e.item_no,
                e.kind,
                format_mass(e.mass_mg),
                f"{e.value} {e.currency}",
                e.shipment_id,
                e.shipped_on,
                e.destination,
                e.end_user,
                e.recorded_at.strftime("%Y-%m-%d %H:%M"),
                e.actor,
                e.reason,
                e.reverses or "",
            ]
            for e in entries
        ]
        output.console.print(
            output.table(
                "Ledger",
                [
                    "id",
                    "licence",
                    "item",
                    "kind",
                    "mass",
                    "value",
                    "shipment",
                    "shipped",
                    "dest",
                    "end user",
                    "recorded",
                    "who",
                    "why",
                    "reverses",
                ],
                rows,
            )
        )


@ledger_app.command("reverse")
def ledger_reverse(
    entry_id: int,
    why: Annotated[str, typer.Option("--why", help="Reason for the correction.")],
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Cancel a drawdown with a reversal entry (the drawdown itself stays)."""
    with output.errors(), open_workspace(db) as ws:
        e = ws.licensing.reverse(entry_id, actor=who(by), reason=why)
        if as_json:
            output.emit_json(e)
        else:
            output.console.print(f"entry {e.entry_id} reverses {entry_id}")


@ledger_app.command("export")
def ledger_export(
    path: Annotated[Path, typer.Argument(help="JSON-lines file to write.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Licences and every ledger entry as JSON lines (re-imports unchanged)."""
    with output.errors(), open_workspace(db) as ws:
        n = ws.licensing.export_ledger(str(path))
        done(as_json, {"path": str(path), "lines": n})


@ledger_app.command("import")
def ledger_import(
    path: Annotated[Path, typer.Argument(help="A `ledger export` file.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Load a ledger export into this workspace (all or nothing)."""
    with output.errors(), open_workspace(db) as ws:
        dump = ws.licensing.import_ledger(str(path))
        done(as_json, {"licences": len(dump.licences), "entries": len(dump.entries)})


# -- demo --------------------------------------------------------------------------------
