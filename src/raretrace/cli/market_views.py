"""How `raretrace market ...` and the demo print market results (Rich tables)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from raretrace.cli import output
from raretrace.services.market.scenario import load_price_scenario


def _money(v: float | None, cur: str = "") -> str:
    return "-" if v is None else f"{v:,.2f}{(' ' + cur) if cur else ''}"


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
        r = ws.market.exposure(p, sc)
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
    h = ws.market.horizon(product=ev)
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
