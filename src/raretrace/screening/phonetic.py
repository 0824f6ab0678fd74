"""Sound keys that compare a foreign name written in Chinese characters with the name
in Latin letters it renders (洛克希德 luo ke xi de / Lockheed: "LKST" both).

Chinese renders a foreign name syllable by syllable, with the consonants Mandarin has;
the vowels, the glides and English letters Mandarin lacks go their own ways. A key
keeps only consonant *classes* the two sound systems share, on both sides:

====  ==================================  ==========================================
key   pinyin initial (or final)           English letters
====  ==================================  ==========================================
B     b p                                 b p
F     f                                   f ph, v before a consonant or at the end
M     m                                   m
T     d t                                 d t, th at the start of a word
N     n, and the finals -n -ng            n, ng
L     l r, and the final er (尔)          l, r before a vowel
K     g k j q zh ch                       g k c q j ch x(=KS), ck
S     s z c x sh h                        s z sh th h, c before e i y
====  ==================================  ==========================================

Dropped: vowels, y and w (glides; Mandarin writes English v and w with w: 维 wei), r
before a consonant or at the end of a word (Chinese follows the British, non-rhotic
reading: Gershman 格什曼 ge shi man), silent letters (gh before a consonant, k in kn, w
in wr, h at the end: Sarah 萨拉) and doubled letters; m before b or p is a nasal coda,
N (Pompeo 蓬佩奥 peng); a nasal final before an n is one n (康纳 kang na: Conor).
h and x fold with s because Chinese renders an English h before i/ee with x (希 xi:
Healy 希利, Lockheed 洛克希德); j, q and zh fold with g and k because it writes ga, ki
and ge with them (加 jia: Gallagher 加拉格尔; 基 ji: Keith 基思).

``sound_similarity`` compares two keys (rapidfuzz ratio, in [0, 1]): renderings drop
or add a consonant here and there (Teledyne Brown "TLTNBLN", 特励达·布朗 "TLTBLN": 0.92).
A Japanese reading (Hepburn) is compared letter by letter instead (``translate``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin
from rapidfuzz import fuzz

_INITIALS = (
    ("zh", "K"), ("ch", "K"), ("sh", "S"),
    ("b", "B"), ("p", "B"), ("m", "M"), ("f", "F"), ("d", "T"), ("t", "T"), ("n", "N"),
    ("l", "L"), ("r", "L"), ("g", "K"), ("k", "K"), ("j", "K"), ("q", "K"), ("h", "S"),
    ("x", "S"), ("z", "S"), ("c", "S"), ("s", "S"), ("y", ""), ("w", ""),
)  # fmt: skip


@lru_cache(maxsize=2048)
def syllable_key(syllable: str) -> str:
    """The key of one pinyin syllable (tone-less, ``v`` or ``ü`` for ü): its initial's
    class, then N for a nasal final or L for "er" ("lang" -> "LN", "er" -> "L",
    "xi" -> "S", "yue" -> "")."""
    s = syllable.lower()
    if s == "er":
        return "L"
    key = ""
    for initial, cls in _INITIALS:
        if s.startswith(initial):
            key, s = cls, s[len(initial) :]
            break
    if s.endswith(("n", "ng")):
        key += "N"
    return key


def pinyin_key(text: str) -> str:
    """The key of a run of Chinese characters, read in pinyin (pypinyin, phrase
    dictionary): 特励达 te li da -> "TLT"; 布朗 bu lang -> "BLN". A nasal final before
    an n is one n (康纳 kang na, Conor: "KN")."""
    key = "".join(
        syllable_key(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors="ignore") if s
    )
    return key.replace("NN", "N")


_VOWELS = frozenset("aeiouy")
#: English letter groups, longest first, with their class ("" = silent); applied left to
#: right by ``english_key``
_GROUPS = (
    ("tch", "K"), ("sch", "S"), ("ck", "K"), ("ch", "K"), ("sh", "S"), ("ph", "F"),
    ("kn", "N"), ("wr", "L"), ("dg", "K"), ("qu", "K"), ("x", "KS"),
    ("b", "B"), ("p", "B"), ("m", "M"), ("f", "F"), ("d", "T"), ("t", "T"), ("n", "N"),
    ("l", "L"), ("k", "K"), ("g", "K"), ("j", "K"), ("q", "K"), ("s", "S"), ("z", "S"),
    ("h", "S"),
)  # fmt: skip
_RUNS = re.compile(r"(.)\1+")


@lru_cache(maxsize=100_000)
def english_key(word: str) -> str:
    """The key of a word in Latin letters (lower case; digits and other letters
    ignored): "lockheed" -> "LKST", "teledyne" -> "TLTN", "gershman" -> "KSMN",
    "huntington" -> "SNTNTN", "ingalls" -> "NKLS"."""
    return _english(word, vowels=False)


@lru_cache(maxsize=20_000)
def english_shape(word: str, silent_e: bool = True) -> str:
    """The key with a V for each run of vowels (a final e after a consonant taken as
    silent, unless ``silent_e`` is false): where the word has syllables. "pompeo" ->
    "BVNBV", "bolton" -> "BVLTVN", "smith" -> "SMVS"; compared with ``pinyin_shape`` of a
    rendering (``transcription``)."""
    w = word.lower()
    shape = re.sub("V+", "V", _english(w, vowels=True))
    if silent_e and len(w) > 3 and w.endswith("e") and w[-2] not in _VOWELS and shape.endswith("V"):
        shape = shape[:-1]  # Nice, Rose: the e is not sounded
    return shape


def _english(word: str, vowels: bool) -> str:
    w = _RUNS.sub(r"\1", "".join(c for c in word.lower() if "a" <= c <= "z"))
    out: list[str] = []
    i, n = 0, len(w)
    while i < n:
        c = w[i]
        nxt = w[i + 1] if i + 1 < n else ""
        if c in _VOWELS or c == "w":
            if vowels and c != "w":
                out.append("V")
            i += 1
            continue
        if c == "r":  # non-rhotic: r only before a vowel (rh: Rheinmetall)
            out.append("L" if nxt in _VOWELS or nxt == "h" else "")
            i += 1 + (nxt == "h")
            continue
        if c == "m" and nxt in ("b", "p"):  # nasal coda: 蓬佩奥 peng pei ao, Pompeo
            out.append("N")
            i += 1
            continue
        if c == "g" and nxt == "h":  # gh: hard before a vowel (Gallagher), else silent
            out.append("K" if w[i + 2 : i + 3] in _VOWELS and i + 2 < n else "")
            i += 2
            continue
        if c == "h" and not nxt:  # silent at the end (Sarah 萨拉)
            i += 1
            continue
        if c == "v":
            out.append("" if nxt in _VOWELS else "F")
            i += 1
            continue
        if c == "c" and nxt != "h":
            out.append("S" if nxt in ("e", "i", "y") else "K")
            i += 1 + (nxt == "k")
            continue
        if c == "t" and nxt == "h":
            out.append("T" if i == 0 else "S")
            i += 2
            continue
        if c == "n" and nxt == "g":  # ng: one nasal, unless a vowel follows (Ingalls)
            after = w[i + 2] if i + 2 < n else ""
            out.append("NK" if after in _VOWELS and after else "N")
            i += 2
            continue
        for group, cls in _GROUPS:
            if w.startswith(group, i):
                out.append(cls)
                i += len(group)
                break
        else:
            i += 1
    return "".join(out)


_PINYIN = re.compile(
    r"(?:(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|uai|iao|ian|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua"
    r"|uo|ue|ui|er|a|o|e|i|u|v))+"
)


def pinyin_like(word: str) -> bool:
    """Whether ``word`` reads as pinyin syllables ("xianghe", "li"; not "leidos"): a
    romanised Chinese name, which the ordinary path compares letter by letter."""
    return bool(_PINYIN.fullmatch(word))


def sound_similarity(a: str, b: str) -> float:
    """Similarity of two keys in [0, 1] (rapidfuzz ratio: 2 x common / total length)."""
    if not a or not b:
        return 0.0
    return fuzz.ratio(a, b) / 100.0


__all__ = [
    "english_key",
    "english_shape",
    "pinyin_key",
    "pinyin_like",
    "sound_similarity",
    "syllable_key",
]
