"""Substances in material declarations: units and amounts, and the CAS table.

The CAS table says which element(s) a substance contributes. Only numbers checked
against a source are listed: the source of every entry of ``CAS_TABLE`` is recorded in
``raretrace/data/cas_numbers.csv`` (CAS Common Chemistry records, the element table of
the ``chemicals`` library, Wikipedia chemboxes whose CAS number is marked verified,
ECHA/EC numbers), and a test checks that the file and the table agree, that every number
passes the CAS check digit and that every entry has a source (``docs/ipc1752.md`` lists
them). Oxides are the usual commercial oxide of each rare earth (Pr6O11 and Tb4O7 for Pr
and Tb).

Atomic weights are IUPAC 2021 standard atomic weights (abridged to 5-6 digits), used
only to split a compound's mass into its elements.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

# --------------------------------------------------------------------------- units


class Uom(StrEnum):
    """Units of ``Amount/@UOM`` in IPC-1752A."""

    MG = "mg"
    G = "g"
    KG = "kg"
    PPM = "ppm"
    MASS_PERCENT = "massPercent"

    @property
    def is_mass(self) -> bool:
        return self in (Uom.MG, Uom.G, Uom.KG)


_TO_MG = {Uom.MG: 1.0, Uom.G: 1e3, Uom.KG: 1e6}


_UOM_BY_LOWER = {u.value.lower(): u for u in Uom} | {
    "%": Uom.MASS_PERCENT,
    "percent": Uom.MASS_PERCENT,
    "mass%": Uom.MASS_PERCENT,
    "wt%": Uom.MASS_PERCENT,
}


def parse_uom(text: str) -> Uom:
    """``"mg"``, ``"G"``, ``"masspercent"``, ``"%"`` ... -> ``Uom``; ``ValueError`` if unknown."""
    uom = _UOM_BY_LOWER.get(text.strip().lower())
    if uom is None:
        raise ValueError(f"{text!r} is not a unit (use mg, g, kg, ppm or massPercent)")
    return uom


@dataclass(frozen=True, slots=True)
class Amount:
    """A mass (mg/g/kg) or a share of the enclosing item (ppm/massPercent)."""

    value: float
    uom: Uom

    def mass_mg(self, whole_mg: float | None) -> float | None:
        """Mass in mg; a share needs the enclosing item's mass ``whole_mg``."""
        if self.uom.is_mass:
            return self.value * _TO_MG[self.uom]
        if whole_mg is None:
            return None
        share = self.value / 1e6 if self.uom is Uom.PPM else self.value / 100
        return share * whole_mg


# --------------------------------------------------------------------------- CAS table

#: IUPAC 2021 standard atomic weights of the elements the CAS table uses.
ATOMIC_WEIGHTS: dict[str, float] = {
    "B": 10.81,
    "O": 15.999,
    "Al": 26.98154,
    "Sc": 44.95591,
    "Ti": 47.867,
    "Fe": 55.845,
    "Co": 58.93319,
    "Ni": 58.6934,
    "Cu": 63.546,
    "Ga": 69.723,
    "Y": 88.90584,
    "Zr": 91.224,
    "Nb": 92.90637,
    "Ba": 137.327,
    "La": 138.9055,
    "Ce": 140.116,
    "Pr": 140.9077,
    "Nd": 144.242,
    "Sm": 150.36,
    "Eu": 151.964,
    "Gd": 157.25,
    "Tb": 158.9254,
    "Dy": 162.5,
    "Ho": 164.9303,
    "Er": 167.259,
    "Tm": 168.9342,
    "Yb": 173.045,
    "Lu": 174.9668,
    "Pm": 145.0,
    "Si": 28.085,
    "Cr": 51.9961,
    "Mn": 54.93804,
    "Zn": 65.38,
    "Sn": 118.71,
    "Mo": 95.95,
    "W": 183.84,
    "C": 12.011,
}


@dataclass(frozen=True, slots=True)
class CasEntry:
    """A substance: its name and formula (element -> atoms per formula unit)."""

    cas: str
    name: str
    formula: tuple[tuple[str, int], ...]

    def element_fractions(self) -> dict[str, float]:
        """Mass fraction of each element in the substance (sums to 1)."""
        masses = {el: ATOMIC_WEIGHTS[el] * n for el, n in self.formula}
        total = sum(masses.values())
        return {el: m / total for el, m in masses.items()}


def _e(cas: str, name: str, symbol: str) -> CasEntry:
    return CasEntry(cas, name, ((symbol, 1),))


CAS_TABLE: dict[str, CasEntry] = {
    e.cas: e
    for e in (
        # the 17 rare-earth elements
        _e("7440-20-2", "Scandium", "Sc"),
        _e("7440-65-5", "Yttrium", "Y"),
        _e("7439-91-0", "Lanthanum", "La"),
        _e("7440-45-1", "Cerium", "Ce"),
        _e("7440-10-0", "Praseodymium", "Pr"),
        _e("7440-00-8", "Neodymium", "Nd"),
        _e("7440-12-2", "Promethium", "Pm"),
        _e("7440-19-9", "Samarium", "Sm"),
        _e("7440-53-1", "Europium", "Eu"),
        _e("7440-54-2", "Gadolinium", "Gd"),
        _e("7440-27-9", "Terbium", "Tb"),
        _e("7429-91-6", "Dysprosium", "Dy"),
        _e("7440-60-0", "Holmium", "Ho"),
        _e("7440-52-0", "Erbium", "Er"),
        _e("7440-30-4", "Thulium", "Tm"),
        _e("7440-64-4", "Ytterbium", "Yb"),
        _e("7439-94-3", "Lutetium", "Lu"),
        # rare-earth oxides as traded
        CasEntry("1313-97-9", "Neodymium oxide", (("Nd", 2), ("O", 3))),
        CasEntry("12037-29-5", "Praseodymium oxide", (("Pr", 6), ("O", 11))),
        CasEntry("1308-87-8", "Dysprosium oxide", (("Dy", 2), ("O", 3))),
        CasEntry("12037-01-3", "Terbium oxide", (("Tb", 4), ("O", 7))),
        CasEntry("12060-58-1", "Samarium oxide", (("Sm", 2), ("O", 3))),
        CasEntry("12064-62-9", "Gadolinium oxide", (("Gd", 2), ("O", 3))),
        CasEntry("1314-36-9", "Yttrium oxide", (("Y", 2), ("O", 3))),
        CasEntry("1312-81-8", "Lanthanum oxide", (("La", 2), ("O", 3))),
        CasEntry("1306-38-3", "Cerium dioxide", (("Ce", 1), ("O", 2))),
        CasEntry("1308-96-9", "Europium oxide", (("Eu", 2), ("O", 3))),
        CasEntry("12032-20-1", "Lutetium oxide", (("Lu", 2), ("O", 3))),
        CasEntry("12060-08-1", "Scandium oxide", (("Sc", 2), ("O", 3))),
        # magnet and electronics metals
        _e("7439-89-6", "Iron", "Fe"),
        _e("7440-48-4", "Cobalt", "Co"),
        _e("7440-42-8", "Boron", "B"),
        _e("7440-50-8", "Copper", "Cu"),
        _e("7429-90-5", "Aluminium", "Al"),
        _e("7440-02-0", "Nickel", "Ni"),
        _e("7440-03-1", "Niobium", "Nb"),
        _e("7440-55-3", "Gallium", "Ga"),
        _e("7440-67-7", "Zirconium", "Zr"),
        _e("7440-32-6", "Titanium", "Ti"),
        _e("7440-21-3", "Silicon", "Si"),
        _e("7440-47-3", "Chromium", "Cr"),
        _e("7439-96-5", "Manganese", "Mn"),
        _e("7440-66-6", "Zinc", "Zn"),
        _e("7440-31-5", "Tin", "Sn"),
        _e("7439-98-7", "Molybdenum", "Mo"),
        _e("7440-33-7", "Tungsten", "W"),
        _e("7440-44-0", "Carbon", "C"),
        CasEntry("1309-37-1", "Iron(III) oxide", (("Fe", 2), ("O", 3))),
        CasEntry("1344-28-1", "Aluminium oxide", (("Al", 2), ("O", 3))),
        CasEntry("12047-27-7", "Barium titanate", (("Ba", 1), ("Ti", 1), ("O", 3))),
    )
}

#: Element symbol -> CAS number of the element itself (for export).
ELEMENT_CAS: dict[str, str] = {
    e.formula[0][0]: e.cas for e in CAS_TABLE.values() if len(e.formula) == 1
}
ELEMENT_CAS["O"] = "7782-44-7"
ELEMENT_CAS["Ba"] = "7440-39-3"
CAS_TABLE["7782-44-7"] = CasEntry("7782-44-7", "Oxygen", (("O", 1),))
CAS_TABLE["7440-39-3"] = CasEntry("7440-39-3", "Barium", (("Ba", 1),))
ATOMIC_WEIGHTS.setdefault("O", 15.999)

_CAS_RE = re.compile(r"^(\d{2,7})-(\d{2})-(\d)$")


@lru_cache(maxsize=8192)
def cas_is_valid(cas: str) -> bool:
    """Format ``NNNNNNN-NN-N`` with a correct check digit."""
    m = _CAS_RE.match(cas)
    if not m:
        return False
    digits = (m.group(1) + m.group(2))[::-1]
    return sum((i + 1) * int(d) for i, d in enumerate(digits)) % 10 == int(m.group(3))


__all__ = [
    "ATOMIC_WEIGHTS",
    "CAS_TABLE",
    "ELEMENT_CAS",
    "Amount",
    "CasEntry",
    "Uom",
    "cas_is_valid",
    "parse_uom",
]
