"""Check a scenario's ids against the network it will run on (pure).

The pydantic schema (``analytics.scenarios``) checks shapes, enums and number ranges;
this module checks every *name* a scenario uses against the workspace's network: the
countries of ``exporters``/``destinations``, party, site and part ids, ``watch`` nodes
(``site/part``), demand products and the controlled elements. It reads the raw
mapping (what the YAML file or the API gave), so it finds the unknown ids even where
the schema also rejected something, and every problem comes back in one pass with its
key path (``licensing.0.exporters.1``). A scenario with an unknown id is never run:
a typo would otherwise match nothing and report "no stoppage".
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from raretrace.analytics.matrices import PRODUCT, UNKNOWN, UNKNOWN_COUNTRY, CompiledNetwork
from raretrace.domain.elements import ALL_SYMBOLS

__all__ = ["Loc", "check_ids"]

Loc = tuple[str | int, ...]


class _Names:
    def __init__(self, c: CompiledNetwork) -> None:
        net = c.net
        self.countries = {net.countries[int(i)] for i in net.site_country.tolist()}
        self.countries.discard(UNKNOWN_COUNTRY)
        self.parties = {str(x) for x in net.party_ids.tolist()} - {UNKNOWN}
        self.sites = {str(x) for x in net.site_ids.tolist()} - {UNKNOWN}
        self.parts = {str(x) for x in net.part_ids.tolist()}
        self.products = {
            str(p) for p, k in zip(net.part_ids.tolist(), net.part_kind.tolist(), strict=True)
            if int(k) == PRODUCT
        }  # fmt: skip
        self.nodes = {c.label(n) for n in range(c.n_nodes)}


def check_ids(c: CompiledNetwork, data: Any) -> list[tuple[Loc, str]]:
    """(key path, message) for every id in scenario ``data`` the network lacks."""
    if not isinstance(data, dict):
        return []
    n = _Names(c)
    out: list[tuple[Loc, str]] = []

    def each(key: str) -> Iterable[tuple[int, dict[str, Any]]]:
        items = data.get(key)
        if isinstance(items, list):
            for i, x in enumerate(items):
                if isinstance(x, dict):
                    yield i, x

    def one(loc: Loc, value: Any, known: set[str], what: str) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            out.append((loc, f"expected a {what} id (text), got {value!r}"))
        elif value not in known:
            out.append((loc, f"unknown {what} {value!r}{_hint(value, known)}"))

    def many(loc: Loc, values: Any, known: set[str], what: str) -> None:
        if isinstance(values, list):
            for j, v in enumerate(values):
                one((*loc, j), v, known, what)

    for key in ("licensing", "embargoes"):
        for i, rule in each(key):
            many((key, i, "exporters"), rule.get("exporters"), n.countries, "country")
            many((key, i, "destinations"), rule.get("destinations"), n.countries, "country")
            many((key, i, "parties"), rule.get("parties"), n.parties, "party")
            many((key, i, "parts"), rule.get("parts"), n.parts, "part")
    for i, o in each("outages"):
        one(("outages", i, "site"), o.get("site"), n.sites, "site")
        one(("outages", i, "party"), o.get("party"), n.parties, "party")
    for i, st in each("stock"):
        one(("stock", i, "site"), st.get("site"), n.sites, "site")
        one(("stock", i, "part"), st.get("part"), n.parts, "part")
    for i, d in each("demand"):
        prod = d.get("product")
        if isinstance(prod, str) and prod in n.parts and prod not in n.products:
            out.append((("demand", i, "product"), f"part {prod!r} is not a product"))
        else:
            one(("demand", i, "product"), prod, n.parts, "product")
        one(("demand", i, "site"), d.get("site"), n.sites, "site")
    for i, a in each("alternatives"):
        one(("alternatives", i, "part"), a.get("part"), n.parts, "part")
        one(("alternatives", i, "site"), a.get("site"), n.sites, "site")
    for i, a in each("spare_capacity"):
        one(("spare_capacity", i, "supplier"), a.get("supplier"), n.sites, "site")
        one(("spare_capacity", i, "part"), a.get("part"), n.parts, "part")
        one(("spare_capacity", i, "buyer"), a.get("buyer"), n.sites, "site")
    watch = data.get("watch")
    if isinstance(watch, list):
        for j, w in enumerate(watch):
            if isinstance(w, str) and "/" not in w:
                out.append((("watch", j), f"{w!r}: a watched node is written 'site/part'"))
            else:
                one(("watch", j), w, n.nodes, "node (site/part)")
    elements = data.get("controlled_elements")
    many(("controlled_elements",), elements, set(ALL_SYMBOLS), "element")
    return out


def _hint(value: str, known: set[str]) -> str:
    """' (did you mean 'CN'?)' when a close id exists."""
    from difflib import get_close_matches

    if len(known) > 5000:
        return ""
    close = get_close_matches(value, sorted(known), n=1, cutoff=0.6)
    upper = [k for k in known if k.upper() == value.upper()]
    guess = upper[0] if upper else (close[0] if close else None)
    return f" (did you mean {guess!r}?)" if guess else ""
