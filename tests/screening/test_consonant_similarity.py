"""Names in Arabic script reaching their Latin listing by similar consonant skeletons:
the romanisations of one letter folded to one (kh/x, sh/ch, dh/z, dj/j, q/k/c ...), and,
for long skeletons no listed name shares, the most similar one. Real UN Security
Council Consolidated List entries (2018), with the list's own original-script names."""

from __future__ import annotations

import pytest

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Matcher
from raretrace.screening.normalise import consonants, normalise
from raretrace.screening.siblings import fold

PERSON = "Individual"
ENTRIES = [
    ListEntry("QDi.400", "IYAD NAZMI SALIH KHALIL", entity_type=PERSON),
    ListEntry("QDi.x-cherif", "SAID BEN ABDELHAKIM BEN OMAR AL-CHERIF", entity_type=PERSON),
    ListEntry("QDi.x-rawi", "AYAD FUTAYYIH KHALIFA AL-RAWI", entity_type=PERSON),
    ListEntry("QDi.x-akkacha", "DJAMEL AKKACHA", entity_type=PERSON),
    ListEntry("QDi.x-jammali", "IMAD BEN BECHIR BEN HAMDA AL-JAMMALI", entity_type=PERSON),
]


@pytest.fixture(scope="module")
def matcher() -> Matcher:
    return Matcher(IndexedEntry("un", 1, e) for e in ENTRIES)


def _hits(matcher: Matcher, name: str) -> list[tuple[str, float, str]]:
    return [
        (
            m.indexed.entry.entry_key,
            m.score,
            next(f.detail for f in m.features if f.feature == "consonants"),
        )
        for m in matcher.match(Subject(name, None, ""))
    ]


def test_romanisations_of_one_letter_fold_to_one() -> None:
    # نظمي: ظ is "dh" to anyascii, "z" in the UN's NAZMI; خ "kh" both, folded to "x"
    arabic = consonants(normalise("إياد نظمي صالح خليل").compact)
    latin = consonants(normalise("IYAD NAZMI SALIH KHALIL").compact)
    assert (arabic, latin) == ("dndhmslhkhl", "dnzmslhkhl")
    assert fold(arabic) == fold(latin) == "dnzmslhxl"
    # الشريف / AL-CHERIF: ش is "sh" in English, "ch" in French romanisation
    assert fold("lshrf") == fold("lchrf") == "lsrf"


def test_arabic_name_hits_its_listing_whose_romanisation_differs(matcher: Matcher) -> None:
    # folded skeletons equal: the consonants' full value
    assert _hits(matcher, "إياد نظمي صالح خليل") == [
        ("QDi.400", 0.85, "similar consonants 'dndhmslhkhl' as 'iyadnazmisalihkhalil'")
    ]
    ((key, score, _),) = _hits(matcher, "سعيد بن عبد الحكيم بن عمر الشريف")
    assert (key, score) == ("QDi.x-cherif", 0.85)


def test_ta_marbuta_is_read_as_the_vowel_lists_write() -> None:
    # خليفة ends in ta marbuta ("h" to anyascii), read "a" as KHALIFA writes it
    # (UNGEGN / BGN-PCGN): the skeletons are equal
    arabic = consonants(normalise("عياد فتيح خليفة الراوي").compact)
    assert arabic == "dfthkhlflr"
    assert fold(arabic) == fold(consonants(normalise("AYAD FUTAYYIH KHALIFA AL-RAWI").compact))


def test_the_most_similar_long_skeleton_hits_a_little_lower(matcher: Matcher) -> None:
    # عياد فتيح خليفة الراوي without the article of AL-RAWI: one letter apart, the
    # article (a letter romanisations leave out)
    ((key, score, detail),) = _hits(matcher, "عياد فتيح خليفة راوي")
    assert key == "QDi.x-rawi"
    assert 0.80 <= score < 0.85
    assert detail.startswith("similar consonants")


def test_short_skeletons_count_only_when_equal_once_folded(matcher: Matcher) -> None:
    # جمال عكاشة / DJAMEL AKKACHA: five consonants, equal once dj/j and sh/ch are folded
    assert fold(consonants(normalise("جمال عكاشة").compact)) == "jmlks"
    assert fold(consonants(normalise("DJAMEL AKKACHA").compact)) == "jmlks"
    ((key, score, _),) = _hits(matcher, "جمال عكاشة")
    assert (key, score) == ("QDi.x-akkacha", 0.85)
    # five consonants one letter apart are not compared: Kamal (kml) is not Djamel
    assert fold(consonants(normalise("كمال عكاشة").compact)) == "kmlks"
    assert _hits(matcher, "كمال عكاشة") == []


def test_dissimilar_skeletons_do_not_hit(matcher: Matcher) -> None:
    # another person's name: nothing similar enough on the list
    assert _hits(matcher, "عبد القادر محمود محمد السيد") == []
