"""The vectorised path agrees with the per-row explanations."""

from __future__ import annotations

from datetime import date

import numpy as np

from raretrace.rules import PartFacts, RuleBook, classify_items
from raretrace.rules.schema import Outcome


def test_bulk_outcomes_match_explanations(book: RuleBook) -> None:
    rng = np.random.default_rng(7)
    n = 300
    forms = ["metal", "alloy", "oxide", "compound", "target", "magnet", "other"]
    facts = PartFacts.build(
        [f"p{i}" for i in range(n)],
        content=[
            None
            if rng.random() < 0.1
            else {e: float(rng.random() < 0.3) * 0.01 for e in ("Dy", "Tb", "Sm", "Ho", "Lu", "Nd")}
            for _ in range(n)
        ],
        form=[forms[i] for i in rng.integers(0, len(forms), n)],
        magnet_type=[["ndfeb", "smco", "none"][i] for i in rng.integers(0, 3, n)],
        kind=["component"] * n,
    )
    v = classify_items(book, facts, date(2026, 11, 29))
    for i in range(n):
        det = v.determination(i)
        assert det.outcome is v.outcome_of(i)
        assert det.uncertain == bool(v.uncertain[i])
        assert (det.outcome is Outcome.CONTROLLED) == bool(det.control_codes)
