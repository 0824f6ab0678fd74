"""Name normalisation for screening: script, case, punctuation, legal forms, initials.

Transliteration uses libraries, not tables of our own: ``pypinyin`` for Chinese
characters (Hanyu Pinyin without tones, word-level phrase dictionary) and ``anyascii``
for every other script (Cyrillic, Greek, Arabic, accented Latin ...); Japanese and Thai
names also get a reading of their own (``native``: pykakasi, pythainlp). Legal-form
suffixes (Co., Ltd., GmbH, LLC, OOO, 有限公司 ...) are recognised from the table
below and set aside: they are weak evidence for identity and strong noise for
string metrics.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from anyascii import anyascii
from pypinyin import Style, lazy_pinyin

from raretrace.screening.name_tables import (
    _MIDDLE_OK,
    ABBREVIATIONS,
    BRANCH_WORDS,
    HAN_LEGAL_FORMS,
    HANGUL_LEGAL_FORMS,
    LEGAL_FORMS,
    PINYIN_GLOSSARY,
    STOPWORDS,
)
from raretrace.screening.native import native_readings
from raretrace.screening.slavic import national_reading, russian_reading

_MAX_FORM = max(len(f) for f in LEGAL_FORMS)
#: Lengths of the legal forms that start with a word, longest first.
_FORM_SIZES: dict[str, tuple[int, ...]] = {
    first: tuple(sorted({len(f) for f in LEGAL_FORMS if f[0] == first}, reverse=True))
    for first in {f[0] for f in LEGAL_FORMS}
}

#: Words of legal forms (7 letters or more) a one-letter typo still names: "Coporation",
#: "Compayn", "AKTTSIONERNOE" are set aside like the forms they misspell. Words with
#: a one-letter neighbour in ordinary use (capital/capitol, private, variable,
#: holdings/holding) are left out.
_FORM_WORDS: dict[str, int] = Counter(
    w
    for f in LEGAL_FORMS
    for w in f
    if len(w) >= 7 and w not in {"capital", "private", "variable", "holdings"}
)
_ALL_FORM_WORDS = frozenset(w for f in LEGAL_FORMS for w in f)


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


_FORM_DELETIONS: dict[str, set[str]] = {}
for _w in _FORM_WORDS:
    for _d in _deletions(_w):
        _FORM_DELETIONS.setdefault(_d, set()).add(_w)


@lru_cache(maxsize=100_000)
def _form_word(token: str) -> str:
    """``token``, or the legal-form word it misspells by one letter (dropped, added,
    changed or two letters swapped); the form used in most legal forms wins a tie."""
    if len(token) < 7 or token in _ALL_FORM_WORDS or not token.isalpha():
        return token
    found: set[str] = set(_FORM_DELETIONS.get(token, ()))
    for d in _deletions(token):
        if d in _FORM_WORDS:
            found.add(d)
        found.update(_FORM_DELETIONS.get(d, ()))
    if not found:
        return token
    return min(found, key=lambda w: (-_FORM_WORDS[w], w))


def _form_typos(tokens: list[str]) -> list[str]:
    """Misspelt legal-form words put right where a legal form can stand: the last word,
    or next to another legal-form word (AKTSIONERNE OBSHCHESTVO); elsewhere a word one
    letter from a form word is more likely a word of the name (Limites Brands)."""
    last = len(tokens) - 1
    return [
        _form_word(t)
        if i == last
        or (i > 0 and tokens[i - 1] in _ALL_FORM_WORDS)
        or (i < last and tokens[i + 1] in _ALL_FORM_WORDS)
        else t
        for i, t in enumerate(tokens)
    ]


@lru_cache(maxsize=500_000)
def phonetic_key(word: str) -> str:
    """Metaphone key of a word (jellyfish), a leading vowel written as "A", followed by
    the word's stops (b d g k p t, with c and q as k and x as ks): Aleksandr and
    Alexander, Mohammed and Muhammad, Abu and Abou, Konkord and Concord share one;
    Hengda and Hengtai (metaphone HNKT for both) do not. "" for numbers."""
    if not word.isalpha():
        return ""
    key = jellyfish.metaphone(word)
    if key and key[0] in "AEIOUY":
        key = "A" + key[1:]
    stops = "".join(c for c in word.replace("x", "ks").translate(_HARD) if c in "bdgkpt")
    return f"{key}:{stops}"


_GLOSSARY_MAX = max(len(k.split()) for k in PINYIN_GLOSSARY)


def _gloss(syllables: list[str], shown: list[str] | None = None) -> str:
    """Pinyin ``syllables`` with the glossary's business words translated; the others
    written as in ``shown`` (another romanisation of the same syllables) if given."""
    shown = syllables if shown is None or len(shown) != len(syllables) else shown
    out: list[str] = []
    i = 0
    while i < len(syllables):
        for size in range(min(_GLOSSARY_MAX, len(syllables) - i), 1, -1):
            if (word := PINYIN_GLOSSARY.get(" ".join(syllables[i : i + size]))) is not None:
                out.append(word)
                i += size
                break
        else:
            out.append(shown[i])
            i += 1
    return " ".join(out)


def _han_text(text: str) -> str:
    for form in HAN_LEGAL_FORMS:
        text = text.replace(form, " ")
    return text


def _is_chinese(text: str) -> bool:
    return bool(_HAN.search(text)) and not _KANA.search(text)


#: Wade-Giles syllables as Taiwan's own romanised names usually write them (思 is ssu in
#: the system, Szu in names: 吴思瑶, Wu Szu-yao)
_TAIWAN = {"ssu": "szu"}


@lru_cache(maxsize=200_000)
def readings(name: str) -> tuple[str, ...]:
    """The name, plus for a name in Chinese characters its Wade-Giles reading (pypinyin's
    ``WADEGILES`` style, apostrophes and umlauts dropped, business words translated as in
    the pinyin reading): Taiwan and older lists romanise Chinese names that way
    (蔡其昌 is pinyin Cai Qichang, listed as Tsai Chi-chang; 曹兴诚 Tsao Hsing-cheng).
    A name with kana or in Thai script gets its Japanese (Hepburn) or Thai (RTGS) reading
    (``native.native_readings``; 東京エレクトロン株式会社 -> "tokyo electron"); a Ukrainian
    or Belarusian name its national romanisation (``slavic.national_reading``; Сергій ->
    "serhii"), a Russian one its BGN/PCGN-like spelling (``slavic.russian_reading``;
    Васильев -> "vasilyev", beside anyascii's "vasil'ev").
    The matcher screens every reading and keeps each entry's best score."""
    if name.isascii():
        return (name,)
    if native := native_readings(strip_list_noise(name)):
        return (name, *native)
    if len(alternatives := abjad_alternatives(name)) > 1:
        return alternatives
    national = national_reading(name) or russian_reading(name)
    if national and national != anyascii(name).lower():  # a reading that differs
        return (name, national)
    text = unicodedata.normalize("NFKC", name)
    if _HANGUL.search(text) and not _HAN.search(text):
        # also as Revised Romanisation writes it (eo, eu as o, u): 리영길 is listed RI
        # Yong Gil as often as Ri Yong Kil
        for form in HANGUL_LEGAL_FORMS:
            text = text.replace(form, " ")
        plain = " ".join(_HANGUL.sub(_hangul_plain, text).split())
        return (name, plain) if plain else (name,)
    if not _is_chinese(text):
        return (name,)
    text = _han_text(strip_list_noise(text))
    pinyin = lazy_pinyin(text, style=Style.NORMAL, errors="default")
    wade = [
        _TAIWAN.get(w, w)
        for w in (
            s.replace("'", "").replace("v", "u").replace("ü", "u")
            for s in lazy_pinyin(text, style=Style.WADEGILES, errors="default")
        )
    ]
    reading = anyascii(_gloss(pinyin, wade))
    return (name, reading) if reading.strip() and reading != anyascii(_gloss(pinyin)) else (name,)


#: Ordinal suffixes: "13th" and "13" are the same number token.
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th|e|er|eme|ja|iy|yy|y|i)$")

#: List-name noise: text a list adds to a name that is not part of it (CSL
#: nonproliferation rows: "...; and any successor, sub-unit, or subsidiary thereof").
_LIST_NOISE = re.compile(
    r"[;,]?\s*(and|including)\s+(any|all|its)\s+(successors?|sub-units?|subsidiar(y|ies)|"
    r"branch(es)?|affiliates?)\b.*$",
    re.IGNORECASE,
)
_LEADING_AND = re.compile(r"^\s*and\s+", re.IGNORECASE)


def strip_list_noise(name: str) -> str:
    """A list's name field without the clauses the list adds to it
    (``Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary
    thereof`` -> ``Sinobright Import and Export Company``; an alias ``and CETC Research
    Institute 13`` -> ``CETC Research Institute 13``)."""
    cleaned = _LEADING_AND.sub("", _LIST_NOISE.sub("", name)).strip(" ;,")
    return cleaned or name.strip()


_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]+")
_HARD = str.maketrans({"c": "k", "q": "k"})
_SYLLABLE = re.compile(r"[A-Z][a-z]*")
#: Revised Romanisation (what anyascii writes) to the McCune-Reischauer-like spelling
#: North Korean names take on Western lists (Gim Jeong Eun -> Kim Jong Un): the initial
#: consonant unvoiced, "eo"/"eu" as "o"/"u", initial "l" as "r".
_RR_INITIAL = {"g": "k", "d": "t", "b": "p", "l": "r"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_PARENS = re.compile(r"\(([^()]*)\)")
#: A word and a consonant joined by a hyphen, the consonant ending the word (a vowel
#: there is usually a particle: Persian ezafe, Tose-e).
_DESIGNATOR = re.compile(r"\b([a-z]{3,})-([b-df-hj-np-tv-z])\b(?!-)")
_NONE: frozenset[str] = frozenset()
#: a letter of the Hebrew or Arabic script (Arabic, Persian, Urdu, Pashto), presentation forms
#: included
ABJAD = re.compile("[\u0590-\u05ff\u0600-\u06ff\u0750-\u077f\ufb1d-\ufdff\ufe70-\ufeff]")
_VOWEL_LETTERS = re.compile("[aeiouyw]")
_RUNS = re.compile(r"(.)\1+")


def consonants(compact: str) -> str:
    """A name's consonant skeleton: vowels (and y, w, which Arabic and Hebrew also write
    for long vowels) dropped, doubled letters single ("hizballah" -> "hzblh"; "حزب الله",
    "hzb llh" -> "hzblh"). Abjads write names mostly without vowels."""
    return _RUNS.sub(r"\1", _VOWEL_LETTERS.sub("", compact))


#: The Arabic article as Latin lists write it apart from its word: al-, el-, and its
#: assimilated forms before a "sun letter" (t th d dh r z s sh s d t z l n: as-Sayyid,
#: ash-Shami, ad-Din, ar-Rahman, an-Nur; u- after a nominative ending: Habib ur-Rahman,
#: Nur ud-Din), which Arabic script always writes "al" (ال): السيد, الدين, الرحمن.
_ARTICLE = frozenset({"al", "el"})
_SUN = ("th", "dh", "sh", "t", "d", "r", "z", "s", "n")


def is_article(word: str, following: str) -> bool:
    """Whether ``word`` is the Arabic article (al, el, or assimilated before a sun
    letter: as-Sayyid) before ``following``."""
    if word in _ARTICLE:
        return True
    return (
        len(word) >= 2
        and word[0] in "aeu"
        and word[1:] in _SUN
        and following.startswith(word[1:])
        and len(following) > len(word) - 1
    )


def word_skeletons(tokens: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Each word's consonant skeleton (``consonants``: doubled letters made single
    within a word, not across words: Ayyub Bashir "b bshr" is not Bashir), the
    Arabic article joined to its word as Arabic script writes it (al-Asad, as-Sayyid,
    ar-Rahman: "lsd", "lsd", "lrhmn", as الأسد, السيد, الرحمن read)."""
    return tuple(key for _, key, _ in article_skeletons(tokens))


def article_skeletons(tokens: tuple[str, ...] | list[str]) -> list[tuple[str, str, bool]]:
    """``word_skeletons`` word by word: (the word, its skeleton, whether an article stood
    before it as a word of its own), for each word that has a skeleton."""
    out: list[tuple[str, str, bool]] = []
    article = False
    for i, word in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if following and is_article(word, following):
            article = True
            continue
        key = ("l" if article else "") + consonants(word)
        if key:
            out.append((word, key, article))
        article = False
    return out


def skeleton(name: NormalName) -> str:
    """A name's consonant skeleton, word by word (``word_skeletons``), joined."""
    return "".join(word_skeletons(name.tokens))


_ACRONYM = re.compile(r"^[A-Za-z0-9&-]{3,8}$")

#: An East Slavic patronymic as lists romanise it (Russian -ovich/-evich, -ovna/-evna;
#: Ukrainian -ovych; Belarusian -avich, -auna; French -ovitch)
_PATRONYMIC = re.compile(r"^[a-z]{3,}(?:[oeaiy]v[iy]?t?ch|[oeaiy]vna|[aey]una|ichna)$")


def is_patronymic(token: str) -> bool:
    """Whether a word reads as an East Slavic patronymic (Borisovich, Viktorovna)."""
    return len(token) >= 7 and _PATRONYMIC.match(token) is not None


def has_patronymic(tokens: tuple[str, ...] | list[str]) -> bool:
    """Whether a name of three words or more has an East Slavic patronymic (Yury
    Arkadyevich Stankevich): a person's name, whose initials ("yas") are no acronym. A
    two-word name does not count: a surname may end the same way (Roman Abramovich)."""
    return len(tokens) >= 3 and any(is_patronymic(t) for t in tokens)


@dataclass(frozen=True, slots=True)
class NormalName:
    """A name ready for comparison.

    ``tokens`` are the identity-bearing words (script-free, lower case, legal forms
    and stop words removed); ``legal_forms`` what was set aside; ``compact`` the tokens
    joined without spaces (for names whose word boundaries differ, e.g. pinyin).
    """

    original: str
    tokens: tuple[str, ...]
    legal_forms: tuple[str, ...]
    initials: str
    text: str = ""  #: tokens joined by spaces
    compact: str = ""  #: tokens joined without spaces
    sorted_text: str = ""  #: tokens sorted, joined by spaces
    numbers: frozenset[str] = frozenset()  #: the tokens that are numbers
    #: words with a consonant joined by a hyphen (Stroytransgaz-M), written together
    #: ("stroytransgazm"): a designator naming one of several sibling entities
    designators: frozenset[str] = frozenset()
    #: positions of the words that follow a legal form inside the name ("Pars Oil and Gas
    #: Company - Tehran Office": 3, Tehran): the company's name ended before them
    after_form: frozenset[int] = frozenset()
    #: written in an abjad (Arabic or Hebrew script), mostly without vowels
    abjad: bool = False
    #: whether initials may stand for this name or this name for initials (a listed
    #: person's name, or an acronym the entry also spells out, may not; see ``Matcher``)
    initials_ok: bool = True
    #: a listed person's name (set by the matcher): no branches, no branch phrases
    person: bool = False
    #: positions of the words written as initials ("Dobrodeev O.B.": 1, "ob")
    initials_at: frozenset[int] = frozenset()


def _korean_syllable(syl: str) -> str:
    syl = syl.lower().replace("eo", "o").replace("eu", "u")
    return _RR_INITIAL.get(syl[0], syl[0]) + syl[1:]


def _hangul(match: re.Match[str]) -> str:
    """One run of Hangul: each syllable romanised and spaced (names are written by
    syllable on lists: Kim Jong Un, Ri Pyong Chol)."""
    return " " + " ".join(_korean_syllable(s) for s in _SYLLABLE.findall(anyascii(match[0]))) + " "


def _hangul_plain(match: re.Match[str]) -> str:
    """One run of Hangul as Revised Romanisation spells its syllables (initials as
    written, eo and eu as o and u), spaced."""
    out = []
    for syl in _SYLLABLE.findall(anyascii(match[0])):
        syl = syl.lower().replace("eo", "o").replace("eu", "u")
        out.append("r" + syl[1:] if syl[0] == "l" else syl)  # ㄹ begins a syllable as r
    return " " + " ".join(out) + " "


#: Letters only Persian, Urdu and Pashto write (pe, che, zhe, gaf, keheh, Farsi yeh)
PERSIAN = re.compile("[\u067e\u0686\u0698\u06af\u06a9\u06cc]")
#: Arabic letters these languages read as another sound: zad, za, zal as z; se, sad
#: as s; ta as t; he (hutti) as h (رضا is Reza, not Rida; ثابت Sabet; طاهر Taher)
PERSIAN_SOUNDS = str.maketrans(
    {"\u0636": "\u0632", "\u0638": "\u0632", "\u0630": "\u0632", "\u062b": "\u0633",
     "\u0635": "\u0633", "\u0637": "\u062a", "\u062d": "\u0647"}
)  # fmt: skip


#: A Persian vav read as a consonant, v (Vali, Vahid, Anvari, Javad, Fadavi): starting
#: a word, after an alef within a word, before one (not after khe: خوا is kha), or
#: before a final yeh (-avi: Khosravi, Mousavi); Afghan (Dari, Pashto) names, written
#: in the same letters, romanise it w (Wali, Wazir), as does anyascii
_PERSIAN_VAV = re.compile(
    "(?<![\\w\u0640])\u0648(?=\\w)|(?<=\\w\u0627)\u0648(?=\\w)"
    "|(?<=[^\\W\u062e])\u0648(?=\u0627)|(?<=\\w)\u0648(?=[\u06cc\u064a\u0649](?!\\w))"
)


def persian_reading(name: str) -> str | None:
    """A name in Persian letters (``PERSIAN``) with its consonant vav written as veh
    (ڤ, read v: ولی -> ڤلی, Vali), or None where it has none. ``readings`` tries it
    before the name as written (``alternative_readings``)."""
    text = unicodedata.normalize("NFKC", name)
    if not PERSIAN.search(text):
        return None
    read = _PERSIAN_VAV.sub("\u06a4", text)
    return read if read != text else None


#: Titles and honorifics before a name in Arabic script (Sayyid, Hojatoleslam,
#: Ayatollah, Sheikh, Mullah, Mawlawi, Haji, Sardar, Qari, Doctor, Engineer), which a
#: listing may write or leave out
_TITLE = re.compile(
    r"^\W*(?:(?:ال)?سي[دي]|سید|حجت\s*الاسلام|آي[تة]\s*الله|آیت\s*الله|(?:ال)?شي[خ]|شیخ"
    r"|ملا|مولوي|مولوی|(?:ال)?حاج[يی]?|سردار|قار[يی]|(?:ال)?دكتور|دکتر|مهندس)\s+(?=\w)"
)


@lru_cache(maxsize=50_000)
def abjad_alternatives(name: str) -> tuple[str, ...]:
    """The readings of a name in Arabic script, tried in order, the first that finds a
    match winning (``alternative_readings``): a Persian name with v (``persian_reading``)
    before it as written, w; then, for a name after a title (سید, حجت الاسلام, شيخ ...),
    the same without the title, where two words or more are left. ``(name,)`` where
    there is no other."""
    out = [name]
    if persian := persian_reading(name):
        out.insert(0, persian)
    text = unicodedata.normalize("NFKC", name)
    bare = _TITLE.sub("", text)
    if bare != text and ABJAD.search(bare) and len(bare.split()) >= 2:  # a name left
        if persian_bare := persian_reading(bare):
            out.append(persian_bare)
        out.append(bare)
    return tuple(out)


def alternative_readings(name: str) -> bool:
    """Whether ``name``'s readings are alternatives, tried in order, the first that
    finds a match winning (``abjad_alternatives``), rather than all screened."""
    return len(abjad_alternatives(name)) > 1


#: Arabic letters read as vowels where anyascii writes a consonant or a word of its
#: own: ta marbuta (ة) is "a" at a name's end (UNGEGN / BGN-PCGN: Hamza, Samira, Usama;
#: anyascii "h"); alif maqsura (ى), which Persian, Urdu and Egyptian writing also use
#: for a final yeh (على is Ali, بلالى Balali), as the yeh (anyascii reads it "a": "la")
_ARABIC_VOWELS = str.maketrans({"\u0629": "a", "\u0649": "\u064a"})


def transliterate(text: str) -> str:
    """Latin-script ASCII for any script: pinyin for Chinese characters (not in Japanese
    text, which has kana), syllable-spaced romanisation for Hangul, anyascii otherwise
    (Cyrillic, Greek, Arabic, Hebrew, Thai, kana, accented Latin ...); a name in
    Persian, Urdu or Pashto letters with the Arabic letters they read as z, s, t, h
    written as those (``PERSIAN_SOUNDS``)."""
    text = unicodedata.normalize("NFKC", text)
    if ABJAD.search(text):
        text = text.translate(_ARABIC_VOWELS)
    if PERSIAN.search(text):
        text = text.translate(PERSIAN_SOUNDS)
    if _is_chinese(text):
        text = _gloss(lazy_pinyin(_han_text(text), style=Style.NORMAL, errors="default"))
    if _HANGUL.search(text):
        for form in HANGUL_LEGAL_FORMS:
            text = text.replace(form, " ")
        text = _HANGUL.sub(_hangul, text)
    return anyascii(text)


def _merge_initials(tokens: list[str]) -> list[str]:
    """``a c international`` (from ``A.C. International``) -> ``ac international``."""
    out: list[str] = []
    run: list[str] = []
    for tok in [*tokens, ""]:
        if len(tok) == 1 and tok.isalpha():
            run.append(tok)
            continue
        if run:
            out.append("".join(run))
            run = []
        if tok:
            out.append(tok)
    return out


def _branch_follows(tokens: Sequence[str], j: int) -> bool:
    """Whether a branch word follows position ``j``, after any legal forms ("Pte. Ltd.
    Branch in Dubai")."""
    while j < len(tokens):
        if tokens[j] in BRANCH_WORDS:
            return True
        size = next(
            (k for k in _FORM_SIZES.get(tokens[j], ()) if tuple(tokens[j : j + k]) in LEGAL_FORMS),
            0,
        )
        if not size:
            return False
        j += size
    return False


def _strip_legal_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    forms: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        for size in _FORM_SIZES.get(tokens[i], ()):  # only forms that start here
            if size > n - i:
                continue
            form = tuple(tokens[i : i + size])
            # at an edge of the name, or where a branch designation begins ("Taura S.A.
            # Branch Office Cali": the company's name ended with its form)
            at_edge = not kept or i + size == n or _branch_follows(tokens, i + size)
            if form in LEGAL_FORMS and (at_edge or size > 1 or form[0] in _MIDDLE_OK):
                forms.append(" ".join(form))
                if kept and kept[-1] != _CUT:
                    kept.append(_CUT)  # the name ended here (see ``NormalName.after_form``)
                i += size
                break
        else:
            kept.append(tokens[i])
            i += 1
    # A trailing form may have become an edge only after later ones went ("X sa ltd").
    while kept and (kept[-1] == _CUT or (kept[-1],) in LEGAL_FORMS):
        if (word := kept.pop()) != _CUT:
            forms.append(word)
    return kept, forms


#: Marks where a legal form stood inside a name, between ``_strip_legal_forms`` and
#: ``normalise``.
_CUT = "\x00"


#: Two or three letters each followed by a dot ("O.B.", "I. I.", "A.C."), and a letter.
_DOTTED_INITIALS = re.compile(r"(?<![^\W\d_])(?:[^\W\d_]\.\s*){2,3}")
_LETTER = re.compile(r"[^\W\d_]")
_NONE_AT: frozenset[int] = frozenset()


@lru_cache(maxsize=200_000)
def normalise(name: str) -> NormalName:
    """Normalise one name (cached: list and party names repeat across runs)."""
    abjad = bool(ABJAD.search(name))
    latin = transliterate(strip_list_noise(name)).lower().replace("&", " and ")
    # letters written as initials ("O.B.", "O. B."): the words they make (``initials_at``)
    dotted = {"".join(_LETTER.findall(m[0])) for m in _DOTTED_INITIALS.finditer(latin)}
    # Dots go without a break, so "S.A." and "A.C." become "sa" and "ac".
    latin = latin.replace("'", "").replace("`", "").replace(".", "")
    designators = (
        frozenset(m[1] + m[2] for m in _DESIGNATOR.finditer(latin)) if "-" in latin else _NONE
    )
    raw = [t for t in _NON_ALNUM.split(latin) if t]
    raw = _form_typos([ABBREVIATIONS.get(t, t) for t in _merge_initials(raw)])
    raw = [m.group(1) if (m := _ORDINAL.match(t)) else t for t in raw]
    marked, forms = _strip_legal_forms(raw)
    tokens: list[str] = []
    after_form: set[int] = set()
    for t in marked:
        if t == _CUT:
            after_form.add(len(tokens))
        elif t not in STOPWORDS or abjad:  # no Latin stop words in Arabic script
            tokens.append(t)
    if not tokens:  # the name *is* a legal form or stop word: keep what there was
        tokens = [t for t in raw if t not in STOPWORDS] or raw
        forms = []
        after_form = set()
    initials = (
        "".join(t[0] for t in tokens if not t.isdigit())
        if len(tokens) > 1 and not has_patronymic(tokens)
        else ""
    )
    return NormalName(
        name,
        tuple(tokens),
        tuple(forms),
        initials,
        " ".join(tokens),
        "".join(tokens),
        " ".join(sorted(tokens)),
        frozenset(t for t in tokens if t.isdigit()),
        designators=designators,
        after_form=frozenset(i for i in after_form if 0 < i < len(tokens)),
        abjad=abjad,
        initials_at=frozenset(i for i, t in enumerate(tokens) if t in dotted)
        if dotted
        else _NONE_AT,
    )


#: a note a list writes after a name: what kind of name it is
_NOTE = re.compile(r"\s*(?:[-\u2013]|\()\s*sub-unit name\)?\s*$", re.IGNORECASE)
#: an alias a list writes inside a name ("Osama RAMADAN a.k.a. Usama")
_AKA = re.compile(r"\s+\(?a\.k\.a\.?(?=\s|$)", re.IGNORECASE)
#: two names of two words or more each, joined by a slash without spaces
_JOINED = re.compile(r"(\S+\s+[^/]*?[^\W\d_]{2})/([^\W\d_]{2}[^/]*?\s+\S+)")


def name_variants(name: str) -> tuple[str, ...]:
    """The name plus, when it holds an acronym in parentheses, the acronym and the name
    without it, as separate names.

    ``China Electronics Technology Group Corp. (CETC) 54th Research Institute`` yields
    itself, ``China Electronics Technology Group Corp. 54th Research Institute`` and
    ``CETC``. Other parentheses (``Gazprombank (Switzerland) Ltd``) are kept: they
    distinguish entities. A name that joins two names of the party by a slash between
    spaces (``Belteleradio Company / National State Television and Radio Company of the
    Republic of Belarus``) yields each of them too.
    """
    if " / " in name:
        parts = [p.strip() for p in name.split(" / ") if p.strip()]
        return tuple(dict.fromkeys([name, *(v for p in parts for v in name_variants(p))]))
    if (note := _NOTE.search(name)) and note.start() > 0:
        # "ANSAR AL-MUJAHIDEEN NETWORK - SUB-UNIT NAME" (the UK list's note on a name)
        return tuple(dict.fromkeys([name, *name_variants(name[: note.start()].strip())]))
    if (aka := _AKA.search(name)) and len(name[: aka.start()].split()) >= 2:
        # "Osama RAMADAN a.k.a. Usama" (the EU's annexes): the name before the alias too
        return tuple(dict.fromkeys([name, *name_variants(name[: aka.start()].strip())]))
    joined = _JOINED.fullmatch(name)
    if joined is not None and (joined.group(1).split()[-1].lower().strip("."),) in LEGAL_FORMS:
        # two names joined by a slash without spaces after the first one's legal form
        # ("Neptunus LLC/Neptune LLC company"; not Import/Export, A/S, S/A)
        parts = [joined.group(1).strip(), joined.group(2).strip()]
        return tuple(dict.fromkeys([name, *(v for p in parts for v in name_variants(p))]))
    inner = [m.strip() for m in _PARENS.findall(name) if _ACRONYM.match(m.strip())]
    if not inner:
        return (name,)
    stripped = _PARENS.sub(
        lambda m: " " if _ACRONYM.match(m.group(1).strip()) else m.group(0), name
    )
    return tuple(dict.fromkeys(o for o in (name, " ".join(stripped.split()), *inner) if o))


__all__ = [
    "ABJAD",
    "BRANCH_WORDS",
    "LEGAL_FORMS",
    "PERSIAN",
    "PERSIAN_SOUNDS",
    "PINYIN_GLOSSARY",
    "NormalName",
    "abjad_alternatives",
    "alternative_readings",
    "article_skeletons",
    "consonants",
    "has_patronymic",
    "is_article",
    "is_patronymic",
    "name_variants",
    "normalise",
    "persian_reading",
    "phonetic_key",
    "readings",
    "skeleton",
    "strip_list_noise",
    "transliterate",
    "word_skeletons",
]
