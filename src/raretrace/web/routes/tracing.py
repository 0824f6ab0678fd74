"""Tracing and classification views: the analysis on a part page (rolled-up content,
origin shares, value shares, where-used both ways, the verdict with its reasons, as of a
date) and the Sankey of one element's flow from the mines to a product.

The part page itself is routed in ``routes.parts``; it calls ``part_analysis`` here.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import numpy as np
from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse

from raretrace.analytics.where_used import Direction
from raretrace.domain.currency import StoredRates
from raretrace.domain.elements import RARE_EARTHS
from raretrace.errors import NotFoundError
from raretrace.rules import Determination, RuleBook, SuspensionPolicy
from raretrace.services.classification import use_cases as classification
from raretrace.services.classification.facts import facts_of
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.tracing.reports import PathRow, WhereUsedResult
from raretrace.web import charts, sankey_chart
from raretrace.web.deps import CacheDep, IndexCache, IndexDep, Viewer, WorkspaceDep, render
from raretrace.web.routes.rates import rates_public
from raretrace.web.schemas import (
    DeterminationPublic,
    PartAnalysisPublic,
    SankeyLinkPublic,
    SankeyNodePublic,
    SankeyPublic,
    TracePublic,
    WhereUsedPublic,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["tracing"])
api = APIRouter(tags=["tracing"])

PartId = Annotated[str, Path(title="Part id", description="A product's part number.")]
ElementQ = Annotated[
    str, Query(max_length=3, description="Rare-earth symbol; default: the largest by mass.")
]
PATHS_SHOWN = 40
PATHS_LOOKED_AT = 1000


def rule_book(cache: IndexCache, ws: Workspace, idx: NetworkIndex) -> RuleBook:
    """The compiled rule book, kept with the other per-revision views."""
    return cache.derived(idx, "rule-book", lambda _i: ws.rules.rule_book())


def determination_public(d: Determination) -> DeterminationPublic:
    return DeterminationPublic.model_validate(
        {
            "subject": d.subject,
            "as_of": d.as_of,
            "policy": d.policy.value,
            "outcome": d.outcome.value,
            "control_codes": list(d.control_codes),
            "uncertain": d.uncertain,
            "uncertain_reasons": list(d.uncertain_reasons),
            "notes": list(d.notes),
            "reasons": [
                {
                    "rule_id": r.rule_id,
                    "pack": r.pack,
                    "title": r.title,
                    "outcome": r.outcome.value,
                    "considered": r.considered,
                    "fired": r.fired,
                    "detail": r.detail,
                    "inputs": {k: _jsonable(v) for k, v in r.inputs.items()},
                    "citation": r.citation,
                    "control_codes": list(r.control_codes),
                    "uncertain": r.uncertain,
                    "uncertain_note": r.uncertain_note,
                }
                for r in d.reasons
            ],
        }
    )


def _jsonable(value: object) -> object:
    if isinstance(value, float) and not np.isfinite(value):
        return None
    if isinstance(value, np.generic):
        return _jsonable(value.item())
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def _where_used(result: WhereUsedResult, idx: NetworkIndex) -> WhereUsedPublic:
    """Paths that carry rare earths first, then the rest, ``PATHS_SHOWN`` in all."""

    def plain(path: PathRow) -> bool:
        return path.nodes[-1].rsplit("/", 1)[-1] not in idx.rare_earths

    paths = sorted(result.paths, key=plain)
    return WhereUsedPublic.model_validate(
        {
            "direction": result.direction,
            "rows": result.rows,
            "ends": sorted(result.ends, key=lambda e: e.rsplit("/", 1)[-1] not in idx.rare_earths),
            "paths": paths[:PATHS_SHOWN],
            "paths_truncated": result.paths_truncated or len(paths) > PATHS_SHOWN,
        },
        from_attributes=True,
    )


def part_analysis(
    ws: Workspace,
    idx: NetworkIndex,
    cache: IndexCache,
    book: RuleBook,
    part_id: str,
    as_of: date,
    policy: SuspensionPolicy,
    site: str | None,
    rates: StoredRates | None = None,
) -> PartAnalysisPublic:
    """Everything the part page shows beyond the catalogue, for one date and policy;
    ``rates`` convert input values in other currencies for the value shares (trace and
    value-share rules alike)."""
    fx = rates.rates if rates is not None else None
    # Facts from the workspace's compiled engine (shared, cached on disk), not from a
    # second compile of the in-memory network; the fact source itself (a pass over the
    # whole network) is built once per revision and rate table, not once per part.
    key = f"facts:{rates.rates_id if rates is not None else ''}"
    facts = cache.derived(idx, key, lambda i: facts_of(i, ws.tracing.engine(), fx))
    verdict = classification.classify_part(idx, book, part_id, as_of, policy, rates=fx, facts=facts)
    trace: TracePublic | None = None
    note = ""
    chosen: str | None = None
    content_chart = origin_chart = None
    down = up = None
    try:
        result = ws.tracing.trace(part_id, as_of=as_of, rates=fx)
    except NotFoundError as exc:
        note = str(exc)
    else:
        trace = TracePublic.model_validate(
            {
                "controlled": list(result.controlled),
                "origin_country": result.origin_country,
                "nodes": result.nodes,
                "quality": result.quality,
            },
            from_attributes=True,
        )
        node = next((n for n in result.nodes if n.site == site), result.nodes[0])
        chosen = node.site
        content_chart = charts.content_bar(node.content_kg, result.controlled)
        origin_chart = charts.origin_stack(
            {
                e: [(o.country, o.party, o.share) for o in rows]
                for e, rows in sorted(node.origin.items(), key=lambda kv: _re_order(kv[0]))
            }
        )
        down = _where_used(ws.tracing.where_used(part_id, limit=PATHS_LOOKED_AT, as_of=as_of), idx)
        up = _where_used(
            ws.tracing.where_used(
                part_id, direction=Direction.UP, limit=PATHS_LOOKED_AT, as_of=as_of
            ),
            idx,
        )
    return PartAnalysisPublic(
        as_of=as_of,
        policy=policy.value,
        site=chosen,
        trace=trace,
        trace_note=note,
        classification=determination_public(verdict),
        down=down,
        up=up,
        content_chart=content_chart,
        origin_chart=origin_chart,
        rates=rates_public(rates) if rates is not None else None,
    )


def _re_order(element: str) -> int:
    return RARE_EARTHS.index(element) if element in RARE_EARTHS else len(RARE_EARTHS)


# -- Sankey --------------------------------------------------------------------------


def sankey_view(ws: Workspace, idx: NetworkIndex, product_id: str, element: str) -> SankeyPublic:
    """kg of ``element`` per unit of the product on every edge of its upstream network
    (``services.tracing.sankey.element_flows``), with its chart."""
    flows = ws.tracing.sankey(product_id, element, index=idx)
    last = flows.last_tier
    chart = sankey_chart.sankey_spec(
        [
            sankey_chart.SankeyNode(
                n.node_id, n.part_name, last - n.tier, n.kg, n.country,
                f"{n.part_name} at {n.site_name} ({n.country or '?'})",
            )
            for n in flows.nodes
        ],
        [sankey_chart.SankeyLink(lk.source, lk.target, lk.kg, lk.part_id) for lk in flows.links],
        f"{flows.element} flow from mines to {product_id}",
        "kg per product",
        # the same colour for a country whichever element is shown
        countries=flows.countries,
    )  # fmt: skip
    return SankeyPublic(
        product_id=flows.product_id,
        product_name=flows.product_name,
        element=flows.element,
        elements=flows.elements,
        units_per_year=flows.units_per_year,
        kg_per_product=flows.kg_per_product,
        nodes=[SankeyNodePublic.model_validate(n) for n in flows.nodes],
        links=[SankeyLinkPublic.model_validate(lk) for lk in flows.links],
        truncated=flows.truncated,
        chart=chart,
    )


@pages.get("/products/{part_id}/sankey", response_class=HTMLResponse)
def sankey_page(
    request: Request,
    user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    cache: CacheDep,
    part_id: PartId,
    element: ElementQ = "",
) -> HTMLResponse:
    idx.part(part_id)
    page = cache.derived(
        idx, f"sankey:{part_id}:{element}", lambda i: sankey_view(ws, i, part_id, element)
    )
    return render(request, "sankey.html", user, page=page)


@api.get("/products/{part_id}/sankey")
def sankey_api(
    _user: Viewer,
    ws: WorkspaceDep,
    idx: IndexDep,
    cache: CacheDep,
    part_id: PartId,
    element: ElementQ = "",
) -> SankeyPublic:
    idx.part(part_id)
    return cache.derived(
        idx, f"sankey:{part_id}:{element}", lambda i: sankey_view(ws, i, part_id, element)
    )
