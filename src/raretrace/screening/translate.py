"""Names a list translates: a party's name in Chinese characters or Arabic script
against a listed name in Latin letters that renders it partly by translation, partly
by sound (通用原子航空系统公司 / General Atomics Aeronautical Systems; 特励达·布朗工程公司
/ Teledyne Brown Engineering; شركة الكوثر / Al Kawthar Company).

The name is cut into *units*: ordinary words of a glossary (``translation_tables``:
系统 systems, 工程 engineering, شركة company), Latin letters and digits kept as they
are (L3哈里斯: "l3"), and *sound runs*, the rest (特励达, 布朗, الكوثر). A listed name
matches when

- every glossary word finds one of its senses among the listed name's words (a few,
  such as group, holdings or the country, may be missing: ``OPTIONAL_SENSES``), and
  each Latin unit a word equal to it or starting with it (l3harris);
- the listed words left over and the sound runs, both reduced to sound keys
  (``phonetic``: pinyin or Hepburn reading for Chinese characters; the consonant
  skeleton for Arabic), are similar: rapidfuzz ratio of the two keys at least
  ``SOUND_MIN``; sounds alone (nothing else matched) need longer keys and match a
  person only with a person, a company (a legal form such as 公司) only with an
  organisation, and a name in Arabic script or Cyrillic only if it is an
  organisation's (``organisation``: persons' Arabic names go to ``siblings``, their
  Cyrillic names are read).

The value is ``TRANSLATED.weight`` less half the keys' dissimilarity (equal: 0.85).
``translation_index`` finds the candidates and keeps the best-valued names; only names
without a name of the query's script on their entry are compared (those are matched by
the ordinary path), and none that read as pinyin.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from anyascii import anyascii
from pypinyin import lazy_pinyin
from rapidfuzz import fuzz

from raretrace.screening.feature_weights import TRANSLATED
from raretrace.screening.name_tables import ABBREVIATIONS, HANGUL_LEGAL_FORMS, LEGAL_FORMS
from raretrace.screening.native import japanese_forms, japanese_reading
from raretrace.screening.normalise import consonants
from raretrace.screening.phonetic import english_key, pinyin_key, sound_similarity
from raretrace.screening.siblings import alike_similarity, fold
from raretrace.screening.slavic import CYRILLIC, language
from raretrace.screening.translation_tables import (
    ARABIC_FORMS,
    ARABIC_PARTICLES,
    ARABIC_WORDS,
    BELARUSIAN_FORM_STEMS,
    BELARUSIAN_FORMS,
    CYRILLIC_ABBREVIATIONS,
    CYRILLIC_ENDING,
    CYRILLIC_FORM_STEMS,
    CYRILLIC_FORMS,
    CYRILLIC_PREFIXES,
    CYRILLIC_SKIP,
    CYRILLIC_WORDS,
    HAN_FORMS,
    HAN_PLACES,
    HAN_WORDS,
    HANGUL_WORDS,
    LISTED_OPTIONAL,
    OPTIONAL_SENSES,
    ORGANISATION_SENSES,
)

#: Fewest letters the sound keys (query and listed side together) need when sounds
#: alone make the match (no glossary word, no Latin unit): short keys are shared by
#: too many names.
KEY_MIN = 8
#: Fewest key letters of the sound runs when a glossary word or Latin unit also matched.
KEY_MIN_WITH_WORDS = 3
#: Fewest key letters on each side for a person's name matched by sound alone.
PERSON_KEY_MIN = 5
#: Lowest similarity of the sound keys (``phonetic.sound_similarity``).
SOUND_MIN = 0.8

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z0-9]+")
#: Russian adjective endings a sound word drops (Челябинский -> chelyabinsk, as the
#: English name writes the town)
_ADJECTIVE = re.compile(r"(?<=\w{4})(ий|ый|ой|ая|яя|ое|ее|ые|ие|ого|его|і|ы|ае|ага)$")
#: the glossary's words and the places, each place also as its pinyin syllables
#: apart (宁波: Ningbo, Ning Bo)
_HAN_GLOSSARY: dict[str, tuple[str, ...]] = {
    **HAN_WORDS,
    **{
        form: (*senses, " ".join(lazy_pinyin(place)))
        for place, senses in HAN_PLACES.items()
        for form in (place, place + "市", place + "省")
    },
}
#: the places and their forms with 市 (city) and 省 (province) after them
_PLACE_FORMS = frozenset(p + end for p in HAN_PLACES for end in ("", "市", "省"))
#: listed words that name a place of ``HAN_PLACES``
_LISTED_PLACES = frozenset(s for senses in HAN_PLACES.values() for s in senses if " " not in s)
_HAN_WORDS = re.compile(
    "(" + "|".join(sorted(map(re.escape, _HAN_GLOSSARY), key=len, reverse=True)) + ")"
)
_HAN_FORMS = re.compile("|".join(map(re.escape, HAN_FORMS)))
#: stress marks of Russian dictionaries and teaching texts (Ка́мский автомоби́льный)
_STRESS = re.compile("[\u0300\u0301]")
#: a bracketed acronym after a name: its abbreviation, not a word of it
_ACRONYM = re.compile(r"\(\s*[A-ZА-ЯЁ]{2,6}\s*\)")
#: Latin letters the Official Journal and other lists print inside Cyrillic words (a
#: Latin i in Belarusian and Ukrainian words, Рэспублiканскае; a Latin O starting
#: Oткрытое): their Cyrillic look-alikes (i as the Belarusian and Ukrainian і)
_HOMOGLYPHS = str.maketrans("aceiopxyACEIOPXYKMTHB", "асеіорхуАСЕІОРХУКМТНВ")
_LOOK_ALIKE = frozenset("aceiopxy")
_MIXED_WORD = re.compile(r"\w*[\u0400-\u04ff]\w*")
#: a word of Latin capitals that look like Cyrillic ones, hyphened to a Cyrillic word
_LOOK_ALIKE_WORD = re.compile(
    r"(?<=[\u0400-\u04ff]-)([ACEHKMOPTXBY]{2,})\b|\b([ACEHKMOPTXBY]{2,})(?=-[\u0400-\u04ff])"
)
#: the apostrophe Belarusian and Ukrainian write inside a word (аб'яднанне, з'їзд),
#: and the typographic one lists print for it: no word break
_INNER_APOSTROPHE = re.compile("(?<=[\u0400-\u04ff])['\u2019\u02bc](?=[\u0400-\u04ff])")
#: the language a list names before a name it prints ("Russian: Росгвардия")
_LANGUAGE = re.compile(r"^\W*(?:russian|belaruss?ian|ukrainian|kazakh)\s*[:,]\s*", re.IGNORECASE)
#: ... and a second rendering a list gives after the first, in another language
#: (Белорусский республиканский союз молодёжи Belarusian: Беларускі ...): the first kept
_SECOND_LANGUAGE = re.compile(
    r"(?<=\w)\W+(?:russian|belaruss?ian|ukrainian|kazakh)\s*:.*$", re.IGNORECASE | re.DOTALL
)
#: what a Russian town adjective may add between the town's name and -ск (Златоуст-ов-
#: ский, Туапс(е)-ин-ский, Дубн(а)-ен-ский), four letters of the town at least left
_TOWN_LINK = re.compile(r"(?<=\w{4})(?:ов|ев|ин|ен)$")
_ARABIC_MARKS = re.compile(r"[\u064b-\u065f\u0670\u0640]")  # harakat, dagger alif, tatweel
#: Persian and Urdu letters written as their Arabic counterparts (alif madda, آ, left:
#: آل is a word's own letters, Persian آلومینا alumina, never the article ال)
_ARABIC_FOLD = str.maketrans("کیہھۃأإى", "كيههةاا" + "ي")
_ARABIC_FORM = re.compile(ARABIC_FORMS)
#: the Islamic Republic of Iran, one word of the glossary (the country, which a body's
#: name may leave out)
_IRAN = re.compile("جمهوري\\s+اسلامي\\s+ايران")


@dataclass(frozen=True, slots=True)
class Unit:
    """One piece of a name: a glossary ``word`` (with its English ``senses``), a
    ``latin`` token, or a ``sound`` run (with its sound ``key``)."""

    kind: str
    text: str
    senses: tuple[tuple[str, ...], ...] = ()
    key: str = ""
    #: the run's Hepburn reading, where every character has one (川崎: "kawasaki")
    reading: str = ""
    #: the run begins a word of the name (after a separator: 特励达·布朗)
    starts_word: bool = True
    #: other spellings of the town a Cyrillic adjective names (Златоустовский:
    #: "zlatoust"; Красногорский: "krasnogorsk"), compared like ``reading``
    towns: tuple[str, ...] = ()
    #: a Belarusian word, which writes an unstressed o as а (Лагекс: Logex; Iзавак:
    #: Izovac): compared with o and a as one
    akanye: bool = False
    #: a Cyrillic acronym (ОДК, ДМЗ: capitals in a name written in lower case, or no
    #: vowel): may stand for the words its letters begin (``_acronyms``)
    acronym: bool = False
    #: a place's name (``HAN_PLACES``): optional, but never against another place
    place: bool = False


def _senses(word: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The senses as tokens, longest first ("money exchange" before "exchange")."""
    out = [tuple(ABBREVIATIONS.get(t, t) for t in s.split()) for s in word]
    return tuple(sorted(out, key=len, reverse=True))


def _han_run(run: str, written: str) -> list[Unit]:
    """Units of a run of Chinese characters (``run`` in simplified characters, as the
    glossary writes them; ``written`` as the name writes it, character for character,
    for the readings): glossary words and sound runs."""
    out = []
    at = 0
    for i, part in enumerate(_HAN_WORDS.split(run)):
        own = written[at : at + len(part)]
        at += len(part)
        if not part:
            continue
        if i % 2:
            if senses := _HAN_GLOSSARY[part]:
                reading = japanese_reading(japanese_forms(own)) or ""
                place = part in _PLACE_FORMS
                if place and part not in HAN_PLACES:  # 深圳市: Shenzhen
                    own = own[:-1]
                # a one-character word also by its sound, as a list may write it (新:
                # new, or Xin)
                key = pinyin_key(own) if len(own) == 1 or place else ""
                out.append(Unit("word", own, _senses(senses), key, reading, place=place))
        elif key := pinyin_key(own):
            reading = japanese_reading(japanese_forms(own)) or ""
            out.append(Unit("sound", own, key=key, reading=reading))
    return out


@lru_cache(maxsize=1)
def _to_simplified() -> Callable[[str], str]:
    import opencc

    return opencc.OpenCC("t2s").convert


def simplified(text: str) -> str:
    """``text`` with traditional characters written as simplified ones, character for
    character (OpenCC's t2s; 國際貿易 -> 国际贸易, 電子 -> 电子); ``text`` itself where
    the conversion would change its length (a phrase rewritten)."""
    if text.isascii():
        return text
    out = _to_simplified()(text)
    return out if len(out) == len(text) else text


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
#: an ordinal in Chinese numerals (第十三: 13th), as institutes and factories are
#: numbered
_ORDINAL = re.compile("第([零〇一二两三四五六七八九十百]+)")


def _ordinal(match: re.Match[str]) -> str:
    """第十三 -> " 13 " (up to 999: 第一百零八 -> 108); as written when not a number."""
    value = digit = 0
    for c in match[1]:
        if c in _DIGITS:
            digit = _DIGITS[c]
        elif c == "十":
            value += (digit or 1) * 10
            digit = 0
        else:  # 百
            value += (digit or 1) * 100
            digit = 0
    value += digit
    return f" {value} " if value else match[0]


@lru_cache(maxsize=20_000)
def han_units(name: str) -> tuple[Unit, ...]:
    """A name in Chinese characters cut into units (legal forms set aside):
    特励达·布朗工程公司 -> sound 特励达, sound 布朗, word 工程 (engineering). Names in
    traditional characters (Taiwan, Hong Kong: 海能機械) are cut on their simplified
    form, as the glossary writes its words, and read as written."""
    written = _ORDINAL.sub(_ordinal, unicodedata.normalize("NFKC", name))
    text = simplified(written)
    for m in _HAN_FORMS.finditer(text):
        gap = " " * (m.end() - m.start())
        text = text[: m.start()] + gap + text[m.end() :]
        written = written[: m.start()] + gap + written[m.end() :]
    out: list[Unit] = []
    at = 0
    for piece in re.split(r"([A-Za-z0-9]+|[^A-Za-z0-9\u3400-\u9fff\uf900-\ufaff]+)", text):
        own = written[at : at + len(piece)]
        at += len(piece)
        if not piece:
            continue
        if _LATIN.fullmatch(piece):
            out.append(Unit("latin", piece.lower()))
        elif _HAN.search(piece):
            run = _han_run(piece, own)
            # a sound run after a glossary word within one run of characters continues
            # the name's sounds only if it does not begin the run
            out += [
                replace(u, starts_word=False) if u.kind == "sound" and i > 0 else u
                for i, u in enumerate(run)
            ]
    return tuple(out)


_HANGUL_WORDS = re.compile(
    "(" + "|".join(sorted(map(re.escape, HANGUL_WORDS), key=len, reverse=True)) + ")"
)


def _korean(run: str) -> str:
    """A run of Hangul in Latin letters, as Revised Romanisation writes it with eo and
    eu as o and u (합장강: hapjanggang; 로케트: roketu)."""
    return anyascii(run).lower().replace("eo", "o").replace("eu", "u")


@lru_cache(maxsize=20_000)
def hangul_units(name: str) -> tuple[Unit, ...]:
    """A name in Hangul cut into units (legal forms set aside): 합장강무역회사 -> sound
    합장강 ("hapjanggang"), word 무역 (trading); 로케트공업부 -> sound 로케트, word 공업
    (industry), word 부 (ministry, department)."""
    text = unicodedata.normalize("NFKC", name)
    for form in HANGUL_LEGAL_FORMS:
        text = text.replace(form, " ")
    out: list[Unit] = []
    for piece in re.split(r"([A-Za-z0-9]+|[^A-Za-z0-9\uac00-\ud7af]+)", text):
        if _LATIN.fullmatch(piece):
            out.append(Unit("latin", piece.lower()))
        elif _HANGUL.search(piece):
            for i, part in enumerate(_HANGUL_WORDS.split(piece)):
                if not part:
                    continue
                reading = _korean(part)
                if i % 2:
                    out.append(Unit("word", part, _senses(HANGUL_WORDS[part]), reading=reading))
                elif key := english_key(reading):
                    out.append(Unit("sound", part, key=key, reading=reading, starts_word=i == 0))
    return tuple(out)


#: Prefixes an Arabic word may carry: and the, with the, for the, the, and, for, with.
_ARABIC_PREFIXES = ("وال", "بال", "لل", "ال", "و", "ل", "ب")


def _arabic_stems(word: str) -> list[str]:
    """The word, then without each prefix it may carry (three letters at least left),
    each without ta marbuta (الجماعة -> جماع; للصرافة -> صراف; لأهل -> اهل)."""
    out = [word]
    out += [
        word[len(p) :] for p in _ARABIC_PREFIXES if word.startswith(p) and len(word) - len(p) >= 3
    ]
    return [w[:-1] if w.endswith(("ة", "ه")) and len(w) > 3 else w for w in out]


@lru_cache(maxsize=20_000)
def arabic_units(name: str) -> tuple[Unit, ...]:
    """A name in Arabic script cut into units: شركة الكوثر -> word شركة (company),
    sound الكوثر (its consonants without the article, "kwsr" folded)."""
    text = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", name)).translate(_ARABIC_FOLD)
    text = _IRAN.sub("جمهوري_اسلامي_ايران", text)
    out: list[Unit] = []
    if _ARABIC_FORM.search(text):  # a legal form: the company's mark
        text = _ARABIC_FORM.sub(" ", text)
        out.append(Unit("word", "ش", (("company",),)))
    for word in re.findall(r"[\w]+", text):
        if _LATIN.fullmatch(word):
            out.append(Unit("latin", word.lower()))
            continue
        if len(word) == 1:  # a letter of an abbreviation (ش.م.ح, ذ.م.م: legal forms)
            continue
        stems = _arabic_stems(word)
        # spoken: without the article only (و, ل, ب may be the word's own letters)
        article = next((p for p in _ARABIC_PREFIXES[:4] if word.startswith(p)), "")
        stem = _arabic_stems(word[len(article) :])[0] if len(word) - len(article) >= 2 else word
        found = next((s for s in stems if s in ARABIC_WORDS), None)
        if found is not None:
            if ARABIC_WORDS[found]:  # "و" (and) is no word of the name
                key = arabic_key(anyascii(stem))
                out.append(Unit("word", word, _senses(ARABIC_WORDS[found]), key=key))
        elif key := arabic_key(anyascii(stem).lower()):
            out.append(Unit("sound", word, key=key))
    return tuple(out)


def _cyrillic_stem(word: str, table: Iterable[str]) -> str | None:
    """The longest stem of ``table`` that ``word`` begins with, at most
    ``CYRILLIC_ENDING`` letters before its end; None when none."""
    found = [s for s in table if word.startswith(s) and len(word) - len(s) <= CYRILLIC_ENDING]
    return max(found, key=len) if found else None


@lru_cache(maxsize=20_000)
def cyrillic_units(name: str) -> tuple[Unit, ...]:
    """A name in Cyrillic cut into units: Челябинский металлургический комбинат -> sound
    Челябинский ("chelyabinsk": its key), word металлургический (metallurgical), word
    комбинат (plant, works); legal forms and particles set aside."""
    text = unicodedata.normalize("NFKC", _STRESS.sub("", unicodedata.normalize("NFD", name)))
    text = _SECOND_LANGUAGE.sub("", _LANGUAGE.sub("", text))
    rest = _ACRONYM.sub(" ", text)  # Российская венчурная компания (РВК)
    if any(c.islower() for c in rest):  # an acronym stands out of a name in lower case
        text = rest
    text = _MIXED_WORD.sub(lambda m: m[0].translate(_HOMOGLYPHS), text)
    text = _INNER_APOSTROPHE.sub("", text)
    # a word in Latin capitals that all look like Cyrillic ones, joined to a Cyrillic
    # word by a hyphen (Остек-CMT, Остек-TECT: СМТ, ТЕСТ, as OSTEC-SMT, OSTEC-TEST)
    text = _LOOK_ALIKE_WORD.sub(lambda m: m[0].translate(_HOMOGLYPHS), text)
    acronyms = _cyrillic_acronyms(text)
    text = text.lower()
    out: list[Unit] = []
    words = re.findall(r"\w+", text)
    belarusian = language(text) == "be" or any(
        w in BELARUSIAN_FORMS or _cyrillic_stem(w, BELARUSIAN_FORM_STEMS) for w in words
    )
    for word in _merge_initials(words):
        if len(word) == 1 and word in _LOOK_ALIKE:  # Общество c ограниченной ...
            word = word.translate(_HOMOGLYPHS)
        if _LATIN.fullmatch(word):
            if (word,) not in LEGAL_FORMS:  # OAO, OOO in Latin letters: set aside
                out.append(Unit("latin", word))
        elif not (word in CYRILLIC_SKIP or _cyrillic_stem(word, CYRILLIC_FORM_STEMS)):
            found = _cyrillic_word(word)
            if word in acronyms and len(found) == 1 and found[0].kind == "sound":
                found = [replace(found[0], acronym=True)]
            out += [replace(u, akanye=True) if belarusian else u for u in found]
    return tuple(out)


#: Fewest and most letters of a Cyrillic acronym (``_cyrillic_acronyms``).
ACRONYM_LETTERS = (2, 5)
_CYRILLIC_VOWELS = frozenset("аеёиіоуыэюяєї")


def _cyrillic_acronyms(text: str) -> frozenset[str]:
    """The words of a Cyrillic name (lower-cased) that read as acronyms: two to five
    Cyrillic letters, written in capitals in a name that has lower-case letters
    (АО ‘ОДК-Климов’), or without a vowel (АО ДМЗ ИМ. Н.П. ФЕДОРОВА), or of four
    letters or more with one (ПАО “ЦНПО ‘ЛЕНИНЕЦ’ ”)."""
    lower = any(c.islower() for c in text)
    out = set()
    for word in re.findall(r"\w+", text):
        low = word.lower()
        if not (ACRONYM_LETTERS[0] <= len(word) <= ACRONYM_LETTERS[1]) or not all(
            "\u0400" <= c <= "\u04ff" for c in low
        ):
            continue
        vowels = sum(c in _CYRILLIC_VOWELS for c in low)
        if (lower and word.isupper()) or vowels == 0 or (len(low) >= 4 and vowels == 1):
            out.add(low)
    return frozenset(out)


def _letter_senses() -> dict[str, tuple[tuple[str, ...], ...]]:
    """Per Cyrillic letter, the senses of the glossary words (``CYRILLIC_WORDS``,
    ``CYRILLIC_PREFIXES``) that begin with it: what an acronym's letter may stand for."""
    out: dict[str, set[tuple[str, ...]]] = {}
    for table in (CYRILLIC_WORDS, CYRILLIC_PREFIXES):
        for stem, senses in table.items():
            out.setdefault(stem[0], set()).update(_senses(senses))
    return {c: tuple(sorted(s, key=len, reverse=True)) for c, s in out.items()}


_LETTER_SENSES = _letter_senses()
#: ... by the first three letters of each sense's first word (a listed word matches a
#: sense only when it begins like it: ``_same_word``)
_LETTER_SENSES_AT: dict[str, dict[str, tuple[tuple[str, ...], ...]]] = {
    c: {
        start: tuple(s for s in senses if s[0][:3] == start) for start in {s[0][:3] for s in senses}
    }
    for c, senses in _LETTER_SENSES.items()
}
#: ... their initials (an English acronym's letters)
_LETTER_INITIALS = {c: frozenset(s[0][0] for s in senses) for c, senses in _LETTER_SENSES.items()}
#: letters that stand for the company kind (к: компания, company), a legal form
_COMPANY_LETTERS = frozenset(
    c for c, senses in _LETTER_SENSES.items() if any(s in LEGAL_FORMS for s in senses)
)


def _merge_initials(words: list[str]) -> list[str]:
    """Runs of one-letter Cyrillic words (a person's initials in a name: имени П. Д.
    Грушина) joined into one, as a list's "P.D." normalises to "pd" (и, с, в, о are
    words, not initials, when alone)."""
    out: list[str] = []
    run: list[str] = []
    for word in [*words, ""]:
        if len(word) == 1 and word.isalpha() and not word.isascii():
            run.append(word)
            continue
        if len(run) > 1 or (run and run[0] not in "исвоаук"):
            out.append("".join(run))
        elif run:
            out.append(run[0])
        run = []
        if word:
            out.append(word)
    return out


def _cyrillic_word(word: str) -> list[Unit]:
    """Units of one Cyrillic word: a glossary word (which a list may also transliterate:
    its key and letters kept), a compound's first part and the rest (авиаремонтный:
    авиа aircraft + ремонтный repair; наноэлектроника: нано + электроника), or a sound."""
    if word in CYRILLIC_ABBREVIATIONS:
        return [Unit("word", word, _senses(CYRILLIC_ABBREVIATIONS[word]), reading=_letters(word))]
    if (stem := _cyrillic_stem(word, CYRILLIC_WORDS)) is not None:
        key = english_key(anyascii(word))
        return [Unit("word", word, _senses(CYRILLIC_WORDS[stem]), key=key, reading=_letters(word))]
    for first, senses in CYRILLIC_PREFIXES.items():
        if word.startswith(first) and len(word) - len(first) >= COMPOUND_MIN:
            unit = Unit("word", first, _senses(senses), reading=_letters(first))
            return [unit, *_cyrillic_word(word[len(first) :])]
    if key := english_key(anyascii(stem := _ADJECTIVE.sub("", word))):
        # a town's adjective (Тамбовский, Самарский) reads as the town without -sk,
        # as its English name writes it (Tambov, Samara); compared letter by letter
        town = stem[:-2] if stem.endswith("ск") and stem != word else stem
        towns: tuple[str, ...] = ()
        if town != stem:
            # or the town's name ends in -sk itself (Красногорский: Krasnogorsk), or the
            # adjective adds -ов, -ев, -ин, -ен to it (Златоустовский: Zlatoust;
            # Туапсинский: Tuapse; Дубненский: Dubna)
            towns = (_letters(stem),)
            if _TOWN_LINK.search(town):
                towns += (_letters(town[:-2]),)
        return [Unit("sound", word, key=key, reading=_letters(town), towns=towns)]
    return []


def _letters(word: str) -> str:
    """A Cyrillic word in Latin letters only (the soft and hard signs, which anyascii
    writes as apostrophes, dropped: Уральск -> uralsk)."""
    return "".join(c for c in anyascii(word).lower() if c.isalnum())


#: a romanised word's final h after a vowel: ta marbuta as lists write it (Nusrah,
#: Jabhah), which the Arabic word's key leaves out (``_arabic_stems``)
_FINAL_H = re.compile("(?<=[aeiu])h$")


def arabic_key(latin: str) -> str:
    """The folded consonant skeleton of a romanised Arabic word (``siblings.fold``),
    without a final h after a vowel (``_FINAL_H``)."""
    letters = "".join(c for c in latin.lower() if c.isalpha())
    return fold(consonants(_FINAL_H.sub("", letters)))


def translatable(name: str) -> bool:
    """Whether ``name`` is in Chinese characters (without kana or Hangul) or Arabic
    script, the scripts ``units`` cuts."""
    return not name.isascii() and bool(
        _HAN.search(name) or _ARABIC.search(name) or CYRILLIC.search(name) or _HANGUL.search(name)
    )


def units(name: str) -> tuple[tuple[Unit, ...], str]:
    """The name's units and its script ("han", "arabic"), or ((), "") when it is in
    neither, or has kana or Hangul (Japanese and Korean names are read, not
    translated: ``native``). Kanji are read in pinyin and, where they have one, in
    Hepburn (a Japanese company written in Chinese: 川崎 kawasaki)."""
    text = unicodedata.normalize("NFKC", name)
    if _KANA.search(text):
        return (), ""
    if _HANGUL.search(text):
        return hangul_units(text), "hangul"
    if _HAN.search(text):
        return han_units(text), "han"
    if _ARABIC.search(text):
        return arabic_units(text), "arabic"
    if CYRILLIC.search(text):
        return cyrillic_units(text), "cyrillic"
    return (), ""


def _sense_at(tokens: Sequence[str], used: list[bool], sense: tuple[str, ...]) -> int:
    """Where ``sense`` stands among the unused ``tokens``, or -1."""
    size = len(sense)
    for i in range(len(tokens) - size + 1):
        if all(not used[i + k] and _same_word(tokens[i + k], sense[k]) for k in range(size)):
            return i
    return -1


#: Fewest letters of a sense, and of what is left, for a sense to be found at the start
#: of a compound word (AeroDefense: aero + defense; Techsystems: tech + systems).
COMPOUND_MIN = 4


def _compound_at(tokens: list[str], used: list[bool], sense: tuple[str, ...]) -> int:
    """Where a one-word ``sense`` begins an unused compound word (whose rest then
    replaces it in ``tokens``), or -1."""
    word = sense[0]
    if len(sense) > 1 or len(word) < COMPOUND_MIN:
        return -1
    for i, tok in enumerate(tokens):
        if not used[i] and tok.startswith(word) and len(tok) - len(word) >= COMPOUND_MIN - 1:
            tokens[i] = tok[len(word) :]
            return i
    return -1


def _compound_end(tokens: list[str], used: list[bool], sense: tuple[str, ...]) -> int:
    """Where a one-word ``sense`` ends an unused compound word (Rheinmetall: rhein +
    metall), whose beginning then replaces it in ``tokens``, or -1."""
    word = sense[0]
    if len(sense) > 1 or len(word) < COMPOUND_MIN:
        return -1
    for i, tok in enumerate(tokens):
        if not used[i] and tok.endswith(word) and len(tok) - len(word) >= COMPOUND_MIN - 1:
            tokens[i] = tok[: -len(word)]
            return i
    return -1


#: Most letters an inflection adds after the common beginning (industr-ies, -ial):
#: more is a compound (recon / ReconCraft).
INFLECTION_MAX = 4


def _same_word(token: str, sense: str) -> bool:
    """Equal, or one the other's inflection (industries / industrial, aeronautics /
    aeronautical: a common beginning of at least 5 letters and 3/4 of the shorter, and
    at most ``INFLECTION_MAX`` letters more on either)."""
    if token == sense:
        return True
    common = 0
    for x, y in zip(token, sense, strict=False):
        if x != y:
            break
        common += 1
    rest = max(len(token), len(sense)) - common
    return common >= 5 and common >= 0.75 * min(len(token), len(sense)) and rest <= INFLECTION_MAX


def optional_word(unit: Unit) -> bool:
    """Whether a glossary word may be missing from the listed name: a word of the
    company kind or the country (``OPTIONAL_SENSES``), or one whose every sense is a
    legal form, which the listed name's normalisation sets aside (корпорация:
    corporation)."""
    if unit.place:
        return True
    return any(s[0] in OPTIONAL_SENSES or " ".join(s) in OPTIONAL_SENSES for s in unit.senses) or (
        bool(unit.senses) and all(s in LEGAL_FORMS for s in unit.senses)
    )


@dataclass(frozen=True, slots=True)
class Rendering:
    """How a query's units matched one listed name."""

    value: float
    similarity: float
    translated: tuple[str, ...]
    latin: tuple[str, ...]
    sounds: str
    listed_sounds: str
    query_key: str
    listed_key: str
    #: letters in common (rapidfuzz ratio) of the sound runs' romanisation (pinyin,
    #: anyascii) and the listed words they matched: breaks ties between names of one
    #: key (names that read as pinyin are not compared, ``TranslationIndex``)
    letters: float = 0.0
    #: what was read, for a foreign person's name read back by sound (``transcription``)
    read: str = ""

    def detail(self) -> str:
        if self.read:
            return self.read
        parts = []
        if self.translated:
            parts.append("translated: " + ", ".join(self.translated))
        if self.latin:
            parts.append("as written: " + ", ".join(self.latin))
        if self.sounds:
            parts.append(
                f"by sound: {self.sounds} '{self.query_key}' ~ {self.listed_sounds} "
                f"'{self.listed_key}' ({self.similarity:.2f})"
            )
        return "; ".join(parts)


def render(
    query: Sequence[Unit],
    tokens: Sequence[str],
    script: str,
    company: bool = False,
    person: bool = False,
) -> Rendering | None:
    """How ``query``'s units render the listed name's ``tokens``, or None when they do
    not (a glossary word or Latin unit without its counterpart, sounds too unlike).
    A glossary word whose senses are not there may be written by sound instead (an
    Arabic word: مكتب, Makhtab; a Japanese word in kanji read in Hepburn: 精密,
    Seimitsu). ``company``: the query has a company's legal form; ``person``: the
    listed name is a person's (sounds alone match a company only with a company, a
    person only with a person)."""
    tokens = [t for t in tokens if len(t) > 1]  # middle initials: not rendered
    if script == "arabic":
        tokens = [t for t in tokens if t not in ARABIC_PARTICLES]
        if len(tokens) > 2 and _acronym_of(tokens[-1], tokens[:-1]):
            tokens = tokens[:-1]  # the name's acronym after it: IRAN ALUMINA COMPANY (IAC)
    if script == "cyrillic" and len(tokens) > 2 and _acronym_of(tokens[-1], tokens[:-1]):
        tokens = tokens[:-1]  # ... and in English: JSC Tula Cartridge Plant, JSC TCP
    used = [False] * len(tokens)
    by_sound: list[Unit] = []
    rest: dict[int, str] = {}
    translated: list[str] = []
    latin: list[str] = []
    found: set[int] = set()  # glossary words whose sense is there
    named: set[int] = set()  # listed words a place of the query names
    spelled_out = (
        _initialisms(query, tokens, used, translated) if script == "cyrillic" else frozenset()
    )
    for k, unit in enumerate(query):
        if k in spelled_out:
            continue
        if unit.place:
            # a place the listed name has is compared by its sound with the rest (宁波贝宁:
            # Ningbo Benin), one it leaves out is optional, another place never
            at = next(
                (i for sense in unit.senses if (i := _sense_at(tokens, used, sense)) >= 0), -1
            )
            if at >= 0:
                found.add(k)
                named.add(at)
                by_sound.append(unit)
            continue
        if unit.kind == "word":
            sense: tuple[str, ...] = ()
            for sense in unit.senses:
                if (i := _sense_at(tokens, used, sense)) >= 0:
                    used[i : i + len(sense)] = [True] * len(sense)
                    translated.append(f"{unit.text} {' '.join(tokens[i : i + len(sense)])}")
                    break
            else:
                for sense in unit.senses:
                    if _compound_at(tokens, used, sense) >= 0:
                        translated.append(f"{unit.text} {sense[0]}-")
                        break
                    if _compound_end(tokens, used, sense) >= 0:
                        translated.append(f"{unit.text} -{sense[0]}")
                        break
                else:
                    sense = ()
            if not sense and (shared := _shared_sense(query, k, tokens)):
                # two words the listed name renders as one (научно-исследовательский:
                # research): the neighbour's sense stands for both
                translated.append(f"{unit.text} {' '.join(shared)}")
                sense = shared
            if sense:
                found.add(k)
            elif not optional_word(unit):
                if not (unit.key or unit.reading):
                    return None
                by_sound.append(unit)
        elif unit.kind == "latin":
            for i, tok in enumerate(tokens):
                if not used[i] and tok.startswith(unit.text):
                    used[i] = True
                    if len(tok) > len(unit.text):
                        rest[i] = tok[len(unit.text) :]
                    latin.append(unit.text)
                    break
            else:
                return None
    if script == "han":  # a place may be left out on either side, but is no other place
        places = [
            i
            for i, tok in enumerate(tokens)
            if not used[i] and tok in _LISTED_PLACES and i not in named
        ]
        if places and any(u.place and k not in found for k, u in enumerate(query)):
            return None
        used = [u or i in places for i, u in enumerate(used)]
    acronyms: frozenset[int] = frozenset()
    if script == "cyrillic":  # acronyms last: the words they might stand for are taken
        acronyms = _acronyms(query, tokens, used, translated)
        spelled_out = spelled_out | acronyms
    for i, tok in enumerate(tokens):
        if not used[i] and tok not in LISTED_OPTIONAL:
            rest[i] = tok
    sound_units = [
        u
        for k, u in enumerate(query)
        if k not in spelled_out and (u.kind == "sound" or u in by_sound)
    ]
    words = bool(translated or latin)
    if not rest and not sound_units:
        # an abbreviation spelled out is no evidence alone (МПЗ is many plants)
        alone = (1 if spelled_out.difference(acronyms) else 0) + len(acronyms)
        if not words or len(translated) + len(latin) <= alone:
            return None
        return Rendering(TRANSLATED.weight, 1.0, tuple(translated), tuple(latin), "", "", "", "")
    if not rest or not sound_units:
        return None
    listed_words = [rest[i] for i in sorted(rest)]
    if not words and company == person:
        return None
    sounded = _sounds(sound_units, listed_words, script, words, company)
    if sounded is None:
        return None
    sim, query_key, listed_key = sounded
    spelled = anyascii("".join(u.text for u in sound_units)).lower()
    # in Cyrillic, the sounds' unlikeness counts for the share of the name they are
    # (Ассоциация Лига Содействия Оборонным Предприятиям: four words of five translated)
    share = 1.0
    if script == "cyrillic" and words:
        share = len(sound_units) / (len(sound_units) + len(translated) + len(latin))
    return Rendering(
        TRANSLATED.weight - (1.0 - sim) / 2.0 * share,
        sim,
        tuple(translated),
        tuple(latin),
        "·".join(u.text for u in sound_units),
        " ".join(listed_words),
        query_key,
        listed_key,
        fuzz.ratio(spelled, "".join(listed_words)) / 100.0,
    )


def _acronym_of(token: str, words: Sequence[str]) -> bool:
    """Whether ``token`` spells the initials of ``words``, and perhaps of a legal form
    after them that normalisation set aside (IAC: Iran Alumina Company)."""
    initials = "".join(w[0] for w in words)
    return token.startswith(initials) and len(token) - len(initials) <= 1


def _shared_sense(query: Sequence[Unit], k: int, tokens: Sequence[str]) -> tuple[str, ...]:
    """A sense the glossary word ``query[k]`` shares with a neighbouring glossary word
    and that the listed ``tokens`` hold (научно-исследовательский институт / Research
    Institute: научно and исследовательский both mean research), or ()."""
    for j in (k - 1, k + 1):
        if 0 <= j < len(query) and query[j].kind == "word" and query[j].text != query[k].text:
            for sense in query[k].senses:
                if (
                    sense in query[j].senses
                    and _sense_at(tokens, [False] * len(tokens), sense) >= 0
                ):
                    return sense
    return ()


#: Most letters of a listed abbreviation a run of the query's words may spell out
#: (НПО: научно-производственное объединение; MPZ: Муромский приборостроительный завод)
INITIALISM_MAX = 6


def _initialisms(
    query: Sequence[Unit], tokens: Sequence[str], used: list[bool], translated: list[str]
) -> frozenset[int]:
    """The positions of the query's units that a listed abbreviation spells out by their
    initials, the abbreviation's token marked ``used`` (Научно-производственное
    объединение ‘Базальт’ / NPO BAZALT): a run of words read in Latin letters, of two
    glossary words at least, or of three words when some are sounds."""
    out: set[int] = set()
    for i, tok in enumerate(tokens):
        if used[i] or not 2 <= len(tok) <= INITIALISM_MAX or not tok.isalpha():
            continue
        size = len(tok)
        for start in range(len(query) - size + 1):
            run = query[start : start + size]
            if any(start + k in out for k in range(size)) or not all(u.reading for u in run):
                continue
            if size < 3 and not all(u.kind == "word" for u in run):
                continue
            if "".join(u.reading[0] for u in run) == tok:
                out.update(range(start, start + size))
                used[i] = True
                translated.append(f"{' '.join(u.text for u in run)} {tok}")
                break
    return frozenset(out)


def own_acronym(query: Sequence[Unit]) -> tuple[tuple[Unit, ...], ...]:
    """A Cyrillic name that gives its own acronym beside the words it abbreviates (МЗКТ -
    Минский завод колёсных тягачей; ‘Тульский Патронный Завод’, АО ‘ТПЗ’) read as
    either: the name without those words (the acronym then as written in Latin
    letters), and without the acronym; () when it gives none. A listing may carry one
    rendering only (MZKT; Tula Cartridge Plant)."""
    for k, unit in enumerate(query):
        if not unit.acronym:
            continue
        size = len(unit.text)
        for start in range(len(query) - size + 1):
            if start <= k < start + size:
                continue
            if "".join(u.text[0] for u in query[start : start + size]) == unit.text:
                # the acronym as written (MZKT), where the words are left out
                written = [Unit("latin", unit.reading) if u is unit else u for u in query]
                without_words = (*written[:start], *written[start + size :])
                return tuple(without_words), (*query[:k], *query[k + 1 :])
    return ()


def _acronyms(
    query: Sequence[Unit], tokens: Sequence[str], used: list[bool], translated: list[str]
) -> frozenset[int]:
    """The positions of the query's Cyrillic acronyms (``Unit.acronym``) that the listed
    name writes out or abbreviates in English, their tokens marked ``used``: each letter
    stands for a sense of a glossary word it begins (ФТИ: физико-технический институт,
    Physical-Technical Institute; ВДЦ: всероссийский детский центр, All Russian
    Children's Centre), or, once, for a listed word it begins as written (ДМЗ: Dubna
    Machine-Building Plant), two letters by a sense at least (a last letter for the
    company kind may stand for nothing the listing keeps: СК, страховая компания,
    Soglasie Insurance Company, its Company set aside); or a listed acronym of as
    many letters, each the initial of such a sense or the letter as written, three
    letters at least (ОДК: UEC, United Engine Corporation; СПГ: LNG)."""
    out: set[int] = set()
    for k, unit in enumerate(query):
        if not unit.acronym:
            continue
        letters = unit.text
        for i in range(len(tokens)):
            if (end := _written_out(letters, tokens, used, i)) > i:
                used[i:end] = [True] * (end - i)
                translated.append(f"{unit.text} {' '.join(tokens[i:end])}")
                out.add(k)
                break
            tok = tokens[i]
            if (
                not used[i]
                and len(tok) == len(letters) >= 3
                and tok.isalpha()
                and tok != _letters(letters)
                and _abbreviates(letters, tok)
            ):
                used[i] = True
                translated.append(f"{unit.text} {tok}")
                out.add(k)
                break
    return frozenset(out)


def _written_out(letters: str, tokens: Sequence[str], used: list[bool], start: int) -> int:
    """Where the listed words that ``letters`` (an acronym) stand for, one after the
    other from ``start``, end; ``start`` when they do not (``_acronyms``)."""
    at, by_sense, as_written = start, 0, 0
    for n, c in enumerate(letters):
        # a last letter for the company kind, which the listed name's normalisation may
        # have set aside (СК: страховая компания, Soglasie Insurance Company)
        if (
            n == len(letters) - 1
            and by_sense
            and c in _COMPANY_LETTERS
            and (at >= len(tokens) or used[at] or (tokens[at],) not in _LETTER_SENSES[c])
        ):
            by_sense += 1
            break
        if at >= len(tokens) or used[at]:
            return start
        for sense in _LETTER_SENSES_AT.get(c, {}).get(tokens[at][:3], ()):
            if at + len(sense) <= len(tokens) and all(
                not used[at + j] and _same_word(tokens[at + j], w) for j, w in enumerate(sense)
            ):
                at += len(sense)
                by_sense += 1
                break
        else:
            latin = _letter(c)
            if as_written or not latin or not tokens[at].startswith(latin):
                return start
            at += 1
            as_written += 1
    return at if by_sense >= 2 else start


@lru_cache(maxsize=256)
def _letter(c: str) -> str:
    """A Cyrillic letter in Latin letters (``_letters``)."""
    return _letters(c)


def _abbreviates(letters: str, token: str) -> bool:
    """Whether a listed acronym ``token`` abbreviates the English of the Cyrillic
    acronym ``letters``, letter for letter (``_acronyms``), two letters by a sense's
    initial at least."""
    by_sense = 0
    for c, t in zip(letters, token, strict=True):
        if t in _LETTER_INITIALS.get(c, ()):
            by_sense += 1
        elif not _letter(c).startswith(t):
            return False
    return by_sense >= 2


def _sounds(
    sound_units: Sequence[Unit],
    listed_words: Sequence[str],
    script: str,
    words: bool,
    company: bool,
) -> tuple[float, str, str] | None:
    """(similarity, query key, listed key) of the sound runs and the listed words left,
    or None below ``SOUND_MIN``. Keys (``phonetic``) for pinyin and Arabic; a Japanese
    reading (Hepburn, every run having one) is compared letter by letter instead, as
    lists spell Japanese names that way. Sounds alone (``words`` false) need at most one
    listed word more than the runs (a given name left out), and, for a person's name,
    two runs at least (a surname alone is shared by many), no more than the listed
    words, and ``KEY_MIN`` key letters;
    for a company's (``company``), ``KEY_MIN_WITH_WORDS`` on each side."""
    if not words:
        # Arabic names of persons: ``siblings.SkeletonIndex``; Cyrillic ones are read;
        # an organisation's (``organisation``) may be matched by sound
        if script in ("arabic", "cyrillic", "hangul") and not company:
            return None
        runs = sum(u.starts_word for u in sound_units)
        if len(listed_words) > runs + 1 or (not company and not 2 <= runs <= len(listed_words)):
            return None
    key_of = arabic_key if script == "arabic" else english_key
    query_key = "".join(u.key for u in sound_units)
    listed_key = "".join(
        key_of(_SILENT_GH.sub("t", w) if script == "arabic" else w) for w in listed_words
    )
    keyed = all(u.key for u in sound_units)  # a glossary word read in Hepburn has none
    # sounds alone in Cyrillic: the letters only (lists transliterate Russian names)
    keyed = keyed and (words or script != "cyrillic")
    sim = sound_similarity(query_key, listed_key) if keyed else 0.0
    if keyed and script == "arabic":
        # a letter romanisations write as an alike one is the same sound (شرق / SHARGH,
        # مكتب / MAKHTAB, ايجر / EIGER, الذهب / AL-THAHAB)
        sim = max(sim, alike_similarity(query_key, listed_key))
    size = len(query_key) + len(listed_key)
    if all(u.reading for u in sound_units):
        mine, theirs = "".join(u.reading for u in sound_units), "".join(listed_words)
        letters = fuzz.ratio(mine, theirs) / 100.0
        if script == "cyrillic":
            letters = max(letters, _cyrillic_letters(sound_units, listed_words))
        if letters >= sim:
            sim, query_key, listed_key, size = letters, mine, theirs, len(mine) + len(theirs)
    if script == "han" and words:  # a Chinese party half in pinyin: DONGGUAN SHENGYIN CNC
        mine, theirs = anyascii("".join(u.text for u in sound_units)).lower(), "".join(listed_words)
        letters = fuzz.ratio(mine, theirs) / 100.0
        if letters >= sim:  # equal: the letters are the longer evidence (玉沙 yusha: "S")
            sim, query_key, listed_key, size = letters, mine, theirs, len(mine) + len(theirs)
    if not words:  # sounds alone: both keys long enough
        native = script in ("arabic", "cyrillic")  # no legal form: longer keys
        least = KEY_MIN_WITH_WORDS if company and not native else PERSON_KEY_MIN
        size = KEY_MIN if min(len(query_key), len(listed_key)) >= least else 0
    if sim < SOUND_MIN or size < (KEY_MIN_WITH_WORDS if words else KEY_MIN):
        return None
    return sim, query_key, listed_key


#: English gh before t is silent (Moonlight, Freight: مونلايت "mnlt"); Arabic script,
#: which writes every consonant, has no letter for it
_SILENT_GH = re.compile("gh(?=t)")


#: Letters transliterations of Russian and English spellings write differently, folded
#: to one: Russian writes English h as г or х (Гидромаш: Hydromash), w as в (Вагнер:
#: Wagner), x as кс, c as к or ц; kh, j, y as the systems vary; English dg and j as дж
#: (Бриджтех: Bridgetech), eu as ев (Евро: Euro), ai as эй (Эйрбург: Airburg)
_LATIN_FOLDS = (
    ("dzh", "j"), ("dg", "j"), ("eu", "ev"), ("kh", "h"), ("ph", "f"), ("th", "t"),
    ("ck", "k"), ("x", "ks"), ("w", "v"),
    ("q", "k"), ("j", "i"), ("y", "i"), ("ts", "c"), ("g", "h"), ("ai", "ei"),
)  # fmt: skip
_SOFT_C = re.compile("c(?=[ei])")
_DOUBLE = re.compile(r"(.)\1+")
#: a Russian noun's case ending (Группа Вагнера: of Wagner; Сибирью)
_CASE_ENDING = re.compile("(?<=...)(?:[aeuyi]|om|oi|ym|ia|iu)$")


@lru_cache(maxsize=65_536)
def _fold_latin(text: str) -> str:
    # c first (English tech, arch: k, then kh as h as Russian х is written)
    text = _SOFT_C.sub("s", text).replace("c", "k")
    for a, b in _LATIN_FOLDS:
        text = text.replace(a, b)
    return _DOUBLE.sub(r"\1", _SOFT_C.sub("s", text).replace("c", "k"))


def _cyrillic_letters(sound_units: Sequence[Unit], listed_words: Sequence[str]) -> float:
    """Letters in common of Cyrillic sound runs and the listed words, both folded
    (``_LATIN_FOLDS``), and both without a final vowel or case ending (Вагнера:
    vagner, Wagner; Камский: kam, Kama). Each listed word is folded alone (OSTEC-EC:
    the c ending a word is no soft c before the next one's e)."""
    listed = "".join(listed_words)
    plain = "".join(u.reading for u in sound_units)
    bare = "".join(_CASE_ENDING.sub("", u.reading) for u in sound_units)
    best = max(
        fuzz.ratio(_fold_latin(plain), _fold_latin(listed)),
        fuzz.ratio(_fold_latin(bare), _fold_latin(_CASE_ENDING.sub("", listed))),
        fuzz.ratio(
            "".join(_fold_latin(u.reading) for u in sound_units),
            "".join(_fold_latin(w) for w in listed_words),
        ),
    )
    # the towns' other spellings (``Unit.towns``), the k-th of each unit at once
    for k in range(max((len(u.towns) for u in sound_units), default=0)):
        town = "".join(u.towns[k] if len(u.towns) > k else u.reading for u in sound_units)
        best = max(
            best,
            fuzz.ratio(_fold_latin(town), _fold_latin(listed)),
            fuzz.ratio(_fold_latin(town), _fold_latin(_CASE_ENDING.sub("", listed))),
        )
    if any(u.akanye for u in sound_units):
        best = max(
            best,
            fuzz.ratio(_fold_latin(plain).replace("o", "a"), _fold_latin(listed).replace("o", "a")),
        )
    return best / 100.0


def scripts_of(names: Iterable[str]) -> set[str]:
    """Which of "han", "arabic", "cyrillic" the names are written in."""
    found = set()
    for name in names:
        if _HAN.search(name):
            found.add("han")
        if _ARABIC.search(name):
            found.add("arabic")
        if CYRILLIC.search(name):
            found.add("cyrillic")
        if _HANGUL.search(name):
            found.add("hangul")
    return found


def has_company_form(name: str) -> bool:
    """Whether a name in Chinese characters has a company's legal form (公司, 株式会社 ...)."""
    return bool(_HAN_FORMS.search(unicodedata.normalize("NFKC", name)))


def organisation(name: str, query: Sequence[Unit], script: str) -> bool:
    """Whether a name is a company's or organisation's: in Chinese characters, by its
    legal form (``has_company_form``); in Arabic script or Cyrillic, by a glossary word
    that names an organisation (شركة company, завод plant: ``ORGANISATION_SENSES``) or,
    in Cyrillic, a legal form (ООО, акционерное общество)."""
    if script == "han":
        return has_company_form(name)
    if any(t in ORGANISATION_SENSES for u in query for s in u.senses for t in s):
        return True
    if script == "hangul":
        text = unicodedata.normalize("NFKC", name)
        return any(form in text for form in HANGUL_LEGAL_FORMS)
    return script == "cyrillic" and (
        any(
            w in CYRILLIC_FORMS or _cyrillic_stem(w, CYRILLIC_FORM_STEMS) or (w,) in LEGAL_FORMS
            for w in re.findall(r"\w+", name.lower())
        )
        or bool(_NAMED.search(name))
    )


#: what tells a Cyrillic name an organisation's without a legal form or organisation
#: word: a quoted name (РКБ ‘Глобус’; persons' names are not quoted: the apostrophe
#: inside a Belarusian or Ukrainian word is no quote), or "named after" (МКБ ‘Факел’
#: имени академика П. Д. Грушина: a body named after a person)
_NAMED = re.compile(
    r"[«»“”„\"]|(?<!\w)[‘’']|[‘’'](?!\w)|(?<!\w)(?:имени|им\.|імя)(?!\w)", re.IGNORECASE
)


__all__ = [
    "KEY_MIN",
    "SOUND_MIN",
    "Rendering",
    "Unit",
    "arabic_units",
    "cyrillic_units",
    "han_units",
    "has_company_form",
    "optional_word",
    "organisation",
    "own_acronym",
    "render",
    "scripts_of",
    "translatable",
    "units",
]
