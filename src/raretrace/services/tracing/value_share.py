"""Exact Chinese-origin value share (Ann. 61 item 1(1), the 0.1 % test) through every
BOM level.

For one unit of a node (a part made at a site), the value of the Chinese-origin Annex 1
Part 1 material in it: every input, at every level below, that enters the chain at a
Chinese site as a Part 1 metal, alloy or oxide carrying a Part 1 element counts at its
unit value times the units of it in one unit of the node. The walk goes *through*
magnets and assemblies (a Japanese motor's Chinese Dy counts through the Japanese
magnet), and stops at a counted input (its own inputs are already in its value).

Everything is a ``Fraction``: unit values are the stored decimals, quantities and
shares are read back from their decimal text (15 significant digits: the stored values
are decimals, and a float product of two of them is recovered exactly). So a Dy input
worth exactly 0.1 % of the magnet's value is 1/1000, never 0.000999... ``None`` means
unknown: the node has no value or no inputs, a counted input is unpriced or priced in a
currency with no rate, or Part 1 content was declared above what the inputs explain
(its origin is not known).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction

import numpy as np

from raretrace.analytics.matrices import CompiledNetwork
from raretrace.analytics.rollup import Rollup
from raretrace.domain.currency import ExchangeRates

__all__ = ["ExactShares", "exact"]


def exact(x: float) -> Fraction:
    """A stored decimal read back from its float: 15 significant digits."""
    return Fraction(Decimal(f"{x:.15g}"))


class ExactShares:
    """Memoised exact shares over one compiled network."""

    def __init__(
        self,
        c: CompiledNetwork,
        r: Rollup,
        *,
        elements: tuple[str, ...],
        counted: np.ndarray,
        origin_country: str,
        values: Mapping[str, tuple[Decimal | None, str | None]],
        rates: ExchangeRates | None = None,
    ) -> None:
        self.c = c
        cols = [i for i, e in enumerate(r.elements) if e in elements]
        self.carries = r.content_kg[:, cols].sum(axis=1) > 0 if cols else np.zeros(c.n_nodes, bool)
        country = c.net.countries.index(origin_country) if origin_country in c.net.countries else -2
        self.counted = counted & self.carries & (c.node_country() == country)
        residual = np.zeros(c.n_nodes, dtype=bool)
        if cols and len(r.residual_node):
            residual[r.residual_node[r.residual_kg[:, cols].sum(axis=1) > 0]] = True
        self.residual = residual
        self.part_ids = c.net.part_ids  # (a list of a million ids costs 0.3 s, 60 MB)
        self.values = values
        self.rates = rates
        self._memo: dict[tuple[int, str | None], Fraction | None] = {}

    def _value(self, node: int, currency: str | None) -> Fraction | None:
        """Unit value of ``node``'s part in ``currency`` (converted with the rates)."""
        value, cur = self.values.get(self.part_ids[int(self.c.node_part[node])], (None, None))
        if value is None or cur is None:
            return None
        if currency is None or cur == currency:
            return Fraction(value)
        if self.rates is None:
            return None
        a, b = self.rates.rate(cur), self.rates.rate(currency)
        if a is None or b is None:
            return None
        return Fraction(value) * exact(a) / exact(b)

    def _currency(self, node: int) -> str | None:
        return self.values.get(self.part_ids[int(self.c.node_part[node])], (None, None))[1]

    def cn_value(self, node: int, currency: str | None) -> Fraction | None:
        """Value of counted inputs in one unit of ``node`` (in ``currency``)."""
        key = (node, currency)
        if key in self._memo:
            return self._memo[key]
        self._memo[key] = None  # cycle guard: a cycle means unknown
        if self.residual[node]:
            return None
        c = self.c
        total = Fraction(0)
        for k in range(int(c.fwd_indptr[node]), int(c.fwd_indptr[node + 1])):
            j = int(c.fwd_indices[k])
            if not self.carries[j]:
                continue
            units = exact(float(c.fwd_data[k]))
            v = self._value(j, currency) if self.counted[j] else self.cn_value(j, currency)
            if v is None:
                return None
            total += units * v
        self._memo[key] = total
        return total

    def share(self, node: int) -> Fraction | None:
        """Counted input value / the node's own unit value, exactly."""
        c = self.c
        if c.fwd_indptr[node + 1] == c.fwd_indptr[node]:
            return None
        currency = self._currency(node)
        own = self._value(node, currency)
        if own is None or own <= 0:
            return None
        base = self.rates.base if self.rates is not None else currency
        value = self.cn_value(node, base)
        if value is None:
            return None
        if base != currency:
            own = self._value(node, base)
            if own is None or own <= 0:
                return None
        return value / own
