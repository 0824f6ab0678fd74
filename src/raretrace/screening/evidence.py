"""Evidence beside the name score: person vs company, given names, words a listed
name lacks, registration numbers. Each is one explained ``FeatureContribution``."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from raretrace.domain.screening import FeatureContribution, ListEntry
from raretrace.screening.feature_weights import ENTITY_TYPE, EXTRA_WORDS, ID_NUMBER, PERSON_NAMES
from raretrace.screening.features import branch_phrases, token_similarity
from raretrace.screening.ids import IdEvidence
from raretrace.screening.normalise import LEGAL_FORMS, NormalName, normalise

#: Lowest score of a subject sharing a number that names one legal entity (USCC, LEI,
#: IMO, ...) with an entry, whatever the names say.
ID_UNIQUE_FLOOR = 0.90


#: Words that make a name a company's, whatever its legal form.
ORG_WORDS: frozenset[str] = frozenset(
    {
        "company", "trading", "trade", "industries", "industrial", "industry", "group",
        "holdings", "holding", "bank", "shipping", "logistics", "technology", "enterprises",
        "enterprise", "international", "import", "export", "manufacturing", "services",
        "institute", "university", "academy", "corporation", "factory", "plant",
    }
)  # fmt: skip


#: Every word of a legal form ("open" of "open joint stock company").
_FORM_WORDS = frozenset(w for form in LEGAL_FORMS for w in form)


def _form_like(word: str, forms: Sequence[str]) -> bool:
    """A word of a legal form, or a misspelling of a word of one the listed name has
    (Coompany, Liaability)."""
    if word in _FORM_WORDS:
        return True
    return any(token_similarity(word, f) > 0 for form in forms for f in form.split())


def _designation(name: NormalName, free: set[int]) -> set[int]:
    """Free positions of a branch designation: a branch word and the place it names
    (``features.branch_phrases``), up to where a legal form ended the name."""
    return {i for phrase in branch_phrases(name.tokens, free, name.after_form) for i in phrase}


def _distinct_extra(name: NormalName, left: Counter[str], forms: Sequence[str]) -> list[str]:
    """The words of ``name`` left unpaired (``left``, consumed) that identify: three
    letters or more, no number, not a branch word or the place next to one, not an
    organisation word (Trading, Group, ...) and not a legal form's word (``forms``: the
    other name's legal forms, whose misspellings do not identify either)."""
    tokens = name.tokens
    free = set()
    for i, tok in enumerate(tokens):
        if left[tok] > 0:
            left[tok] -= 1
            free.add(i)
    weak = _designation(name, free)
    return [
        tokens[i]
        for i in sorted(free)
        if i not in weak
        and len(tokens[i]) >= 3
        and not tokens[i].isdigit()
        and tokens[i] not in ORG_WORDS
        and not _form_like(tokens[i], forms)
    ]


def score_extra_words(query: NormalName, listed: NormalName, detail: str) -> FeatureContribution:
    """``EXTRA_WORDS``: the subject's name keeps a distinctive word the listed name lacks
    (Meza Flores vs Flores, Leading Edge Sourcing Tamarind vs Leading Edge Sourcing):
    another party of a similar name, for review rather than a hit."""
    rest = detail.partition("; unmatched: ")[2].split(";", 1)[0]
    left = Counter(w for w in rest.split(", ") if w and w != "-")
    mine = _distinct_extra(query, left, listed.legal_forms)
    if not mine:
        return FeatureContribution(EXTRA_WORDS.name, EXTRA_WORDS.weight, 0.0, 0.0, "")
    detail = f"words the listed name lacks: {', '.join(mine)}"
    return FeatureContribution(
        EXTRA_WORDS.name, EXTRA_WORDS.weight, 1.0, EXTRA_WORDS.weight, detail
    )


def id_feature(evidence: IdEvidence | None, score: float) -> FeatureContribution:
    """``ID_NUMBER``: what ``evidence`` (``compare_ids``) adds to ``score``: +weight for an
    equal number, and at least up to ``ID_UNIQUE_FLOOR`` for one that names one legal
    entity; -weight for numbers of one scheme that all differ."""
    w = ID_NUMBER.weight
    if evidence is None:
        return FeatureContribution(ID_NUMBER.name, w, 0.0, 0.0, "")
    if not evidence.equal:
        return FeatureContribution(ID_NUMBER.name, w, 1.0, -w, evidence.detail)
    lift = max(w, ID_UNIQUE_FLOOR - score) if evidence.unique else w
    detail = evidence.detail + (": the same registered party" if evidence.unique else "")
    return FeatureContribution(ID_NUMBER.name, w, 1.0, lift, detail)


def is_person(entry: ListEntry) -> bool:
    return entry.entity_type.lower() in ("individual", "person")


def score_entity_type(query: NormalName, entry: ListEntry) -> FeatureContribution:
    """``ENTITY_TYPE``: a company's name against a listed person."""
    if not is_person(entry):
        return FeatureContribution(ENTITY_TYPE.name, ENTITY_TYPE.weight, 0.0, 0.0, "not a person")
    org = [*query.legal_forms, *(t for t in query.tokens if t in ORG_WORDS)]
    if not org:
        return FeatureContribution(ENTITY_TYPE.name, ENTITY_TYPE.weight, 0.0, 0.0, "person")
    detail = f"person vs company ('{org[0]}')"
    return FeatureContribution(
        ENTITY_TYPE.name, ENTITY_TYPE.weight, 1.0, ENTITY_TYPE.weight, detail
    )


def score_person_names(
    tokens_detail: str, listed: str, entry: ListEntry, query: NormalName | None = None
) -> FeatureContribution:
    """``PERSON_NAMES``: a listed person ("SURNAME, Given" on lists) whose surname
    matched while the given names differ: left unmatched on both sides, or the
    subject's first given name is not the entry's first (Khawla Barzan Ibrahim vs
    Barzan Ibrahim: the listed man's daughter; Ahmad vs Khalil Ahmad)."""
    none = FeatureContribution(PERSON_NAMES.name, PERSON_NAMES.weight, 0.0, 0.0, "")
    if not is_person(entry) or "," not in listed:
        return none
    surname = set(normalise(listed.split(",", 1)[0]).tokens)
    given_tokens = normalise(listed.split(",", 1)[1]).tokens
    given = set(given_tokens)
    matched_part, _, rest = tokens_detail.partition("; unmatched: ")
    matched = {w for m in matched_part.removeprefix("matched: ").split(", ") for w in m.split("~")}
    unmatched = set(rest.split(";", 1)[0].split(", ")) - {"-"}
    theirs = unmatched & given
    mine = unmatched - given - surname
    if surname <= matched and theirs and mine and not (given & matched):
        detail = f"given names differ: {', '.join(sorted(mine))} vs {', '.join(sorted(theirs))}"
        return FeatureContribution(
            PERSON_NAMES.name, PERSON_NAMES.weight, 1.0, PERSON_NAMES.weight, detail
        )
    first = _first_given(query, surname) if query is not None and given_tokens else ""
    if first and not _same_word(first, given_tokens[0]):
        detail = f"first given name differs: {first} vs {given_tokens[0]}"
        return FeatureContribution(PERSON_NAMES.name, PERSON_NAMES.weight, 1.0, FIRST_GIVEN, detail)
    return none


#: What a first given name that is not the listed person's first adds (strong: the
#: surname and the other names of a family are shared).
FIRST_GIVEN = -0.15
#: Particles before a surname, not given names.
_PARTICLES = frozenset({"al", "el", "bin", "ibn", "bint", "ben", "van", "von", "da", "di", "du"})


_VOWELS = frozenset("aeio")


def _same_word(a: str, b: str) -> bool:
    """Equal, an initial of the other, or a close spelling, unless the two differ only
    in a final vowel (Maria / Mario, Daniela / Daniele: the name's other gender)."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    if a != b and a[:-1] == b[:-1] and a[-1] in _VOWELS and b[-1] in _VOWELS:
        return False
    return token_similarity(a, b) > 0


def _first_given(query: NormalName, surname: set[str]) -> str:
    """The subject's first word that is neither a word of the listed surname (or a
    close spelling of one) nor a particle; "" when there is none, or when the surname is
    not all there (then which words are given names is not known)."""
    left = surname - _PARTICLES
    rest: list[str] = []
    for tok in query.tokens:
        if tok in _PARTICLES:
            continue
        hit = next((s for s in sorted(left) if len(tok) > 1 and _same_word(tok, s)), None)
        if hit is not None:
            left.discard(hit)
        else:
            rest.append(tok)
    return rest[0] if rest and not left else ""


__all__ = [
    "FIRST_GIVEN",
    "ID_UNIQUE_FLOOR",
    "ORG_WORDS",
    "id_feature",
    "is_person",
    "score_entity_type",
    "score_extra_words",
    "score_person_names",
]
