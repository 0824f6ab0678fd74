"""Laboratory test reports of a part's heavy rare-earth content (Dy + Tb).

No official minimum content exists for Ann. 18 magnets; in practice, a magnet vendor
reports that magnets with Dy + Tb <= 0.1 % by a third-party test are usually exported
without a licence (regime.md 9.1 row 8: practice, not law). A recorded report lets a
verdict say so, with its source, instead of guessing from declared content.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class TestReport:
    """A test of one part: Dy + Tb as a mass fraction (0.0005 = 0.05 %)."""

    __test__ = False  # not a pytest test class

    part_id: str
    dy_tb_fraction: Decimal
    laboratory: str
    reference: str
    tested_on: date
    recorded_by: str
    recorded_at: datetime
    report_id: int | None = None
