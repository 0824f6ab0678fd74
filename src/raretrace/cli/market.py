"""`raretrace prices ...` and `raretrace market ...`: price tables, what a price
scenario costs each product, and the road out of China (docs/market.md)."""

from __future__ import annotations

import getpass
import math
from pathlib import Path
from typing import Annotated, Any

import typer

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, RatesFile, RatesId, exchange_rates, open_workspace
from raretrace.errors import InputError
from raretrace.services.market_data import parse_projects_csv
from raretrace.services.market_scenario import load_price_scenario, shipped_scenarios

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


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except Exception:  # pragma: no cover - no user database
        return "unknown"


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


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
        data = _read(path)
        with open_workspace(db) as ws:
            stored = ws.store_prices(data, path.name, actor=_who(by))
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
            table = ws.price_table(None)
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
        tables = ws.stored_prices()
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


def _money(v: float | None, cur: str = "") -> str:
    return "-" if v is None else f"{v:,.2f}{(' ' + cur) if cur else ''}"


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
                o = ws.market_overview(sc, prices_id=prices_id)
            if as_json:
                output.emit_json(o)
                return
            render_overview(o)
            return
        with open_workspace(db) as ws:
            r = ws.market_exposure(
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


def render_overview(o: Any) -> None:
    c = output.console
    rows = [
        (x.node, "-" if x.units_per_year is None else f"{x.units_per_year:,.0f}",
         _money(x.base_cost_per_unit), x.peak_year, _money(x.cost_per_unit[x.peak_year]),
         _money(x.increase_per_unit),
         "-" if x.increase_pct is None else f"{x.increase_pct:+.0f}%",
         _money(x.increase_per_year))
        for x in o.rows
    ]  # fmt: skip
    title = f"{o.scenario}: rare-earth cost per unit of every product ({o.currency})"
    cols = ["product node", "units/yr", str(o.base_year), "peak", "cost/unit", "increase", "%",
            "increase/yr"]  # fmt: skip
    c.print(output.table(title, cols, rows))
    total = _money(o.increase_per_year_total, o.currency)
    c.print(f"Increase in the peak years over the plan: {total}")
    for n in o.notes:
        c.print(f"[dim]{output._escape(n)}[/]")


def render_exposure(r: Any, *, suppliers: int = 10) -> None:
    c = output.console
    cur = r.currency
    els = list(r.content_kg)
    c.print(
        f"[bold]{output._escape(r.product)}[/]: scenario [bold]{output._escape(r.scenario.name)}[/]"
        f" ({r.form} prices in {cur}/kg; base year {r.base_year}; units/yr "
        f"{'-' if r.units_per_year is None else f'{r.units_per_year:,.0f}'})"
    )
    rows = [
        (
            y.year,
            _money(y.cost_per_unit),
            _money(y.increase_per_unit),
            "-" if y.increase_pct is None else f"{y.increase_pct:+.0f}%",
            "-" if y.share_of_value is None else f"{100 * y.share_of_value:.2f}%",
            _money(y.increase_per_year),
            *(_money(y.by_element[e]) for e in els),
        )
        for y in r.years
    ]
    title = f"Rare-earth cost per unit ({cur}; pass-through x{r.pass_through_multiplier:g})"
    c.print(
        output.table(
            title, ["year", "cost/unit", "increase", "%", "of value", "increase/yr", *els], rows
        )
    )
    if r.suppliers:
        srows = [
            (
                s.site,
                s.party,
                s.country,
                s.tier,
                _money(s.base_cost_per_year),
                _money(s.peak_cost_per_year),
                _money(s.increase_per_year),
            )
            for s in r.suppliers[:suppliers]
        ]
        c.print(
            output.table(
                f"Who carries it ({r.peak_year} vs {r.base_year}, {cur} per year of material)",
                ["site", "party", "country", "tier", "base", "peak", "increase"],
                srows,
            )
        )
    if r.stock:
        s = r.stock
        c.print(
            f"Holding {s['days']:g} days of stock "
            f"({_money(s['value_at_base'], cur)} at base prices) "
            f"avoids {_money(s['price_rise_avoided'], cur)} of the {s['year']} price rise."
        )
    if r.simulation_stock:
        krows = [
            (x["supplier"], x["part"], x["buyer"], f"{x['stock_days_needed']:.0f}",
             _money(x["value_at_base"]), _money(x["price_rise_avoided"]))
            for x in r.simulation_stock[:suppliers]
        ]  # fmt: skip
        c.print(
            output.table(
                f"Stock needed per {output._escape(str(r.simulation_run))}, valued ({cur})",
                ["supplier", "part", "buyer", "days needed", "value at base", "rise avoided"],
                krows,
            )
        )
    c.print("[bold]Illustrative figures and assumptions[/]")
    for line in r.illustrative:
        c.print(f"  - {output._escape(line)}")
    c.print(
        f"[dim]Network revision {r.provenance.revision}; prices: "
        f"{output._escape(str(r.provenance.parameters['prices']))}[/]"
    )


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
        plist = None if projects is None else parse_projects_csv(_read(projects), projects.name)
        with open_workspace(db) as ws:
            r = ws.market_horizon(
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


def _pct(v: float) -> str:
    return f"{math.floor(1000 * v) / 10:g}%"


def render_horizon(r: Any) -> None:
    c = output.console
    rows = []
    for s in r.stages:
        need = ", ".join(f"{k} {v:,.3g}" for k, v in s.need_t.items()) or "-"
        firsts = ", ".join(f"{k} {v or 'none'}" for k, v in s.first_year.items()) or "-"
        rows.append(
            (
                s.stage,
                need,
                s.unit,
                firsts,
                s.stage_first_year or "not by " + str(r.years[-1]),
                f"{_pct(s.covered_share[0])} -> {_pct(s.covered_share[-1])}",
                "-"
                if s.world_share is None
                else f"{100 * s.world_share[0]:.0f}% -> {100 * s.world_share[-1]:.0f}%",
            )
        )
    who = r.product or "the production plan"
    c.print(
        output.table(
            f"Road out of China for {who}, {r.years[0]}-{r.years[-1]}",
            [
                "stage",
                "your need / yr",
                "unit",
                "first year by element",
                "stage",
                "covered (first in line)",
                "pro-rata share (world line)",
            ],
            rows,
        )
    )
    for s in r.stages:
        c.print(f"  {output._escape(s.sentence)}")
        if s.china_summary:
            line = output._escape(s.china_summary)
            c.print(f"    [dim]China's share of {s.stage} (sourced): {line}[/]")
    c.print(
        f"[bold]Counted projects[/] ({len(r.projects)}): "
        + ", ".join(
            f"{p.project_id} ({p.stage}, {p.capacity_t:,.0f} {p.capacity_unit})" for p in r.projects
        )
    )
    c.print(
        f"[dim]Not counted ({len(r.not_counted)}, no capacity figure or counted=no): "
        + ", ".join(p.project_id for p in r.not_counted)
        + "[/]"
    )
    c.print("[bold]Assumptions and notes[/]")
    for a in [*r.assumptions, *r.notes]:
        c.print(f"  - {output._escape(a)}")


@market_app.command("history")
def history_(as_json: AsJson = False) -> None:
    """Dated market events (2011 spike, collapses, Mountain Pass, 2025 floor), sourced."""
    from raretrace.services.market_data import history

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
    from raretrace.services.market_scenario import SCENARIOS

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
    from raretrace.services.market_data import DATA, PROJECTS_FILE

    with output.errors():
        if out.exists():
            raise InputError(f"{out} exists; choose another file")
        out.write_bytes((DATA / PROJECTS_FILE).read_bytes())
        output.console.print(f"wrote {out}")


def render_market_demo(ws: Any) -> None:
    """`raretrace demo`: the 2011 replay on every planned product, and the EV's road
    out of China stage by stage."""
    from raretrace.analytics.matrices import PRODUCT

    c = output.console
    c.rule("[bold]Market: the 2011 price spike replayed, and the road out of China")
    sc = load_price_scenario(Path("replay-2011"))
    net = ws.tracing.engine().compiled.net
    planned = {r.part_id for r in ws.network().production}
    products = sorted(
        str(p) for p, k in zip(net.part_ids, net.part_kind, strict=True)
        if k == PRODUCT and str(p) in planned
    )  # fmt: skip
    rows = []
    for p in products:
        r = ws.market_exposure(p, sc)
        peak = max(r.years, key=lambda y: y.increase_per_unit)
        rows.append(
            (p, _money(r.years[0].cost_per_unit), f"{peak.year}", _money(peak.cost_per_unit),
             _money(peak.increase_per_unit),
             "-" if peak.increase_pct is None else f"{peak.increase_pct:+.0f}%",
             _money(peak.increase_per_year))
        )  # fmt: skip
    c.print(
        output.table(
            f"{sc.name}: rare-earth oxide cost per unit (USD, USGS prices, illustrative)",
            ["product", "cost/unit", "peak", "cost/unit", "increase", "%", "increase/yr"],
            rows,
        )
    )
    c.print(
        "[dim]Nd x2.0, Dy x19.5, Sm x24.0 in 2027 (regime.md §4; Pr follows Nd, an "
        "assumption); no 2010 prices in the USGS data. `raretrace market exposure PRODUCT "
        "--scenario replay-2011` shows the rest.[/]"
    )
    ev = next((p for p in products if "EV" in p.split("-")), products[0] if products else None)
    if ev is None:
        return
    h = ws.market_horizon(product=ev)
    hrows = [
        (s.stage, ", ".join(f"{k} {v:,.3g}" for k, v in s.need_t.items()) or "-", s.unit,
         s.stage_first_year or f"not by {h.years[-1]}",
         "-" if s.world_share is None else f"{100 * s.world_share[-1]:.0f}% by {h.years[-1]}")
        for s in h.stages
    ]  # fmt: skip
    c.print(
        output.table(
            f"{ev}: first year each stage could be sourced outside China (you first in line)",
            ["stage", "your need / yr", "unit", "first year", "pro-rata (world line)"],
            hrows,
        )
    )
    for s in h.stages:
        c.print(f"  {output._escape(s.sentence)}")
        if s.china_summary:
            c.print(f"    [dim]China's share (sourced): {output._escape(s.china_summary)}[/]")
    c.print(
        f"[dim]{len(h.projects)} projects counted, {len(h.not_counted)} without a capacity "
        "figure left out; ramps without a source are 2-year assumptions "
        "(`raretrace market horizon --projects FILE` to edit).[/]"
    )
