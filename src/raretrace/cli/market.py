"""`raretrace prices ...` and `raretrace market ...`: price tables, what a price
scenario costs each product, and the road out of China (docs/market.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import output
from raretrace.cli.market_views import (
    render_exposure,
    render_horizon,
    render_market_demo,
    render_overview,
)
from raretrace.cli.options import (
    AsJson,
    Db,
    RatesFile,
    RatesId,
    exchange_rates,
    open_workspace,
    read_input,
    who,
)
from raretrace.errors import InputError
from raretrace.services.market.data import parse_projects_csv
from raretrace.services.market.scenario import load_price_scenario, shipped_scenarios

prices_app = typer.Typer(no_args_is_help=True, help="Price tables (per kg, by year) for market.")
market_app = typer.Typer(
    no_args_is_help=True, help="Price exposure of products and the horizon outside China."
)

PricesId = Annotated[
    int | None,
    typer.Option(
        "--prices-id",
        help="An imported price table (`raretrace prices list`); default: the shipped USGS series.",
        show_default=False,
    ),
]


@prices_app.command("import")
def import_(
    path: Annotated[Path, typer.Argument(help="Price CSV file (columns: docs/market.md).")],
    by: Annotated[
        str | None, typer.Option("--by", help="Who stores it (default: OS user).")
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Check a price CSV file and keep it in the workspace (all or nothing)."""
    with output.errors():
        data = read_input(path)
        with open_workspace(db) as ws:
            stored = ws.market.store_prices(data, path.name, actor=who(by))
        if as_json:
            output.emit_json(stored)
            return
        t = stored.table
        els = sorted({p.element for p in t.points})
        output.console.print(
            f"stored price table {stored.prices_id}: {len(t.points)} prices for "
            f"{', '.join(els)} ({output._escape(t.name)})"
        )


@prices_app.command("list")
def list_(
    shipped: Annotated[
        bool, typer.Option("--shipped", help="Show the shipped USGS series point by point.")
    ] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Imported price tables, newest first (or the shipped series with --shipped)."""
    with output.errors(), open_workspace(db) as ws:
        if shipped:
            table = ws.market.price_table(None)
            if as_json:
                output.emit_json(table)
                return
            rows = [
                (
                    p.element,
                    p.form,
                    p.year,
                    f"{p.price_per_kg:,.2f}",
                    p.currency,
                    "" if p.low is None else f"{p.low:g}-{p.high:g}",
                    p.derived or p.basis[:30],
                    p.ref,
                )
                for p in table.points
            ]
            c = output.console
            c.print(
                output.table(
                    table.name,
                    ["element", "form", "year", "price/kg", "cur", "range", "basis", "row"],
                    rows,
                )
            )
            for n in table.notes:
                c.print(f"[dim]{output._escape(n)}[/]")
            return
        tables = ws.market.stored_prices()
        if as_json:
            output.emit_json(tables)
            return
        rows2 = [
            (
                s.prices_id,
                output._escape(s.table.name),
                len(s.table.points),
                ", ".join(sorted({p.element for p in s.table.points})),
                f"{s.stored_at:%Y-%m-%d %H:%M} {s.stored_by}",
            )
            for s in tables
        ]
        output.console.print(
            output.table("Price tables", ["id", "file", "prices", "elements", "stored"], rows2)
        )


@market_app.command("exposure")
def exposure(
    scenario: Annotated[
        Path,
        typer.Option(
            "--scenario",
            help=f"Price scenario YAML, or a shipped one: {', '.join(shipped_scenarios())}.",
        ),
    ],
    product: Annotated[
        str | None, typer.Argument(help="Part id of the product (default: every product).")
    ] = None,
    prices_id: PricesId = None,
    rates: RatesFile = None,
    rates_id: RatesId = None,
    stock_days: Annotated[
        float | None,
        typer.Option(
            "--stock-days",
            help="Days of stock held (e.g. stock_days_needed from `raretrace simulate`): "
            "shows what holding it saves in the peak year.",
            min=0,
            max=3650,
        ),
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Rare-earth cost per unit and per plan year under a price scenario, the increase
    over the base year, the share of the product's value and the suppliers carrying it."""
    with output.errors():
        sc = load_price_scenario(scenario)
        if product is None:
            with open_workspace(db) as ws:
                o = ws.market.overview(sc, prices_id=prices_id)
            if as_json:
                output.emit_json(o)
                return
            render_overview(o)
            return
        with open_workspace(db) as ws:
            r = ws.market.exposure(
                product,
                sc,
                prices_id=prices_id,
                rates=exchange_rates(ws, rates, rates_id),
                stock_days=stock_days,
            )
        if as_json:
            output.emit_json(r)
            return
        render_exposure(r)


@market_app.command("horizon")
def horizon(
    product: Annotated[
        str | None, typer.Option("--product", help="One product (default: the whole plan).")
    ] = None,
    first_year: Annotated[
        int | None, typer.Option("--from", help="First year (default: this year).")
    ] = None,
    last_year: Annotated[
        int | None, typer.Option("--to", help="Last year (default: first + 10).")
    ] = None,
    projects: Annotated[
        Path | None,
        typer.Option(
            "--projects",
            help="Projects CSV replacing the shipped list (same columns; "
            "`raretrace market projects --out FILE` writes it to edit).",
        ),
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Capacity outside China by stage (mining, separation, metal, magnet) against your
    plan's need: the first year each stage could be sourced outside China."""
    with output.errors():
        plist = (
            None if projects is None else parse_projects_csv(read_input(projects), projects.name)
        )
        with open_workspace(db) as ws:
            r = ws.market.horizon(
                product=product,
                first_year=first_year,
                last_year=last_year,
                projects=plist,
                projects_file=None if projects is None else str(projects),
            )
        if as_json:
            output.emit_json(r)
            return
        render_horizon(r)


@market_app.command("history")
def history_(as_json: AsJson = False) -> None:
    """Dated market events (2011 spike, collapses, Mountain Pass, 2025 floor), sourced."""
    from raretrace.services.market.data import history

    with output.errors():
        rows = history()
        if as_json:
            output.emit_json(rows)
            return
        table = [
            (r["date"], output._escape(r["event"]), f"{r['reference']} ({r['grade']})",
             output._escape(r["source"]))
            for r in rows
        ]  # fmt: skip
        output.console.print(
            output.table("Rare-earth market history", ["date", "event", "ref", "source"], table)
        )


@market_app.command("scenarios")
def scenarios(as_json: AsJson = False) -> None:
    """The shipped price scenarios, their steps and where each figure comes from."""
    from raretrace.services.market.scenario import SCENARIOS

    with output.errors():
        found = [load_price_scenario(SCENARIOS / f"{n}.yaml") for n in shipped_scenarios()]
        if as_json:
            output.emit_json(found)
            return
        c = output.console
        for key, sc in zip(shipped_scenarios(), found, strict=True):
            c.print(f"[bold]{key}[/]: {output._escape(sc.name)} (base {sc.base_year}, "
                    f"{sc.first_year}-{sc.last_year}, {sc.form})")  # fmt: skip
            for st in sc.steps:
                c.print(f"  - {output._escape(st.label or type(st).__name__)}  "
                        f"[dim]{output._escape(st.source)}[/]")  # fmt: skip
            for a in sc.assumptions:
                c.print(f"  [dim]assumption: {output._escape(a)}[/]")


@market_app.command("projects")
def projects_(
    out: Annotated[
        Path, typer.Option("--out", help="Write the shipped projects CSV here to edit.")
    ],
) -> None:
    """Write the shipped list of projects outside China, to edit and pass back with
    `market horizon --projects FILE`."""
    from raretrace.services.market.data import DATA, PROJECTS_FILE

    with output.errors():
        if out.exists():
            raise InputError(f"{out} exists; choose another file")
        out.write_bytes((DATA / PROJECTS_FILE).read_bytes())
        output.console.print(f"wrote {out}")


__all__ = ["market_app", "prices_app", "render_market_demo", "render_overview"]
