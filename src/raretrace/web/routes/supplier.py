"""A page per supplier: the party, its sites, the parts it supplies and the rare earths
in them, the products affected and the tiers it sits at, its screening hits, the
licences and applications naming it, and its survey status with the last declaration.
JSON twin: ``/api/v1/suppliers/{party_id}``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from raretrace.domain.applications import AppStatus
from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS
from raretrace.errors import NotFoundError
from raretrace.services.network.catalogue import NetworkIndex, supplied_by
from raretrace.web.deps import IndexDep, Viewer, WorkspaceDep, render
from raretrace.web.routes.licence_views import today_of
from raretrace.web.routes.screening import screening_view
from raretrace.web.schemas_supplier import (
    SuppliedPartPublic,
    SupplierHitPublic,
    SupplierLicencePublic,
    SupplierPublic,
    SupplierSitePublic,
    SupplierSurveyPublic,
)
from raretrace.workspace import Workspace

pages = APIRouter(tags=["suppliers"])
api = APIRouter(tags=["suppliers"])

PartyId = Annotated[str, Path(min_length=1, max_length=200, description="A party id.")]
SiteId = Annotated[str, Path(min_length=1, max_length=200, description="A site id.")]
CONTROLLED = frozenset(ANNOUNCEMENT_18_ELEMENTS)


def _survey(ws: Workspace, party_id: str) -> SupplierSurveyPublic:
    requests, responses = ws.surveys.of_supplier(party_id)
    last = max(requests, key=lambda r: r.sent_at, default=None)
    answer = max(responses, key=lambda r: r.received_at, default=None)
    today = today_of(ws, None)
    if last is None:
        status = "answered" if answer else "not surveyed"
    elif answer is not None and answer.received_at >= last.sent_at:
        status = "answered"
    elif last.due_date < today:
        status = "overdue"
    else:
        status = "awaiting answer"
    return SupplierSurveyPublic(
        requests=len(requests),
        last_sent=last.sent_at if last else None,
        due_date=last.due_date if last else None,
        campaign=last.campaign if last else None,
        status=status,
        last_declaration_at=answer.received_at if answer else None,
        last_declaration_file=answer.file if answer else None,
        last_declaration_facts=len(answer.assertions) if answer else 0,
        last_declaration_held=answer.held if answer else 0,
    )


def _licences(ws: Workspace, party_id: str, sites: set[str]) -> list[SupplierLicencePublic]:
    refs = {party_id, *sites}
    lics, apps = ws.licensing.records()
    out = []
    for lic in lics:
        role = (
            "exporter" if lic.exporter in refs
            else "importer" if lic.importer in refs
            else "end user" if refs & set(lic.end_users)
            else ""
        )  # fmt: skip
        if role:
            label = f"licence {lic.licence_id} ({lic.licence_type.value}, {lic.valid_from} to {lic.valid_to})"  # noqa: E501
            out.append(SupplierLicencePublic(kind="licence", ref=lic.licence_id, label=label, role=role))  # fmt: skip  # noqa: E501
    for a in apps:
        role = (
            "exporter" if a.exporter in refs
            else "importer" if a.importer in refs
            else "end user" if a.end_user in refs
            else ""
        )  # fmt: skip
        if role and a.status is not AppStatus.WITHDRAWN:
            label = f"application #{a.application_id} ({a.status.value.replace('_', ' ')})"
            out.append(
                SupplierLicencePublic(
                    kind="application", ref=str(a.application_id), label=label, role=role
                )
            )
    return out


def supplier_view(ws: Workspace, idx: NetworkIndex, party_id: str) -> SupplierPublic:
    party = idx.parties.get(party_id)
    if party is None:
        raise NotFoundError(f"no party {party_id!r}")
    sites = [s for s in idx.sites.values() if s.party_id == party_id]
    site_ids = {s.site_id for s in sites}
    exposure = ws.tracing.exposure(None, controlled=ANNOUNCEMENT_18_ELEMENTS)
    rows = [r for r in exposure.rows if r.site in site_ids]
    parts: list[SuppliedPartPublic] = []
    for link in supplied_by(idx, site_ids):
        buyer = idx.sites.get(link.buyer_site_id)
        buyer_party = idx.parties.get(buyer.party_id) if buyer else None
        elements = list(idx.rare_earths.get(link.part_id, ()))
        parts.append(
            SuppliedPartPublic(
                part_id=link.part_id,
                part_name=idx.parts[link.part_id].name if link.part_id in idx.parts else "",
                site_id=link.supplier_site_id,
                buyer_site_id=link.buyer_site_id,
                buyer_party_id=buyer_party.party_id if buyer_party else "",
                buyer_party_name=buyer_party.name if buyer_party else "",
                buyer_country=buyer.country if buyer else "",
                elements=elements,
                controlled_elements=[e for e in elements if e in CONTROLLED],
            )
        )
    elements = sorted({e for p in parts for e in p.elements})
    products: set[str] = set()
    for r in rows:
        products.update(r.products or ())
    site_rows = []
    for s in sorted(sites, key=lambda s: s.site_id):
        mine = [r for r in rows if r.site == s.site_id]
        kg: dict[str, float] = {}
        made: set[str] | None = set()
        for r in mine:
            for e, v in r.kg_per_year.items():
                kg[e] = kg.get(e, 0.0) + v
            made = None if made is None or r.products is None else made | set(r.products)
        site_rows.append(
            SupplierSitePublic(
                site_id=s.site_id, name=s.name, country=s.country, city=s.city,
                tiers=sorted({r.tier for r in mine}), kg_per_year=kg,
                products=sorted(made) if made is not None else None,
            )
        )  # fmt: skip
    owner = idx.parties.get(party.owner_party_id) if party.owner_party_id else None
    hits = [
        SupplierHitPublic(
            hit_id=h.hit_id, status=h.status, list_name=h.list_name,
            entry_name=h.entry_name, score=h.score,
        )
        for h in screening_view(ws).hits
        if h.party_id == party_id
    ]  # fmt: skip
    return SupplierPublic(
        party_id=party.party_id,
        name=party.name,
        country=party.country,
        roles=[r.value for r in party.roles],
        military_end_user=party.military_end_user,
        owner_party_id=party.owner_party_id,
        owner_name=owner.name if owner else None,
        ownership_pct=party.ownership_pct,
        sites=site_rows,
        parts=parts,
        elements=elements,
        controlled_elements=[e for e in elements if e in CONTROLLED],
        products=sorted(products),
        tiers=sorted({r.tier for r in rows}),
        hits=hits,
        licences=_licences(ws, party_id, site_ids),
        survey=_survey(ws, party_id),
    )


@pages.get("/suppliers/{party_id}", response_class=HTMLResponse)
async def supplier_page(
    request: Request, user: Viewer, ws: WorkspaceDep, idx: IndexDep, party_id: PartyId
) -> HTMLResponse:
    page = await run_in_threadpool(supplier_view, ws, idx, party_id)
    return render(request, "supplier.html", user, page=page)


@pages.get("/sites/{site_id}")
def site_page(_user: Viewer, idx: IndexDep, site_id: SiteId) -> RedirectResponse:
    """A site's page is its party's page, scrolled to the site."""
    site = idx.sites.get(site_id)
    if site is None:
        raise NotFoundError(f"no site {site_id!r}")
    from urllib.parse import quote

    target = f"/suppliers/{quote(site.party_id, safe='')}#site-{quote(site_id, safe='')}"
    return RedirectResponse(target, status_code=303)


@api.get("/suppliers/{party_id}")
def supplier_api(
    _user: Viewer, ws: WorkspaceDep, idx: IndexDep, party_id: PartyId
) -> SupplierPublic:
    return supplier_view(ws, idx, party_id)
