"""Use cases on the supply network: import, export, summary."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.network import TABLES, Network, bom_depth
from raretrace.domain.network_changes import NetworkChanges, network_changes
from raretrace.domain.parts import PartKind
from raretrace.errors import BundleError
from raretrace.services.formats.bundle import read_bundle, write_bundle
from raretrace.services.network.validation import validate_network
from raretrace.storage.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: rows read per table and the workspace revision after it."""

    source: str
    rows: dict[str, int]
    replaced: bool
    revision: int
    #: What the import changed; nothing at all leaves the revision where it was.
    changes: NetworkChanges = field(default_factory=NetworkChanges)


def import_bundle(uow: UnitOfWork, path: Path, *, replace: bool = False) -> ImportReport:
    """Validate and write a bundle in one transaction (the caller's unit of work).

    Raises ``BundleError`` with every located problem; then nothing is written.
    """
    bundle = read_bundle(path)
    current = uow.network.load()
    merged = bundle.network if replace else current.merged_with(bundle.network)
    problems = validate_network(merged, bundle.locate)
    if problems:
        raise BundleError(
            f"{path}: the bundle has {len(problems)} problem(s); nothing was written", problems
        )
    changes = network_changes(current, merged)
    if not changes.any:  # nothing to write: the revision (and every cache) stays
        return ImportReport(
            str(path), bundle.network.counts(), replace, uow.network.revision(), changes
        )
    if replace:
        uow.network.clear()
    uow.network.upsert(bundle.network)
    revision = uow.network.bump_revision()
    return ImportReport(str(path), bundle.network.counts(), replace, revision, changes)


def export_bundle(uow: UnitOfWork, path: Path) -> list[Path]:
    """Write the whole network as a CSV folder or an ``.xlsx`` workbook."""
    return write_bundle(uow.network.load(), path)


@dataclass(frozen=True, slots=True)
class NetworkSummary:
    """A short overview of a workspace network, for people."""

    counts: dict[str, int]
    parties_by_country: dict[str, int]
    parties_by_role: dict[str, int]
    parts_by_kind: dict[str, int]
    bom_depth: int
    #: element -> ids of parts whose declared composition contains it
    declared_rare_earths: dict[str, list[str]] = field(default_factory=dict)
    #: product id -> rare earths found anywhere below it in the BOM
    product_rare_earths: dict[str, list[str]] = field(default_factory=dict)


def summarise(net: Network) -> NetworkSummary:
    roles: Counter[str] = Counter()
    for p in net.parties:
        roles.update(r.value for r in p.roles)
    declared: dict[str, set[str]] = defaultdict(set)
    for c in net.composition:
        if c.element in RARE_EARTHS and c.mass_fraction > 0:
            declared[c.element].add(c.part_id)
    own: dict[str, set[str]] = defaultdict(set)
    for element, parts in declared.items():
        for part in parts:
            own[part].add(element)
    below = _elements_below(net, own)
    order = {e: i for i, e in enumerate(RARE_EARTHS)}
    products = sorted(p.part_id for p in net.parts if p.kind is PartKind.PRODUCT)
    return NetworkSummary(
        counts={t: len(getattr(net, t)) for t in TABLES},
        parties_by_country=dict(Counter(p.country for p in net.parties).most_common()),
        parties_by_role=dict(roles.most_common()),
        parts_by_kind=dict(Counter(p.kind.value for p in net.parts).most_common()),
        bom_depth=bom_depth(net.bom),
        declared_rare_earths={
            e: sorted(declared[e]) for e in sorted(declared, key=order.__getitem__)
        },
        product_rare_earths={
            p: sorted(below.get(p, set()), key=order.__getitem__) for p in products
        },
    )


def _elements_below(net: Network, own: dict[str, set[str]]) -> dict[str, set[str]]:
    """Union of declared elements over each part's BOM descendants (and itself)."""
    children: dict[str, list[str]] = defaultdict(list)
    for b in net.bom:
        children[b.parent_part_id].append(b.child_part_id)
    memo: dict[str, set[str]] = {}
    for root in [p.part_id for p in net.parts]:
        stack: list[tuple[str, bool]] = [(root, False)]
        while stack:
            node, done = stack.pop()
            if node in memo:
                continue
            if done:
                acc = set(own.get(node, ()))
                for kid in children.get(node, ()):
                    acc |= memo.get(kid, set())
                memo[node] = acc
                continue
            stack.append((node, True))
            stack.extend((k, False) for k in children.get(node, ()) if k not in memo)
    return memo
