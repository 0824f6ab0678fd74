"""The declared features of a screening score and their weights (see ``features.py``):
each has a name, a weight and a documented meaning, and every hit lists what each
contributed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    weight: float
    doc: str


NAME_TOKENS = Feature(
    "name_tokens",
    0.6,
    "Share of the two names' words that match, in any order, allowing typos (a word "
    "pair matches at rapidfuzz ratio >= 80); each word weighs by its rarity on the list "
    "(inverse document frequency), so 'Gulf Gate Shipping' vs 'Gulf Gate Spedition' "
    "scores low although most letters agree.",
)
NAME_STRING = Feature(
    "name_string",
    0.4,
    "Whole-name similarity after normalisation: the better of rapidfuzz token_sort_ratio "
    "(word order ignored) and ratio of the names without spaces (pinyin word breaks).",
)
INITIALS = Feature(
    "initials",
    0.9,
    "One name is the initials of the other (CETC vs China Electronics Technology Corp.); "
    "used instead of the two name features when it scores higher.",
)
COUNTRY = Feature(
    "country",
    0.05,
    "Supporting evidence: +0.05 when the subject's country is one of the entry's; "
    "-0.15 when both are known and differ; 0 when either is unknown.",
)
NUMBER = Feature(
    "number",
    -0.35,
    "Strong negative evidence: both names hold numbers and they differ (CETC 13th vs "
    "54th Research Institute are different institutes), or one name has a letter "
    "designator the other lacks (Stroytransgaz-M vs Stroytransgaz).",
)
ENTITY_TYPE = Feature(
    "entity_type",
    -0.30,
    "Negative evidence: the entry is a person and the subject's name is a company's "
    "(it carries a legal form or a company word).",
)
PERSON_NAMES = Feature(
    "person_names",
    -0.10,
    "Negative evidence: the entry is a person, the surnames agree and the given names "
    "differ on both sides.",
)
ADDRESS = Feature(
    "address",
    0.05,
    "Supporting evidence: up to +0.05 for address words (city, street) the subject "
    "shares with the entry.",
)
EXTRA_WORDS = Feature(
    "extra_words",
    -0.10,
    "Negative evidence: the subject's name keeps a distinctive word the listed name "
    "lacks (not a branch word or the place next to it, an organisation word, a number "
    "or an initial): Meza Flores vs Flores is another organisation of a similar name.",
)
ID_NUMBER = Feature(
    "id_number",
    0.30,
    "Strong evidence from registration numbers both sides carry (USCC, LEI, IMO, INN, "
    "OGRN, registration, tax numbers; ``screening.ids``): an equal number of one scheme "
    "adds 0.30, and for a number that names one legal entity (USCC, LEI, IMO, INN, "
    "OGRN, DUNS) lifts the score to at least 0.90 whatever the name; numbers of one "
    "scheme that all differ take 0.30.",
)
CONSONANTS = Feature(
    "consonants",
    0.85,
    "A name written in Arabic or Hebrew script (mostly without vowels) whose consonant "
    "skeleton (at least 4 consonants) equals the listed name's (بانک تجارت, bnk tjrt: BANK "
    "TEJARAT), or, where none does, equals it once the letters romanisations disagree on "
    "are folded (sh/ch, dj/j ...), or at 6 consonants or more is the most similar folded "
    "skeleton (0.85 less half the difference); stands in for the name features, which "
    "compare letters the script does not write.",
)
TRANSLATED = Feature(
    "translated",
    0.85,
    "A name in Chinese characters or Arabic script that renders a listed name in Latin "
    "letters partly by translation, partly by sound (特励达·布朗工程公司: Teledyne Brown "
    "Engineering): its glossary words (工程 engineering) are all in the listed name, "
    "its other words sound like the rest (sound keys, ``phonetic``); 0.85 less half the "
    "keys' dissimilarity; stands in for the name features.",
)
COUNTRY_MISMATCH = -0.15

#: Every feature, in the order explanations list them.
FEATURES: tuple[Feature, ...] = (
    NAME_TOKENS,
    NAME_STRING,
    INITIALS,
    NUMBER,
    COUNTRY,
    ADDRESS,
    ENTITY_TYPE,
    PERSON_NAMES,
    EXTRA_WORDS,
    ID_NUMBER,
    CONSONANTS,
    TRANSLATED,
)

#: Weight left to a weak extra word, and to any other extra word of a name that
#: contains the other one whole.
WEAK_EXTRA = 0.1
CONTAINED_EXTRA = 0.5
#: Similarity of two words with the same phonetic key but different letters.
PHONETIC_MATCH = 0.9
#: Similarity of an initial ("E.") paired with a word starting with that letter.
INITIAL_MATCH = 0.85

#: Maximum supporting bonus: a name must score at least ``threshold - MAX_BONUS``.
MAX_BONUS = COUNTRY.weight + ADDRESS.weight

_TOKEN_MATCH = 80.0
_BOUND_BELOW = 0.99
