"""Exchange rates supplied by the user, for value shares across currencies.

raretrace ships no rates: a value share over inputs priced in several currencies is
unknown (NaN, so a rule that needs it is *uncertain*) unless the caller passes an
``ExchangeRates`` table, which says where its numbers come from (``source``) and for
which date (``as_of``) so that a result can cite them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

__all__ = ["ExchangeRates", "StoredRates"]


@dataclass(frozen=True, slots=True)
class ExchangeRates:
    """``rates[c]``: the value of one unit of currency ``c`` in ``base`` (``base`` itself
    is 1). A currency that is not in the table has no rate: values in it stay unknown."""

    base: str
    as_of: date
    source: str
    rates: Mapping[str, Decimal | float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for code in (self.base, *self.rates):
            if len(code) != 3 or not code.isalpha() or not code.isupper():
                raise ValueError(f"currency {code!r} is not a three-letter ISO 4217 code")
        for code, rate in self.rates.items():
            value = float(rate)
            if not math.isfinite(value) or value <= 0:
                raise ValueError(f"rate for {code} must be a positive number, not {rate}")
        if not self.source.strip():
            raise ValueError("exchange rates need a source (where the numbers come from)")

    def rate(self, currency: str) -> float | None:
        """Units of ``base`` per unit of ``currency``; ``None`` when not in the table."""
        if currency == self.base:
            return 1.0
        value = self.rates.get(currency)
        return None if value is None else float(value)

    def vector(self, currencies: Sequence[str]) -> list[float]:
        """Rates for ``currencies`` in order, NaN where there is none."""
        return [math.nan if (r := self.rate(c)) is None else r for c in currencies]

    def describe(self) -> dict[str, object]:
        """The table as plain values, for a result's provenance."""
        return {
            "base": self.base,
            "as_of": self.as_of.isoformat(),
            "source": self.source,
            "rates": {c: str(r) for c, r in sorted(self.rates.items())},
        }


@dataclass(frozen=True, slots=True)
class StoredRates:
    """A user's rate table kept in the workspace: the rates, the file they were read
    from (name and SHA-256), who stored them and when. Stored tables are never edited,
    so ``rates_id`` names the same numbers for as long as the workspace exists."""

    rates: ExchangeRates
    name: str
    sha256: str
    stored_by: str
    stored_at: datetime
    rates_id: int | None = None

    def describe(self) -> dict[str, object]:
        """The rates' provenance plus where the table came from."""
        return {
            **self.rates.describe(),
            "rates_id": self.rates_id,
            "file": self.name,
            "sha256": self.sha256,
        }
