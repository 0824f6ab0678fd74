"""Chemical elements, and the 17 rare earths among them.

Symbols follow IUPAC. The rare earths are the 15 lanthanides plus scandium and yttrium
(IUPAC, *Nomenclature of Inorganic Chemistry*, 2005, IR-3.5).
"""

from __future__ import annotations

ALL_SYMBOLS: tuple[str, ...] = (
    "H", "He", "Li", "Be", "B", "C", "N", "O", "F", "Ne", "Na", "Mg", "Al", "Si", "P", "S",
    "Cl", "Ar", "K", "Ca", "Sc", "Ti", "V", "Cr", "Mn", "Fe", "Co", "Ni", "Cu", "Zn", "Ga",
    "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y", "Zr", "Nb", "Mo", "Tc", "Ru", "Rh", "Pd",
    "Ag", "Cd", "In", "Sn", "Sb", "Te", "I", "Xe", "Cs", "Ba", "La", "Ce", "Pr", "Nd", "Pm",
    "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W", "Re", "Os",
    "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac", "Th", "Pa",
    "U", "Np", "Pu", "Am", "Cm", "Bk", "Cf", "Es", "Fm", "Md", "No", "Lr", "Rf", "Db", "Sg",
    "Bh", "Hs", "Mt", "Ds", "Rg", "Cn", "Nh", "Fl", "Mc", "Lv", "Ts", "Og",
)  # fmt: skip

#: The 17 rare-earth elements in atomic-number order (Sc, Y, then La..Lu).
RARE_EARTHS: tuple[str, ...] = (
    "Sc", "Y", "La", "Ce", "Pr", "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm",
    "Yb", "Lu",
)  # fmt: skip

#: Heavy/medium rare earths listed by MOFCOM/GAC Announcement 2025 No. 18 (regime.md §1.1).
#: Used only for summaries; the rule packs are the authority for what is controlled.
ANNOUNCEMENT_18_ELEMENTS: tuple[str, ...] = ("Sm", "Gd", "Tb", "Dy", "Lu", "Sc", "Y")

NAMES: dict[str, str] = {
    "Sc": "scandium", "Y": "yttrium", "La": "lanthanum", "Ce": "cerium",
    "Pr": "praseodymium", "Nd": "neodymium", "Pm": "promethium", "Sm": "samarium",
    "Eu": "europium", "Gd": "gadolinium", "Tb": "terbium", "Dy": "dysprosium",
    "Ho": "holmium", "Er": "erbium", "Tm": "thulium", "Yb": "ytterbium", "Lu": "lutetium",
}  # fmt: skip

_BY_LOWER = {s.lower(): s for s in ALL_SYMBOLS}


def normalise_symbol(text: str) -> str | None:
    """Return the canonical symbol for ``text`` ("dy", " DY " -> "Dy"), or None."""
    return _BY_LOWER.get(text.strip().lower())


def is_rare_earth(symbol: str) -> bool:
    return symbol in RARE_EARTHS
