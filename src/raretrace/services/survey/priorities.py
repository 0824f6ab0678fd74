"""What each supplier returned, what is still missing, and whom to ask first.

``supplier_status``: per supplier of the network, its answers (files, facts stated by
table, facts held back by conflicts), and the parts it supplies that still have no
composition. ``ask_first``: suppliers ranked by the kilograms per year of their parts
with no composition at the production plan: annual units of each part (production
plans exploded through the BOM, split by supply shares) times its mass. That mass is
the most controlled rare-earth content an answer from that supplier could explain (an
upper bound: we do not know the content, which is why we ask); parts without a mass
or outside every plan are counted separately, not guessed.
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from dataclasses import dataclass, field
from datetime import datetime

from raretrace.domain.network import Network
from raretrace.domain.surveys import SurveyResponse


@dataclass(slots=True)
class SupplierStatus:
    party_id: str
    name: str
    country: str
    parts: int  #: parts it supplies
    answers: int = 0  #: returned files applied
    last_answer: datetime | None = None
    facts: dict[str, int] = field(default_factory=dict)  #: stated facts by table
    held: int = 0  #: facts held back by conflicts
    missing: list[str] = field(default_factory=list)  #: its parts with no composition
    unexplained_kg_per_year: float = 0.0
    parts_without_mass: int = 0  #: missing parts whose mass or plan is unknown


def part_units_per_year(net: Network) -> dict[str, float]:
    """Annual units of every part: production plans exploded through the BOM."""
    children: dict[str, list[tuple[str, float]]] = defaultdict(list)
    indegree: Counter[str] = Counter()
    for b in net.bom:
        children[b.parent_part_id].append((b.child_part_id, b.quantity))
        indegree[b.child_part_id] += 1
    units: dict[str, float] = defaultdict(float)
    for pr in net.production:
        if pr.units_per_year:
            units[pr.part_id] += pr.units_per_year
    parts = {p.part_id for p in net.parts}
    queue = deque(sorted(p for p in parts if indegree[p] == 0))
    while queue:  # Kahn's order: a part's units are final before its children get them
        part = queue.popleft()
        for child, qty in children.get(part, ()):
            units[child] += units.get(part, 0.0) * qty
            indegree[child] -= 1
            if indegree[child] == 0:
                queue.append(child)
    return dict(units)


def supplier_status(net: Network, responses: list[SurveyResponse]) -> list[SupplierStatus]:
    """One row per party that supplies a part, with its answers and what is missing."""
    owner = {s.site_id: s.party_id for s in net.sites}
    parties = {p.party_id: p for p in net.parties}
    with_composition = {c.part_id for c in net.composition}
    mass = {p.part_id: p.mass_kg for p in net.parts}
    units = part_units_per_year(net)
    rows: dict[str, SupplierStatus] = {}
    for lk in net.supply:
        pid = owner.get(lk.supplier_site_id)
        if pid is None or pid not in parties:
            continue
        p = parties[pid]
        row = rows.setdefault(pid, SupplierStatus(pid, p.name, p.country, 0))
        if lk.part_id not in row.missing and lk.part_id not in with_composition:
            row.missing.append(lk.part_id)
        kg = mass.get(lk.part_id)
        n = units.get(lk.part_id, 0.0)
        if lk.part_id not in with_composition:
            if kg and n:
                row.unexplained_kg_per_year += n * lk.share * kg
            else:
                row.parts_without_mass += 1
    supplied: dict[str, set[str]] = defaultdict(set)
    for lk in net.supply:
        if owner.get(lk.supplier_site_id) in rows:
            supplied[owner[lk.supplier_site_id]].add(lk.part_id)
    for pid, row in rows.items():
        row.parts = len(supplied[pid])
        row.missing.sort()
    for r in responses:
        answered = rows.get(r.supplier_party_id)
        if answered is None:
            continue
        answered.answers += 1
        answered.held += r.held
        if answered.last_answer is None or r.received_at > answered.last_answer:
            answered.last_answer = r.received_at
        for a in r.assertions:
            answered.facts[a.table] = answered.facts.get(a.table, 0) + 1
    return sorted(rows.values(), key=lambda r: (r.name.lower(), r.party_id))


def ask_first(rows: list[SupplierStatus], limit: int = 20) -> list[SupplierStatus]:
    """Suppliers with missing compositions, most unexplained kg per year first."""
    waiting = [r for r in rows if r.missing]
    waiting.sort(key=lambda r: (-r.unexplained_kg_per_year, -len(r.missing), r.party_id))
    return waiting[:limit]
