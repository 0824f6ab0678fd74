"""Names in Arabic script against their Latin listings, word by word: the article as
Arabic script writes it, doubled letters single within a word only, any word order,
alif maqsura and ta marbuta read as the vowels lists write, and similar skeletons that
differ only by what romanisations differ by. Real names of the UK OFSI consolidated
list (its "Name Non-Latin Script" beside the listed name), the UN list and the SDN list
(``benchmarks/data/screening/raw``)."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.normalise import normalise, skeleton, word_skeletons
from raretrace.screening.siblings import abjad_key, latin_key, romanisation_edits

PERSON = "Individual"
ENTRIES = [
    ListEntry("OFSI-abdi", "Abbas ABDI", entity_type=PERSON),
    ListEntry("OFSI-safari", "Sayd Ali SAFARI", ("Sayyed Ali SAFARI",), entity_type=PERSON),
    ListEntry("OFSI-sayyed", "Khayr al-Din AL-SAYYED", entity_type=PERSON),
    ListEntry("OFSI-hasan", "Nabil AL-HASAN", ("AL-HASSAN",), entity_type=PERSON),
    ListEntry("SDN-hasan", "HASAN, Bilal", entity_type=PERSON),
    ListEntry("OFSI-moghadam", "Seyed Mohsen Vahabzadeh MOGHADAM", entity_type=PERSON),
    ListEntry("UN-ayyub", "AYYUB BASHIR", entity_type=PERSON),
    ListEntry("UN-kony", "ALI KONY", ("Bashir",), entity_type=PERSON),
    ListEntry("SDN-safar", "SAFAR, Adel", ("SAFR, Adil",), entity_type=PERSON),
    ListEntry("SDN-laden", "Hamza Usama Muhammad BIN LADEN", entity_type=PERSON),
    ListEntry("SDN-talic", "TALIC, Momir", entity_type=PERSON),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("eval", 1, e) for e in ENTRIES)


def _keys(matcher: Matcher, name: str) -> list[str]:
    return [m.indexed.entry.entry_key for m in matcher.match(Subject(name, None, ""))]


def test_the_article_joins_its_word_as_arabic_script_writes_it() -> None:
    # al-Din, AL-SAYYED: "al" apart in Latin, joined in Arabic script (الدين, السيد)
    assert word_skeletons(normalise("Khayr al-Din AL-SAYYED").tokens) == ("khr", "ldn", "lsd")
    assert word_skeletons(normalise("خير الدين السيد").tokens) == ("khr", "ldn", "lsd")
    # assimilated before a sun letter: as-Sayyid, ar-Rahman, ud-Din are "al" too
    assert word_skeletons(normalise("Ahmad as-Sayyid").tokens) == ("hmd", "lsd")
    assert word_skeletons(normalise("Habib ur Rahman").tokens) == ("hb", "lrhmn")
    assert skeleton(normalise("Abd ar-Rahman")) == skeleton(normalise("عبد الرحمن")) == "bdlrhmn"
    # not before another letter: "an" before Bashir is a word
    assert word_skeletons(normalise("An Bashir").tokens) == ("n", "bshr")


def test_doubled_letters_are_single_within_a_word_only(matcher: Matcher) -> None:
    # ایوب بشیر (Ayyub Bashir): "b" + "bshr", not the bare alias Bashir ("bshr")
    assert skeleton(normalise("ایوب بشیر")) == "bbshr"
    assert _keys(matcher, "ایوب بشیر") == ["UN-ayyub"]


def test_words_in_another_order_hit(matcher: Matcher) -> None:
    # OFSI writes the family name first in Arabic script: عبدی عباس is Abbas ABDI,
    # صفری سید علی is Sayd Ali SAFARI (and not SAFAR, Adel)
    assert _keys(matcher, "عبدی عباس") == ["OFSI-abdi"]
    assert _keys(matcher, "صفری سید علی") == ["OFSI-safari"]
    # the UK list's reversed rendering of the three words
    assert _keys(matcher, "،السيد الدين خير") == ["OFSI-sayyed"]
    # and with the article on one side only: حسن نبيل is Nabil AL-HASAN, not HASAN, Bilal
    assert _keys(matcher, "حسن نبيل") == ["OFSI-hasan"]
    (hit,) = matcher.match(Subject("عبدی عباس", None, ""))
    detail = next(f.detail for f in hit.features if f.feature == "consonants")
    assert detail.startswith("same (words in another order) consonants")


def test_alif_maqsura_and_ta_marbuta_are_read_as_vowels() -> None:
    # على (Ali written with alif maqsura, as Persian and Egyptian writing do) is no
    # Latin stop word "la": its word stays
    assert normalise("على رضا بلالى").tokens == ("ly", "rd", "blly")
    # حمزة (Hamza): ta marbuta "a", not "h"
    assert normalise("حمزة").tokens == ("hmza",)
    assert skeleton(normalise("حمزة")) == skeleton(normalise("HAMZA")) == "hmz"


def test_similar_skeletons_differ_only_as_romanisations_do(matcher: Matcher) -> None:
    # Persian و read v (Vahab), ق read gh (Moghadam): one letter added, one alike
    query = abjad_key("سید محسن وهاب زاده مقدم")
    listed = latin_key(normalise("Seyed Mohsen Vahabzadeh MOGHADAM"))
    assert romanisation_edits(query, listed)
    assert _keys(matcher, "سید محسن وهاب زاده مقدم") == ["OFSI-moghadam"]
    # a consonant on one side only is another name: bin Alyan is not BIN LADEN (d),
    # Atef al-Ghamari (ف) is not TALIC, Momir
    assert not romanisation_edits(
        abjad_key("حمزة أسامة محمد بن عليان"),
        latin_key(normalise("Hamza Usama Muhammad BIN LADEN")),
    )
    assert _keys(matcher, "حمزة أسامة محمد بن عليان") == []
    assert _keys(matcher, "عاطف الغماري") == []


def test_digraphs_fold_within_words_only() -> None:
    # زاده (zadeh): د and ه, no ذ; Vahabzadeh keeps its d
    assert abjad_key("زاده") == "zdh"
    assert latin_key(normalise("ZADEH")) == "zdh"
    assert latin_key(normalise("Dhiyab")) == latin_key(normalise("Ziyab")) == "zb"
