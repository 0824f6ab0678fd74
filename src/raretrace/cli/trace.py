"""`raretrace trace`, `where-used` and `exposure`: the tracing engine on the command line."""

from __future__ import annotations

import csv
import sys
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from typing import Annotated, Any

import typer

from raretrace.analytics.where_used import Direction
from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, RatesFile, RatesId, exchange_rates, open_workspace
from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS, RARE_EARTHS
from raretrace.services.formats.formula_guard import csv_row
from raretrace.services.tracing.reports import (
    DataQuality,
    ExposureResult,
    TraceResult,
    WhereUsedResult,
)
from raretrace.workspace import Workspace

AsOf = Annotated[
    datetime | None,
    typer.Option(
        "--as-of",
        formats=["%Y-%m-%d"],
        help="Date the answer is for (recorded in the result; rule packs will use it).",
    ),
]
AsCsv = Annotated[bool, typer.Option("--csv", help="Print CSV instead of tables.")]
Elements = Annotated[
    str,
    typer.Option(
        "--controlled",
        help="Comma-separated controlled elements (default: MOFCOM/GAC Announcement 18).",
    ),
]
_DEFAULT_CONTROLLED = ",".join(ANNOUNCEMENT_18_ELEMENTS)


def _day(value: datetime | None) -> date | None:
    return value.date() if value else None


def _elements(text: str) -> tuple[str, ...]:
    return tuple(e.strip() for e in text.split(",") if e.strip())


def _csv(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(csv_row(header))
    out.writerows(csv_row(r) for r in rows)  # no live formulas in a spreadsheet


def _g(kg: float) -> str:
    return f"{kg:.4g}"


def trace(
    product: Annotated[str, typer.Argument(help="Part id of the product (or any part).")],
    site: Annotated[str | None, typer.Option(help="Only the node at this site.")] = None,
    controlled: Elements = _DEFAULT_CONTROLLED,
    origin_country: Annotated[
        str, typer.Option(help="Origin whose value share is reported.")
    ] = "CN",
    as_of: AsOf = None,
    rates: RatesFile = None,
    rates_id: RatesId = None,
    db: Db = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Rare-earth content per unit of PRODUCT, where it comes from, and value shares."""
    with output.errors(), open_workspace(db) as ws:
        result = ws.tracing.trace(
            product,
            site=site,
            controlled=_elements(controlled),
            origin_country=origin_country.upper(),
            as_of=_day(as_of),
            rates=exchange_rates(ws, rates, rates_id),
        )
        if as_json:
            output.emit_json(result)
        elif as_csv:
            _csv(
                ["site", "part", "element", "kg_per_unit", "origin_country", "origin_party",
                 "origin_site", "share"],
                [(n.site, n.part, e, o.kg_per_unit, o.country, o.party, o.site, o.share)
                 for n in result.nodes for e, shares in n.origin.items() for o in shares],
            )  # fmt: skip
        else:
            render_trace(result)


def render_trace(result: TraceResult) -> None:
    c = output.console
    for n in result.nodes:
        plan = f"{n.units_per_year:g}/yr" if n.units_per_year is not None else "no plan"
        rows = []
        for e, shares in n.origin.items():
            split = ", ".join(f"{s.share:.0%} {s.country} ({s.party})" for s in shares[:4])
            more = f" +{len(shares) - 4}" if len(shares) > 4 else ""
            ctrl = "yes" if e in result.controlled else ""
            year = _g(n.content_kg[e] * n.units_per_year) if n.units_per_year else "-"
            rows.append((e, ctrl, _g(n.content_kg[e]), year, split + more))
        title = f"{n.part} at {n.site} ({n.party}, {n.country}), {plan}"
        cols = ["element", "controlled", "kg/unit", "kg/yr", "origin (entry point)"]
        c.print(output.table(title, cols, rows))
        share = n.controlled_value_share
        origin_share = n.origin_value_share
        c.print(
            f"Controlled content {_g(n.controlled_kg)} kg/unit; controlled inputs "
            f"{'n/a' if share is None else f'{share:.3%}'} of unit value, from "
            f"{result.origin_country}: {'n/a' if origin_share is None else f'{origin_share:.3%}'}"
            + (f" (values in {n.value_currency})" if share is not None and n.value_currency else "")
        )
        if n.unknown_inputs_per_unit:
            c.print(
                f"[yellow]Incomplete:[/] {n.unknown_inputs_per_unit:g} input units per unit "
                "have no declared composition (content is a lower bound)."
            )
    used = result.provenance.parameters.get("rates")
    if used:
        c.print(
            f"Values converted to {used['base']} with rates of {used['as_of']} "
            f"({output._escape(str(used['source']))})."
        )
    elif any(n.controlled_value_share is None for n in result.nodes):
        c.print(
            "Value shares are n/a where a value is missing or inputs are priced in "
            "another currency: give --rates FILE.csv (or --rates-id) to convert them."
        )
    render_quality(result.quality)


def render_quality(q: DataQuality) -> None:
    c = output.console
    if q.unknown_content_parts:
        named = ", ".join(q.unknown_content_parts[:8])
        more = " ..." if len(q.unknown_content_parts) > 8 else ""
        c.print(
            f"[yellow]Unknown content:[/] {len(q.unknown_content_parts)} part(s) without a "
            f"declared composition ({named}{more}); {q.unknown_content_nodes} node(s) affected."
        )
    for line in q.partially_sourced[:5]:
        c.print(f"[yellow]Partially sourced:[/] {line}; shares normalised")
    if q.declared_above_bom_nodes:
        named = "; ".join(q.declared_above_bom[:5])
        more = " ..." if q.declared_above_bom_nodes > 5 else ""
        c.print(
            f"[yellow]Declared above BOM:[/] {q.declared_above_bom_nodes} node(s) declare more "
            f"than their BOM explains, counted as entering there ({named}{more})."
        )


def where_used(
    query: Annotated[str, typer.Argument(help="A part, site or party id.")],
    up: Annotated[
        bool, typer.Option("--up", help="Upstream instead: everything that goes into it.")
    ] = False,
    limit: Annotated[int, typer.Option(help="Most paths to list.")] = 50,
    rows: Annotated[
        int,
        typer.Option(
            "--rows",
            min=0,
            help="Most nodes the table lists (0: all); the rest are counted by tier. "
            "--json and --csv always give every node.",
        ),
    ] = 200,
    as_of: AsOf = None,
    db: Db = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Every product and site downstream of a part, site or party, with paths."""
    with output.errors(), open_workspace(db) as ws:
        direction = Direction.UP if up else Direction.DOWN
        table_only = not (as_json or as_csv) and rows > 0  # the table lists `rows` nodes
        result = ws.tracing.where_used(
            query,
            direction=direction,
            limit=limit,
            as_of=_day(as_of),
            max_rows=rows if table_only else None,
        )
        if as_json:
            output.emit_json(result)
        elif as_csv:
            _csv(
                ["tier", "site", "party", "country", "part", "quantity"],
                [(r.tier, r.site, r.party, r.country, r.part, r.quantity) for r in result.rows],
            )
        else:
            render_where_used(result, rows=rows)


#: Products or entry points named after the table; the rest are counted.
NAMED_ENDS = 50


def render_where_used(result: WhereUsedResult, rows: int = 200) -> None:
    """The reached nodes (the first ``rows`` of them, 0 = all, the rest counted by
    tier), the products or entry points, and the paths."""
    c = output.console
    what = "uses" if result.direction == "down" else "goes into"
    qty = "units of query per unit" if result.direction == "down" else "units per unit of query"
    shown = result.rows if rows == 0 else result.rows[:rows]
    table_rows = [(r.tier, r.site, r.party, r.country, r.part, _g(r.quantity)) for r in shown]
    n = result.total_rows
    c.print(
        output.table(
            f"What {what} {result.matched} {result.query} ({n:,} nodes)",
            ["tier", "site", "party", "country", "part", qty],
            table_rows,
        )
    )
    if len(shown) < n:
        cut = Counter(result.tier_counts)
        cut.subtract(Counter(r.tier for r in shown))
        cut = +cut
        tiers = ", ".join(f"tier {t}: {k:,}" for t, k in sorted(cut.items()))
        c.print(
            f"[yellow]Not listed:[/] {n - len(shown):,} more node(s) ({tiers}). "
            "Raise --rows (0 = all), or use --json / --csv for every node."
        )
    label = "Products" if result.direction == "down" else "Entry points"
    ends = result.ends[:NAMED_ENDS]
    more = f" ... and {len(result.ends) - len(ends):,} more" if len(result.ends) > len(ends) else ""
    c.print(f"{label} ({len(result.ends):,}): {', '.join(ends) or '-'}{more}")
    path_rows = [(" -> ".join(p.nodes), _g(p.quantity)) for p in result.paths]
    more = " (truncated)" if result.paths_truncated else ""
    c.print(output.table(f"Paths{more}", ["path (tier by tier)", "quantity"], path_rows))


def exposure(
    product: Annotated[str | None, typer.Argument(help="Product part id (default: all).")] = None,
    controlled: Elements = _DEFAULT_CONTROLLED,
    country: Annotated[
        str, typer.Option("--country", help="Only suppliers in this country (ISO alpha-2).")
    ] = "",
    element: Annotated[
        str, typer.Option("--element", help="Only suppliers handling this rare earth.")
    ] = "",
    max_tier: Annotated[
        int | None, typer.Option("--max-tier", min=0, help="Only tiers up to this (0 = maker).")
    ] = None,
    search: Annotated[
        str, typer.Option("--search", help="Substring of site, party (id or name) or part.")
    ] = "",
    as_of: AsOf = None,
    db: Db = None,
    as_json: AsJson = False,
    as_csv: AsCsv = False,
) -> None:
    """Ranked suppliers, at every tier, handling controlled rare earths (kg per year).

    --country, --element, --max-tier and --search filter like the web app's suppliers
    page (ranks are kept)."""
    from raretrace.services.tracing.supplier_filter import SupplierFilter, filter_exposure

    with output.errors(), open_workspace(db) as ws:
        result = ws.tracing.exposure(product, controlled=_elements(controlled), as_of=_day(as_of))
        f = SupplierFilter(country=country, element=element, max_tier=max_tier, q=search)
        if f != SupplierFilter():
            names = {p.party_id: p.name for p in ws.network().parties} if search else {}
            result = filter_exposure(result, f, names)
        if as_json:
            output.emit_json(result)
        elif as_csv:
            els = list(result.controlled)
            _csv(
                ["rank", "site", "party", "country", "tier", "parts", *[f"{e}_kg_per_year"
                 for e in els], "total_kg_per_year", "products"],
                [(r.rank, r.site, r.party, r.country, r.tier, ";".join(r.parts),
                  *[r.kg_per_year.get(e, 0.0) for e in els], r.total_kg_per_year,
                  ";".join(r.products or [])) for r in result.rows],
            )  # fmt: skip
        else:
            render_exposure(result)


def render_exposure(result: ExposureResult, limit: int = 40) -> None:
    c = output.console
    els = [e for e in result.controlled if any(e in r.kg_per_year for r in result.rows)]
    rows = [
        (r.rank, r.tier, r.site, r.party, r.country, ", ".join(r.parts[:3]),
         *[_g(r.kg_per_year.get(e, 0.0)) for e in els], ", ".join(r.products or ["?"]))
        for r in result.rows[:limit]
    ]  # fmt: skip
    title = f"Supplier exposure: {result.product or 'all products'} (kg per year)"
    cols = ["#", "tier", "site", "party", "country", "parts", *els, "products"]
    c.print(output.table(title, cols, rows))
    if len(result.rows) > limit:
        c.print(f"... {len(result.rows) - limit} more (use --csv or --json for all)")
    if result.unplanned_products:
        c.print(f"[yellow]No production plan:[/] {', '.join(result.unplanned_products)}")
    render_quality(result.quality)


def render_tracing(ws: Workspace, ev: str | None = None) -> None:
    """The demo's tracing step: content and origin per product, exposure of the EV."""
    c = output.console
    totals = ws.tracing.plan_totals()
    shown = [e for e in RARE_EARTHS if any(v.get(e, 0) > 0 for v in totals.kg_per_year.values())]
    rows = [(node, _g(totals.plan[node]), *[_g(kg.get(e, 0.0)) for e in shown])
            for node, kg in totals.kg_per_year.items()]  # fmt: skip
    c.print(output.table("Rare earths per product (kg per year)", ["product", "units/yr", *shown],
                         rows))  # fmt: skip
    products = sorted({node.split("/", 1)[1] for node in totals.plan})
    for product in products:
        render_trace(ws.tracing.trace(product))
    target = ev or next((p for p in products if "EV" in p.upper()), None)
    if target:
        render_exposure(ws.tracing.exposure(target))
