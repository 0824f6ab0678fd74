"""The array snapshot of the network tables, one per network stamp (revision and the
random token drawn with it), cached in memory and in the workspace's cache folder.

``tables()`` returns the ``TableSnapshot`` of the current stamp: from memory; else
mapped from ``<cache>/tables-<stamp>/`` (read-only ``.npy`` files shared by every
process on the host, so that N web workers hold one copy in the page cache); else
read from the database in one snapshot of it, written atomically (temporary folder
renamed into place) and mapped. One process builds a stamp under a file lock while the
others wait and then map its files; a folder that does not match its meta data (a
crash, a truncated file) is rebuilt, never trusted; folders of older stamps are removed
when a newer one is written.
"""

from __future__ import annotations

import gc
import shutil
from collections.abc import Callable
from contextlib import AbstractContextManager
from pathlib import Path
from threading import Lock

from raretrace.domain.network import Network
from raretrace.services.cache_lock import cache_lock
from raretrace.services.network.catalogue import NetworkIndex
from raretrace.services.network.catalogue_snapshot import index_of_snapshot, snapshot_extras
from raretrace.storage.ports import UnitOfWork
from raretrace.storage.snapshot import TableSnapshot

UowFactory = Callable[[], AbstractContextManager[UnitOfWork]]
PREFIX = "tables-"


class SnapshotService:
    """The table snapshot of the current stamp, and a ``NetworkIndex`` over it."""

    def __init__(self, uow: UowFactory, *, cache_dir: Path | None) -> None:
        self._uow = uow
        self.cache_dir = cache_dir
        self._lock = Lock()
        self._building = Lock()
        self._indexing = Lock()
        self._snap: TableSnapshot | None = None
        self._index: NetworkIndex | None = None

    def tables(self) -> TableSnapshot:
        with self._uow() as uow:
            uow.network.read_snapshot()  # the stamp and the tables read must agree
            rev, key = uow.network.stamp()
            with self._lock:
                if self._snap is not None and self._snap.stamp == key:
                    return self._snap
            with self._building:  # one thread of this process builds; the others wait
                with self._lock:
                    if self._snap is not None and self._snap.stamp == key:
                        return self._snap
                snap = self._load(key)
                if snap is None:
                    with self._file_lock():
                        snap = self._load(key)  # another process may just have written it
                        if snap is None:
                            snap = self._build(uow, rev, key)
                with self._lock:
                    self._snap = snap
        return snap

    def index(self, network: Callable[[], Network]) -> NetworkIndex:
        """A ``NetworkIndex`` over the current snapshot (the same object while the stamp
        stays); ``network`` loads the whole network if a view asks for it."""
        snap = self.tables()
        with self._indexing:
            if self._index is not None and self._index.snapshot is snap:
                return self._index
            index = index_of_snapshot(snap, network)
            self._index = index
        return index

    def _folder(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"{PREFIX}{key}"

    def _load(self, key: str) -> TableSnapshot | None:
        folder = self._folder(key)
        return None if folder is None else TableSnapshot.load(folder, key)

    def _build(self, uow: UnitOfWork, rev: int, key: str) -> TableSnapshot:
        was = gc.isenabled()
        gc.disable()  # millions of row tuples pass through: no point scanning them
        try:
            snap = TableSnapshot.build(key, rev, uow.network.table_columns())
            snap.extras.update(snapshot_extras(snap))
        finally:
            if was:
                gc.enable()
        folder = self._folder(key)
        if folder is None:
            return snap
        try:
            folder.parent.mkdir(parents=True, exist_ok=True)
            shutil.rmtree(folder, ignore_errors=True)  # one that failed to load
            for old in folder.parent.glob(f"{PREFIX}*"):
                shutil.rmtree(old, ignore_errors=True)
        except OSError:
            return snap
        if not snap.save(folder):
            return snap  # a cache that cannot be written is only slower
        mapped = TableSnapshot.load(folder, key)  # shared pages, not this process's copy
        return mapped if mapped is not None else snap

    def _file_lock(self) -> AbstractContextManager[object]:
        """Among the processes sharing the cache folder: one builds, the others wait."""
        return cache_lock(self.cache_dir, "tables.lock")
