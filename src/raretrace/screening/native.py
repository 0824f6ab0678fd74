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


def _read_japanese(text: str) -> str:
    return " ".join(_fold(t["hepburn"].lower()) for t in _kakasi().convert(text))


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
    where it was read nippon (日本电磁测器株式会社: "nihon denji sokki"); () for a name
    that has none."""
    reading = native_reading(name)
    if reading is None:
        return ()
    other = _NIPPON.sub("nihon", reading)
    return (reading, other) if other != reading and "日本" in name else (reading,)


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
def native_reading(name: str) -> str | None:
    """The Hepburn reading of a Japanese name (``is_japanese``), or the RTGS reading of a
    Thai name; None for other names."""
    text = unicodedata.normalize("NFKC", name)
    if is_japanese(text):
        for form in KANA_LEGAL_FORMS:
            text = text.replace(form, " ")

        def read(part: str) -> str:
            return _glossed(part, _KANA_WORDS, KANA_GLOSSARY, _read_japanese)

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
                return _glossed(part, _SIMPLIFIED_WORDS, SIMPLIFIED_GLOSSARY, _read_japanese)

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
