"""Name normalisation for screening: script, case, punctuation, legal forms, initials.

Transliteration uses libraries, not tables of our own: ``pypinyin`` for Chinese
characters (Hanyu Pinyin without tones, word-level phrase dictionary) and ``anyascii``
for every other script (Cyrillic, Greek, Arabic, accented Latin ...). Legal-form
suffixes (Co., Ltd., GmbH, LLC, OOO, 有限公司 ...) are recognised from the table
below and set aside: they are weak evidence for identity and strong noise for
string metrics.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import jellyfish
from anyascii import anyascii
from pypinyin import Style, lazy_pinyin

#: Chinese legal forms, removed before transliteration (longest first).
HAN_LEGAL_FORMS: tuple[str, ...] = (
    "股份有限公司",
    "有限责任公司",
    "集团有限公司",
    "有限公司",
    "分公司",
    "总公司",
    "公司",
)

#: Legal forms and company-type words, as token sequences after transliteration.
LEGAL_FORMS: frozenset[tuple[str, ...]] = frozenset(
    tuple(form.split())
    for form in (
        # English and international
        "co",
        "company",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "pte",
        "pty",
        "pvt",
        "private limited",
        "public limited",
        "limited liability company",
        "limited liability partnership",
        "holdings ltd",
        "joint stock company",
        "open joint stock company",
        "closed joint stock company",
        "public joint stock company",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "fze",
        "fzco",
        "fzc",
        "sdn bhd",
        "bhd",
        "tbk",
        "pt",
        "kk",
        "kabushiki kaisha",
        "co ltd",
        "coltd",
        # European
        "gmbh",
        "ag",
        "kg",
        "se",
        "sa",
        "sas",
        "sarl",
        "srl",
        "spa",
        "sl",
        "bv",
        "nv",
        "ab",
        "oy",
        "oyj",
        "as",
        "asa",
        "aps",
        "sro",
        "kft",
        "zrt",
        "sp zoo",
        "doo",
        "ltda",
        "cia",
        "sac",
        "sc",
        "cv",
        "s de rl",
        "s de rl de cv",
        "sa de cv",
        "san tic ltd sti",
        "ltd sti",
        # Russian and other Cyrillic forms, after transliteration
        "ooo",
        "oao",
        "zao",
        "pao",
        "ao",
        "nao",
        "tov",
        "pat",
        "fgup",
        "gup",
        "mup",
        "obshchestvo s ogranichennoi otvetstvennostyu",
        "obshchestvo s ogranichennoy otvetstvennostyu",
        "aktsionernoe obshchestvo",
        "otkrytoe aktsionernoe obshchestvo",
        "zakrytoe aktsionernoe obshchestvo",
        "publichnoe aktsionernoe obshchestvo",
        "federalnoe gosudarstvennoe unitarnoe predpriyatie",
        "aktsionernoe",
        "obshchestvo",
        "otkrytoe",
        "zakrytoe",
        "publichnoe",
        # other romanisations of the same Russian words (BGN/PCGN, GOST, German, ad hoc)
        "akcionernoe",
        "aktzionernoe",
        "aktsionernoye",
        "aktsionernoje",
        "obschestvo",
        "obshestvo",
        "obshtestvo",
        "obshchestwo",
        "otkrytoye",
        "zakrytoye",
        "publichnoye",
        "s ogranichennoi otvetstvennostyu",
        "s ogranichennoy otvetstvennostyu",
        "s ogranichennoj otvetstvennostju",
        "s ogranichenoy otvetstvenostyu",
        "s ogranichennoi otvetstvennostiu",
        "joint stock",
        "closed joint stock",
        "open joint stock",
        "public joint stock",
        "joint stock co",
        "tovarystvo z obmezhenoyu vidpovidalnistyu",
        # Spanish, Portuguese, Italian, French, German, Dutch, Turkish long forms
        "sociedad anonima",
        "sociedad anonima de capital variable",
        "sociedad de responsabilidad limitada",
        "sociedade anonima",
        "limitada",
        "societa per azioni",
        "societe anonyme",
        "societe a responsabilite limitee",
        "gesellschaft mit beschrankter haftung",
        "gesellschaft mbh",
        "aktiengesellschaft",
        "besloten vennootschap",
        "naamloze vennootschap",
        "sanayi ve ticaret",
        "sanayi ve ticaret ltd sti",
        "sanayi ve ticaret as",
        "limited sirketi",
        "anonim sirketi",
        "free zone establishment",
        "free zone company",
        # East Asian forms after transliteration (Korean, Japanese kanji read as pinyin)
        "jusik hoesa",
        "jusighoesa",
        "chusik hoesa",
        "yuhan hoesa",
        "zhu shi hui she",
        "kabushiki gaisha",
        "yugen gaisha",
        # Thai (after anyascii): borisat (company), chamkat (limited), mahachon (public)
        "brisath",
        "cakhad",
        "mhachn",
        "borisat",
        "chamkat",
        "mahachon",
        # Chinese forms that arrive already romanised
        "youxian gongsi",
        "you xian gong si",
        "gufen youxian gongsi",
    )
)
_MAX_FORM = max(len(f) for f in LEGAL_FORMS)
#: Lengths of the legal forms that start with a word, longest first.
_FORM_SIZES: dict[str, tuple[int, ...]] = {
    first: tuple(sorted({len(f) for f in LEGAL_FORMS if f[0] == first}, reverse=True))
    for first in {f[0] for f in LEGAL_FORMS}
}

#: Single-token forms that are safe to remove in the middle of a name too
#: ("Huawei Investment Co., Ltd., Guiyang"); short ones ("sa", "as", "ao") are only
#: removed at either end, where legal forms sit.
_MIDDLE_OK: frozenset[str] = frozenset(
    {
        "co",
        "ltd",
        "llc",
        "inc",
        "corp",
        "gmbh",
        "limited",
        "company",
        "corporation",
        "ooo",
        "oao",
        "zao",
        "pao",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "plc",
        "coltd",
        "ltda",
        "bhd",
    }
)

#: Common abbreviations, expanded so that both spellings compare equal.
ABBREVIATIONS: dict[str, str] = {
    "hi": "high",
    "intl": "international",
    "int": "international",
    "tech": "technology",
    "techn": "technology",
    "technologies": "technology",
    "mfg": "manufacturing",
    "eng": "engineering",
    "engg": "engineering",
    "mach": "machinery",
    "natl": "national",
    "sci": "science",
    "svc": "services",
    "svcs": "services",
    "mgmt": "management",
    "dev": "development",
    "univ": "university",
    "inst": "institute",
    "res": "research",
    "ind": "industrial",
    "inds": "industries",
    "indus": "industries",
    "elec": "electronics",
    "bros": "brothers",
    "grp": "group",
    "hldgs": "holdings",
    "assn": "association",
    "shpg": "shipping",
    "intl.": "international",
}

#: Words that name a part of an organisation rather than another one: in a longer name
#: that contains a listed one ("Gulf Gate Shipping Co. LLC Dubai Branch"), they and the
#: place next to them are weak evidence against the match.
BRANCH_WORDS: frozenset[str] = frozenset(
    {
        "branch", "branches", "office", "offices", "representative", "representation",
        "rep", "liaison", "filial", "filiale", "filiala", "sucursal", "succursale",
        "niederlassung", "zweigniederlassung", "agency", "subsidiary", "division",
        "plant", "factory", "headquarters", "hq", "in", "at", "fenjongsi", "fen", "bangongshi",
    }
)  # fmt: skip


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


#: Pinyin of common business words, in the English that list entries use for them
#: (Chinese names are listed half transliterated, half translated: 丹东天富贸易有限公司
#: is DANDONG TIANFU TRADE CO., LTD.). Matched on syllable runs, longest first.
PINYIN_GLOSSARY: dict[str, str] = {
    "mao yi": "trade", "shi ye": "industrial", "guo ji": "international", "ke ji": "technology",
    "ji tuan": "group", "jin chu kou": "import export", "gong ye": "industrial",
    "da xue": "university", "yan jiu suo": "research institute",
    "yan jiu yuan": "research institute",
    "kong gu": "holdings", "wang luo": "network", "jin shu": "metal", "cai liao": "material",
    "fa zhan": "development", "wu liu": "logistics", "hai yun": "shipping",
    "dian zi": "electronics", "tou zi": "investment", "zhi zao": "manufacturing",
    "she bei": "equipment", "hua gong": "chemical", "kuang ye": "mining", "yin hang": "bank",
    "hang kong": "aviation", "hang tian": "aerospace", "shi ji": "century", "xi tu": "rare earth",
    "ci cai": "magnetic material", "yong ci": "permanent magnet", "zhong guo": "china",
    "dian zi ke ji": "electronic technology", "jing mi": "precision", "ji xie": "machinery",
}  # fmt: skip
_GLOSSARY_MAX = max(len(k.split()) for k in PINYIN_GLOSSARY)


def _gloss(syllables: list[str]) -> str:
    out: list[str] = []
    i = 0
    while i < len(syllables):
        for size in range(min(_GLOSSARY_MAX, len(syllables) - i), 1, -1):
            if (word := PINYIN_GLOSSARY.get(" ".join(syllables[i : i + size]))) is not None:
                out.append(word)
                i += size
                break
        else:
            out.append(syllables[i])
            i += 1
    return " ".join(out)


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


#: Words that carry no identity; dropped from the token list.
STOPWORDS: frozenset[str] = frozenset({"the", "of", "and", "for", "de", "la", "le", "del"})

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
_HANGUL = re.compile(r"[\uac00-\ud7af]+")
#: Hangul legal forms (주식회사 joint-stock company, 유한회사 limited company, 회사 company)
HANGUL_LEGAL_FORMS: tuple[str, ...] = ("주식회사", "유한회사", "합자회사", "회사")
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
_ACRONYM = re.compile(r"^[A-Za-z0-9&-]{3,8}$")


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
    #: whether initials may stand for this name or this name for initials (a listed
    #: person's name, or an acronym the entry also spells out, may not; see ``Matcher``)
    initials_ok: bool = True


def _korean_syllable(syl: str) -> str:
    syl = syl.lower().replace("eo", "o").replace("eu", "u")
    return _RR_INITIAL.get(syl[0], syl[0]) + syl[1:]


def _hangul(match: re.Match[str]) -> str:
    """One run of Hangul: each syllable romanised and spaced (names are written by
    syllable on lists: Kim Jong Un, Ri Pyong Chol)."""
    return " " + " ".join(_korean_syllable(s) for s in _SYLLABLE.findall(anyascii(match[0]))) + " "


def transliterate(text: str) -> str:
    """Latin-script ASCII for any script: pinyin for Chinese characters (not in Japanese
    text, which has kana), syllable-spaced romanisation for Hangul, anyascii otherwise
    (Cyrillic, Greek, Arabic, Hebrew, Thai, kana, accented Latin ...)."""
    text = unicodedata.normalize("NFKC", text)
    if _HAN.search(text) and not _KANA.search(text):
        for form in HAN_LEGAL_FORMS:
            text = text.replace(form, " ")
        text = _gloss(lazy_pinyin(text, style=Style.NORMAL, errors="default"))
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


def _strip_legal_forms(tokens: list[str]) -> tuple[list[str], list[str]]:
    kept: list[str] = []
    forms: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        for size in _FORM_SIZES.get(tokens[i], ()):  # only forms that start here
            if size > n - i:
                continue
            form = tuple(tokens[i : i + size])
            at_edge = not kept or i + size == n
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


@lru_cache(maxsize=200_000)
def normalise(name: str) -> NormalName:
    """Normalise one name (cached: list and party names repeat across runs)."""
    latin = transliterate(strip_list_noise(name)).lower().replace("&", " and ")
    # Dots go without a break, so "S.A." and "A.C." become "sa" and "ac".
    latin = latin.replace("'", "").replace("`", "").replace(".", "")
    designators = (
        frozenset(m[1] + m[2] for m in _DESIGNATOR.finditer(latin)) if "-" in latin else _NONE
    )
    raw = [t for t in _NON_ALNUM.split(latin) if t]
    raw = [ABBREVIATIONS.get(t, t) for t in _merge_initials(raw)]
    raw = [m.group(1) if (m := _ORDINAL.match(t)) else t for t in raw]
    marked, forms = _strip_legal_forms(raw)
    tokens: list[str] = []
    after_form: set[int] = set()
    for t in marked:
        if t == _CUT:
            after_form.add(len(tokens))
        elif t not in STOPWORDS:
            tokens.append(t)
    if not tokens:  # the name *is* a legal form or stop word: keep what there was
        tokens = [t for t in raw if t not in STOPWORDS] or raw
        forms = []
        after_form = set()
    initials = "".join(t[0] for t in tokens if not t.isdigit()) if len(tokens) > 1 else ""
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
    )


def name_variants(name: str) -> tuple[str, ...]:
    """The name plus, when it holds an acronym in parentheses, the acronym and the name
    without it, as separate names.

    ``China Electronics Technology Group Corp. (CETC) 54th Research Institute`` yields
    itself, ``China Electronics Technology Group Corp. 54th Research Institute`` and
    ``CETC``. Other parentheses (``Gazprombank (Switzerland) Ltd``) are kept: they
    distinguish entities.
    """
    inner = [m.strip() for m in _PARENS.findall(name) if _ACRONYM.match(m.strip())]
    if not inner:
        return (name,)
    stripped = _PARENS.sub(
        lambda m: " " if _ACRONYM.match(m.group(1).strip()) else m.group(0), name
    )
    return tuple(dict.fromkeys(o for o in (name, " ".join(stripped.split()), *inner) if o))


__all__ = [
    "BRANCH_WORDS",
    "LEGAL_FORMS",
    "PINYIN_GLOSSARY",
    "NormalName",
    "name_variants",
    "normalise",
    "phonetic_key",
    "strip_list_noise",
    "transliterate",
]
