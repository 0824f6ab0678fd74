"""Tracing use cases on a real database (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import sys
import time
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from raretrace.analytics.where_used import Direction
from raretrace.errors import NetworkError, NotFoundError
from raretrace.settings import Settings
from raretrace.workspace import Workspace

sys.path.insert(0, str(Path(__file__).parents[1] / "analytics"))
from tracing_networks import magnet_chain


@pytest.fixture
def chain(workspace: Workspace) -> Workspace:
    with workspace._uow() as uow:
        uow.network.upsert(magnet_chain())
        uow.network.bump_revision()
    return workspace


def test_trace_content_origin_and_provenance(chain: Workspace) -> None:
    result = chain.tracing.trace("CAR", as_of=date(2026, 1, 1))
    (node,) = result.nodes
    assert node.content_kg["Dy"] == pytest.approx(2 * 4 * 0.03 * 0.87)
    shares = {(o.country, o.party): o.share for o in node.origin["Dy"]}
    assert shares == pytest.approx({("CN", "MAGCN"): 0.6, ("JP", "MAGJP"): 0.4})
    assert sum(o.share for o in node.origin["Nd"]) == pytest.approx(1.0)
    assert node.unknown_inputs_per_unit == pytest.approx(100.0)
    assert result.quality.unknown_content_parts == ["BOLT"]
    # 8 magnets at 40 USD in a 30000 USD car; 60 % of them from China
    assert node.controlled_value_share == pytest.approx(8 * 40 / 30000)
    assert node.origin_value_share == pytest.approx(0.6 * 8 * 40 / 30000)
    assert result.provenance.as_of == date(2026, 1, 1)
    assert result.provenance.revision == chain.revision()


def test_where_used_both_directions(chain: Workspace) -> None:
    down = chain.tracing.where_used("OXIDE")
    assert down.ends == ["S-OEM/CAR"]
    assert {tuple(p.nodes) for p in down.paths} == {
        ("S-MINE/OXIDE", "S-MAGCN/MAGNET", "S-TIER1/MOTOR", "S-OEM/CAR"),
        ("S-MINE/OXIDE", "S-MAGJP/MAGNET", "S-TIER1/MOTOR", "S-OEM/CAR"),
    }
    car = next(r for r in down.rows if r.part == "CAR")
    assert car.quantity == pytest.approx(2 * 4 * 0.03)
    assert car.tier == 3
    up = chain.tracing.where_used("CAR", direction=Direction.UP)
    assert "S-MAGCN/MAGNET" in up.ends and "S-MINE/OXIDE" not in up.ends
    by_party = chain.tracing.where_used("MAGJP")
    assert by_party.matched == "party" and by_party.ends == ["S-OEM/CAR"]


def test_exposure_ranks_suppliers_by_controlled_flow(chain: Workspace) -> None:
    result = chain.tracing.exposure("CAR")
    sites = [r.site for r in result.rows]
    assert set(sites[:3]) == {"S-MINE", "S-OEM", "S-TIER1"}  # all of the Dy passes each
    mag = {r.site: r for r in result.rows}
    assert mag["S-MAGCN"].kg_per_year["Dy"] == pytest.approx(1000 * 8 * 0.6 * 0.03 * 0.87)
    assert mag["S-MAGCN"].tier == 2 and mag["S-MAGCN"].products == ["CAR"]
    totals = chain.tracing.plan_totals()
    assert totals.totals["Dy"] == pytest.approx(1000 * 8 * 0.03 * 0.87)


def test_unknown_ids_and_cache_invalidation(chain: Workspace) -> None:
    with pytest.raises(NotFoundError):
        chain.tracing.trace("NOPE")
    with pytest.raises(NotFoundError):
        chain.tracing.where_used("NOPE")
    first = chain.tracing.engine()
    assert chain.tracing.engine() is first
    net = magnet_chain()
    with chain._uow() as uow:
        uow.network.upsert(type(net)(bom=[b for b in net.bom if b.child_part_id == "MOTOR"]))
        uow.network.bump_revision()
    assert chain.tracing.engine() is not first


def test_zero_share_supply_is_a_network_error(workspace: Workspace) -> None:
    net = magnet_chain()
    net.supply = [type(s)(s.supplier_site_id, s.part_id, s.buyer_site_id, 0.0)
                  if s.part_id == "MOTOR" else s for s in net.supply]  # fmt: skip
    with workspace._uow() as uow:
        uow.network.upsert(net)
        uow.network.bump_revision()
    with pytest.raises(NetworkError, match="S-OEM/CAR needs MOTOR"):
        workspace.tracing.trace("CAR")


def test_disk_cache_gives_identical_results(tmp_path: Path) -> None:
    from raretrace.settings import Settings

    url = f"sqlite:///{tmp_path / 'c.db'}"
    with Workspace.open(Settings(database_url=url, cache_dir=None)) as ws:
        with ws._uow() as uow:
            uow.network.upsert(magnet_chain())
            uow.network.bump_revision()
        cold = ws.tracing.trace("CAR")
    assert any((tmp_path / "c.db.cache").iterdir())  # the default: next to the file
    with Workspace.open(Settings(database_url=url, cache_dir=None)) as ws:
        warm = ws.tracing.trace("CAR")
    assert warm.nodes == cold.nodes


def test_a_second_process_maps_the_compiled_network_instead_of_reading_tables(
    settings: Settings,
) -> None:
    """Workers of one server share the disk cache on both back ends: a second workspace
    (as in another worker) answers from the arrays the first one compiled. Shown by
    changing the tables behind the cache's back (no revision bump): the second
    workspace still sees the network as compiled."""
    with Workspace.open(settings) as first:
        with first._uow() as uow:
            uow.network.upsert(magnet_chain())
            uow.network.bump_revision()
        before = first.tracing.trace("CAR")
        first.tracing.flush()  # the files are written after the answer
        folder = first.cache_dir()
        assert folder is not None and any(folder.glob("compiled-*/meta.json"))
        with first.engine.begin() as conn:
            conn.execute(text("DELETE FROM bom_lines WHERE child_part_id = 'MAGNET'"))
    with Workspace.open(settings) as second:
        assert second.tracing.trace("CAR").nodes == before.nodes
        with second._uow() as uow:
            uow.network.bump_revision()  # now the change is announced: compiled anew
        after = second.tracing.trace("CAR")
    assert "Dy" in before.nodes[0].content_kg and "Dy" not in after.nodes[0].content_kg


def _write_late(monkeypatch: pytest.MonkeyPatch, seconds: float) -> None:
    """The cache's writing thread starts ``seconds`` late (so that what a test does
    right after a compile comes before the files exist)."""
    from raretrace.services.tracing.service import TracingService

    write = TracingService._save_compiled

    def late(self: TracingService, c: object) -> object:
        time.sleep(seconds)
        return write(self, c)  # type: ignore[arg-type]

    monkeypatch.setattr(TracingService, "_save_compiled", late)


def test_a_second_workspace_waits_for_the_files_being_written_instead_of_compiling(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compiling workspace answers before its thread has written the cache; a second
    workspace asking meanwhile (no flush) waits for the files and maps them: it still
    sees the network as compiled after the tables changed without a revision bump.
    (The thread starts writing a moment late, so that the second workspace asks
    before the files exist.)"""
    _write_late(monkeypatch, 0.3)
    with Workspace.open(settings) as first:
        with first._uow() as uow:
            uow.network.upsert(magnet_chain())
            uow.network.bump_revision()
        before = first.tracing.trace("CAR")
        with first.engine.begin() as conn:
            conn.execute(text("DELETE FROM bom_lines WHERE child_part_id = 'MAGNET'"))
        with Workspace.open(settings) as second:
            assert second.tracing.trace("CAR").nodes == before.nodes
        folder = first.cache_dir()
        assert folder is not None
        assert len(list(folder.glob("compiled-*/meta.json"))) == 1
        assert not list(folder.glob(".tmp-*"))  # nothing half-written left behind


def test_a_recreated_database_never_reuses_the_old_cache(tmp_path: Path) -> None:
    """Same file name, same revision number, different network: the random token drawn
    with each revision keeps the old arrays from being taken for the new network."""
    from raretrace.settings import Settings

    db = tmp_path / "re.db"
    settings = Settings(database_url=f"sqlite:///{db}", cache_dir=tmp_path / "shared")
    results = []
    for drop_magnets in (False, True):
        db.unlink(missing_ok=True)
        net = magnet_chain()
        if drop_magnets:
            net.bom = [b for b in net.bom if b.child_part_id != "MAGNET"]
        with Workspace.open(settings) as ws:
            with ws._uow() as uow:
                uow.network.upsert(net)
                assert uow.network.bump_revision() == 1
            results.append(ws.tracing.trace("CAR").nodes[0].content_kg)
    assert "Dy" in results[0] and "Dy" not in results[1]


def test_concurrent_first_requests_share_one_network_index_and_engine(
    settings: Settings,
) -> None:
    """Eight threads ask at once (as a web worker's first requests do): one of them
    loads the network, builds the index and compiles; the others wait and get the very
    same objects, not copies of their own (a copy is gigabytes at 1M parts)."""
    from concurrent.futures import ThreadPoolExecutor
    from threading import Barrier

    from raretrace.web.deps import IndexCache

    with Workspace.open(settings) as ws:
        with ws._uow() as uow:
            uow.network.upsert(magnet_chain())
            uow.network.bump_revision()
        cache = IndexCache()
        start = Barrier(8)

        def first_request(_: int) -> tuple[object, object, object]:
            start.wait()
            return ws.network(), cache.get(ws), ws.tracing.engine()

        with ThreadPoolExecutor(8) as pool:
            got = list(pool.map(first_request, range(8)))
    for i in range(3):
        assert len({id(g[i]) for g in got}) == 1


def test_the_engine_reads_its_stamp_and_tables_in_one_snapshot(settings: Settings) -> None:
    """A network change committed between the stamp and the table reads must not end up
    compiled under the older stamp: the read runs in one snapshot on both back ends."""
    with Workspace.open(settings) as ws:
        with ws._uow() as uow:
            uow.network.upsert(magnet_chain())
            uow.network.bump_revision()
        with ws._uow() as reader:
            reader.network.read_snapshot()
            rev, _ = reader.network.stamp()
            with ws._uow() as writer:  # another session commits a change meanwhile
                writer.network.bump_revision()
                writer.commit()
            assert reader.network.stamp()[0] == rev  # still the first snapshot
        with ws._uow() as later:
            assert later.network.stamp()[0] == rev + 1


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_a_forked_child_does_not_wait_for_the_parents_cache_writer(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A child forked while the parent's thread writes the cache (a server forking
    workers after a first request) has no such thread: its flush returns at once
    instead of waiting for ever. (The parent's thread starts writing a moment late, so
    that the fork comes first; the child gives up after 10 s, which is the failure.)"""
    import os
    import threading

    _write_late(monkeypatch, 0.5)
    with Workspace.open(settings) as ws:
        with ws._uow() as uow:
            uow.network.upsert(magnet_chain())
            uow.network.bump_revision()
        ws.tracing.trace("CAR")
        pid = os.fork()
        if pid == 0:  # the child
            waiting = threading.Thread(target=ws.tracing.flush, daemon=True)
            waiting.start()
            waiting.join(10)
            os._exit(1 if waiting.is_alive() else 0)
        _, status = os.waitpid(pid, 0)
        assert os.waitstatus_to_exitcode(status) == 0
