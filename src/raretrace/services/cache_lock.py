"""A lock file in the workspace's cache folder, shared by every process on the host:
one process builds a per-revision cache (compiled network, table snapshot), the others
wait and then map what it wrote."""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from pathlib import Path


def cache_lock(folder: Path | None, name: str) -> AbstractContextManager[object]:
    """``folder / name`` as an inter-process lock; no lock (``nullcontext``) when there
    is no cache folder or it cannot be created, since a cache is then not shared.

    Not bound to a thread: a thread that writes the cache may release the lock that
    the compiling thread took (``TracingService._compile``)."""
    if folder is None:
        return nullcontext()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return nullcontext()
    from filelock import FileLock

    return FileLock(folder / name, thread_local=False)
