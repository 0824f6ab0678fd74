"""Facts for the rule engine, from the workspace network and the tracing engine.

Content: a part's declared composition when it has one (``declared``); otherwise the
tracing rollup of its node (``rolled_up``: kg per unit divided by the part's mass, or
by the mass of its direct inputs when the part has none); ``unknown`` when nothing is
known (no composition below it, or the part is nowhere in the network). Without a site,
a part made at several sites gets the largest fraction of each element among them.

Chinese-origin value share (Ann. 61, Annex 1 Part 1): the value of the inputs, at every
BOM level below the part's node (through magnets and assemblies), that enter the chain
in China as Part 1 metal, alloy or oxide material carrying Part 1 elements, over the
part's value, computed exactly as a fraction from the stored decimals
(``services.tracing.value_share``). Unknown (NaN / None, so a rule that needs it is uncertain,
never false) when the part has no value, a counted input is unpriced, inputs are priced
in another currency than the part and no ``ExchangeRates`` table converts them (none is
shipped), or the node has no inputs. Without a site, the largest share among the part's
makers (unknown if any is unknown).

Part 2 magnet (Ann. 61 Annex 1 Part 2, regime.md 9.1 row 2): the part itself, or any
part anywhere in its BOM, is an Sm-Co magnet or an NdFeB magnet containing Dy or Tb
(unknown when such an NdFeB magnet's content is unknown and no known one is found).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

import numpy as np

from raretrace.analytics.matrices import compile_network, index_of
from raretrace.analytics.rollup import rollup
from raretrace.analytics.tables import build_arrays, columns_of
from raretrace.analytics.where_used import Tracer
from raretrace.domain.currency import ExchangeRates
from raretrace.domain.network import BomLine, Network
from raretrace.domain.parts import CompositionLine, Form, MagnetType, Part, PartKind
from raretrace.errors import NotFoundError
from raretrace.rules import PartFacts
from raretrace.rules.facts import HEAVY_MAGNET_ELEMENTS
from raretrace.services.classification.snapshot_facts import (
    LazyDict,
    Traits,
    ValueColumns,
    children_of,
    declared_of,
    traits_of,
)
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.tracing.compiled import Engine
from raretrace.services.tracing.value_share import ExactShares
from raretrace.storage.snapshot import TableSnapshot

__all__ = ["PART1_ELEMENTS", "FactSource", "TraceInputs", "engine_of", "facts_of"]

#: Elements whose Chinese-origin metal, alloy or oxide inputs count towards the
#: Ann. 61 value share (Annex 1 Part 1 as reported; regime.md 3.2).
PART1_ELEMENTS: tuple[str, ...] = ("Sm", "Dy", "Gd", "Tb", "Lu", "Sc", "Y")
_PART1_FORMS = (Form.METAL, Form.ALLOY, Form.OXIDE)

Content = tuple[dict[str, float] | None, str]

#: A batch of this many parts or more reads the snapshot's columns into dictionaries
#: (about a second at 1M parts) instead of building records one look-up at a time.
SWEEP_PARTS = 20_000
V = TypeVar("V")


@dataclass(frozen=True, slots=True)
class TraceInputs:
    """Trace-amount inputs: Dy + Tb by the latest test report per part, and the user's
    practice threshold (None: not set; the verdict then follows the text)."""

    tested: Mapping[str, float] = field(default_factory=dict)
    practice_threshold: float | None = None


def facts_of(
    net: Network | NetworkIndex,
    engine: Engine | None = None,
    rates: ExchangeRates | None = None,
    trace: TraceInputs | None = None,
) -> FactSource:
    """Fact source over ``net`` and its compiled tracing ``engine`` (compiled if None);
    ``rates`` convert input values priced in other currencies (else they are unknown)."""
    t = trace or TraceInputs()
    return FactSource(
        net,
        engine
        if engine is not None
        else engine_of(net if isinstance(net, Network) else net.network),
        rates,
        tested=dict(t.tested),
        practice_threshold=t.practice_threshold,
    )


def engine_of(net: Network) -> Engine:
    """A tracing engine compiled from an in-memory network (no workspace cache)."""
    c = compile_network(build_arrays(columns_of(net)))
    return Engine(-1, c, rollup(c), Tracer(c))


class FactSource:
    """Part facts of one network, computed once per node and looked up per part.

    ``net``: the network as records, or a ``NetworkIndex`` (look-ups over the array
    snapshot of the tables: no record is built for parts that are not asked about; a
    batch of ``sweep_parts`` or more reads the snapshot's columns once instead)."""

    def __init__(
        self,
        net: Network | NetworkIndex,
        eng: Engine,
        rates: ExchangeRates | None = None,
        *,
        tested: dict[str, float] | None = None,
        practice_threshold: float | None = None,
        sweep_parts: int = SWEEP_PARTS,
    ) -> None:
        self._sweep_parts = sweep_parts
        #: part id -> Dy + Tb mass fraction by the latest recorded test report
        self.tested = dict(tested or {})
        self.practice_threshold = practice_threshold
        self.eng = eng
        c, r = eng.compiled, eng.content
        self._snapshot: TableSnapshot | None = None  # set for an index over a snapshot
        self.parts: Mapping[str, Part]
        self.declared: Mapping[str, Mapping[str, float]]
        self.children: Mapping[str, list[str]]
        self.site_country: Mapping[str, str]
        values: Mapping[str, tuple[Decimal | None, str | None]]
        if isinstance(net, Network):
            self.parts = {p.part_id: p for p in net.parts}
            declared: dict[str, dict[str, float]] = defaultdict(dict)
            for line in net.composition:
                declared[line.part_id][line.element] = line.mass_fraction
            children: dict[str, list[str]] = defaultdict(list)
            for b in net.bom:
                children[b.parent_part_id].append(b.child_part_id)
            self.declared, self.children = declared, children
            self.site_country = {s.site_id: s.country for s in net.sites}
            values = {p.part_id: (p.unit_value, p.currency) for p in net.parts}
            form = np.array(
                [self.parts[p].form in _PART1_FORMS if p in self.parts else False
                 for p in c.net.part_ids.tolist()], dtype=bool,
            )  # fmt: skip
        else:
            self.parts = net.parts
            self.declared = _Declared(net.composition)
            self.children = _ChildIds(net.children)
            # a small table: one dictionary rather than a record per look-up
            self.site_country = {s.site_id: s.country for s in net.sites.values()}
            values = _Values(net.parts)
            form = _part1_forms(net, c.net.part_ids, eng.key)
            self._snapshot = net.snapshot  # big batches switch to its columns
        self._traits: Mapping[str, Traits] = _RecordTraits(self.parts)
        self._part = _Positions(c.net.part_ids)
        self._site = _Positions(c.net.site_ids)
        makers = np.flatnonzero(~c.node_passthrough)
        order = np.argsort(c.node_part[makers], kind="stable")
        self._maker_nodes = makers[order]  # nodes that make their part, by part
        self._maker_parts = c.node_part[makers][order]
        self._exact = ExactShares(
            c, r, elements=PART1_ELEMENTS, counted=form[c.node_part], origin_country="CN",
            values=values, rates=rates,
        )  # fmt: skip
        self._p2: dict[str, int] = {}

    # -- per node -------------------------------------------------------------------

    def _node(self, part_id: str, site_id: str | None) -> int | None:
        if site_id is None or part_id not in self._part or site_id not in self._site:
            return None
        node = int(self.eng.compiled.find(np.array([self._site[site_id]]),
                                          np.array([self._part[part_id]]))[0])  # fmt: skip
        return node if node >= 0 else None

    def _nodes(self, part_id: str, site_id: str | None) -> list[int]:
        node = self._node(part_id, site_id)
        if node is not None:
            return [node]
        return self._makers(part_id)

    def _nodes_many(self, part_ids: Sequence[str], sites: Sequence[str | None]) -> list[list[int]]:
        """``_nodes`` of many (part, site) pairs, the node look-ups vectorised."""
        found = np.full(len(part_ids), -1, np.int64)
        with_site = [i for i, s in enumerate(sites) if s is not None]
        if with_site:
            part = self._part.many([part_ids[i] for i in with_site])
            site = self._site.many([sites[i] for i in with_site])  # type: ignore[misc]
            ok = (part >= 0) & (site >= 0)
            found[np.asarray(with_site, np.int64)[ok]] = self.eng.compiled.find(site[ok], part[ok])
        return [
            [node] if node >= 0 else self._makers(p)
            for node, p in zip(found.tolist(), part_ids, strict=True)
        ]

    def _makers(self, part_id: str) -> list[int]:
        p = self._part.get(part_id, -1)
        lo, hi = np.searchsorted(self._maker_parts, [p, p + 1])
        return [int(n) for n in self._maker_nodes[lo:hi]]

    def _rolled(self, node: int) -> dict[str, float] | None:
        c, r = self.eng.compiled, self.eng.content
        kg = r.content_kg[node]
        if not (kg > 0).any():
            return None if r.unknown_units[node] > 0 else {}
        mass = float(c.net.part_mass_kg[c.node_part[node]])
        if not np.isfinite(mass) or mass <= 0:
            lo, hi = c.fwd_indptr[node], c.fwd_indptr[node + 1]
            inputs = c.net.part_mass_kg[c.node_part[c.fwd_indices[lo:hi]]]
            mass = float(np.nansum(c.fwd_data[lo:hi] * inputs))
        if mass <= 0:
            return None
        return {e: float(v) / mass for e, v in zip(r.elements, kg, strict=True) if v > 0}

    # -- per part -------------------------------------------------------------------

    def content(
        self, part_id: str, site_id: str | None = None, nodes: list[int] | None = None
    ) -> Content:
        """(element -> mass fraction, basis) with basis declared/rolled_up/unknown;
        ``nodes``: the part's nodes at the site, when already looked up."""
        declared = self.declared.get(part_id)
        if declared:
            return dict(declared), "declared"
        at = self._nodes(part_id, site_id) if nodes is None else nodes
        rolled = [self._rolled(n) for n in at]
        known = [x for x in rolled if x is not None]
        if not known:
            return None, "unknown"
        out: dict[str, float] = {}
        for x in known:
            for e, v in x.items():
                out[e] = max(out.get(e, 0.0), v)
        return out, "rolled_up"

    def cn_value_exact(
        self, part_id: str, site_id: str | None = None, nodes: list[int] | None = None
    ) -> Fraction | None:
        """The exact share (largest among the part's makers); None when unknown."""
        at = self._nodes(part_id, site_id) if nodes is None else nodes
        shares = [self._exact.share(n) for n in at]
        known = [x for x in shares if x is not None]
        if not shares or len(known) < len(shares):
            return None
        return max(known)

    def cn_value_share(self, part_id: str, site_id: str | None = None) -> float:
        x = self.cn_value_exact(part_id, site_id)
        return float("nan") if x is None else float(x)

    def part2_magnet(self, part_id: str) -> int:
        """1/0/-1: the part or a part below it is an Sm-Co or Dy/Tb NdFeB magnet."""
        if part_id in self._p2:
            return self._p2[part_id]
        self._p2[part_id] = 0  # cycle guard
        found = self._own_part2(part_id)
        if found != 1:
            for child in self.children.get(part_id, ()):
                sub = self.part2_magnet(child)
                if sub == 1:
                    found = 1
                    break
                found = min(found, sub)
        self._p2[part_id] = found
        return found

    def _own_part2(self, part_id: str) -> int:
        t = self._traits.get(part_id)
        if t is None or t[1] is not Form.MAGNET:
            return 0
        if t[2] is MagnetType.SMCO:
            return 1
        if t[2] is not MagnetType.NDFEB:
            return 0
        content, _ = self.content(part_id)
        if content is None:
            return -1
        return 1 if any(content.get(e, 0.0) > 0 for e in HEAVY_MAGNET_ELEMENTS) else 0

    def origin(self, part_id: str, site_id: str | None = None) -> str:
        """The site's country, or the one country all makers of the part are in."""
        if site_id is not None:
            return self.site_country.get(site_id, "")
        c = self.eng.compiled
        nodes = self._makers(part_id)
        countries = {c.net.countries[i] for i in c.node_country()[nodes].tolist()}
        return countries.pop() if len(countries) == 1 else ""

    def _read_columns(self, snap: TableSnapshot) -> None:
        """From now on answer from dictionaries read from the snapshot's columns in one
        pass (a sweep asks about every part; a record per look-up costs more)."""
        self._snapshot = None
        self.declared = LazyDict(lambda: declared_of(snap))
        self.children = LazyDict(lambda: children_of(snap))
        self._traits = LazyDict(lambda: traits_of(snap))
        self._exact.values = ValueColumns(snap)

    def part_facts(
        self, part_ids: Sequence[str], sites: Sequence[str | None] | None = None
    ) -> PartFacts:
        if self._snapshot is not None and len(part_ids) >= self._sweep_parts:
            self._read_columns(self._snapshot)
        at = list(sites) if sites is not None else [None] * len(part_ids)
        # a part's facts at a site are the same for every link that ships it from there
        # (a flow sweep asks about each pair ~2x): work out each distinct pair once
        slot: dict[tuple[str, str | None], int] = {}
        back = [slot.setdefault(k, len(slot)) for k in zip(part_ids, at, strict=True)]
        if len(slot) < len(part_ids):
            return self.part_facts([p for p, _ in slot], [s for _, s in slot]).take(back)
        traits: list[Traits] = []
        for p in part_ids:
            t = self._traits.get(p)
            if t is None:
                raise NotFoundError(f"no part {p!r} in the workspace")
            traits.append(t)
        nodes = self._nodes_many(part_ids, at)
        content = [self.content(p, None, n) for p, n in zip(part_ids, nodes, strict=True)]
        exact = [self.cn_value_exact(p, None, n) for p, n in zip(part_ids, nodes, strict=True)]
        return PartFacts.build(
            part_ids,
            content=[x for x, _ in content],
            content_basis=[b for _, b in content],
            form=[f.value for _, f, _ in traits],
            magnet_type=[m.value for _, _, m in traits],
            kind=[k.value for k, _, _ in traits],
            deep_processed=[_deep_processed(k, f) for k, f, _ in traits],
            cn_value_share=[None if x is None else float(x) for x in exact],
            cn_value_exact=exact,
            origin_country=[self.origin(p, s) for p, s in zip(part_ids, at, strict=True)],
            part2_magnet=[self.part2_magnet(p) for p in part_ids],
            tested_dy_tb=[self.tested.get(p) for p in part_ids],
            practice_threshold=[self.practice_threshold] * len(part_ids),
        )


class _Positions(Mapping[str, int]):
    """id -> its position in an id array of the compiled network (binary search: the
    ids are sorted in code point order; a linear search where they are not)."""

    def __init__(self, ids: np.ndarray) -> None:
        self._ids = ids
        self._dict: dict[str, int] | None = None

    def many(self, keys: Sequence[str]) -> np.ndarray:
        """Positions of ``keys`` (-1 where absent), vectorised."""
        ids = self._ids
        if not len(keys):
            return np.zeros(0, np.int64)
        if len(ids) and not bool(np.all(ids[:-1] <= ids[1:])):  # not sorted: a dict
            if self._dict is None:
                self._dict = {}
                for i, x in enumerate(ids.tolist()):
                    self._dict.setdefault(x, i)
            return np.array([self._dict.get(k, -1) for k in keys], np.int64)
        return index_of(ids, np.array(keys, dtype=str)).astype(np.int64)

    def __getitem__(self, key: str) -> int:
        ids = self._ids
        if not isinstance(key, str) or not len(ids):
            raise KeyError(key)
        at = int(np.searchsorted(ids, key))
        if at < len(ids) and ids[at] == key:
            return at
        hit = np.flatnonzero(ids == key)
        if not len(hit):
            raise KeyError(key)
        return int(hit[0])

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids.tolist())

    def __len__(self) -> int:
        return len(self._ids)


def _part1_forms(idx: NetworkIndex, part_ids: np.ndarray, stamp: str = "") -> np.ndarray:
    """Per compiled part id: is it a part whose form counts for the value share."""
    snap = idx.snapshot
    if snap is None:
        return np.array(
            [p in idx.parts and idx.parts[p].form in _PART1_FORMS for p in part_ids.tolist()],
            dtype=bool,
        )
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.compute as pc  # type: ignore[import-untyped]

    from raretrace.storage.snapshot import arrow_text

    # By the few distinct values (``pa.array`` of Python objects would import pandas).
    forms = arrow_text(snap.columns["parts"]["form"]).dictionary_encode()
    counted = {f.value for f in _PART1_FORMS}
    lut = np.array([v in counted for v in forms.dictionary.to_pylist()] + [False], dtype=bool)
    indices = forms.indices  # (``fill_null`` with a Python scalar also imports pandas)
    codes = np.asarray(indices.to_numpy(zero_copy_only=False))
    if indices.null_count:
        valid = np.asarray(indices.is_valid().to_numpy(zero_copy_only=False), dtype=bool)
        codes = np.where(valid, np.nan_to_num(codes), len(lut) - 1)
    by_row = lut[codes.astype(np.int64)]
    order = snap.id_order["parts"]
    if stamp == snap.stamp and len(order) == len(part_ids):
        # Compiled from the same tables: the compiled ids are the table's ids sorted.
        rows = order
    else:
        ids = arrow_text(snap.columns["parts"]["part_id"])
        found = pc.index_in(pa.array(part_ids.tolist(), pa.large_string()), value_set=ids)
        rows = np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), np.int64)
    return np.where(rows >= 0, by_row[np.maximum(rows, 0)], False) if len(rows) else by_row[:0]


class _Declared(Mapping[str, dict[str, float]]):
    """part id -> {element: mass fraction} of its composition lines."""

    def __init__(self, composition: Mapping[str, list[CompositionLine]]) -> None:
        self._c = composition

    def __getitem__(self, key: str) -> dict[str, float]:
        return {line.element: line.mass_fraction for line in self._c[key]}

    def __iter__(self) -> Iterator[str]:
        return iter(self._c)

    def __len__(self) -> int:
        return len(self._c)


class _ChildIds(Mapping[str, list[str]]):
    """part id -> the child part ids of its BOM lines."""

    def __init__(self, children: Mapping[str, list[BomLine]]) -> None:
        self._c = children

    def __getitem__(self, key: str) -> list[str]:
        return [b.child_part_id for b in self._c[key]]

    def __iter__(self) -> Iterator[str]:
        return iter(self._c)

    def __len__(self) -> int:
        return len(self._c)


class _Values(Mapping[str, tuple[Decimal | None, str | None]]):
    """part id -> (unit value, currency)."""

    def __init__(self, parts: Mapping[str, Part]) -> None:
        self._p = parts

    def __getitem__(self, key: str) -> tuple[Decimal | None, str | None]:
        p = self._p[key]
        return p.unit_value, p.currency

    def __iter__(self) -> Iterator[str]:
        return iter(self._p)

    def __len__(self) -> int:
        return len(self._p)


def _deep_processed(kind: PartKind, form: Form) -> bool:
    return form is Form.DEEP_PROCESSED_ASSEMBLY or kind in (PartKind.ASSEMBLY, PartKind.PRODUCT)


class _RecordTraits(Mapping[str, Traits]):
    def __init__(self, parts: Mapping[str, Part]) -> None:
        self._p = parts

    def __getitem__(self, key: str) -> Traits:
        p = self._p[key]
        return p.kind, p.form, p.magnet_type

    def __iter__(self) -> Iterator[str]:
        return iter(self._p)

    def __len__(self) -> int:
        return len(self._p)
