"""The array snapshot of the network tables (one per revision, on disk, shared by every
process) answers exactly what the index built from ``Network`` records answers."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from raretrace.domain.network import Network
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.parts import CompositionLine, Form, MagnetType, Part, PartKind
from raretrace.rules import SuspensionPolicy
from raretrace.services.classification import use_cases as classification
from raretrace.services.classification.facts import FactSource, engine_of, facts_of
from raretrace.services.network.bundles import summarise
from raretrace.services.network.catalogue import (
    NetworkIndex,
    build_index,
    list_parts,
    part_detail,
    planned_products,
    supplied_by,
)
from raretrace.services.network.snapshot_summary import summarise_index
from raretrace.services.network.synth import synthesise
from raretrace.services.tracing.upstream import upstream
from raretrace.settings import Settings
from raretrace.storage.snapshot import TableSnapshot
from raretrace.workspace import Workspace

MAPPINGS = (
    "parts", "sites", "parties", "children", "parents", "composition", "supply_by_part",
    "supply_by_buyer", "production_by_part", "rare_earths",
)  # fmt: skip


def _odd_records(net: Network) -> Network:
    """Values a snapshot must carry exactly: non-ASCII ids and names, NULLs, decimals,
    a party with roles, an owner and a branch, a military end user."""
    owner = net.parties[0].party_id
    party = Party(
        "Ünïcode Ltd; 株式会社", "Ünïcode 株式会社", "JP", (Role.DISTRIBUTOR, Role.MAGNET_MAKER),
        True, owner, 51.5, "n", "株式会社", "addr", "地址", "91310000MA1FL0000X", "c", "+81",
        owner,
    )  # fmt: skip
    site = Site("SITE-é", party.party_id, "Werk ß", "JP", "", "")
    part = Part(
        "PART-İx", "Magnet İSTANBUL", PartKind.COMPONENT, "ea", None, Decimal("12.3400"),
        "JPY", "8505", Form.MAGNET, MagnetType.NDFEB, "", "", "磁石",
    )  # fmt: skip
    bare = Part("PART-bare", "bare", PartKind.COMPONENT, "kg", 0.25, None, None)
    comp = CompositionLine(part.part_id, "Dy", 0.05, "lab")
    return Network(
        parties=[*net.parties, party], sites=[*net.sites, site], parts=[*net.parts, part, bare],
        composition=[*net.composition, comp], bom=net.bom, supply=net.supply,
        production=net.production,
    )  # fmt: skip


@pytest.fixture
def world(workspace: Workspace) -> Workspace:
    workspace.load_sample()
    with workspace._uow() as uow:
        net = uow.network.load()
        uow.network.upsert(_odd_records(net))
        uow.network.bump_revision()
    return workspace


def _same(a: NetworkIndex, b: NetworkIndex) -> None:
    for name in MAPPINGS:
        x, y = getattr(a, name), getattr(b, name)
        assert len(x) == len(y), name
        assert set(x) == set(y), name
        for key in x:
            assert x[key] == y[key], (name, key)
            assert key in y and y.get(key) == x[key]
        assert "no such key" not in y and y.get("no such key") is None
    assert list(a.parts) == list(b.parts)
    assert list(a.children) == list(b.children)
    assert list(a.parents) == list(b.parents)
    assert list(a.supply_by_buyer) == list(b.supply_by_buyer)


def test_snapshot_index_equals_the_index_of_the_records(world: Workspace) -> None:
    net = world.network()
    by_records = build_index(net, world.revision())
    by_arrays = world.network_index()
    assert by_arrays.snapshot is not None and by_arrays.revision == world.revision()
    _same(by_records, by_arrays)
    assert by_arrays.snapshot.network() == net  # every record, every field, same order
    assert by_arrays.network == net
    for part_id in ("PART-İx", *list(by_records.parts)[:50]):
        assert part_detail(by_arrays, part_id) == part_detail(by_records, part_id)
    for product in [p for p, x in by_records.parts.items() if x.kind is PartKind.PRODUCT]:
        assert upstream(by_arrays, product) == upstream(by_records, product)


FILTERS: list[dict[str, Any]] = [
    {},
    {"kind": PartKind.PRODUCT},
    {"q": "magnet"},
    {"q": "  İst "},
    {"q": "株式"},
    {"q": "x", "rare_earths_only": True},
    {"element": "Dy"},
    {"offset": 3, "limit": 4},
]


def test_list_parts_over_arrays_filters_as_over_records(world: Workspace) -> None:
    by_records = build_index(world.network(), world.revision())
    by_arrays = world.network_index()
    for filters in FILTERS:
        assert list_parts(by_arrays, **filters) == list_parts(by_records, **filters), filters


def test_classification_facts_from_the_snapshot_index(world: Workspace) -> None:
    eng = world.tracing.engine()
    book = world.rule_book()
    net = world.network()
    idx = world.network_index()
    day = date(2026, 1, 1)
    ids = list(build_index(net, 0).parts)
    a = classification.classify_parts(net, book, day, ids, facts=facts_of(net, eng))
    b = classification.classify_parts(idx, book, day, ids, facts=facts_of(idx, eng))
    # An engine compiled apart (another stamp): forms are matched by id, not by order.
    c = classification.classify_parts(idx, book, day, ids, facts=facts_of(idx, engine_of(net)))
    for i in range(len(ids)):
        assert a.determination(i) == b.determination(i) == c.determination(i)
    one = classification.classify_part(idx, book, ids[0], day, SuspensionPolicy.AS_WRITTEN,
                                       facts=facts_of(idx, eng))  # fmt: skip
    assert one == a.determination(0)


def test_snapshot_is_cached_on_disk_by_stamp_and_shared(world: Workspace) -> None:
    snap = world.snapshots.tables()
    cache = world.cache_dir()
    if cache is None:
        pytest.skip("in-memory database: no cache folder")
    folders = sorted(cache.glob("tables-*"))
    assert [f.name for f in folders] == [f"tables-{snap.stamp}"]
    with Workspace.open(world.settings) as other:  # another process, as after a restart
        mapped = other.snapshots.tables()
        assert mapped.stamp == snap.stamp
        assert not mapped.columns["parts"]["part_id"].values.flags.writeable  # mapped
        # A new revision gets a new snapshot; the old folder goes.
        with other._uow() as uow:
            uow.network.bump_revision()
        newer = other.snapshots.tables()
    assert newer.stamp != snap.stamp
    assert [f.name for f in cache.glob("tables-*")] == [f"tables-{newer.stamp}"]


def _corrupt(folder: Path, how: str) -> None:
    if how == "truncated":
        f = folder / "parts.part_id.values.npy"
        f.write_bytes(f.read_bytes()[:-3])
    elif how == "meta":
        (folder / "meta.json").write_text("{", encoding="utf-8")
    elif how == "stamp":
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        meta["stamp"] = "r0-other"
        (folder / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    elif how == "offsets":
        f = folder / "parts.name.offsets.npy"
        data = bytearray(f.read_bytes())
        data[-1] ^= 0x7F  # the last offset no longer spans the text
        f.write_bytes(bytes(data))
    elif how == "missing":
        (folder / "group.bom_by_parent.order.npy").unlink()


def test_a_damaged_snapshot_is_rebuilt_not_trusted(world: Workspace) -> None:
    cache = world.cache_dir()
    if cache is None:
        pytest.skip("in-memory database: no cache folder")
    expected = build_index(world.network(), world.revision())
    for how in ("truncated", "meta", "stamp", "offsets", "missing"):
        snap = world.snapshots.tables()
        folder = cache / f"tables-{snap.stamp}"
        _corrupt(folder, how)
        assert TableSnapshot.load(folder, snap.stamp) is None, how
        with Workspace.open(world.settings) as other:
            _same(expected, other.network_index())
        assert TableSnapshot.load(folder, snap.stamp) is not None, how  # written again


def test_in_memory_database_builds_without_a_cache(tmp_path: Path) -> None:
    settings = Settings(database_url="sqlite://", cache_dir=tmp_path / "unused")
    with Workspace.open(settings) as ws:
        ws.load_sample()
        net = ws.network()
        _same(build_index(net, ws.revision()), ws.network_index())
    assert not any(tmp_path.iterdir()) if tmp_path.exists() else True


def test_empty_network(workspace: Workspace) -> None:
    idx = workspace.network_index()
    assert len(idx.parts) == 0 and list_parts(idx).total == 0
    assert idx.snapshot is not None
    assert idx.snapshot.network() == Network()


def test_snapshot_columns_follow_the_repository_positional_order() -> None:
    """``TableSnapshot.record`` builds the big tables' records with the repository's
    positional conversion (``storage.records.from_rows``), so the column orders agree."""
    from raretrace.storage.records import FAST_COLUMNS
    from raretrace.storage.snapshot import cols_of

    for table, columns in FAST_COLUMNS.items():
        assert cols_of(table) == columns


def test_network_summary_from_the_snapshot_equals_the_records_summary(
    world: Workspace,
) -> None:
    idx = world.network_index()
    assert idx.snapshot is not None
    expected = summarise(world.network())
    got = summarise_index(idx)
    assert got == expected
    # order matters too: the dashboard lists countries, roles and kinds as given
    for name in ("parties_by_country", "parties_by_role", "parts_by_kind"):
        assert list(getattr(got, name).items()) == list(getattr(expected, name).items())
    assert list(got.declared_rare_earths) == list(expected.declared_rare_earths)
    assert list(got.product_rare_earths) == list(expected.product_rare_earths)
    assert expected.bom_depth >= 3 and expected.product_rare_earths


def test_network_summary_from_the_snapshot_on_a_synthetic_network(
    workspace: Workspace,
) -> None:
    """Thousands of parties and parts with tied counts, deep BOMs and shared parts."""
    workspace.imports.load_synthetic(synthesise(3000, seed=7))
    idx = workspace.network_index()
    expected = summarise(workspace.network())
    got = summarise_index(idx)
    assert got == expected
    for name in ("parties_by_country", "parties_by_role", "parts_by_kind"):
        assert list(getattr(got, name).items()) == list(getattr(expected, name).items())
    assert got.bom_depth == expected.bom_depth > 3


def test_network_summary_of_an_empty_snapshot(workspace: Workspace) -> None:
    assert summarise_index(workspace.network_index()) == summarise(Network())


def _flows_both_ways(ws: Workspace, day: date) -> None:
    net, idx, eng = ws.network(), ws.network_index(), ws.tracing.engine()
    assert idx.snapshot is not None
    book = ws.rule_book()
    by_records = classification.determine_flows(net, book, day, engine=eng)
    by_arrays = classification.determine_flows(idx, book, day, engine=eng)
    assert by_arrays.flows == by_records.flows  # same flows, same order, same verdicts
    assert by_records.flows
    assert idx._network is None  # the index never loaded the network as records


def test_flows_from_the_snapshot_index_equal_the_records(world: Workspace) -> None:
    _flows_both_ways(world, date(2026, 1, 1))
    _flows_both_ways(world, date(2025, 12, 1))  # the October 2025 measures in force


def test_flows_from_the_snapshot_index_on_a_synthetic_network(workspace: Workspace) -> None:
    workspace.imports.load_synthetic(synthesise(3000, seed=11))
    _flows_both_ways(workspace, date(2026, 1, 1))


def test_part_facts_of_a_sweep_read_from_the_columns_equal_the_records(
    world: Workspace,
) -> None:
    """A big batch reads the snapshot's columns into dictionaries (``sweep_parts``);
    its facts equal those from the records and from the snapshot look-ups."""
    eng = world.tracing.engine()
    net, idx = world.network(), world.network_index()
    parts = [p.part_id for p in net.parts]
    sites = [None if i % 3 else s.site_id for i, s in enumerate(net.sites * 9)][: len(parts)]
    a = FactSource(net, eng).part_facts(parts, sites)
    b = FactSource(idx, eng).part_facts(parts, sites)
    swept = FactSource(idx, eng, sweep_parts=1)
    c = swept.part_facts(parts, sites)
    assert swept._snapshot is None  # switched to the columns
    assert any(x is not None for x in a.cn_value_exact) and (a.part2_magnet == 1).any()
    for x, y in ((a, b), (a, c)):
        assert x.part_ids == y.part_ids and x.elements == y.elements
        for name in ("mass_fraction", "content_basis", "form", "magnet_type", "kind",
                     "deep_processed", "cn_value_share", "cn_value_exact", "origin_country",
                     "part2_magnet"):  # fmt: skip
            np.testing.assert_array_equal(getattr(x, name), getattr(y, name), err_msg=name)


def test_part_facts_of_repeated_pairs_equal_those_asked_one_by_one(world: Workspace) -> None:
    """A flow sweep asks about the same (part, site) pair once per link; each distinct
    pair is worked out once and the rows are repeated, in the order asked."""
    eng = world.tracing.engine()
    net = world.network()
    pairs = [(s.part_id, s.supplier_site_id) for s in net.supply]
    pairs += [(p.part_id, None) for p in net.parts]
    asked = [pairs[i] for i in np.random.default_rng(3).integers(0, len(pairs), 3 * len(pairs))]
    assert len(set(asked)) < len(asked)
    many = FactSource(net, eng).part_facts([p for p, _ in asked], [s for _, s in asked])
    one = FactSource(net, eng)
    assert many.part_ids == tuple(p for p, _ in asked)
    for i, (part, site) in enumerate(asked):
        single = one.part_facts([part], [site])
        for name in ("mass_fraction", "content_basis", "form", "magnet_type", "kind",
                     "deep_processed", "cn_value_share", "cn_value_exact", "origin_country",
                     "part2_magnet"):  # fmt: skip
            got, want = getattr(many, name)[i], getattr(single, name)[0]
            if name == "mass_fraction":
                got = dict(zip(many.elements, got, strict=True))
                want = dict(zip(single.elements, want, strict=True))
                got = {e: v for e, v in got.items() if v}
                want = {e: v for e, v in want.items() if v}
            np.testing.assert_array_equal(got, want, err_msg=f"{name} of {part} at {site}")


def test_supply_of_a_supplier_from_the_snapshot_equals_the_records(world: Workspace) -> None:
    net = world.network()
    by_records, by_arrays = build_index(net, world.revision()), world.network_index()
    for party in net.parties:
        sites = {s.site_id for s in net.sites if s.party_id == party.party_id}
        expected = [s for s in net.supply if s.supplier_site_id in sites]
        assert supplied_by(by_arrays, sites) == supplied_by(by_records, sites) == expected
    assert supplied_by(by_arrays, {"no such site"}) == [] and supplied_by(by_arrays, ()) == []
    assert by_arrays._network is None


def test_planned_products_from_the_snapshot_equal_the_records(world: Workspace) -> None:
    net = world.network()
    by_arrays = world.network_index()
    planned = planned_products(by_arrays)
    assert planned == planned_products(build_index(net, world.revision()))
    assert planned and planned == sorted(planned)
    assert by_arrays._network is None
