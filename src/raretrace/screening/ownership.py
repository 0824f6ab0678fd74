"""Ownership look-through: parties owned 50 % or more by a listed party.

China's presumption of denial (MOFCOM Announcement 2025 No. 61) and the US 50 %
rules reach subsidiaries owned >= 50 % by a listed party, directly or through a
chain. A chain counts when *every* link is >= 50 % (a listed party's majority-owned
subsidiary is treated as listed itself, as under OFAC's 50 % rule); the product of
the link shares is reported alongside, for the reviewer.

``Party`` records only the largest direct shareholder, so shares held by several
listed owners cannot be aggregated here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from raretrace.domain.parties import Party
from raretrace.domain.screening import OwnershipLink

#: Ownership share (percent) at or above which a subsidiary is looked through.
CONTROL_PCT = 50.0


@dataclass(frozen=True, slots=True)
class OwnedByListed:
    """``party_id`` is owned through ``path`` (listed owner first) by ``listed_party_id``."""

    party_id: str
    listed_party_id: str
    path: tuple[OwnershipLink, ...]

    @property
    def effective_pct(self) -> float:
        share = 1.0
        for link in self.path:
            share *= link.pct / 100.0
        return round(share * 100.0, 4)


def look_through(
    parties: Iterable[Party], listed: Iterable[str], *, threshold_pct: float = CONTROL_PCT
) -> list[OwnedByListed]:
    """Every party owned >= ``threshold_pct`` (link by link) by one of ``listed``.

    The nearest listed owner up the chain is reported; listed parties themselves are
    not (they are name hits already). Ownership cycles are cut.
    """
    by_id: Mapping[str, Party] = {p.party_id: p for p in parties}
    listed_ids = set(listed)
    out: list[OwnedByListed] = []
    for party in by_id.values():
        if party.party_id in listed_ids:
            continue
        path: list[OwnershipLink] = []
        seen = {party.party_id}
        current = party
        while (
            current.owner_party_id
            and current.ownership_pct is not None
            and current.ownership_pct >= threshold_pct
            and current.owner_party_id not in seen
        ):
            owner_id = current.owner_party_id
            path.append(OwnershipLink(owner_id, current.party_id, current.ownership_pct))
            if owner_id in listed_ids:
                out.append(OwnedByListed(party.party_id, owner_id, tuple(reversed(path))))
                break
            seen.add(owner_id)
            owner = by_id.get(owner_id)
            if owner is None:
                break
            current = owner
    return sorted(out, key=lambda o: o.party_id)


__all__ = ["CONTROL_PCT", "OwnedByListed", "look_through"]
