"""Readings of Japanese (kana) and Thai names in the spellings Latin lists use.

A name with kana is Japanese for sure; ``pykakasi`` reads it in Hepburn (kanji in
their Japanese readings, not as Chinese; so is a kanji-only name with a legal form
only Japanese uses, 株式会社), long vowels folded as list spellings write
them (toukyou -> tokyo, juukougyou -> jukogyo), legal forms set aside and business
words translated (トヨタ自動車株式会社 -> "toyota motor"); a Japanese name as a
Chinese list writes it, in simplified characters Japanese does not use, has its
Chinese business words translated first (三菱重工航空发动机株式会社 -> "mitsubishi heavy
industries aviation engines") and the rest written in the characters Japanese uses
(OpenCC's s2t then t2jp: 日钢特机 -> 日鋼特機, "nikko tokki"); 日本 is read nippon and
nihon (``native_readings``). A Thai name is read in the
Royal Thai General System (``pythainlp``'s ``royin`` engine; ธนาคารกรุงไทย -> "bank
krungthai"). Kanji-only names stay read as Chinese (``normalise.readings``): they may be
Chinese. Both libraries load on the first name that needs them (pythainlp takes about
a second to import).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Any

from raretrace.screening.name_tables import (
    KANA_GLOSSARY,
    KANA_LEGAL_FORMS,
    SIMPLIFIED_GLOSSARY,
    THAI_GLOSSARY,
    THAI_LEGAL_FORMS,
)

KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff]")
THAI = re.compile(r"[\u0e00-\u0e7f]")


def _split_on(table: dict[str, str]) -> re.Pattern[str]:
    return re.compile("(" + "|".join(map(re.escape, sorted(table, key=len, reverse=True))) + ")")


_KANA_WORDS = _split_on(KANA_GLOSSARY)
_SIMPLIFIED_WORDS = _split_on(SIMPLIFIED_GLOSSARY)
_HAN = re.compile(r"[\u4e00-\u9fff]")
_THAI_WORDS = _split_on(THAI_GLOSSARY)
#: Long vowels as list spellings write them (Hepburn without macrons): ou, oo -> o;
#: uu -> u. "ei" stays (Meiji, Seiko).
_LONG = (("ou", "o"), ("oo", "o"), ("uu", "u"))


@lru_cache(maxsize=1)
def _kakasi() -> Any:
    import pykakasi

    return pykakasi.kakasi()  # type: ignore[no-untyped-call]


def _fold(word: str) -> str:
    for long, short in _LONG:
        word = word.replace(long, short)
    return word


def _glossed(text: str, words: re.Pattern[str], table: dict[str, str], read: Any) -> str:
    """``text`` with its glossary words translated and the rest read by ``read``."""
    out: list[str] = []
    for i, part in enumerate(words.split(text)):
        out.append(table[part] if i % 2 else read(part))
    return " ".join(" ".join(out).split())


#: Katakana as Hepburn reads each one (a general table); a small vowel or small ya, yu,
#: yo after it replaces its vowel (ティ ti, ジェ je, ウィ wi, キャ kya, シャ sha).
_KATAKANA: dict[str, str] = dict(
    zip(
        "アイウエオカキクケコガギグゲゴサシスセソザジズゼゾタチツテトダヂヅデドナニヌネノ"
        "ハヒフヘホバビブベボパピプペポマミムメモヤユヨラリルレロワヰヱヲンヴ",
        re.findall(
            r"\S+",
            "a i u e o ka ki ku ke ko ga gi gu ge go sa shi su se so za ji zu ze zo ta chi tsu "
            "te to da ji zu de do na ni nu ne no ha hi fu he ho ba bi bu be bo pa pi pu pe po "
            "ma mi mu me mo ya yu yo ra ri ru re ro wa i e o n vu",
        ),
        strict=True,
    )
)
_SMALL_VOWELS = dict(zip("ァィゥェォヮ", ("a", "i", "u", "e", "o", "wa"), strict=True))
_SMALL_Y = dict(zip("ャュョ", ("a", "u", "o"), strict=True))
#: a run of katakana with its long-vowel marks and sokuon
_KATAKANA_RUN = re.compile(r"[\u30a1-\u30fa\u30fc]+")
#: the kana that end in an epenthetic u when a consonant or the word's end follows
#: (Japanese adds a vowel after a foreign consonant: ロステック rosutekku for Rostec)
_EPENTHETIC_U = frozenset("クグスズツヌフブプムルヴ")


def _consonant(romaji: str) -> str:
    """The consonant of a kana's reading, the one a small vowel follows (テ t, ウ w)."""
    if romaji in ("u", "o"):
        return "w"
    if romaji == "i":
        return "y"
    return romaji.rstrip("aiueo")


@lru_cache(maxsize=20_000)
def _foreign_reading(run: str, liquid: str = "r") -> str:
    """A katakana run read as the foreign word it renders, in the spelling Latin lists
    use: small kana joined to the kana before them, the long-vowel mark and the sokuon
    left out (トレーディング tredingu -> "treding", メトロテック "metorotek"), and a u
    Japanese adds after a consonant dropped before a consonant and at the end
    (イストック "istok", インベストメンツ "inbestoments", ズヴョーズダチカ "zvozdachika";
    kept before ハ行, which renders a foreign kh or h: スホーイ "suhoi", Sukhoi),
    a final ト, ド read t, d (クロンシュタット "kronshtat"). Japanese has one liquid, ラ
    行, for a foreign r and l alike: ``liquid`` "l" reads it l (ゼレノドリスク
    "zelenodolisk" for Zelenodolsk, where "r" gives "zerenodorisk"), "rl" reads a
    word's first r and the later ones l (クルィロフ "krirof" -> "krilof", Krylov). Long vowels
    spelled out are folded as in Hepburn readings (シンリキョウ "shinrikyo")."""
    syllables: list[list[str]] = []  # [kana, reading]
    for ch in run:
        if ch in _KATAKANA:
            syllables.append([ch, _KATAKANA[ch]])
        elif ch in _SMALL_VOWELS and syllables:
            last = syllables[-1]
            last[1] = _consonant(last[1]) + _SMALL_VOWELS[ch]
            last[0] = ""
        elif ch in _SMALL_Y and syllables:
            last = syllables[-1]
            base = last[1]
            stem = base[:-1] if base.endswith("i") else _consonant(base)
            if stem not in ("sh", "ch", "j") and base.endswith("i"):
                stem += "y"
            last[1] = stem + _SMALL_Y[ch]
            last[0] = ""
        elif ch in _SMALL_VOWELS or ch in _SMALL_Y:
            syllables.append(["", (_SMALL_VOWELS | _SMALL_Y)[ch]])
        # ー (long vowel) and ッ (sokuon) are left out
    out: list[str] = []
    for i, (kana, reading) in enumerate(syllables):
        nxt = syllables[i + 1][1] if i + 1 < len(syllables) else ""
        if len(syllables) > 1 and (not nxt or nxt[0] not in "aiueoyh"):
            epenthetic = kana in _EPENTHETIC_U or reading in ("shu", "chu", "ju")
            final_stop = not nxt and kana in ("ト", "ド")  # a final t, d (クロンシュタット -tat)
            if epenthetic or final_stop:
                reading = reading[:-1]
        if reading.startswith("r") and (liquid == "l" or (liquid == "rl" and "r" in "".join(out))):
            reading = "l" + reading[1:]
        out.append(reading)
    return _fold("".join(out))


#: word breaks of Japanese renderings of foreign names: the middle dot (・, halfwidth ･)
#: and the double hyphen (＝, ゠)
_WORD_BREAKS = re.compile(r"[\u30fb\uff65\u00b7=\uff1d\u30a0]")


def _read_japanese(text: str, liquid: str = "r") -> str:
    text = _WORD_BREAKS.sub(" ", text)
    out: list[str] = []
    for t in _kakasi().convert(text):
        orig = t["orig"]
        if _KATAKANA_RUN.fullmatch(orig.strip()):
            out.append(_foreign_reading(orig.strip(), liquid))
        else:
            out.append(_fold(t["hepburn"].lower()))
    return " ".join(out)


def _in_simplified(text: str) -> bool:
    """Whether a Japanese name is written with characters Japanese does not use (a
    Chinese list's rendering, 三菱重工航空发动机株式会社: 发 has no Japanese reading)."""
    return any(not t["hepburn"] and _HAN.search(t["orig"]) for t in _kakasi().convert(text))


@lru_cache(maxsize=20_000)
def japanese_reading(text: str) -> str | None:
    """The Hepburn reading of a run of kanji (川崎 -> "kawasaki"), or None when one of
    them has no Japanese reading (a simplified Chinese character: 诺)."""
    parts = _kakasi().convert(text)
    if not parts or any(not t["hepburn"] for t in parts):
        return None
    return "".join(_fold(t["hepburn"].lower()) for t in parts)


@lru_cache(maxsize=1)
def _to_japanese() -> Any:
    import opencc

    s2t, t2jp = opencc.OpenCC("s2t"), opencc.OpenCC("t2jp")
    return lambda text: t2jp.convert(s2t.convert(text))


@lru_cache(maxsize=20_000)
def japanese_forms(text: str) -> str:
    """``text`` with simplified Chinese characters written as Japanese writes them
    (OpenCC's s2t, then t2jp: 日钢特机 -> 日鋼特機, 电磁测器 -> 電磁測器, 丰和 -> 豊和), so that
    a Japanese name as a Chinese list writes it can be read in Hepburn; ``text`` itself
    where the conversion would change its length."""
    if text.isascii():
        return text
    out = str(_to_japanese()(text))
    return out if len(out) == len(text) else text


#: 日本 (Japan) has two readings, nippon (pykakasi's) and nihon; names use both
#: (Nippon Steel, Nihon Kohden)
_NIPPON = re.compile(r"\bnippon(?=\s|$)")


def native_readings(name: str) -> tuple[str, ...]:
    """``native_reading`` of ``name``, and beside it the reading with 日本 read nihon
    where it was read nippon (日本电磁测器株式会社: "nihon denji sokki"), and the reading
    with its katakana's ラ行 read l, or a word's first r and the later ones l, where
    that differs (アルファ "alfa" beside "arfa"; クルィロフ "krilof");
    () for a name that has none."""
    reading = native_reading(name)
    if reading is None:
        return ()
    out = [reading]
    if "日本" in name and (other := _NIPPON.sub("nihon", reading)) != reading:
        out.append(other)
    if KANA.search(name):
        for liquid in ("l", "rl"):
            if (lateral := native_reading(name, liquid)) and lateral not in out:
                out.append(lateral)
    return tuple(out)


def _read_thai(text: str) -> str:
    from pythainlp.transliterate import romanize

    return " ".join(romanize(chunk, engine="royin") for chunk in text.split())


#: Japanese legal forms no Chinese name holds (Chinese writes 公司): a kanji-only name
#: with one of them is Japanese (株式会社日立製作所, 三菱重工業株式会社).
_JAPANESE_ONLY = ("株式会社", "有限会社", "合同会社")


def is_japanese(text: str) -> bool:
    """Whether ``text`` (NFKC) is a Japanese name: it has kana, or a Japanese legal form."""
    return bool(KANA.search(text)) or any(form in text for form in _JAPANESE_ONLY)


@lru_cache(maxsize=50_000)
def native_reading(name: str, liquid: str = "r") -> str | None:
    """The Hepburn reading of a Japanese name (``is_japanese``), or the RTGS reading of a
    Thai name; None for other names. ``liquid``: how its katakana's ラ行 is read, r, l
    or rl (``_foreign_reading``)."""
    text = unicodedata.normalize("NFKC", name)
    if is_japanese(text):
        for form in KANA_LEGAL_FORMS:
            text = text.replace(form, " ")

        def read_japanese(part: str) -> str:
            return _read_japanese(part, liquid)

        def read(part: str) -> str:
            return _glossed(part, _KANA_WORDS, KANA_GLOSSARY, read_japanese)

        if _in_simplified(text):
            # Chinese business words first, then as above, the rest in the characters
            # Japanese writes (日钢特机 -> 日鋼特機: nikko tokki)
            def in_japanese(part: str) -> str:
                return read(japanese_forms(part))

            return _glossed(text, _SIMPLIFIED_WORDS, SIMPLIFIED_GLOSSARY, in_japanese)
        if not KANA.search(text):
            # kanji only: Japanese words first, then the Chinese business words a Chinese
            # list's rendering may hold (川重岐阜工程株式会社: 工程 engineering)
            def in_chinese(part: str) -> str:
                return _glossed(part, _SIMPLIFIED_WORDS, SIMPLIFIED_GLOSSARY, read_japanese)

            return _glossed(text, _KANA_WORDS, KANA_GLOSSARY, in_chinese)
        return read(text)
    if THAI.search(name):
        # NFC, not NFKC: NFKC splits sara am (ำ), which the legal forms and RTGS need whole
        text = unicodedata.normalize("NFC", name)
        for form in THAI_LEGAL_FORMS:
            text = text.replace(form, " ")
        return _glossed(text, _THAI_WORDS, THAI_GLOSSARY, _read_thai)
    return None


__all__ = [
    "KANA",
    "THAI",
    "is_japanese",
    "japanese_forms",
    "japanese_reading",
    "native_reading",
    "native_readings",
]
