"""Registration numbers as evidence: the same number on both sides is strong evidence
of the same party, two different numbers of the same scheme strong evidence against.

A number is a ``(scheme, value)`` pair. Schemes are those of FollowTheMoney's
identifier properties (``uscCode``, ``leiCode``, ``imoNumber``, ``innCode``,
``ogrnCode``, ``registrationNumber``, ...) and the labels of the US Consolidated
Screening List's ``ids`` column ("Unified Social Credit Code (USCC)", "Registration
ID", "Tax ID No.", "IMO", ...). Values are compared in upper case without spaces,
dots, dashes or slashes ("91110000-10001766X.4" is "9111000010001766X4").

Only numbers of one scheme are compared: a tax number and a registration number of
the same company differ without saying anything. Generic company registration
numbers (``registration``) are compared only where the two sides do not name
different countries, as registers number independently.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

#: FtM property -> scheme.
FTM_ID_PROPERTIES: dict[str, str] = {
    "uscCode": "uscc",
    "leiCode": "lei",
    "imoNumber": "imo",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "registrationNumber": "registration",
    "taxNumber": "tax",
    "vatCode": "vat",
    "swiftBic": "swift",
    "dunsCode": "duns",
    "passportNumber": "passport",
    "idNumber": "national_id",
    "unscId": "un_ref",
}

#: CSL ``ids`` label (lower case, as published) -> scheme; checked in this order, the
#: first label the text starts with wins.
_CSL_LABELS: tuple[tuple[str, str], ...] = (
    ("unified social credit code", "uscc"),
    ("uscc", "uscc"),
    ("legal entity number", "lei"),
    ("lei", "lei"),
    ("imo", "imo"),
    ("vessel registration identification", "imo"),
    ("swift/bic", "swift"),
    ("d-u-n-s number", "duns"),
    ("duns", "duns"),
    ("v.a.t. number", "vat"),
    ("vat number", "vat"),
    ("tax id no", "tax"),
    ("tax id", "tax"),
    ("registration id", "registration"),
    ("registration number", "registration"),
    ("business registration number", "registration"),
    ("public registration number", "registration"),
    ("company number", "registration"),
    ("commercial registry number", "registration"),
    ("chamber of commerce number", "registration"),
    ("matricula mercantil no", "registration"),
    ("passport", "passport"),
    ("national id no", "national_id"),
    ("national identification number", "national_id"),
    ("un ref", "un_ref"),
    ("un reference", "un_ref"),
)

#: What each scheme is called in explanations.
SCHEME_NAMES: dict[str, str] = {
    "uscc": "USCC",
    "lei": "LEI",
    "imo": "IMO number",
    "inn": "INN",
    "ogrn": "OGRN",
    "registration": "registration number",
    "tax": "tax number",
    "vat": "VAT number",
    "swift": "SWIFT/BIC",
    "duns": "DUNS number",
    "passport": "passport number",
    "national_id": "national ID number",
    "un_ref": "UN reference",
}

#: Schemes whose number names one legal entity (or vessel) world-wide or in its
#: register: the same number is the same party whatever the name says.
UNIQUE_SCHEMES = frozenset({"uscc", "lei", "imo", "inn", "ogrn", "duns"})
#: Schemes whose number names one person or party, so that two *list entries* sharing
#: one are one party listed twice (``shared_identity``): the unique schemes, passport
#: and national ID numbers, and the UN Security Council's reference number, which
#: other lists cite for the parties they list after the UN ("QDi.292").
IDENTITY_SCHEMES = UNIQUE_SCHEMES | {"passport", "national_id", "un_ref"}
#: Fewest characters (normalised) a passport or national ID number needs to be taken
#: as one person's: shorter numbers recur between countries' series.
IDENTITY_MIN = 6


@dataclass(frozen=True, slots=True)
class IdEvidence:
    """What the numbers both sides carry say: ``equal`` (some number agrees) or not
    (numbers of one scheme all differ); ``unique``: the equal number is of a scheme in
    ``UNIQUE_SCHEMES``."""

    equal: bool
    unique: bool
    detail: str


_NOISE = re.compile(r"[\s.\-/]")
_DIGIT = re.compile(r"\d")


def normalise_id(value: str) -> str:
    return _NOISE.sub("", value).upper()


def scheme_of_label(label: str) -> str | None:
    """The scheme a CSL ``ids`` label names, or None."""
    text = label.strip().lower()
    for prefix, scheme in _CSL_LABELS:
        if text.startswith(prefix):
            return scheme
    return None


def _csl_part(part: str) -> tuple[str, str] | None:
    """The (scheme, number) of one part of a CSL ``ids`` cell, or None."""
    bits = [b.strip() for b in part.split(",") if b.strip()]
    scheme = None
    for b in bits:
        if (scheme := scheme_of_label(b)) is not None:
            break
    if scheme is None:
        return None
    for b in bits:
        value = b
        if value.upper().startswith("IMO ") and scheme == "imo":
            value = value[4:]
        if scheme_of_label(b) is not None and not value[:1].isdigit():
            continue
        if len(value) == 2 and value.isalpha():  # the issuing country
            continue
        if _DIGIT.search(value) and len(normalise_id(value)) >= 4:
            return scheme, normalise_id(value)
    return None


def parse_csl_ids(cell: str) -> tuple[tuple[str, str], ...]:
    """Registration and identity numbers in a CSL ``ids`` cell ("Registration ID,
    C122790; Tax ID No., 5030056754"; "Passport, 836238033, KP"; the order of label,
    number and country varies between exports, and "IMO 8898831, Vessel Registration
    Identification" carries the scheme in the number). Other parts (websites,
    directives, gender) are left: ``csl_ids_left`` names them."""
    found = [hit for part in cell.split(";") if (hit := _csl_part(part)) is not None]
    return tuple(dict.fromkeys(found))


def csl_ids_left(cell: str) -> list[str]:
    """The label (first item) of each part of a CSL ``ids`` cell that ``parse_csl_ids``
    does not keep ("Website", "Gender", "Executive Order 13662 Directive ...")."""
    out = []
    for part in cell.split(";"):
        bits = [b.strip() for b in part.split(",") if b.strip()]
        if bits and _csl_part(part) is None:
            words = [b for b in bits if not _DIGIT.search(b)] or bits
            out.append(words[0][:60])
    return out


def compare_ids(
    subject: Sequence[tuple[str, str]],
    entry: Sequence[tuple[str, str]],
    *,
    subject_country: str = "",
    entry_countries: Iterable[str] = (),
) -> IdEvidence | None:
    """Evidence from numbers of the same scheme on both sides, or None if there is none.
    Equal in any scheme wins over different in another (a company keeps one USCC but
    may be listed with an old registration number)."""
    if not subject or not entry:
        return None
    mine: dict[str, set[str]] = {}
    for scheme, value in subject:
        mine.setdefault(scheme, set()).add(normalise_id(value))
    theirs: dict[str, set[str]] = {}
    for scheme, value in entry:
        theirs.setdefault(scheme, set()).add(normalise_id(value))
    countries = {c.upper() for c in entry_countries}
    equal: list[str] = []
    different: list[str] = []
    unique = False
    for scheme in sorted(mine.keys() & theirs.keys()):
        if (
            scheme == "registration"
            and subject_country
            and countries
            and subject_country.upper() not in countries
        ):
            continue  # different registers number independently
        same = mine[scheme] & theirs[scheme]
        name = SCHEME_NAMES.get(scheme, scheme)
        if same:
            equal.append(f"same {name} {sorted(same)[0]}")
            unique = unique or scheme in UNIQUE_SCHEMES
        else:
            different.append(
                f"different {name}: {sorted(mine[scheme])[0]} vs {sorted(theirs[scheme])[0]}"
            )
    if equal:
        return IdEvidence(True, unique, "; ".join(equal))
    if different:
        return IdEvidence(False, False, "; ".join(different))
    return None


def index_key(scheme: str, value: str) -> str:
    return f"{scheme}:{normalise_id(value)}"


def identity_keys(ids: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The numbers of ``ids`` that name one party (``IDENTITY_SCHEMES``; passport and
    national ID numbers of ``IDENTITY_MIN`` characters or more, with a digit), as
    (scheme, normalised value). A passport or national ID number of digits only is
    taken without its leading zeros: lists kept in spreadsheets lose them (the SDN
    list's passport 002954347 is the UK list's 2954347)."""
    out: list[tuple[str, str]] = []
    for scheme, value in ids:
        if scheme not in IDENTITY_SCHEMES:
            continue
        norm = normalise_id(value)
        if not _DIGIT.search(norm):
            continue
        if scheme in ("passport", "national_id") and norm.isdigit():
            norm = norm.lstrip("0")
        if scheme in ("passport", "national_id") and len(norm) < IDENTITY_MIN:
            continue
        out.append((scheme, norm))
    return tuple(dict.fromkeys(out))


def ambiguous_identity(
    entries: Iterable[tuple[str, Sequence[tuple[str, str]]]],
) -> frozenset[tuple[str, str]]:
    """The ``identity_keys`` that one list carries on two of its entries, of (list,
    ids) pairs: such a number does not tell that list's parties apart (the UN list
    gives passport 6620505 to two persons), so it makes no two entries one party."""
    counted: set[tuple[str, tuple[str, str]]] = set()
    out: set[tuple[str, str]] = set()
    for listed, ids in entries:
        for key in identity_keys(ids):
            if (listed, key) in counted:
                out.add(key)
            counted.add((listed, key))
    return frozenset(out)


def shared_identity(
    a: Iterable[tuple[str, str]],
    b: Iterable[tuple[str, str]],
    ambiguous: frozenset[tuple[str, str]] = frozenset(),
) -> str:
    """What makes two list entries one party by their numbers ("same passport number
    1084010"), "" when they share no number of ``IDENTITY_SCHEMES`` (those in
    ``ambiguous`` left out, see ``ambiguous_identity``)."""
    theirs = set(identity_keys(b))
    same = [key for key in identity_keys(a) if key in theirs and key not in ambiguous]
    return "; ".join(f"same {SCHEME_NAMES.get(s, s)} {v}" for s, v in same)


__all__ = [
    "FTM_ID_PROPERTIES",
    "IDENTITY_MIN",
    "IDENTITY_SCHEMES",
    "SCHEME_NAMES",
    "UNIQUE_SCHEMES",
    "IdEvidence",
    "ambiguous_identity",
    "compare_ids",
    "csl_ids_left",
    "identity_keys",
    "index_key",
    "normalise_id",
    "parse_csl_ids",
    "scheme_of_label",
    "shared_identity",
]
