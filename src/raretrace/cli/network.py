"""Commands on the supply network: init, import, export, show."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.tree import Tree

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.domain.elements import RARE_EARTHS
from raretrace.errors import NotFoundError

show_app = typer.Typer(no_args_is_help=True, help="Show parties, parts or a bill of materials.")


def init(db: Db = None, as_json: AsJson = False) -> None:
    """Create the workspace database (or bring its schema up to date)."""
    with output.errors(), open_workspace(db) as ws:
        info = {"database": ws.engine.url.render_as_string(), "revision": ws.revision()}
        if as_json:
            output.emit_json(info)
        else:
            output.console.print(f"Workspace ready: {info['database']}")


def import_(
    path: Annotated[Path, typer.Argument(help="Bundle folder of CSV files, or an .xlsx workbook.")],
    replace: Annotated[bool, typer.Option("--replace", help="Empty the network first.")] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Import a bundle: validate everything, then write it in one transaction."""
    with output.errors(), open_workspace(db) as ws:
        with output.console.status(f"Importing {path} ..."):
            report = ws.imports.import_bundle(path, replace=replace)
        if as_json:
            output.emit_json(report)
            return
        rows = [(t, n) for t, n in report.rows.items() if n]
        output.console.print(output.table(f"Imported {path}", ["table", "rows"], rows))
        output.console.print(f"Workspace revision {report.revision}.")


def export(
    path: Annotated[Path, typer.Argument(help="Folder for CSV files, or a file ending in .xlsx.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Export the network as a bundle (the same format `import` reads)."""
    with output.errors(), open_workspace(db) as ws:
        written = ws.imports.export_bundle(path)
        if as_json:
            output.emit_json({"written": written})
        else:
            for f in written:
                output.console.print(f"wrote {f}")


@show_app.command("parties")
def show_parties(db: Db = None, as_json: AsJson = False) -> None:
    """List parties with country, roles, ownership and military end-user flag."""
    with output.errors(), open_workspace(db) as ws:
        parties = ws.network().parties
        if as_json:
            output.emit_json(parties)
            return
        rows = [
            (p.party_id, p.name, p.country, ", ".join(r.value for r in p.roles),
             "yes" if p.military_end_user else "",
             f"{p.owner_party_id} ({p.ownership_pct:g}%)" if p.owner_party_id else "",
             p.branch_of_party_id or "")
            for p in parties
        ]  # fmt: skip
        cols = ["id", "name", "country", "roles", "military", "owner", "branch of"]
        output.console.print(output.table("Parties", cols, rows))


@show_app.command("parts")
def show_parts(db: Db = None, as_json: AsJson = False) -> None:
    """List parts with kind, form, magnet type, mass, value and declared rare earths."""
    with output.errors(), open_workspace(db) as ws:
        net = ws.network()
        declared: dict[str, list[str]] = {}
        for c in net.composition:
            if c.element in RARE_EARTHS and c.mass_fraction > 0:
                declared.setdefault(c.part_id, []).append(f"{c.element} {c.mass_fraction:.2%}")
        if as_json:
            output.emit_json(net.parts)
            return
        rows = [
            (p.part_id, p.name, p.kind.value, p.form.value, p.magnet_type.value,
             "" if p.mass_kg is None else f"{p.mass_kg:g}",
             "" if p.unit_value is None else f"{p.unit_value} {p.currency}",
             ", ".join(declared.get(p.part_id, [])))
            for p in net.parts
        ]  # fmt: skip
        cols = ["id", "name", "kind", "form", "magnet", "mass kg", "value", "declared RE"]
        output.console.print(output.table("Parts", cols, rows))


@show_app.command("bom")
def show_bom(
    part: Annotated[str, typer.Argument(help="Part id whose bill of materials to show.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Show the multi-level bill of materials of a part."""
    with output.errors(), open_workspace(db) as ws:
        net = ws.network()
        names = {p.part_id: p.name for p in net.parts}
        if part not in names:
            raise NotFoundError(f"no part {part!r} in the workspace")
        children: dict[str, list[tuple[str, float]]] = {}
        for b in net.bom:
            children.setdefault(b.parent_part_id, []).append((b.child_part_id, b.quantity))

        def explode(pid: str, qty: float, depth: int) -> dict[str, object]:
            kids = sorted(children.get(pid, []))
            return {
                "part_id": pid, "name": names[pid], "quantity": qty, "level": depth,
                "children": [explode(c, q, depth + 1) for c, q in kids],
            }  # fmt: skip

        tree_data = explode(part, 1.0, 0)
        if as_json:
            output.emit_json(tree_data)
            return
        root = Tree(f"[bold]{part}[/] {names[part]}")

        def add(node: Tree, data: dict[str, object]) -> None:
            for kid in data["children"]:  # type: ignore[attr-defined]
                branch = node.add(f"{kid['quantity']:g} x [bold]{kid['part_id']}[/] {kid['name']}")
                add(branch, kid)

        add(root, tree_data)
        output.console.print(root)
