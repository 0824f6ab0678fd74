"""Cross-table checks of a whole network: references, sums, cycles.

Field-level checks happen while reading (``bundle.py``); these need the whole network
(the bundle merged with what the workspace already holds). Each problem is located
through ``locate(table, key) -> (file, row)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

from raretrace.domain.network import Network
from raretrace.errors import Problem

Locate = Callable[[str, tuple[str, ...]], tuple[str, int | None]]

#: Slack for sums of fractions and shares written with finite decimals.
SUM_TOLERANCE = 1e-9


#: Characters an id may not hold: ids become URL path segments and file names, where
#: ``/ ? # \`` would make a link resolve elsewhere (``/parts/X/../../admin``).
ID_FORBIDDEN = frozenset("/?#\\%")


def id_problem(rid: str) -> str | None:
    """Why ``rid`` cannot be an id (party, site, part), else ``None``. Other characters
    (spaces, line breaks) are kept: pages escape them and links URL-encode them."""
    bad = sorted({c for c in rid if c in ID_FORBIDDEN})
    if bad:
        return f"id {rid!r} contains {' '.join(bad)}; ids may not contain / ? # \\ %"
    if rid.strip(".") == "":
        return f"id {rid!r} is only dots"
    return None


def validate_network(net: Network, locate: Locate) -> list[Problem]:
    """Every cross-table problem of ``net``; an empty list means it is consistent."""
    problems: list[Problem] = []

    def at(table: str, key: tuple[str, ...], column: str | None, message: str) -> None:
        file, row = locate(table, key)
        problems.append(Problem(file, row, column, message))

    party_ids = {p.party_id for p in net.parties}
    site_ids = {s.site_id for s in net.sites}
    part_ids = {p.part_id for p in net.parts}

    for table, column, ids in (
        ("parties", "party_id", party_ids),
        ("sites", "site_id", site_ids),
        ("parts", "part_id", part_ids),
    ):
        for rid in sorted(ids):
            if why := id_problem(rid):
                at(table, (rid,), column, why)

    owner: dict[str, str] = {}
    for p in net.parties:
        key: tuple[str, ...] = (p.party_id,)
        if p.owner_party_id is not None:
            if p.owner_party_id not in party_ids:
                at("parties", key, "owner_party_id", f"unknown party {p.owner_party_id!r}")
            elif p.owner_party_id == p.party_id:
                at("parties", key, "owner_party_id", "a party cannot own itself")
            else:
                owner[p.party_id] = p.owner_party_id
            if p.ownership_pct is None:
                at("parties", key, "ownership_pct", "required when owner_party_id is given")
        elif p.ownership_pct is not None:
            at(
                "parties",
                key,
                "owner_party_id",
                "ownership_pct is given but owner_party_id is empty",
            )
    for cycle in _cycles(owner):
        at("parties", (cycle[0],), "owner_party_id", "ownership cycle: " + " -> ".join(cycle))
    branch: dict[str, str] = {}
    for p in net.parties:
        head = p.branch_of_party_id
        if head is None:
            continue
        if head not in party_ids:
            at("parties", (p.party_id,), "branch_of_party_id", f"unknown party {head!r}")
        elif head == p.party_id:
            at("parties", (p.party_id,), "branch_of_party_id", "a party cannot be its own branch")
        else:
            branch[p.party_id] = head
    for cycle in _cycles(branch):
        at("parties", (cycle[0],), "branch_of_party_id", "branch cycle: " + " -> ".join(cycle))

    for s in net.sites:
        if s.party_id not in party_ids:
            at("sites", (s.site_id,), "party_id", f"unknown party {s.party_id!r}")

    for part in net.parts:
        if part.unit_value is not None and part.currency is None:
            at("parts", (part.part_id,), "currency", "required when unit_value is given")

    totals: dict[str, float] = defaultdict(float)
    first_line: dict[str, tuple[str, ...]] = {}
    for c in net.composition:
        key = (c.part_id, c.element)
        if c.part_id not in part_ids:
            at("composition", key, "part_id", f"unknown part {c.part_id!r}")
            continue
        totals[c.part_id] += c.mass_fraction
        first_line.setdefault(c.part_id, key)
    for part_id, total in totals.items():
        if total > 1 + SUM_TOLERANCE:
            at("composition", first_line[part_id], "mass_fraction",
               f"mass fractions of part {part_id!r} sum to {total:.6g}, more than 1")  # fmt: skip

    children: dict[str, list[str]] = defaultdict(list)
    for b in net.bom:
        key = (b.parent_part_id, b.child_part_id)
        ok = True
        for col, ref in (("parent_part_id", b.parent_part_id), ("child_part_id", b.child_part_id)):
            if ref not in part_ids:
                at("bom", key, col, f"unknown part {ref!r}")
                ok = False
        if b.parent_part_id == b.child_part_id:
            at("bom", key, "child_part_id", f"part {b.parent_part_id!r} contains itself")
            ok = False
        if ok:
            children[b.parent_part_id].append(b.child_part_id)
    for cycle in _dag_cycles(children):
        at("bom", (cycle[0], cycle[1]), "child_part_id", "BOM cycle: " + " -> ".join(cycle))

    shares: dict[tuple[str, str], float] = defaultdict(float)
    first_link: dict[tuple[str, str], tuple[str, ...]] = {}
    for link in net.supply:
        key = (link.supplier_site_id, link.part_id, link.buyer_site_id)
        ok = True
        for col, ref, known, what in (
            ("supplier_site_id", link.supplier_site_id, site_ids, "site"),
            ("buyer_site_id", link.buyer_site_id, site_ids, "site"),
            ("part_id", link.part_id, part_ids, "part"),
        ):
            if ref not in known:
                at("supply", key, col, f"unknown {what} {ref!r}")
                ok = False
        if link.supplier_site_id == link.buyer_site_id:
            at("supply", key, "buyer_site_id", "a site cannot supply itself (use production)")
            ok = False
        if ok:
            shares[(link.buyer_site_id, link.part_id)] += link.share
            first_link.setdefault((link.buyer_site_id, link.part_id), key)
    for (buyer, part_id), total in shares.items():
        if total > 1 + SUM_TOLERANCE:
            message = (
                f"shares of part {part_id!r} into site {buyer!r} sum to {total:.6g}, more than 1"
            )
            at("supply", first_link[(buyer, part_id)], "share", message)

    for pr in net.production:
        key = (pr.site_id, pr.part_id)
        if pr.site_id not in site_ids:
            at("production", key, "site_id", f"unknown site {pr.site_id!r}")
        if pr.part_id not in part_ids:
            at("production", key, "part_id", f"unknown part {pr.part_id!r}")
    return problems


def _cycles(parent: dict[str, str]) -> list[list[str]]:
    """Cycles in a functional graph (each node has at most one successor)."""
    state: dict[str, int] = {}
    found: list[list[str]] = []
    for start in parent:
        path: list[str] = []
        node: str | None = start
        while node is not None and state.get(node, 0) == 0:
            state[node] = 1
            path.append(node)
            node = parent.get(node)
        if node is not None and state.get(node) == 1:
            found.append([*path[path.index(node) :], node])
        for n in path:
            state[n] = 2
    return found


def _dag_cycles(children: dict[str, list[str]], limit: int = 20) -> list[list[str]]:
    """Up to ``limit`` distinct cycles, each as a closed path ``[a, b, ..., a]``."""
    color: dict[str, int] = {}
    found: list[list[str]] = []
    for root in list(children):
        if color.get(root):
            continue
        color[root] = 1
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = [root]
        while stack:
            node, i = stack[-1]
            kids = children.get(node, ())
            if i < len(kids):
                stack[-1] = (node, i + 1)
                kid = kids[i]
                c = color.get(kid, 0)
                if c == 0:
                    color[kid] = 1
                    stack.append((kid, 0))
                    path.append(kid)
                elif c == 1 and len(found) < limit:
                    found.append([*path[path.index(kid) :], kid])
            else:
                color[node] = 2
                stack.pop()
                path.pop()
    return found
