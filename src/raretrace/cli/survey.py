"""Supplier data exchange: `raretrace survey ...` and `raretrace ipc1752 ...`."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.domain.parties import Role
from raretrace.errors import InputError
from raretrace.services.network.supplier_data import ChangeSet
from raretrace.services.survey import SurveyReport
from raretrace.workspace import Workspace

survey_app = typer.Typer(no_args_is_help=True, help="Rare-earth supplier surveys (Excel).")
ipc_app = typer.Typer(no_args_is_help=True, help="IPC-1752A material declarations (XML).")

#: The filled-in example shipped with the sample world.
EXAMPLE_SURVEY = "example_answer.xlsx"


def render_changes(changes: ChangeSet, limit: int = 60, hint: str = "use --apply to write") -> None:
    c = output.console
    if not changes.changes:
        c.print(f"No changes ({changes.unchanged} record(s) already as stated).")
        return
    rows = [(t, a.get("add", 0), a.get("update", 0)) for t, a in changes.counts().items()]
    c.print(output.table("What the answers change", ["table", "add", "update"], rows))
    for ch in changes.changes[:limit]:
        c.print(f"  {escape(ch.describe())}")
    if len(changes.changes) > limit:
        c.print(f"  ... and {len(changes.changes) - limit} more")
    if changes.applied:
        c.print(f"[green]Applied.[/] Workspace revision {changes.revision}.")
    else:
        c.print(f"Nothing written ({hint}).")


def render_survey_report(report: SurveyReport) -> None:
    c = output.console
    c.print(f"Read {len(report.files)} file(s) from {', '.join(report.suppliers)}.")
    if report.conflicts:
        c.print(
            f"[bold yellow]{len(report.conflicts)} conflict(s) between suppliers "
            "(held back, not merged):[/]"
        )
        for conflict in report.conflicts:
            c.print(f"  - {escape(conflict.describe())}")
    render_changes(report.changes)


@survey_app.command("make")
def make(
    supplier: Annotated[str, typer.Argument(help="Party id of the supplier to survey.")],
    out: Annotated[Path | None, typer.Option("--out", help="Workbook to write.")] = None,
    campaign: Annotated[str, typer.Option(help="Campaign name.")] = "rare-earths",
    due_days: Annotated[int, typer.Option(help="Days until the answer is due.")] = 30,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Write a pre-filled survey workbook for one supplier and track it in the campaign."""
    path = out or Path(f"survey-{supplier}.xlsx")
    with output.errors(), open_workspace(db) as ws:
        request = ws.surveys.make(supplier, path, campaign=campaign, due_days=due_days)
        if as_json:
            output.emit_json(request)
        else:
            output.console.print(f"wrote {path} (due {request.due_date.isoformat()})")


@survey_app.command("read")
def read(
    paths: Annotated[list[Path], typer.Argument(help="Returned survey workbook(s).")],
    apply: Annotated[bool, typer.Option("--apply", help="Write the answers.")] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Validate returned workbooks, show what they change and conflicts; --apply writes."""
    with output.errors(), open_workspace(db) as ws:
        report = ws.surveys.read(paths, apply=apply)
        if as_json:
            output.emit_json(report)
        else:
            render_survey_report(report)


@survey_app.command("amrt-make")
def amrt_make(
    supplier: Annotated[str, typer.Argument(help="Party id of the supplier.")],
    out: Annotated[Path | None, typer.Option("--out", help="Workbook to write.")] = None,
    due_days: Annotated[int, typer.Option(help="Days until the answer is due.")] = 30,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Write a pre-filled AMRT (RMI AMRT 1.3 layout, Rare Earth Elements) for a supplier."""
    path = out or Path(f"amrt-{supplier}.xlsx")
    with output.errors(), open_workspace(db) as ws:
        request = ws.surveys.make_amrt(supplier, path, due_days=due_days)
        if as_json:
            output.emit_json(request)
        else:
            output.console.print(f"wrote {path} (due {request.due_date.isoformat()})")


@survey_app.command("amrt-read")
def amrt_read(
    path: Annotated[Path, typer.Argument(help="Returned AMRT workbook (.xlsx).")],
    supplier: Annotated[
        str | None,
        typer.Option(help="Supplier party id (default: the AMRT's Company Unique ID)."),
    ] = None,
    apply: Annotated[bool, typer.Option("--apply", help="Write the answers.")] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Read an RMI AMRT return: rare-earth smelters and mines become sites with their
    country and the supplier's parts gain the smelter (and mine) tier; CMRT/EMRT files
    are named and refused."""
    with output.errors(), open_workspace(db) as ws:
        report = ws.surveys.read_amrt(path, supplier=supplier, apply=apply)
        if as_json:
            output.emit_json(report)
            return
        c = output.console
        version = f" {report.version}" if report.version else ""
        c.print(
            f"AMRT{version} from {report.supplier_party_id}: "
            f"{len(report.smelters)} rare-earth smelter(s)"
            + (f", {len(report.mines)} mine(s)." if report.mines else ".")
        )
        for line in report.linked:
            c.print(f"  linked {escape(line)}")
        for note in report.notes:
            c.print(f"  note: {escape(note)}")
        render_changes(report.changes)


@survey_app.command("status")
def status(db: Db = None, as_json: AsJson = False) -> None:
    """Which suppliers were surveyed, which answered, which are overdue."""
    with output.errors(), open_workspace(db) as ws:
        rows = ws.surveys.campaign()
        if as_json:
            output.emit_json(rows)
            return
        table = [
            (
                r.campaign,
                r.supplier_party_id,
                r.supplier_name,
                r.sent_at.date().isoformat(),
                r.due_date.isoformat(),
                r.status.value,
                r.answered_at.date().isoformat() if r.answered_at else "",
                r.days_overdue or "",
            )
            for r in rows
        ]
        cols = ["campaign", "supplier", "name", "sent", "due", "status", "answered", "days late"]
        output.console.print(output.table("Survey campaign", cols, table))


@ipc_app.command("import")
def ipc_import(
    path: Annotated[Path, typer.Argument(help="IPC-1752A Class C or D XML file.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only show the changes.")] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Import a material declaration into parts, composition and BOM lines."""
    with output.errors(), open_workspace(db) as ws:
        result = ws.imports.import_declaration(path, apply=not dry_run)
        if as_json:
            output.emit_json(result)
            return
        output.console.print(
            f"Class {result.declaration_class} declaration from "
            f"{result.supplier or 'an unnamed supplier'}: {result.products} product(s)."
        )
        for item, name, cas in result.unmapped[:20]:
            output.console.print(f"  unmapped substance in {item}: {name} ({cas or 'no CAS'})")
        for item, note in result.notes[:20]:
            output.console.print(f"  note on {item}: {note}")
        render_changes(result.changes, hint="run it again without --dry-run to write")


@ipc_app.command("export")
def ipc_export(
    part: Annotated[str, typer.Argument(help="Part id to declare.")],
    out: Annotated[Path, typer.Option("--out", help="XML file to write.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Export a part's composition as an IPC-1752A Class D declaration."""
    with output.errors(), open_workspace(db) as ws:
        written = ws.imports.export_declaration(part, out)
        if as_json:
            output.emit_json({"written": written})
        else:
            output.console.print(f"wrote {written}")


def example_survey_path() -> Path:
    """The filled-in example survey shipped with the sample world."""
    with as_file(files("raretrace.sample") / "surveys" / EXAMPLE_SURVEY) as p:
        return Path(p)


def demo_supplier(ws: Workspace) -> str | None:
    """A sample supplier worth surveying: a component maker that supplies parts."""
    net = ws.network()
    supplying = {
        s.party_id for s in net.sites if any(lk.supplier_site_id == s.site_id for lk in net.supply)
    }
    for role in (Role.COMPONENT_MAKER, Role.MAGNET_MAKER):
        for p in net.parties:
            if role in p.roles and p.party_id in supplying:
                return p.party_id
    return next(iter(sorted(supplying)), None)


def render_exchange_demo(ws: Workspace, out_dir: Path) -> dict[str, Any]:
    """Demo step: write a survey for one sample supplier and read back the shipped,
    filled-in example (preview only, nothing written to the network)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    c = output.console
    c.rule("[bold]Supplier data exchange: rare-earth survey")
    result: dict[str, Any] = {}
    supplier = demo_supplier(ws)
    if supplier is None:
        c.print("No supplier in the workspace to survey.")
        return result
    path = out_dir / f"survey-{supplier}.xlsx"
    request = ws.surveys.make(supplier, path, campaign="demo")
    c.print(f"Survey for {supplier} written to {path} (due {request.due_date.isoformat()}).")
    result["survey"] = str(path)
    example = example_survey_path()
    try:
        report = ws.surveys.read([example], apply=False)
    except InputError as exc:
        c.print(f"[yellow]The shipped example does not fit this workspace:[/] {exc}")
        result["example_problems"] = len(exc.problems)
        return result
    c.print(f"Reading back the filled-in example {example.name}:")
    render_survey_report(report)
    result["example_changes"] = len(report.changes.changes)
    return result
