"""Ukrainian and Belarusian names in the romanisations their own countries use.

anyascii reads every Cyrillic letter the Russian way (Сергій -> "Sergiy", Сяргей ->
"Syargey"), but a Ukrainian or Belarusian name is listed as its passport writes it, in
the national romanisation: Ukraine's (Cabinet of Ministers resolution 55 of 2010:
г h, и y, і i, є ie, ї i, й i, ю iu, я ia, the iotated letters with y at the start
of a word: Serhii, Ihorovych, Yevhen) and Belarus's (г h, ў u, ы y, э e; я, ю, ё as
ia, iu, io after a consonant, е as e: Siarhei, Aliaksandravich, Fiodaravich). The
language is told by the letters only it writes (Ukrainian і ї є ґ without ы э ё ъ;
Belarusian ў, or і beside ы or э); ``readings`` screens the national reading beside
the anyascii one.
"""

from __future__ import annotations

import re
from functools import lru_cache

#: Any Cyrillic letter (Russian, Ukrainian, Belarusian ...)
CYRILLIC = re.compile("[\u0400-\u04ff]")
_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")
_RUSSIAN_ONLY = re.compile("[ыэёъЫЭЁЪ]")
_BELARUSIAN = re.compile("[ўЎ]")
_BELARUSIAN_PAIR = re.compile("[ыэЫЭ]")

#: letters common to both national systems
_COMMON = {
    "а": "a", "б": "b", "в": "v", "г": "h", "ґ": "g", "д": "d", "ж": "zh", "з": "z",
    "і": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ь": "", "ъ": "", "'": "", "’": "", "ʼ": "",
}  # fmt: skip
_UK = {**_COMMON, "е": "e", "и": "y", "й": "i", "ї": "i"}
#: Russian as Western lists mostly write it (BGN/PCGN without its apostrophes): г g,
#: и i, й y, ы y, э e; е, ё, ю, я iotated as below
_RU = {**_COMMON, "г": "g", "и": "i", "й": "y", "ы": "y", "э": "e", "е": "e"}
_BE = {**_COMMON, "е": "e", "ё": "io", "й": "i", "ы": "y", "э": "e", "ў": "u"}
#: iotated vowels: after a letter / at the start of a word or after a soft sign or an
#: apostrophe
_UK_IOTATED = {
    "є": ("ie", "ye"), "ї": ("i", "yi"), "й": ("i", "y"), "ю": ("iu", "yu"), "я": ("ia", "ya"),
}  # fmt: skip
_RU_IOTATED = {"е": ("e", "ye"), "ё": ("yo", "yo"), "ю": ("yu", "yu"), "я": ("ya", "ya")}
_BE_IOTATED = {
    "е": ("e", "ye"), "ё": ("io", "yo"), "ю": ("iu", "yu"), "я": ("ia", "ya"),
}  # fmt: skip
_SOFT = set("ьъ'’ʼ")
#: a Latin i written for Cyrillic і inside a Cyrillic word (Беларуськалiй, Анатолiйович:
#: the two look the same)
_LATIN_I = re.compile("(?<=[\u0400-\u04ff])[iI]|[iI](?=[\u0400-\u04ff])")


def _cyrillic_i(name: str) -> str:
    return _LATIN_I.sub(lambda m: "і" if m[0] == "i" else "І", name)


def language(name: str) -> str:
    """ "uk", "be", or "" (Russian, or not Cyrillic), by the letters only one of them
    writes."""
    if not CYRILLIC.search(name):
        return ""
    name = _cyrillic_i(name)
    if _BELARUSIAN.search(name) or (_UKRAINIAN.search(name) and _BELARUSIAN_PAIR.search(name)):
        return "be"
    if _UKRAINIAN.search(name) and not _RUSSIAN_ONLY.search(name):
        return "uk"
    return ""


@lru_cache(maxsize=50_000)
def national_reading(name: str) -> str | None:
    """A Ukrainian or Belarusian name in its national romanisation (ФІЛІПЧУК ПАВЛО
    ІГОРОВИЧ -> "filipchuk pavlo ihorovych"; Сяргей Аляксандравіч -> "siarhei
    aliaksandravich"), lower case; None for other names."""
    lang = language(name)
    if not lang:
        return None
    table, iotated = (_UK, _UK_IOTATED) if lang == "uk" else (_BE, _BE_IOTATED)
    return _romanise(name, table, iotated, after_vowel=False)


_VOWELS = set("аеёиоуыэюяіїє")
#: ий, ый at the end of a word: y (Valeriy, Yuriy: Valery, Yury)
_FINAL_IY = re.compile(r"[iy]y\b")


@lru_cache(maxsize=50_000)
def russian_reading(name: str) -> str | None:
    """A Russian name as Western lists mostly write it (BGN/PCGN-like: е as ye after a
    vowel or soft sign, ий as y: Валерий Николаевич ВАСИЛЬЕВ -> "valery nikolayevich
    vasilyev"), lower case; None for a name that is not in Cyrillic or is Ukrainian or
    Belarusian (``national_reading``)."""
    if not CYRILLIC.search(name) or language(name):
        return None
    return _FINAL_IY.sub("y", _romanise(name, _RU, _RU_IOTATED, after_vowel=True))


def _romanise(
    name: str, table: dict[str, str], iotated: dict[str, tuple[str, str]], *, after_vowel: bool
) -> str:
    """``name`` letter by letter through ``table``; iotated vowels by position."""
    out: list[str] = []
    prev = " "
    for ch in _cyrillic_i(name).lower():
        if ch in iotated:
            start = not prev.isalpha() or prev in _SOFT or (after_vowel and prev in _VOWELS)
            out.append(iotated[ch][1 if start else 0])
        elif ch in table:
            out.append(table[ch])
        else:
            out.append(ch)
        prev = ch
    return "".join(out)


#: What the romanisations of one East Slavic name differ by, folded to one (BGN/PCGN,
#: the national systems, ISO 9 and the German and Polish spellings lists also carry):
#: й and the iotation as j or y (Julia / Yuliya, Jurij / Yuriy), ё as yo or e (Artyom /
#: Artem), -ия as iya or ia (Yuliya / Yulia), a final -ий as iy, ii, y or i (Yuriy,
#: Yurii, Yury, Yuri), x as ks (Alexei / Aleksei), a final -ей as ey or ei (Aleksey /
#: Aleksei)
_SLAVIC_FOLDS = (("j", "y"), ("x", "ks"), ("yo", "e"), ("iy", "i"), ("ii", "i"), ("yy", "y"))
_FINAL = re.compile(r"(?:ey|ei)$")
_FINAL_I = re.compile(r"(?<=[^aeiouy])y$")


@lru_cache(maxsize=100_000)
def slavic_key(word: str) -> str:
    """A romanised East Slavic name word with what its romanisations differ by folded
    (``_SLAVIC_FOLDS``): Yuliya and Julia, Artyom and Artem, Yury and Yuriy share one."""
    for many, one in _SLAVIC_FOLDS:
        word = word.replace(many, one)
    return _FINAL_I.sub("i", _FINAL.sub("ey", word))


__all__ = ["CYRILLIC", "language", "national_reading", "russian_reading", "slavic_key"]
