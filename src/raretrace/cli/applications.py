"""`raretrace apply ...`: licence applications (draft, track, packet)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import output
from raretrace.cli.licence_options import By, Today, done, parse_at, parse_day
from raretrace.cli.options import AsJson, Db, open_workspace, who
from raretrace.domain.applications import DOC_KEYS, AppStatus, LicenceFace
from raretrace.domain.licences import (
    parse_money,
)
from raretrace.errors import InputError
from raretrace.services.licensing import packets
from raretrace.services.licensing.service import (
    ApplicationView,
    ItemInput,
)
from raretrace.workspace import Workspace

apply_app = typer.Typer(no_args_is_help=True, help="Licence applications: draft, track, packet.")


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
            contract_date=parse_day(contract_date, "--contract-date"),
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
            actor=who(by),
            as_of=parse_day(today, "--today"),
            face=face,
        )
        output.emit_json(v) if as_json else _render_application(v)


@apply_app.command("show")
def apply_show(
    application_id: int, today: Today = None, db: Db = None, as_json: AsJson = False
) -> None:
    """An application with its end-use chain, checklist and deadline."""
    with output.errors(), open_workspace(db) as ws:
        v = ws.licensing.application(application_id, today=parse_day(today, "--today"))
        output.emit_json(v) if as_json else _render_application(v)


@apply_app.command("list")
def apply_list(today: Today = None, db: Db = None, as_json: AsJson = False) -> None:
    """Every application with status, missing documents and deadline flags."""
    with output.errors(), open_workspace(db) as ws:
        views = ws.licensing.applications(today=parse_day(today, "--today"))
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
            application_id, status, actor=who(by), note=note, at=parse_at(at), force=force
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
                parse_day(contract_date, "--contract-date") if contract_date else None
            )
        if total_usd is not None:
            changes["total_usd"] = (
                parse_money(total_usd, where="--total-usd") if total_usd else None
            )
        if not changes:
            raise InputError("give at least one licence-face field to set")
        v = ws.licensing.set_face(application_id, actor=who(by), **changes)
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
        ws.licensing.attach(application_id, document, reference, actor=who(by))
        done(as_json, {"application_id": application_id, "document": document, "state": "attached"})


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
        ws.licensing.waive(application_id, document, reason, actor=who(by))
        done(as_json, {"application_id": application_id, "document": document, "state": "waived"})


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
        files = write_packet(ws, application_id, out, today=parse_day(today, "--today"))
        done(as_json, {"pdf": files[0], "xlsx": files[1]})


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
