"""Restricted-party screening core: pure, no I/O.

- ``normalise``: transliteration (pypinyin incl. Wade-Giles readings, anyascii), legal
  forms (and their one-letter misspellings), initials, consonant skeletons
- ``native``: Japanese (Hepburn, pykakasi) and Thai (RTGS, pythainlp) readings
- ``features``: the declared, weighted features and their explanations
- ``matcher``: blocking index and ``Matcher`` (one subject or many)
- ``siblings``: one hit for entries listed under the same name; consonant-skeleton index
- ``explain``: what a reviewer reads (non-zero features, evidence against)
- ``ownership``: >= 50 % ownership look-through with paths
"""

from raretrace.screening.matcher import (
    DEFAULT_THRESHOLD,
    REVIEW_THRESHOLD,
    IndexedEntry,
    Match,
    Matcher,
)
from raretrace.screening.ownership import OwnedByListed, look_through

__all__ = [
    "DEFAULT_THRESHOLD",
    "REVIEW_THRESHOLD",
    "IndexedEntry",
    "Match",
    "Matcher",
    "OwnedByListed",
    "look_through",
]
