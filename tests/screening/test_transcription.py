"""Reading a foreign person's name in Chinese characters back by sound, part by part
(``transcription``), on renderings of real listed names (``cn_sanctions``, tune part of
half D)."""

from __future__ import annotations

from raretrace.screening.phonetic import english_key, english_shape
from raretrace.screening.transcription import agreement, pinyin_shape, read, transcription


def test_the_tables_readings_and_consonant_syllables() -> None:
    name = transcription("格什曼")  # Gershman: 什 is shi here, not shen (什么)
    assert name is not None
    assert name.parts[0].syllables == ("ge", "shi", "man")
    assert name.parts[0].key == english_key("gershman") == "KSMN"
    # 尔 er and 恩 en stand for a consonant: no vowel in the shape
    assert pinyin_shape(("bo", "er", "dun")) == english_shape("bolton") == "BVLTVN"
    assert pinyin_shape(("ao", "bu", "lai", "en")) == english_shape("obrien") == "VBLVN"


def test_shapes_keep_the_syllables() -> None:
    assert english_shape("pompeo") == "BVNBV"  # m before p: 蓬 peng
    assert english_shape("nice") == "NVS"  # final e not sounded
    assert english_shape("smith") == "SMVS"


def test_separators_cut_a_full_name() -> None:
    for name in ("约翰·坎蒂伦", "约翰・坎蒂伦", "约翰—坎蒂伦"):
        written = transcription(name)
        assert written is not None
        assert [p.text for p in written.parts] == ["约翰", "坎蒂伦"]
    assert transcription("L3哈里斯") is None  # Latin letters: no person's rendering


def test_letters_chinese_hears_otherwise() -> None:
    name = transcription("扬科夫斯基")
    assert name is not None
    # Jankowski as spelled is K-N-K-S-K; heard with J as y and w as f: N-K-F-S-K
    assert agreement(name.parts[0], "jankowski")[0] == 1.0
    assert agreement(name.parts[0], "jankowski") > agreement(name.parts[0], "kowalski")


def test_a_surname_alone_needs_tabled_characters_and_three_consonants() -> None:
    pompeo = transcription("蓬佩奥")
    assert pompeo is not None and pompeo.tabled
    reading = read(pompeo, ("michael", "r", "pompeo"))
    assert reading is not None and reading.surname_only
    assert reading.value(0.85) == 0.8  # a surname alone costs 0.05
    nice = transcription("尼斯")
    assert nice is not None and read(nice, ("geoffrey", "nice")) is None  # 'NS': too short
    zenz = transcription("郑国恩")  # a Chinese name of the person: not the tables' characters
    assert zenz is not None and not zenz.tabled
    assert read(zenz, ("adrian", "zenz")) is None


def test_a_full_name_needs_both_parts() -> None:
    name = transcription("约翰·坎蒂伦")
    assert name is not None
    reading = read(name, ("john", "cantillon"))
    assert reading is not None and not reading.surname_only
    assert read(name, ("john", "smith")) is None  # the family part disagrees
    assert read(name, ("cantillon",)) is None  # two parts, one listed word
