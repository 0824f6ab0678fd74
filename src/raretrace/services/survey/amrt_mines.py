"""The tier above the smelter, from the mines an AMRT names (``amrt_sheets.Mine``).

Each rare-earth mine becomes a party (role ``mine``) with a site in its country. Where
the data allows, the mine's site supplies the smelter it feeds: for each part the
smelter's site supplies (the links ``services.survey.amrt`` just made, or ones on record), the
part's rare-earth BOM inputs (an ore or concentrate the buyer has in its records) gain a
supply link from the mine's site into the smelter's site, split equally between the
mines named for that smelter (the AMRT states no shares), unless the smelter's source of
that input is already on record. Where it does not (the mine names no smelter of this
AMRT, or the smelter's part has no rare-earth input in its BOM), the mine and its
country are recorded and the report says why it was not linked. The mine's country is
also kept as a stated fact of the answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from raretrace.domain.network import Network, SupplyLink
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.surveys import Assertion
from raretrace.services.formats.amrt_sheets import Mine

Where = dict[tuple[str, tuple[str, ...]], tuple[str, int | None]]


def slug(name: str) -> str:
    """A party id made of a name or identifier (upper case, ``-`` between words)."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name.upper()).strip("-")[:60] or "UNNAMED"


@dataclass(slots=True)
class MineTier:
    mines: list[str] = field(default_factory=list)  #: party ids
    linked: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def add_mine_tier(
    mines: list[Mine],
    *,
    path: str,
    supplier: str,
    stored: Network,
    net: Network,
    where: Where,
    assertions: list[Assertion],
    smelter_at: dict[str, tuple[str, str]],
    rare_earth_parts: set[str],
) -> MineTier:
    """Add the mines to ``net`` (parties, sites, supply links into smelter sites).
    ``smelter_at``: smelter name (lower case) -> (party id, site id) of this AMRT."""
    out = MineTier()
    parties = {p.party_id: p for p in stored.parties}
    by_name = {(p.name.strip().lower(), p.country): p.party_id for p in stored.parties}
    sites_of: dict[str, list[Site]] = {}
    for s in stored.sites:
        sites_of.setdefault(s.party_id, []).append(s)
    smelter_ids = {pid for pid, _ in smelter_at.values()}
    site_of_mine: dict[str, str] = {}
    origin: dict[str, tuple[str, int | None]] = {}  #: mine site -> (sheet, row) naming it
    feeds: dict[str, set[str]] = {}  #: mine party id -> smelter names it feeds
    for m in mines:
        pid = slug(m.mine_id) if m.mine_id else slug(m.name)
        if pid not in parties:  # a company we already know, named as we name it
            pid = by_name.get((m.name.strip().lower(), m.country), pid)
        if pid in smelter_ids:
            pid = slug(f"{m.name} mine")
        feeds.setdefault(pid, set()).update(s.strip().lower() for s in m.smelters if s.strip())
        mwhere = f"{path} [sheet {m.sheet}]"
        stated = f"{mwhere}, row {m.row}"
        fact = Assertion("mines", (supplier, pid), "country", m.country, supplier, stated)
        assertions.append(fact)
        if pid in site_of_mine:
            continue
        origin_at = (mwhere, m.row)
        old = parties.get(pid)
        roles = tuple(old.roles) if old else ()
        if Role.MINE not in roles:
            roles = (*roles, Role.MINE)
        note = f"rare-earth mine named in the AMRT of {supplier}"
        if m.mine_id:
            note += f"; mine id {m.mine_id}" + (f" ({m.id_source})" if m.id_source else "")
        net.parties.append(Party(pid, m.name, m.country, roles, notes=old.notes if old else note))
        where[("parties", (pid,))] = (mwhere, m.row)
        known = sites_of.get(pid)
        if known:
            site_of_mine[pid] = known[0].site_id
        else:
            site_of_mine[pid] = f"{pid}-S1"
            net.sites.append(Site(f"{pid}-S1", pid, m.name, m.country, m.city))
            where[("sites", (f"{pid}-S1",))] = (mwhere, m.row)
        origin[site_of_mine[pid]] = origin_at
        out.mines.append(pid)
    # what each smelter site supplies: the links just made, and those on record
    supplies: dict[str, set[str]] = {}
    for lk in [*net.supply, *stored.supply]:
        supplies.setdefault(lk.supplier_site_id, set()).add(lk.part_id)
    inputs: dict[str, list[str]] = {}
    for b in stored.bom:
        if b.child_part_id in rare_earth_parts:
            inputs.setdefault(b.parent_part_id, []).append(b.child_part_id)
    sourced = {(lk.part_id, lk.buyer_site_id) for lk in stored.supply}
    fed: dict[tuple[str, str], list[str]] = {}  #: (input part, smelter site) -> mine sites
    for pid in out.mines:
        if not feeds[pid]:
            out.notes.append(f"mine {pid} names no smelter: recorded with its country, not linked")
        for smelter in sorted(feeds[pid]):
            if smelter not in smelter_at:
                out.notes.append(
                    f"mine {pid} feeds {smelter!r}, not a rare-earth smelter of this AMRT: "
                    "recorded, not linked"
                )
                continue
            site = smelter_at[smelter][1]
            made = sorted(supplies.get(site, ()))
            if not made:
                out.notes.append(f"{site} supplies no part on record: mine {pid} not linked")
            for part in made:
                feed = sorted(set(inputs.get(part, ())))
                if not feed:
                    out.notes.append(
                        f"{part} (from {site}) has no rare-earth input (ore, concentrate) in "
                        f"its BOM: mine {pid} recorded with its country, not linked"
                    )
                    continue
                for child in feed:
                    if (child, site) in sourced:
                        out.notes.append(f"{child} into {site} already has a source; not linked")
                    else:
                        fed.setdefault((child, site), []).append(site_of_mine[pid])
    for (child, site), mine_sites in sorted(fed.items()):
        unique = sorted(set(mine_sites))
        share = 1 / len(unique)
        for ms in unique:
            net.supply.append(SupplyLink(ms, child, site, share))
            where[("supply", (ms, child, site))] = origin.get(ms, (path, None))
            out.linked.append(f"{ms} -> {child} -> {site} (share {share:.3g}, split equally)")
    out.notes = list(dict.fromkeys(out.notes))
    return out
