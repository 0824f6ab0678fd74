"""What the buyer already knows about a supplier, pre-filled into its survey."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import Network
from raretrace.domain.parties import Party, Site
from raretrace.errors import NotFoundError
from raretrace.services.survey.layout import SOURCE_ROLES

# --------------------------------------------------------------------------- make


@dataclass(slots=True)
class Prefill:
    supplier: Party
    sites: list[Site]
    parts: list[dict[str, Any]] = field(default_factory=list)
    content: list[dict[str, Any]] = field(default_factory=list)
    sources: list[dict[str, Any]] = field(default_factory=list)
    next_tier: list[dict[str, Any]] = field(default_factory=list)


def prefill(net: Network, supplier_party_id: str) -> Prefill:
    """What the buyer already knows about this supplier's parts and upstream chain."""
    parties = {p.party_id: p for p in net.parties}
    supplier = parties.get(supplier_party_id)
    if supplier is None:
        raise NotFoundError(f"no party {supplier_party_id!r} in the workspace")
    site_owner = {s.site_id: s.party_id for s in net.sites}
    sites = [s for s in net.sites if s.party_id == supplier_party_id]
    site_ids = {s.site_id for s in sites}
    part_ids = sorted({lk.part_id for lk in net.supply if lk.supplier_site_id in site_ids})
    if not part_ids:
        part_ids = sorted({pr.part_id for pr in net.production if pr.site_id in site_ids})
    parts = {p.part_id: p for p in net.parts}
    out = Prefill(supplier, sites)
    re_parts: set[str] = set()
    for c in net.composition:
        if c.part_id in part_ids and c.element in RARE_EARTHS and c.mass_fraction > 0:
            re_parts.add(c.part_id)
            out.content.append(
                {
                    "part_id": c.part_id,
                    "element": c.element,
                    "percent_of_part": round(c.mass_fraction * 100, 6),
                    "basis": "",
                    "comment": c.source,
                }
            )
    for pid in part_ids:
        p = parts[pid]
        magnet = {"ndfeb": "NdFeB", "smco": "SmCo"}.get(p.magnet_type.value, "")
        out.parts.append(
            {
                "part_id": pid,
                "part_name": p.name,
                "part_mass_g": None if p.mass_kg is None else p.mass_kg * 1000,
                "contains_rare_earths": "Yes" if pid in re_parts else "",
                "magnet_type": magnet,
            }
        )
    # Known upstream chain: walk supply links backwards from the supplier's sites.
    seen, frontier, depth = set(site_ids), set(site_ids), 0
    while frontier and depth < 8:
        nxt: set[str] = set()
        for lk in net.supply:
            if lk.buyer_site_id in frontier and lk.supplier_site_id not in seen:
                nxt.add(lk.supplier_site_id)
                if depth == 0:
                    owner = parties[site_owner[lk.supplier_site_id]]
                    out.next_tier.append(
                        {
                            "company_name": owner.name,
                            "country": owner.country,
                            "party_id": owner.party_id,
                            "supplies_part_id": lk.part_id,
                            "supplies_part_name": parts[lk.part_id].name,
                            "share": lk.share,
                            "your_site_id": lk.buyer_site_id,
                        }
                    )
        seen |= nxt
        frontier, depth = nxt, depth + 1
    named: set[tuple[str, str]] = set()
    for sid in sorted(seen - site_ids):
        owner = parties[site_owner[sid]]
        for role in owner.roles:
            if role.value in SOURCE_ROLES and (owner.party_id, role.value) not in named:
                named.add((owner.party_id, role.value))
                out.sources.append(
                    {
                        "part_id": part_ids[0] if len(part_ids) == 1 else "",
                        "role": role.value,
                        "company_name": owner.name,
                        "country": owner.country,
                        "party_id": owner.party_id,
                    }
                )
    return out
