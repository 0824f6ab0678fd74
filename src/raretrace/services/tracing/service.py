"""Tracing use cases: compile the stored network (cached), then rollup, origin,
where-used, supplier exposure and production-plan totals.

The compiled arrays and the default rollup are cached in memory and, when a cache
folder is given, on disk as ``.npy`` files keyed by the network's stamp (revision and a
random token drawn with each revision); a warm start maps them (read-only) without
reading the network tables. Every result carries a ``Provenance``.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, contextmanager
from dataclasses import fields
from datetime import date, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from threading import Lock
from typing import TYPE_CHECKING, Any

import numpy as np

from raretrace.analytics.matrices import CompiledNetwork, NetworkArrays, compile_network
from raretrace.analytics.rollup import Rollup, rollup
from raretrace.analytics.where_used import Direction, Tracer
from raretrace.domain.currency import ExchangeRates
from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS
from raretrace.errors import NotFoundError
from raretrace.services.cache_lock import cache_lock
from raretrace.services.tracing import reports
from raretrace.services.tracing.reports import (
    DataQuality,
    Engine,
    ExposureResult,
    PlanTotals,
    Provenance,
    TraceResult,
    WhereUsedResult,
)
from raretrace.storage.ports import UnitOfWork

if TYPE_CHECKING:
    from raretrace.services.network.catalogue import NetworkIndex
    from raretrace.services.tracing.sankey import ElementFlows
    from raretrace.services.tracing.supplier_filter import SupplierFilter, SupplierTable

__all__ = ["DataQuality", "Engine", "Provenance", "TracingService"]

UowFactory = Callable[[], AbstractContextManager[UnitOfWork]]
_FORMAT = 5


def package_version() -> str:
    try:
        return version("raretrace")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "unknown"


class TracingService:
    """Tracing over one workspace; thread-safe; holds the compiled-network cache."""

    def __init__(
        self,
        uow: UowFactory,
        *,
        database: str,
        cache_dir: Path | None,
        clock: Callable[[], datetime],
        stamp: Callable[[], tuple[int, str] | None] | None = None,
    ) -> None:
        self._uow = uow
        #: Reads the network's stamp without a unit of work (None: it cannot tell), so
        #: that a warm start maps the cache without the storage layer's full import.
        self._stamp = stamp
        self.database = database
        self.cache_dir = cache_dir
        self._clock = clock
        self._lock = Lock()
        self._compiling = Lock()
        self._engine: Engine | None = None

    # -- compilation ----------------------------------------------------------------

    def engine(self) -> Engine:
        """The compiled network of the current revision (memory, disk, or compile).

        The disk cache is shared by every process on the host (all workers of a web
        server): one process compiles a new revision under a file lock while the others
        wait, then they map its arrays instead of compiling again.

        A warm start (the stamp's arrays in memory or on disk) reads only the stamp,
        through ``stamp`` when given; compiling reads the stamp again with the tables,
        in one snapshot.
        """
        quick = self._stamp() if self._stamp is not None else None
        if quick is not None:
            warm = self._warm(*quick)
            if warm is not None:
                return warm
        with self._uow() as uow:
            uow.network.read_snapshot()  # the stamp and the tables compiled must agree
            rev, key = uow.network.stamp()
            with self._lock:
                if self._engine is not None and self._engine.key == key:
                    return self._engine
            # One thread of this process at a time: the others wait and share its engine.
            with self._compiling:
                with self._lock:
                    if self._engine is not None and self._engine.key == key:
                        return self._engine
                loaded = self._load(key)
                if loaded is None:
                    loaded = self._compile(uow, key)
                compiled, content = loaded
                eng = Engine(rev, compiled, content, Tracer(compiled), key)
                with self._lock:
                    self._engine = eng
        return eng

    def _warm(self, rev: int, key: str) -> Engine | None:
        """The engine of stamp ``key`` from memory or the disk cache, else None."""
        with self._lock:
            if self._engine is not None and self._engine.key == key:
                return self._engine
        with self._compiling:
            with self._lock:
                if self._engine is not None and self._engine.key == key:
                    return self._engine
            loaded = self._load(key)
            if loaded is None:
                return None
            compiled, content = loaded
            eng = Engine(rev, compiled, content, Tracer(compiled), key)
            with self._lock:
                self._engine = eng
        return eng

    def _file_lock(self) -> AbstractContextManager[object]:
        """Among the processes sharing the cache folder: one builds, the others wait."""
        return cache_lock(self.cache_dir, "compile.lock")

    def provenance(self, eng: Engine, as_of: date | None, **parameters: Any) -> Provenance:
        return Provenance(
            self.database, eng.revision, as_of, parameters, package_version(), self._clock()
        )

    # -- use cases ------------------------------------------------------------------

    def trace(
        self,
        product: str,
        *,
        site: str | None = None,
        controlled: tuple[str, ...] = ANNOUNCEMENT_18_ELEMENTS,
        origin_country: str = "CN",
        as_of: date | None = None,
        rates: ExchangeRates | None = None,
    ) -> TraceResult:
        """Content per unit, origin by entry point and controlled-value shares of every
        node that makes ``product`` (optionally only at ``site``). Value shares over
        inputs priced in other currencies are unknown unless ``rates`` (user-supplied,
        with date and source, recorded in the provenance) convert them."""
        eng = self.engine()
        prov = self.provenance(
            eng, as_of, product=product, site=site, controlled=list(controlled),
            origin_country=origin_country, rates=None if rates is None else rates.describe(),
        )  # fmt: skip
        return reports.trace(
            eng, product, site=site, controlled=controlled, origin_country=origin_country,
            provenance=prov, rates=rates,
        )  # fmt: skip

    def where_used(
        self,
        query: str,
        *,
        direction: Direction = Direction.DOWN,
        limit: int = 200,
        as_of: date | None = None,
        max_rows: int | None = None,
    ) -> WhereUsedResult:
        """Everything downstream (or upstream) of a part, site or party, with paths;
        ``max_rows`` rows at most (None: every node reached; the result counts all)."""
        eng = self.engine()
        prov = self.provenance(eng, as_of, query=query, direction=direction.value, limit=limit)
        return reports.where_used(
            eng, query, direction=direction, limit=limit, provenance=prov, max_rows=max_rows
        )

    def exposure(
        self,
        product: str | None = None,
        *,
        plan: dict[str, float] | None = None,
        controlled: tuple[str, ...] = ANNOUNCEMENT_18_ELEMENTS,
        as_of: date | None = None,
    ) -> ExposureResult:
        """Ranked suppliers handling controlled elements for ``product`` (or all)."""
        eng = self.engine()
        prov = self.provenance(eng, as_of, product=product, plan=plan, controlled=list(controlled))
        return reports.exposure(eng, product, plan=plan, controlled=controlled, provenance=prov)

    def plan_totals(
        self, plan: dict[str, float] | None = None, *, as_of: date | None = None
    ) -> PlanTotals:
        """kg per year of every element for a plan (default: the production rows)."""
        eng = self.engine()
        return reports.plan_totals(eng, plan, provenance=self.provenance(eng, as_of, plan=plan))

    def suppliers(
        self, f: SupplierFilter, *, index: NetworkIndex | None = None, as_of: date | None = None
    ) -> SupplierTable:
        """The exposure table for ``f.product`` and ``f.elements``, filtered by ``f``
        (``services.tracing.supplier_filter``). ``index``: the caller's look-up tables of the
        current revision (party names, the product check), else read from storage."""
        from raretrace.services.tracing.supplier_filter import supplier_table

        if index is None:
            with self._uow() as uow:
                net = uow.network.load()
            names = {p.party_id: p.name for p in net.parties}
            if f.product and f.product not in {p.part_id for p in net.parts}:
                raise NotFoundError(f"no part {f.product!r}")
        else:
            names = {pid: p.name for pid, p in index.parties.items()}
            if f.product:
                index.part(f.product)  # NotFoundError for an unknown product
        result = self.exposure(f.product or None, controlled=f.elements, as_of=as_of)
        return supplier_table(result, f, names)

    def sankey(
        self, product_id: str, element: str = "", *, index: NetworkIndex | None = None
    ) -> ElementFlows:
        """kg of ``element`` per product unit on every edge upstream of the product (the
        Sankey chart's flows; ``services.tracing.sankey``). ``index``: the caller's look-up
        tables of the current revision, else built from the stored network."""
        from raretrace.services.network.catalogue import build_index
        from raretrace.services.tracing.sankey import element_flows

        eng = self.engine()
        if index is None:
            with self._uow() as uow:
                index = build_index(uow.network.load(), eng.revision)
        return element_flows(index, eng, product_id, element)

    def _load(self, key: str) -> tuple[CompiledNetwork, Rollup] | None:
        if self.cache_dir is None:
            return None
        folder = self.cache_dir / f"compiled-{key}"
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            if meta.get("format") != _FORMAT:
                return None
            return _from_files(folder, meta)
        except (OSError, ValueError, KeyError):
            return None

    def _compile(self, uow: UnitOfWork, key: str) -> tuple[CompiledNetwork, Rollup]:
        """Compile the network and its default rollup under the cache's file lock
        (unless another process has just written them). The arrays are written to the
        cache afterwards, by a thread that holds the lock until they are in place: the
        caller has its answer first, and other processes still wait for the files
        instead of compiling again. ``flush`` waits for that thread; so does a compile
        of the same cache folder in this process, and the interpreter when it exits."""
        self.flush()
        lock = self._file_lock()
        lock.__enter__()
        handed = False
        try:
            loaded = self._load(key)  # another process may have just written it
            if loaded is not None:
                return loaded
            from raretrace.analytics.tables import build_arrays, release_memory

            with _gc_paused():  # millions of row tuples: no point scanning
                arrays = build_arrays(uow.network.columns(committed=True))
                release_memory()
                compiled = compile_network(arrays)
            content = rollup(compiled)
            if self.cache_dir is not None:
                with _WRITING_LOCK:
                    _WRITING[self.cache_dir] = _writer().submit(
                        self._save, key, compiled, content, lock
                    )
                handed = True
            return compiled, content
        finally:
            if not handed:
                lock.__exit__(None, None, None)

    def _save(
        self, key: str, c: CompiledNetwork, r: Rollup, lock: AbstractContextManager[object]
    ) -> None:
        """Write ``c`` and ``r`` to the cache, then release the file lock."""
        try:
            saved = self._save_compiled(c)
            if saved is not None:
                self._save_rollup(key, *saved, r)
        finally:
            lock.__exit__(None, None, None)

    def flush(self) -> None:
        """Wait until the cache folder's files are written (a compile of this process
        hands their writing to a thread)."""
        if self.cache_dir is None:
            return
        with _WRITING_LOCK:
            written = _WRITING.get(self.cache_dir)
        if written is not None:
            written.result()

    def _save_compiled(self, c: CompiledNetwork) -> tuple[Path, dict[str, Any]] | None:
        """``c``'s arrays in a new temporary folder of the cache, and their meta data."""
        assert self.cache_dir is not None
        try:
            self.cache_dir.mkdir(parents=True, exist_ok=True)
            for old in self.cache_dir.glob("compiled-*"):
                shutil.rmtree(old, ignore_errors=True)
            tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.cache_dir))
        except OSError:
            return None  # a cache that cannot be written is only slower
        try:
            return tmp, _to_files(tmp, c)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            return None

    def _save_rollup(self, key: str, tmp: Path, meta: dict[str, Any], r: Rollup) -> None:
        assert self.cache_dir is not None
        try:
            for f in fields(r):
                value = getattr(r, f.name)
                if isinstance(value, np.ndarray):
                    np.save(tmp / f"rollup.{f.name}.npy", value, allow_pickle=False)
            meta["rollup.elements"] = list(r.elements)
            meta["format"] = _FORMAT
            (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
            os.replace(tmp, self.cache_dir / f"compiled-{key}")
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)


#: The last cache write of this process per cache folder (``TracingService._compile``).
_WRITING: dict[Path, Future[None]] = {}
_WRITING_LOCK = Lock()
_WRITER: list[ThreadPoolExecutor] = []


def _forget_writes() -> None:
    """In a forked child: the parent's writing thread is not there to wait for."""
    _WRITING.clear()
    _WRITER.clear()


os.register_at_fork(after_in_child=_forget_writes)


def _writer() -> ThreadPoolExecutor:
    """The thread that writes compiled networks to the cache (one per process, so
    writes of one folder happen in order)."""
    if not _WRITER:
        _WRITER.append(ThreadPoolExecutor(max_workers=1, thread_name_prefix="save-compiled"))
    return _WRITER[0]


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (restored on exit if it was on)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _to_files(folder: Path, c: CompiledNetwork) -> dict[str, Any]:
    meta: dict[str, Any] = {}
    for obj, prefix in ((c.net, "net."), (c, "")):
        for f in fields(obj):
            value = getattr(obj, f.name)
            if isinstance(value, np.ndarray):
                np.save(folder / f"{prefix}{f.name}.npy", value, allow_pickle=False)
            elif isinstance(value, tuple):
                meta[prefix + f.name] = list(value)
    return meta


def _from_files(folder: Path, meta: dict[str, Any]) -> tuple[CompiledNetwork, Rollup]:
    def load(name: str) -> Any:
        if name in meta:
            return tuple(meta[name])
        # Mapped read-only; as a plain ndarray view of the mapping, since indexing a
        # ``np.memmap`` goes through Python (20,000 lookups: 0.5 s of a trace at 1M).
        mapped = np.load(folder / f"{name}.npy", mmap_mode="r", allow_pickle=False)
        return mapped.view(np.ndarray)

    net = NetworkArrays(**{f.name: load("net." + f.name) for f in fields(NetworkArrays)})
    kwargs = {f.name: load(f.name) for f in fields(CompiledNetwork) if f.name != "net"}
    content = Rollup(*(load("rollup." + f.name) for f in fields(Rollup)))
    return CompiledNetwork(net=net, **kwargs), content
