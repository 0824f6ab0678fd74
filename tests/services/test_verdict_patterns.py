"""Per-row answers computed once per pattern of fired rules equal the row-by-row ones."""

from __future__ import annotations

from datetime import date

import numpy as np

from raretrace.rules.evaluation import by_pattern
from raretrace.services.classification import use_cases as classification
from raretrace.services.classification.shipments import fired_rules
from raretrace.workspace import Workspace


def test_codes_and_rule_ids_by_pattern_equal_row_by_row(workspace: Workspace) -> None:
    workspace.load_sample()
    net, book = workspace.network(), workspace.rule_book()
    ids = [p.part_id for p in net.parts]
    for day in (date(2025, 3, 1), date(2025, 12, 1), date(2026, 12, 7)):
        items = classification.classify_parts(net, book, day, ids)
        flows = workspace.rules.determine_flows(day)
        assert items.control_codes_all() == [items.control_codes(i) for i in range(len(ids))]
        assert items.fired_rule_ids_all() == [fired_rules(items, i) for i in range(len(ids))]
        # nothing was controlled before Ann. 2025 No. 18 (4 Apr 2025); the magnets after
        assert any(items.control_codes_all()) is (day >= date(2025, 4, 4))
        assert all(f.rules for f in flows.flows if f.outcome.value == "licence_required")
        assert all(f.control_codes for f in flows.flows if f.outcome.value == "licence_required")


def test_by_pattern_calls_once_per_distinct_column() -> None:
    fired = np.array([[1, 0, 1, 1, 0], [0, 0, 0, 0, 1]] + [[0] * 5] * 9, dtype=bool)  # 11 rules
    calls: list[tuple[int, ...]] = []

    def fn(col: np.ndarray) -> tuple[int, ...]:
        calls.append(tuple(np.flatnonzero(col).tolist()))
        return calls[-1]

    assert by_pattern(fired, fn) == [(0,), (), (0,), (0,), (1,)]
    assert sorted(calls) == [(), (0,), (1,)]
    assert by_pattern(np.zeros((0, 3), bool), fn) == [(), (), ()]
    assert by_pattern(np.zeros((4, 0), bool), fn) == []
