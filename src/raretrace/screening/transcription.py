"""Chinese renderings of foreign persons' names read back by sound (蓬佩奥 / Michael R.
Pompeo, 约翰·坎蒂伦 / John Cantillon).

Chinese writes a foreign person's name by the transliteration tables of Xinhua
(英语姓名译名手册; the principles of GB/T 17693.1): one character per syllable, a
consonant without a vowel as a syllable of its own (Smith 史密斯 shi-mi-si, Bolton 博尔顿
bo-er-dun: 尔 er for an r or l), and the given and family names joined by the
间隔号 "·" (约翰·坎蒂伦: given · family). A rendering is read back here *part by part*,
each part against one word of a listed person's name:

- the part's pinyin (read character by character, with the readings the tables give
  where the common one differs: 什 shi, 勒 le, 扎 za: ``TRANSLITERATION_READINGS``) and
  its sound key (``phonetic.syllable_key``) and *shape*, the key with a V where a
  syllable has its vowel (``pinyin_shape``; the tables' consonant syllables 斯 克 特
  德 尔 ... have none);
- the listed word's key and shape (``phonetic.english_key``, ``english_shape``), also
  under the tables' rules for letters English spells one way and Chinese hears another:
  a J at the start said as y (扬科夫斯基 Jankowski), v at the start as f (冯 von), a final r
  as 尔 (彼蒂科菲尔 Bütikofer), a final th as t (凯因特 Kainth), ch as sh (泰什 Teich), w
  before a consonant as f (科夫斯基 -kowski).

With a "·", the family part must agree with the listed surname (key similarity at
least ``FAMILY_MIN``) and each given part with a given name (``GIVEN_MIN``), in the
listed order (given names first; a listed given name may be left out), and the parts'
keys have ``FULL_KEY_MIN`` letters together (约翰·帕克 'SN BK' is too short), unless
its given parts are the conventional renderings of the listed given names (约翰 John:
``GIVEN_NAME_RENDERINGS``) or, one letter short, every part agrees in full (瓦希德·纳瓦比
Wahid Nawabi); either way the family part must agree in shape too. A name of
one part is a surname alone (博尔顿): it is read only if every character is one the
tables use (``TRANSLITERATION_CHARACTERS``), its key has three consonants or more and
agrees with the listed surname in key (at least ``SURNAME_MIN``) and shape (a surname
alone reaches the default threshold only when both agree in full), and its best
readings name one listed person (``SURNAME_SHARED``, ``translation_index``): 罗斯 (l-s)
is Ross, Rose or Rice, and is not read.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

from raretrace.screening.phonetic import english_key, english_shape, sound_similarity, syllable_key
from raretrace.screening.translation_tables import (
    CONSONANT_SYLLABLES,
    GIVEN_NAME_RENDERINGS,
    TRANSLITERATION_CHARACTERS,
    TRANSLITERATION_READINGS,
    VOWELLED_CHARACTERS,
)

#: Least key similarity of the family part and the listed surname (a full name).
FAMILY_MIN = 0.8
#: Fewest key letters of a full name's parts together (shorter keys are shared by
#: many: 康纳·希利 'KN SL' would be Conor Healy and Jenny Silva).
FULL_KEY_MIN = 5
#: Least key similarity of each given part and its listed given name.
GIVEN_MIN = 0.5
#: Least key similarity of a surname given alone and the listed surname.
SURNAME_MIN = 0.9
#: Least shape similarity (consonants and syllables) of a surname given alone.
SHAPE_MIN = 0.8
#: Fewest key letters of a surname given alone.
SURNAME_KEY_MIN = 3
#: Most listed persons a surname given alone may be read as (its best readings): a
#: surname two listed persons share (奥布莱恩: Neil and Robert O'Brien) names neither.
SURNAME_SHARED = 1
#: What a surname given alone costs against a full name that agrees as well.
SURNAME_ONLY_COST = 0.05

#: the 间隔号 and the marks writers use for it (邓肯—史密斯: a dash)
_SEPARATORS = re.compile(r"[\u00b7\u30fb\u2022\u2027\u2219\u2014\u2013\u2010\-\s]+")
_HAN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True, slots=True)
class Part:
    """One part of a rendered name (between separators) read in pinyin."""

    text: str
    syllables: tuple[str, ...]
    key: str
    shape: str


@dataclass(frozen=True, slots=True)
class Transcription:
    """A foreign person's name in Chinese characters, cut at its separators."""

    parts: tuple[Part, ...]
    #: every character is one of the tables' (``TRANSLITERATION_CHARACTERS``)
    tabled: bool


@dataclass(frozen=True, slots=True)
class Reading:
    """How a transcription reads as one listed person's name."""

    #: the rendering as written
    text: str
    #: agreement of the family part (or the surname given alone) with the listed
    #: surname: the mean of their key and shape similarities (``agreement``)
    family: float
    #: mean agreement of the given parts with the listed given names (1.0 when none)
    given: float
    surname_only: bool
    #: (part, listed word) pairs, family first
    pairs: tuple[tuple[Part, str], ...]

    @property
    def similarity(self) -> float:
        return (self.family + self.given) / 2.0

    def value(self, weight: float) -> float:
        """``weight`` less half the family part's disagreement and a quarter of the
        given parts', less ``SURNAME_ONLY_COST`` for a surname alone (which reaches
        the default threshold only when it agrees in full)."""
        cost = SURNAME_ONLY_COST if self.surname_only else 0.0
        value = weight - (1.0 - self.family) / 2.0 - (1.0 - self.given) / 4.0 - cost
        return round(value, 6)

    def detail(self) -> str:
        """What was read: 蓬佩奥 read as the sound of 'pompeo' (pinyin peng-pei-ao)."""
        if self.surname_only:
            part, word = self.pairs[0]
            return (
                f"{part.text} read as the sound of '{word}' (pinyin {'-'.join(part.syllables)},"
                f" key '{part.key}', {self.family:.2f}); only the surname was given"
            )
        said = ", ".join(
            f"{p.text} '{w}' (pinyin {'-'.join(p.syllables)})"
            for p, w in sorted(self.pairs, key=lambda x: self.text.find(x[0].text))
        )
        return (
            f"{self.text} read as the sound of {said}; family name {self.family:.2f},"
            f" given name {self.given:.2f}"
        )


def _reading(char: str) -> str:
    if char in TRANSLITERATION_READINGS:
        return TRANSLITERATION_READINGS[char]
    return (lazy_pinyin(char, style=Style.NORMAL, errors="ignore") or [""])[0]


def pinyin_shape(syllables: Sequence[str], characters: str = "") -> str:
    """The key with a V for each syllable that keeps its vowel (the tables' consonant
    syllables, 斯 si, 克 ke, 尔 er, 恩 en ..., keep none, unless the character is one
    the tables write for the syllable with its vowel: 科 ko, 戈 go, ``VOWELLED_CHARACTERS``),
    nasal finals as N: peng-pei-ao -> "BVNBV", bo-er-dun -> "BVLTVN", shi-mi-si ->
    "SMVS"; bi-di-ke-fei-er of 彼蒂科菲尔 -> "BVTVKVFVL" (Bütikofer)."""
    out = []
    for i, s in enumerate(syllables):
        key = syllable_key(s)
        nasal = "N" if s.endswith(("n", "ng")) and key.endswith("N") else ""
        initial = "L" if s == "er" else key[: len(key) - len(nasal)]
        vowelled = i < len(characters) and characters[i] in VOWELLED_CHARACTERS
        if s in CONSONANT_SYLLABLES and not vowelled:
            out.append(initial or nasal)
        else:
            out.append(initial + "V" + nasal)
    return re.sub("V+", "V", "".join(out)).replace("NN", "N")


@lru_cache(maxsize=20_000)
def transcription(name: str) -> Transcription | None:
    """The name's parts, or None when it is not written in Chinese characters and
    separators alone (a legal form, a glossary word, Latin letters: not a person's
    rendering)."""
    text = unicodedata.normalize("NFKC", name).strip()
    pieces = [p for p in _SEPARATORS.split(text) if p]
    if not pieces or not all(_HAN.fullmatch(p) for p in pieces):
        return None
    parts = []
    for piece in pieces:
        syllables = tuple(_reading(c) for c in piece)
        key = "".join(syllable_key(s) for s in syllables).replace("NN", "N")
        shape = pinyin_shape(syllables, piece)
        parts.append(Part(piece, syllables, key, shape))
    tabled = all(c in TRANSLITERATION_CHARACTERS for p in pieces for c in p)
    return Transcription(tuple(parts), tabled)


#: (pattern, replacement) of letters the tables hear otherwise than English spells them
_HEARD = (
    (re.compile("^j"), "y"),  # J said y: 约 雅 扬 (Jankowski 扬科夫斯基)
    (re.compile("^v"), "f"),  # 冯 von
    (re.compile("(?<=[aeiouy])r$"), "rl"),  # a final r as 尔 (菲尔 -fer)
    (re.compile("th$"), "t"),  # 特 for a final th (Kainth 凯因特)
    (re.compile("(?<=[aeiou])ch"), "sh"),  # German ch: 什 (Teich 泰什)
    (re.compile("w(?=[bcdfgjklmnpqstvxz])"), "f"),  # Slavic w: 夫 (-kowski 科夫斯基)
    # an r after a vowel and before a consonant is not written (Gershman 格什曼, Warden
    # 沃登, Turkel 特克尔, Carter 卡特)
    (re.compile("(?<=[aeiouy])r(?=[bcdfghjklmnpqstvwxz])"), ""),
    # a consonant, e/u/i and r before a consonant: the consonant's syllable alone (格
    # ger: Gershman 格什曼; 特 tur: Turkel 特克尔)
    (re.compile("(?<=[bdgkpt])[eiu]r(?=[bcdfghjklmnpqstvwxz])"), ""),
    # a final el after a consonant: the consonant's syllable and 尔 (Merkel 默克尔,
    # Turkel 特克尔)
    (re.compile("(?<=[bdgkpt])el$"), "l"),
)


@lru_cache(maxsize=50_000)
def _heard(word: str) -> tuple[tuple[str, str], ...]:
    """(key, shape) of a listed word as spelled and as the tables may hear it (a final
    e silent or not: Sakaliene 萨卡利埃内)."""
    forms = {word}
    for pattern, repl in _HEARD:
        forms |= {pattern.sub(repl, f) for f in forms}
    heard = {(english_key(f), english_shape(f, silent_e=e)) for f in forms for e in (True, False)}
    return tuple(sorted(heard))


def heard_keys(word: str) -> tuple[str, ...]:
    """The keys of a listed word as spelled and as the tables may hear it."""
    return tuple(dict.fromkeys(key for key, _ in _heard(word)))


def agreement(part: Part, word: str) -> tuple[float, float]:
    """(key similarity, shape similarity) of a part and a listed word, the best of the
    word's heard forms."""
    best = (0.0, 0.0)
    for key, shape in _heard(word):
        sim = sound_similarity(part.key, key)
        if sim >= best[0]:
            best = max(best, (sim, fuzz.ratio(part.shape, shape) / 100.0))
    return best


def read(name: Transcription, tokens: Sequence[str]) -> Reading | None:
    """How ``name`` reads as a listed person's name (``tokens``, given names first,
    surname last; initials left out), or None."""
    tokens = [t for t in tokens if len(t) > 1]
    if not tokens:
        return None
    parts = name.parts
    if len(parts) == 1:
        return _surname_alone(name, parts[0], tokens[-1])
    if len(parts) > len(tokens):
        return None
    family, given = parts[-1], parts[:-1]
    sim, shape = agreement(family, tokens[-1])
    if sim < FAMILY_MIN or len(family.key) < 2:
        return None
    if sum(len(p.key) for p in parts) < FULL_KEY_MIN:
        # short keys are shared by many (约翰·帕克 'SN BK'): only given names written
        # by convention (约翰 John) and a family part agreeing in key and shape
        if shape < SHAPE_MIN:
            return None
        if all(p.text in GIVEN_NAME_RENDERINGS for p in given):
            found = _given(given, tokens[:-1], conventional=True)
        elif sum(len(p.key) for p in parts) < FULL_KEY_MIN - 1 or (sim, shape) < (1.0, 1.0):
            return None
        else:  # one letter short: every part must agree in full (瓦希德·纳瓦比 Wahid Nawabi)
            found = _given(given, tokens[:-1])
            if found is None or min(found[0]) < 1.0:
                return None
    else:
        found = _given(given, tokens[:-1])
    if found is None:
        return None
    sims, pairs = found
    text = "·".join(p.text for p in parts)
    pairs = ((family, tokens[-1]), *pairs)
    return Reading(text, (sim + shape) / 2.0, sum(sims) / len(sims), False, pairs)


def _conventional(part: Part, word: str) -> bool:
    """Whether ``part`` is the conventional rendering of the given name ``word`` (约翰
    John: ``GIVEN_NAME_RENDERINGS``)."""
    return word in GIVEN_NAME_RENDERINGS.get(part.text, ())


def _given(
    parts: Sequence[Part], tokens: Sequence[str], *, conventional: bool = False
) -> tuple[list[float], tuple[tuple[Part, str], ...]] | None:
    """Agreement (mean of key and shape similarity) of the given parts with the listed
    given names, in order (a listed given name may be left out: 邓肯—史密斯 is Duncan Smith
    of Iain Duncan Smith), or None when a key similarity is below ``GIVEN_MIN``. A
    conventional rendering of the listed given name (约翰 John) agrees in full; with
    ``conventional``, only such renderings are accepted."""
    sims: list[float] = []
    pairs: list[tuple[Part, str]] = []
    start = 0
    for part in parts:
        options = range(start, len(tokens))
        scored = [
            ((1.0, 1.0) if _conventional(part, tokens[j]) else agreement(part, tokens[j]), j)
            for j in options
            if not conventional or _conventional(part, tokens[j])
        ]
        if not scored:
            return None
        (sim, shape), j = max(scored)
        if sim < GIVEN_MIN:
            return None
        sims.append((sim + shape) / 2.0)
        pairs.append((part, tokens[j]))
        start = j + 1
    return sims, tuple(pairs)


def _surname_alone(name: Transcription, part: Part, surname: str) -> Reading | None:
    if not name.tabled or len(part.key) < SURNAME_KEY_MIN:
        return None
    sim, shape = agreement(part, surname)
    if sim < SURNAME_MIN or shape < SHAPE_MIN:
        return None
    return Reading(part.text, (sim + shape) / 2.0, 1.0, True, ((part, surname),))


def spelled(name: Transcription) -> str:
    """The name's pinyin letters (ties between listed names of one key)."""
    return "".join(anyascii(p.text).lower() for p in name.parts)


__all__ = [
    "FAMILY_MIN",
    "GIVEN_MIN",
    "SURNAME_MIN",
    "Part",
    "Reading",
    "Transcription",
    "agreement",
    "heard_keys",
    "pinyin_shape",
    "read",
    "spelled",
    "transcription",
]
