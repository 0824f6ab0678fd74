"""A licence ledger's ``recorded_at`` follows the order entries were appended (entry
ids), even when many writers book at once: "now" is read only after the licence's lock
is held (SQLite's write lock, PostgreSQL's row lock), so a writer that waited for the
lock cannot record an earlier time than the one that went before it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, timedelta

from tests.services.test_licensing import _licence, _ship

from raretrace.domain.clock import china_day
from raretrace.domain.ledger import EntryKind
from raretrace.settings import Settings
from raretrace.workspace import Workspace


class TickingClock:
    """Each reading is one millisecond after the previous one, whichever thread reads;
    a reading also yields the processor, so that a writer that read "now" before taking
    the lock would be overtaken by another (the defect this test guards against)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._at = datetime(2026, 6, 1, 4, 0, tzinfo=UTC)

    def now(self) -> datetime:
        with self._lock:
            self._at += timedelta(milliseconds=1)
            at = self._at
        time.sleep(0.002)
        return at

    def today(self) -> date:
        return china_day(self.now())


def test_recorded_at_follows_append_order_under_concurrent_writers(settings: Settings) -> None:
    with Workspace.open(settings, clock=TickingClock()) as ws:
        lic = ws.licensing
        lic.add_licence(_licence(kg=1000), actor="officer")

        def book(i: int) -> int | None:
            result = lic.ship(_ship(f"S{i:02d}"), "L-1", actor=f"t{i}")
            assert result.accepted and result.entry is not None
            if i % 4 == 0:  # some writers reverse what they booked, in another transaction
                assert result.entry.entry_id is not None
                lic.reverse(result.entry.entry_id, actor=f"t{i}", reason="test")
            return result.entry.entry_id

        with ThreadPoolExecutor(max_workers=8) as pool:
            booked = list(pool.map(book, range(24)))
        assert None not in booked
        entries = lic.ledger("L-1")
        kinds = [e.kind for e in entries]
        assert kinds.count(EntryKind.DRAWDOWN) == 24 and kinds.count(EntryKind.REVERSAL) == 6
        by_id = sorted(entries, key=lambda e: e.entry_id or 0)
        times = [e.recorded_at for e in by_id]
        assert times == sorted(times)
        assert len(set(times[1:])) == len(times) - 1  # each booking read its own "now"
