"""Parties (companies) and the sites where they make or hold things."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a party does in the rare-earth chain."""

    MINE = "mine"
    SEPARATOR = "separator"
    METAL_ALLOY_MAKER = "metal_alloy_maker"
    MAGNET_MAKER = "magnet_maker"
    COMPONENT_MAKER = "component_maker"
    ASSEMBLER = "assembler"
    OEM = "oem"
    DISTRIBUTOR = "distributor"


@dataclass(frozen=True, slots=True)
class Party:
    """A company. ``country`` is ISO 3166-1 alpha-2.

    ``owner_party_id``/``ownership_pct`` record the largest direct shareholder, so the
    screening look-through (>= 50 % owned by a listed party) can follow the chain.

    The filing particulars are optional: ``name_zh`` (registered Chinese name),
    ``address`` / ``address_zh`` (full registered address), ``uscc`` (统一社会信用代码,
    GB 32100-2015, checked by ``domain.uscc``), ``contact`` and ``telephone``. A Chinese
    exporter files under its registered Chinese name, full address and unified social
    credit code, with a contact and telephone (regime.md §9.6, "Exporter identity").
    ``branch_of_party_id`` says the party is a branch (分公司) of another, whatever the
    shareholding: a branch of a listed party is covered like the party itself
    (regime.md 9.1 row 3).
    """

    party_id: str
    name: str
    country: str
    roles: tuple[Role, ...] = ()
    military_end_user: bool = False
    owner_party_id: str | None = None
    ownership_pct: float | None = None
    notes: str = ""
    name_zh: str = ""
    address: str = ""
    address_zh: str = ""
    uscc: str = ""
    contact: str = ""
    telephone: str = ""
    branch_of_party_id: str | None = None


@dataclass(frozen=True, slots=True)
class Site:
    """A place where a party makes, processes or stocks parts. Country is ISO alpha-2."""

    site_id: str
    party_id: str
    name: str
    country: str
    city: str = ""
    notes: str = ""
