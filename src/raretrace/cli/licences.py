"""`raretrace apply ...`, `raretrace licences ...`, `raretrace ship ...`, `raretrace ledger ...`."""

from __future__ import annotations

import csv
import getpass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.domain.applications import DOC_KEYS, AppStatus, LicenceFace
from raretrace.domain.clock import CHINA_TZ
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
from raretrace.services import packets
from raretrace.services.licensing import (
    ApplicationView,
    ItemInput,
    LicenceView,
    ShipmentInput,
    ShipResult,
)
from raretrace.workspace import Workspace

apply_app = typer.Typer(no_args_is_help=True, help="Licence applications: draft, track, packet.")
licences_app = typer.Typer(no_args_is_help=True, help="Export licences and their balances.")
ledger_app = typer.Typer(no_args_is_help=True, help="The append-only licence ledger.")

By = Annotated[str | None, typer.Option("--by", help="Who does this (default: OS user).")]
Today = Annotated[
    str | None, typer.Option("--today", help="Date for deadlines (YYYY-MM-DD; default today).")
]


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database
        return "unknown"


def _date(text: str | None, where: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{where}: {text!r} is not a date (YYYY-MM-DD)") from None


def _at(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise InputError(f"--at: {text!r} is not a date or time (ISO 8601)") from None
    # A time without a zone is China Standard Time, the regime's business time.
    return at.replace(tzinfo=CHINA_TZ) if at.tzinfo is None else at


# -- apply -------------------------------------------------------------------------------


def _render_application(v: ApplicationView) -> None:
    a, d = v.application, v.deadline
    rows = [[en + " / " + zh, val or packets.BLANK] for en, zh, val in packets.fields(v)]
    output.console.print(output.table(f"Application {a.application_id}", ["field", "value"], rows))
    output.console.print(
        output.table(
            "Items", ["no.", "item", "control code", "quantity", "value"], packets.item_rows(v)
        )
    )
    first = a.items[0]
    output.console.print(
        output.table(
            f"End-use chain of {first.part_id}",
            ["path", "per product", "products/yr", "units/yr", "kg/yr"],
            packets.chain_rows(v),
        )
    )
    output.console.print(
        output.table(
            "Checklist",
            ["document", "state", "reference"],
            [
                [
                    f"{r.kind.key} — {r.kind.label_zh} / {r.kind.label_en}",
                    f"{r.state.label_zh} / {r.state.value}",
                    r.reference,
                ]
                for r in v.checklist
            ],
        )
    )
    if v.blocking:
        output.console.print(f"[bold]Blocks submission:[/] {', '.join(v.blocking)}")
    if d.due_on:
        flag = " [red]OVERDUE[/]" if d.overdue else " [yellow]due soon[/]" if d.due_soon else ""
        est = " (estimated: holiday arrangement not yet published)" if d.estimated else ""
        output.console.print(
            f"Review deadline: {d.due_on} = {d.working_days} working days after {d.submitted_on}; "
            f"{d.remaining} working days left{flag}{est}"
        )
    else:
        output.console.print(f"Review clock: {d.working_days} working days once submitted")
    output.console.print(f"[dim]{d.note}[/]")
    for w in v.warnings:
        output.console.print(f"[yellow]check:[/] {w}")


@apply_app.command("create")
def apply_create(
    exporter: Annotated[str, typer.Option(help="Exporter site or party id.")],
    importer: Annotated[str, typer.Option(help="Importer (consignee) site or party id.")],
    part: Annotated[list[str], typer.Option(help="Part id; repeat for several items.")],
    quantity: Annotated[list[str], typer.Option(help='Mass per item, e.g. "500 kg".')],
    value: Annotated[list[str], typer.Option(help="Value per item.")],
    currency: Annotated[str, typer.Option(help="ISO currency of the values.")] = "USD",
    end_user: Annotated[str | None, typer.Option(help="End user (default: importer).")] = None,
    destination: Annotated[str | None, typer.Option(help="Country code.")] = None,
    contract: Annotated[str, typer.Option(help="Contract reference.")] = "",
    end_use: Annotated[str, typer.Option(help="Declared end use.")] = "",
    licence_type: Annotated[
        str, typer.Option("--type", help="single (单项许可) or general (通用许可).")
    ] = "single",
    hs: Annotated[
        list[str] | None,
        typer.Option(help="HS code (商品编码) per item; default: the part's hs_code."),
    ] = None,
    spec: Annotated[
        list[str] | None, typer.Option(help="Specification/model (规格/型号) per item.")
    ] = None,
    contract_date: Annotated[
        str | None, typer.Option(help="Contract signing date (合同签字日期), YYYY-MM-DD.")
    ] = None,
    trade_mode: Annotated[str, typer.Option(help="Trade mode (贸易方式).")] = "",
    port: Annotated[str, typer.Option(help="Port of declaration (报关口岸).")] = "",
    payment: Annotated[str, typer.Option(help="Payment (付款方式).")] = "",
    transport: Annotated[str, typer.Option(help="Transport (运输方式).")] = "",
    consignor: Annotated[str, typer.Option(help="Consignor (发货人), if not the exporter.")] = "",
    consignee: Annotated[str, typer.Option(help="Consignee (收货人); default: importer.")] = "",
    total_usd: Annotated[
        str | None,
        typer.Option(help="Total value in USD (总值折美元), when values are not in USD."),
    ] = None,
    today: Today = None,
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Draft an application; fills control codes, the end-use chain and the checklist.
    Licence-face fields not given print as 待填写 in the packet."""
    with output.errors(), open_workspace(db) as ws:
        if not len(part) == len(quantity) == len(value):
            raise InputError("give one --quantity and one --value per --part")
        hs_codes, specs = list(hs or []), list(spec or [])
        for name, given in (("--hs", hs_codes), ("--spec", specs)):
            if given and len(given) != len(part):
                raise InputError(f"give one {name} per --part (or none)")
        face = LicenceFace(
            trade_mode=trade_mode.strip(),
            port_of_declaration=port.strip(),
            payment=payment.strip(),
            transport=transport.strip(),
            consignor=consignor.strip(),
            consignee=consignee.strip(),
            contract_date=_date(contract_date, "--contract-date"),
            total_usd=None if total_usd is None else parse_money(total_usd, where="--total-usd"),
        )
        v = ws.licensing.create_application(
            exporter=exporter,
            importer=importer,
            end_user=end_user,
            destination=destination,
            items=[
                ItemInput(
                    p,
                    q,
                    val,
                    currency,
                    hs_codes[n] if hs_codes else "",
                    specs[n] if specs else "",
                )
                for n, (p, q, val) in enumerate(zip(part, quantity, value, strict=True))
            ],
            contract_ref=contract,
            end_use=end_use,
            licence_type=licence_type,
            actor=_who(by),
            as_of=_date(today, "--today"),
            face=face,
        )
        output.emit_json(v) if as_json else _render_application(v)


@apply_app.command("show")
def apply_show(
    application_id: int, today: Today = None, db: Db = None, as_json: AsJson = False
) -> None:
    """An application with its end-use chain, checklist and deadline."""
    with output.errors(), open_workspace(db) as ws:
        v = ws.licensing.application(application_id, today=_date(today, "--today"))
        output.emit_json(v) if as_json else _render_application(v)


@apply_app.command("list")
def apply_list(today: Today = None, db: Db = None, as_json: AsJson = False) -> None:
    """Every application with status, missing documents and deadline flags."""
    with output.errors(), open_workspace(db) as ws:
        views = ws.licensing.applications(today=_date(today, "--today"))
        if as_json:
            output.emit_json(
                [
                    {
                        "application_id": v.application.application_id,
                        "status": v.application.status,
                        "end_user": v.application.end_user,
                        "missing": v.blocking,
                        "deadline": v.deadline,
                    }
                    for v in views
                ]
            )
            return
        rows = []
        for v in views:
            d = v.deadline
            flag = "OVERDUE" if d.overdue else "due soon" if d.due_soon else ""
            rows.append(
                [
                    v.application.application_id,
                    v.application.status,
                    v.application.end_user,
                    len(v.blocking),
                    d.due_on,
                    flag,
                ]
            )
        output.console.print(
            output.table(
                "Applications", ["id", "status", "end user", "missing docs", "due", "flag"], rows
            )
        )


@apply_app.command("status")
def apply_status(
    application_id: int,
    status: Annotated[AppStatus, typer.Argument(help="New status.")],
    note: Annotated[str, typer.Option(help="Why (kept in the history).")] = "",
    at: Annotated[str | None, typer.Option(help="When it happened (default now, UTC).")] = None,
    force: Annotated[bool, typer.Option(help="Submit with documents missing.")] = False,
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Record a status change (who and when are kept)."""
    with output.errors(), open_workspace(db) as ws:
        v = ws.licensing.set_status(
            application_id, status, actor=_who(by), note=note, at=_at(at), force=force
        )
        if as_json:
            output.emit_json(v.application.history)
        else:
            output.console.print(f"application {application_id}: {v.application.status}")


@apply_app.command("face")
def apply_face(
    application_id: int,
    contract_date: Annotated[
        str | None, typer.Option(help="Contract signing date (合同签字日期), YYYY-MM-DD.")
    ] = None,
    trade_mode: Annotated[str | None, typer.Option(help="Trade mode (贸易方式).")] = None,
    port: Annotated[str | None, typer.Option(help="Port of declaration (报关口岸).")] = None,
    payment: Annotated[str | None, typer.Option(help="Payment (付款方式).")] = None,
    transport: Annotated[str | None, typer.Option(help="Transport (运输方式).")] = None,
    consignor: Annotated[str | None, typer.Option(help="Consignor (发货人).")] = None,
    consignee: Annotated[str | None, typer.Option(help="Consignee (收货人).")] = None,
    total_usd: Annotated[
        str | None, typer.Option(help="Total value in USD (总值折美元); '' clears it.")
    ] = None,
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Fill in licence-face fields of a draft (those not given stay as they are; an empty
    value clears one, which the packet then prints as 待填写)."""
    with output.errors(), open_workspace(db) as ws:
        changes: dict[str, str | date | Decimal | None] = {
            k: v
            for k, v in {
                "trade_mode": trade_mode,
                "port_of_declaration": port,
                "payment": payment,
                "transport": transport,
                "consignor": consignor,
                "consignee": consignee,
            }.items()
            if v is not None
        }
        if contract_date is not None:
            changes["contract_date"] = (
                _date(contract_date, "--contract-date") if contract_date else None
            )
        if total_usd is not None:
            changes["total_usd"] = (
                parse_money(total_usd, where="--total-usd") if total_usd else None
            )
        if not changes:
            raise InputError("give at least one licence-face field to set")
        v = ws.licensing.set_face(application_id, actor=_who(by), **changes)
        output.emit_json(v) if as_json else _render_application(v)


@apply_app.command("attach")
def apply_attach(
    application_id: int,
    document: Annotated[str, typer.Argument(help="One of: " + ", ".join(DOC_KEYS))],
    reference: Annotated[str, typer.Argument(help="File path or reference.")],
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Mark a checklist document as attached."""
    with output.errors(), open_workspace(db) as ws:
        ws.licensing.attach(application_id, document, reference, actor=_who(by))
        _done(
            as_json, {"application_id": application_id, "document": document, "state": "attached"}
        )


@apply_app.command("waive")
def apply_waive(
    application_id: int,
    document: Annotated[str, typer.Argument(help="One of: " + ", ".join(DOC_KEYS))],
    reason: Annotated[str, typer.Option("--why", help="Why it is not needed.")],
    by: By = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Mark a checklist document as waived, with the reason."""
    with output.errors(), open_workspace(db) as ws:
        ws.licensing.waive(application_id, document, reason, actor=_who(by))
        _done(as_json, {"application_id": application_id, "document": document, "state": "waived"})


def _done(as_json: bool, payload: dict[str, object]) -> None:
    if as_json:
        output.emit_json(payload)
    else:
        output.console.print(" ".join(f"{k}={v}" for k, v in payload.items()))


@apply_app.command("packet")
def apply_packet(
    application_id: int,
    out: Annotated[Path, typer.Option("--out", "-o", help="Folder for the files.")] = Path("."),
    today: Today = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Write the packet PDF (with end-user certificate) and an editable XLSX into
    --out (created if missing)."""
    with output.errors(), open_workspace(db) as ws:
        files = write_packet(ws, application_id, out, today=_date(today, "--today"))
        _done(as_json, {"pdf": files[0], "xlsx": files[1]})


def write_packet(
    ws: Workspace, application_id: int, out: Path, *, today: date | None = None
) -> tuple[Path, Path]:
    if out.exists() and not out.is_dir():
        raise InputError(f"--out: {out} exists and is not a folder")
    v = ws.licensing.application(application_id, today=today)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"--out: cannot create the folder {out} ({exc.strerror})") from None
    pdf = packets.write_pdf(
        v,
        out / f"application-{application_id}.pdf",
        generated_at=ws.clock.now(),
        font_path=ws.settings.cjk_font_path,
    )
    return pdf, packets.write_xlsx(v, out / f"application-{application_id}.xlsx")


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
        vf, vt = _date(valid_from, "--valid-from"), _date(valid_to, "--valid-to")
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
        v = ws.licensing.add_licence(lic, actor=_who(by))
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
        day = _date(today, "--today") or ws.clock.today()
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
        views = ws.licensing.import_licences(str(csv_file), actor=_who(by))
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
            on = _date(cell["shipped_on"], "shipped_on") if cell["shipped_on"] else None
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
            d = _date(on, "--on")
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
            ws.licensing.ship(s, lic, actor=_who(by), reason=why) for s, lic in todo
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
        e = ws.licensing.reverse(entry_id, actor=_who(by), reason=why)
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
        _done(as_json, {"path": str(path), "lines": n})


@ledger_app.command("import")
def ledger_import(
    path: Annotated[Path, typer.Argument(help="A `ledger export` file.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Load a ledger export into this workspace (all or nothing)."""
    with output.errors(), open_workspace(db) as ws:
        dump = ws.licensing.import_ledger(str(path))
        _done(as_json, {"licences": len(dump.licences), "entries": len(dump.entries)})


# -- demo --------------------------------------------------------------------------------


def render_licence_demo(ws: Workspace, today: date, out_dir: Path) -> Path:
    """Draft an application for one sample shipment (Dy-NdFeB EPS magnets from Hengda,
    CN, to Harzfeld's EPS plant in Poland), show checklist and deadline, write the PDF.

    Needs the sample world loaded in ``ws``. Returns the packet PDF path."""
    v = ws.licensing.create_application(
        exporter="S-HEN-CN-BT",
        importer="HARZFELD",
        end_user="S-HAR-PL-KAT",
        # HS 8505111000: Dy-containing NdFeB magnets (regime.md §9.1 row 9).
        items=[ItemInput("MAG-EPS", "1500 kg", "95000.00", "USD", hs_code="8505111000")],
        contract_ref="",
        end_use="Rotor magnets for electric power steering motors",
        licence_type="single",
        actor="demo",
        as_of=today,
    )
    app_id = v.application.application_id
    assert app_id is not None
    ws.licensing.attach(app_id, "technical_spec", "MAG-EPS datasheet (sample)", actor="demo")
    v = ws.licensing.application(app_id, today=today)
    output.console.rule("Licence application (issue 6)")
    _render_application(v)
    pdf, _ = write_packet(ws, app_id, out_dir, today=today)
    output.console.print(f"packet: {pdf}")
    return pdf
