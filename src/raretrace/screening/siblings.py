"""Entries listed under one name, and names compared by their consonants.

``group_siblings``: hits on entries whose matched names are the same once legal forms,
stop words and word order are set aside (STROYTRANSGAZ OJSC / LLC), that share an
identity number (one person on the UN and the SDN list with one passport number, a UK
entry citing the UN's reference number), or that are on two lists with the same full
date of birth under names that agree (PECHEGIN, Andrey I. / Andrey Ivanovich
PECHEGIN, 1965-09-24), become one hit naming the others; entries of one name born
years apart stay two.
``SkeletonIndex``: names in Arabic or Hebrew script, written mostly without
vowels, compared with listed names by their consonant skeletons.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from raretrace.domain.screening import FeatureContribution
from raretrace.screening.births import births_apart, shared_birth
from raretrace.screening.evidence import is_person
from raretrace.screening.feature_weights import CONSONANTS
from raretrace.screening.ids import identity_keys, shared_identity
from raretrace.screening.normalise import (
    ABJAD,
    PERSIAN,
    PERSIAN_SOUNDS,
    NormalName,
    article_skeletons,
    consonants,
    is_article,
    is_patronymic,
    normalise,
    skeleton,
    word_skeletons,
)
from raretrace.screening.slavic import slavic_key

if TYPE_CHECKING:
    from raretrace.screening.matcher import Match

_RUNS = re.compile(r"(.)\1+")
_LETTERS_RUN = re.compile(r"[^\W\d_]{2,}")


def _abjad_words(text: str) -> list[str]:
    """The words (two letters or more) of a name in Arabic or Hebrew script."""
    words = _LETTERS_RUN.findall(unicodedata.normalize("NFKC", text))
    return [w for w in words if ABJAD.match(w)]


#: Fewest consonants a skeleton needs to be compared: three-consonant skeletons are
#: shared by too many names (hms: Hamas, Hamms, Homs).
SKELETON_MIN = 4


def _order(m: Match) -> tuple[float, str]:
    return (-m.score, m.indexed.entry.name)


def _full_days(m: Match) -> frozenset[str]:
    """The full dates of birth (one day, given exactly: "1965-09-24", not "1965~/1966")
    of a match's entry."""
    return frozenset(
        d for d in m.indexed.entry.dates_of_birth if len(d) == 10 and d[4] == d[7] == "-"
    )


def _list_of(m: Match) -> str:
    return f"{m.indexed.list_name}\x1f{m.indexed.entry.source}"


def one_list(a: str, a_programs: Sequence[str], b: str, b_programs: Sequence[str]) -> bool:
    """Whether two entries are on one list for the date-of-birth rule: the same list
    (``a``, ``b``: list and sub-list) and, where both name their regimes (``programs``),
    a regime in common. A list that names a party once per regime (the UK OFSI list;
    the EU annexes, one regulation each: EU-UKR, EU-MDA) is, regime by regime, as many
    lists: its two entries of one person under two regimes are joined like two lists'."""
    if a != b:
        return False
    return not (a_programs and b_programs and not set(a_programs) & set(b_programs))


def born_alike(a: Match, b: Match) -> str:
    """The full date of birth that makes two hits' entries one party (entries of
    different lists, ``one_list``; names that agree: ``names_agree``), "" if none."""
    same = _full_days(a) & _full_days(b)
    ea, eb = a.indexed.entry, b.indexed.entry
    if not same or one_list(_list_of(a), ea.programs, _list_of(b), eb.programs):
        return ""
    return (
        shared_birth(ea.dates_of_birth, eb.dates_of_birth)
        if names_agree(ea.names, eb.names)
        else ""
    )


def group_siblings(
    found: list[Match],
    forms: frozenset[str] = frozenset(),
    ambiguous: frozenset[tuple[str, str]] = frozenset(),
) -> list[Match]:
    """One match per party: entries whose matched names are the same once legal forms,
    stop words and word order are set aside (a company listed as OJSC and as LLC, an
    entry repeated by another list), entries that share an identity number
    (``ids.identity_keys``: a passport or national ID number, a UN reference number,
    a USCC ...; none of ``ambiguous``, see ``ids.ambiguous_identity``), and entries of
    different lists with the same full date of birth whose names agree
    (``born_alike``), directly or through another hit, are one group: its best-scoring
    match names the others in ``siblings`` and in a ``siblings`` feature that says why
    ("same passport number 1084010 on both lists"; nothing added to the score).
    Entries of one name whose dates of birth are all years apart
    (``births.births_apart``) are two parties: neither the name nor a chain through
    another entry groups them, and each hit says so. Numbers are not split by dates. An
    analyst reviews the group once; which sibling a party is stays for the review.
    Among siblings of equal score, the one whose legal form the subject's name (legal
    ``forms``) also has leads ("Stroytransgaz LLC": the LLC). ``found`` is best first;
    so is the result."""
    if len(found) < 2:
        return found
    parent = list(range(len(found)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(found))}
    dated = [bool(m.indexed.entry.dates_of_birth) for m in found]

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def apart(i: int, j: int) -> bool:
        """Some entry of i's group and some of j's were born years apart."""
        mine = [x for x in members[root(i)] if dated[x]]
        theirs = [y for y in members[root(j)] if dated[y]]
        return any(
            births_apart(
                found[x].indexed.entry.dates_of_birth, found[y].indexed.entry.dates_of_birth
            )
            for x in mine
            for y in theirs
        )

    def join(i: int, j: int) -> None:
        a, b = root(i), root(j)
        if a != b:
            keep, gone = min(a, b), max(a, b)  # the better-scoring one stays the root
            parent[gone] = keep
            members[keep] += members.pop(gone)

    by_name: dict[tuple[str, frozenset[str]], list[int]] = {}
    name_group: list[int] = []
    kept_apart: dict[int, list[int]] = {}
    by_number: dict[tuple[str, str], int] = {}
    days = [_full_days(m) for m in found]
    for i, m in enumerate(found):
        for number in identity_keys(m.indexed.entry.ids):
            if number not in ambiguous:
                join(i, by_number.setdefault(number, i))
        norm = normalise(m.matched_name)
        key = (norm.sorted_text, norm.designators)
        first = i
        if key[0]:
            earlier = by_name.setdefault(key, [])
            for j in earlier:
                if apart(i, j):
                    kept_apart.setdefault(i, []).append(j)
                    kept_apart.setdefault(j, []).append(i)
                else:
                    first = j
                    join(i, j)
                    break
            earlier.append(i)
        name_group.append(first)
        if days[i]:
            for j in range(i):
                if days[i] & days[j] and born_alike(m, found[j]) and not apart(i, j):
                    join(i, j)
    middle = _patronymic_pairs(found, apart)
    for j, i in middle.items():
        join(i, j)
    groups: dict[int, list[int]] = {}
    for i in range(len(found)):
        groups.setdefault(root(i), []).append(i)
    if len(groups) == len(found) and not kept_apart:
        return found
    out = []
    for group in groups.values():
        lead = group[0]
        if forms and len(group) > 1:
            lead = next(
                (
                    i
                    for i in group
                    if found[i].score == found[group[0]].score
                    and forms & set(normalise(found[i].matched_name).legal_forms)
                ),
                lead,
            )
        others = [i for i in group if i != lead]
        best = found[lead]
        parts = [_why(found, lead, others, name_group, ambiguous, middle)] if others else []
        parts += _apart(found, group, kept_apart, root)
        if parts:
            note = FeatureContribution(
                "siblings", 0.0, float(len(others)), 0.0, "; ".join(p for p in parts if p)
            )
            best = replace(
                best,
                siblings=tuple(found[i].indexed for i in others),
                features=(*best.features, note),
            )
        out.append(best)
    return sorted(out, key=_order)


def _patronymic_pairs(found: list[Match], apart: Callable[[int, int], bool]) -> dict[int, int]:
    """Hits on a listed person's name without a patronymic (Dmitry PESKOV) whose name is
    another list's entry's name but for its patronymic (Dmitry Sergeyevich PESKOV): the
    plain hit's position -> the other's. Only where one patronymic is found for the
    name (Sergey Patrovich and Sergey Vladimirovich MIKHAILOV are two persons: Sergey
    MIKHAILOV is tied to neither), and never for entries born years apart."""
    plain: dict[tuple[str, ...], list[int]] = {}
    fuller: dict[tuple[str, ...], dict[str, list[int]]] = {}
    #: the patronymics each hit's entry gives in any of its names
    given: list[set[str]] = []
    for i, m in enumerate(found):
        entry = m.indexed.entry
        person = is_person(entry)
        given.append(
            {t for n in entry.names for t in normalise(n).tokens if is_patronymic(t)}
            if person
            else set()
        )
        if not person:
            continue
        tokens = normalise(m.matched_name).tokens
        marks = [t for t in tokens if is_patronymic(t)]
        # romanisations of one name count as one (Sergei, Sergey), so that two listed
        # patronymics of it are seen as two persons however each list spells the name
        folded = [slavic_key(t) if t.isalpha() else t for t in tokens]
        if not marks:
            plain.setdefault(tuple(sorted(folded)), []).append(i)
        elif len(marks) == 1 and len(tokens) >= 3:
            rest = tuple(sorted(f for t, f in zip(tokens, folded, strict=True) if t != marks[0]))
            fuller.setdefault(rest, {}).setdefault(slavic_key(marks[0]), []).append(i)
    out: dict[int, int] = {}
    for rest, by_mark in fuller.items():
        if len(by_mark) != 1 or rest not in plain:
            continue
        ((mark, full),) = by_mark.items()
        i = full[0]
        for j in plain[rest]:
            if not {slavic_key(g) for g in given[j]} <= {mark}:  # another patronymic
                continue
            mi, mj = found[i], found[j]
            other_list = not one_list(
                _list_of(mi), mi.indexed.entry.programs, _list_of(mj), mj.indexed.entry.programs
            )
            if other_list and not apart(i, j):
                out[j] = i
    return out


def _entry(found: list[Match], i: int) -> str:
    o = found[i].indexed
    return f"{o.entry.name} ({o.list_name} {o.entry.entry_key}, {found[i].score:.2f})"


def _apart(
    found: list[Match],
    group: list[int],
    kept_apart: dict[int, list[int]],
    root: Callable[[int], int],
) -> list[str]:
    """What a group's note says of the other groups kept apart from it by dates of
    birth: each once, by its best-scoring entry, with the dates that keep them apart."""
    out: dict[int, str] = {}
    for i in group:
        for j in kept_apart.get(i, []):
            other = root(j)
            if j in group or other in out:
                continue
            dates = births_apart(
                found[i].indexed.entry.dates_of_birth, found[j].indexed.entry.dates_of_birth
            )
            out[other] = f"not the same party as {_entry(found, other)}: born {dates}"
    return list(out.values())


def _why(
    found: list[Match],
    lead: int,
    others: list[int],
    name_group: list[int],
    ambiguous: frozenset[tuple[str, str]],
    middle: dict[int, int],
) -> str:
    """The text of a group's ``siblings`` feature: each other entry of the group, by
    what ties it to the lead (the same name; the same number or the same name and date
    of birth, on the lead or on another entry of the group)."""

    def entry(i: int) -> str:
        return _entry(found, i)

    same_name = [i for i in others if name_group[i] == name_group[lead]]
    parts = []
    if same_name:
        parts.append("also listed under the same name: " + "; ".join(map(entry, same_name)))
    members = [lead, *others]
    for i in others:
        if i in same_name:
            continue
        why = ""
        for j in members:  # the lead first, then the entry the chain goes through
            if j == i:
                continue
            why = shared_identity(found[j].indexed.entry.ids, found[i].indexed.entry.ids, ambiguous)
            if not why and (day := born_alike(found[j], found[i])):
                why = f"same name and date of birth {day}"
            if not why and j in (middle.get(i), *(k for k, v in middle.items() if v == i)):
                why = "the same name, with the patronymic on one side only,"
            if why:
                break
        if why:
            via = (
                ""
                if j == lead or name_group[j] == name_group[lead]
                else f" as {found[j].indexed.entry.name}"
            )
            parts.append(f"also listed as {entry(i)}: {why}{via} on both lists")
        else:  # the same name as an entry tied to the lead by a number or a date
            parts.append(
                f"also listed as {entry(i)}: the same name as "
                f"{found[name_group[i]].indexed.entry.name}"
            )
    return "; ".join(parts)


#: Fewest words (of two letters or more) a name needs for its words of two consonants
#: to pair by them (izzat / ezat in AHMAD, Zaki Izzat Zaki / ZAKI EZAT ZAKI AHMED); a
#: two-word name's words need three ("Abu Yasir" is not "SARRIA, Rafael A")
LOOSE_WORDS = 3


def _words_agree(a: str, b: str, fewest: int = 3) -> bool:
    """Two words of a person's name written for one word: equal, the same consonants
    (``fewest`` or more: Muhammed / Muhammad, PONOMARYOV / PONOMARIOV), or an initial of
    the other (Andrey I. / Andrey Ivanovich)."""
    if a == b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    ca, cb = consonants(a), consonants(b)
    return len(ca) >= fewest and ca == cb


def names_agree(a: Iterable[str], b: Iterable[str]) -> bool:
    """Whether some name of one entry and some name of the other (aliases included) are
    one person's name as lists write it: every word of the one with fewer words pairs
    with its own word of the other (``_words_agree``), two of them whole words
    (PECHEGIN, Andrey I. / Andrey Ivanovich PECHEGIN; DEIF, Muhammed / Muhammad DEIF);
    in a name of ``LOOSE_WORDS`` whole words or more, words of two consonants pair by
    them too (izzat / ezat, sayid / sayyid). Used with a date of birth both entries give
    (``births.shared_birth``)."""
    theirs = [normalise(n).tokens for n in b]
    for name in a:
        mine = normalise(name).tokens
        for other in theirs:
            short, long_ = (mine, other) if len(mine) <= len(other) else (other, mine)
            whole = sum(len(w) > 1 for w in short)
            if whole < 2:
                continue
            fewest = 2 if whole >= LOOSE_WORDS else 3
            free = list(long_)
            for word in short:
                j = next((j for j, w in enumerate(free) if _words_agree(word, w, fewest)), None)
                if j is None:
                    break
                del free[j]
            else:
                return True
    return False


#: Letters one abjad letter is romanised with in different conventions, folded to one
#: (after ``consonants``, on both sides): kh/x (خ), sh/ch (ش: Shirazi, French Chérif),
#: th/t, dh/z (ذ, ظ: Dhiyab, Zawahiri), dj/j (ج: French Djamel), q/k/c (ق, ك: Qasim,
#: Kassem), p/b, v/f, ph/f (Persian and Urdu letters Arabic lacks).
_FOLD = (
    ("kh", "x"), ("gh", "g"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "z"),
    ("dj", "j"), ("ph", "f"), ("q", "k"), ("c", "k"), ("p", "b"), ("v", "f"),
)  # fmt: skip
#: Fewest consonants a folded skeleton needs to be compared by similarity, not only
#: equality (shorter ones, such as a bare given name and surname, are shared by too
#: many people once one letter may differ).
FUZZY_MIN = 6
#: Similarity (rapidfuzz ratio, 0-100) of two folded skeletons below which they are not
#: compared; a name whose skeleton is that similar scores CONSONANTS.weight less half
#: the dissimilarity (100: 0.85; 90: 0.80, the default threshold; 88: 0.79).
FUZZY_CUTOFF = 88.0
#: Similarity (rapidfuzz ratio) at which similar skeletons are searched, before letters
#: romanisations write alike count as equal (``alike_similarity``): two such letters in
#: a skeleton of ten
ALIKE_CUTOFF = 80.0


def any_order(name: NormalName) -> str:
    """The skeletons of a name's words in sorted order (" "-joined, so never equal to a
    whole-name skeleton), for names of two words or more: lists and documents put the
    family name first or last (صفری سید علی, Sayd Ali SAFARI), and write or leave out
    the article (حسن نبيل, Nabil AL-HASAN): a word's leading l is left out (on both
    sides) where it is the article: a word with al-, el- (al-Hasan, Alhasan), or, in
    Arabic script, ال (الحسن), not a word's own l (Lounici, لونيسي); "" for one word."""
    words = [w[1:] if article and len(w) > 2 else w for w, article in _order_words(name)]
    if len(words) < 2 or sum(map(len, words)) < SKELETON_MIN:
        return ""
    return " ".join(sorted(words))


def _order_words(name: NormalName) -> list[tuple[str, bool]]:
    """Each word's skeleton (``word_skeletons``) and whether it begins with the article."""
    if name.abjad:
        words = _abjad_words(name.original)
        if len(words) == len(name.tokens):
            return [
                (key, word.startswith("\u0627\u0644"))
                for word, token in zip(words, name.tokens, strict=True)
                if (key := consonants(token))
            ]
        return [(w, w[0] == "l") for w in word_skeletons(name.tokens)]
    return [
        (key, article or word.startswith(("al", "el")))
        for word, key, article in article_skeletons(name.tokens)
    ]


def fold(skeleton: str) -> str:
    """A consonant skeleton with the letters romanisations disagree on folded to one
    ("khll" and "xll"; "djml" and "jml"), doubled letters made single."""
    for many, one in _FOLD:
        skeleton = skeleton.replace(many, one)
    return _RUNS.sub(r"\1", skeleton)


#: Letters a romanisation may drop from a name in Arabic script, which writes every
#: consonant: h (a final ha, ح as Latin lists sometimes leave it out), l (the article,
#: written on one side only: الشاهبندر / Shahbandar)
_DROPPED = frozenset("hl")
#: Letters a romanisation may add: those, and v (folded f), which Persian reads و as
#: where Arabic script shows only the vowel letter (وهاب Vahab, خسروی Khosravi)
_ADDED = frozenset("hlft")
#: Pairs of letters (folded, see ``_FOLD``) that romanisations write for one Arabic or
#: Persian letter: ض ظ ذ as d or z, ث as s or t, ق غ as k or g (Persian: Sadegh,
#: Mehdigholi), ج as j or g (Egyptian: Gamal), خ as x or k or h, ح as h, ف as f or b
#: (Urdu and Persian p, v), ز ژ as z or j
_ALIKE = frozenset(
    frozenset(pair) for pair in ("dz", "dt", "sz", "st", "zt", "kg", "jg", "jz", "xk", "xh", "fb")
)


def romanisation_edits(a: str, b: str) -> bool:
    """Whether the folded skeleton ``a`` of a name in Arabic script and ``b`` of a
    listed name differ only by what romanisations of one name differ by (``_DROPPED``,
    ``_ADDED``, ``_ALIKE``): Arabic script writes every consonant, so a consonant on
    one side only is another name (Hamza Usama Muhammad
    bin Alyan "...bnln" is not Bin Laden "...bnldn"; Atef al-Ghamari "tflkmr" is not
    Talic Momir "tlkmr")."""
    for edit in Levenshtein.editops(a, b):
        i, j = edit.src_pos, edit.dest_pos
        if edit.tag == "delete":
            ok = a[i] in _DROPPED
        elif edit.tag == "insert":
            ok = b[j] in _ADDED
        else:
            ok = frozenset((a[i], b[j])) in _ALIKE
        if not ok:
            return False
    return True


def alike_letters(letter: str) -> str:
    """``letter`` and the letters romanisations write for the same Arabic or Persian
    letter (``_ALIKE``): "k" -> "kgx"."""
    return letter + "".join(sorted(c for pair in _ALIKE if letter in pair for c in pair - {letter}))


def alike_similarity(a: str, b: str) -> float:
    """Similarity in [0, 1] of two folded skeletons (rapidfuzz ratio's 2 x common / total
    length) counting a letter of one that romanisations write as an alike letter of the
    other (``_ALIKE``: ق as q or gh, خ as kh or k, ج as j or g, ذ as dh, th or z, ز as z
    or s) as in common: شرق "srk" and SHARGH "srg", مكتب "mktb" and MAKHTAB "mxtb", ايجر
    "jr" and EIGER "gr" are alike."""
    if not a or not b:
        return 0.0
    common = len(a)
    for edit in Levenshtein.editops(a, b):
        if edit.tag == "delete" or (
            edit.tag == "replace" and frozenset((a[edit.src_pos], b[edit.dest_pos])) not in _ALIKE
        ):
            common -= 1
    return 2.0 * common / (len(a) + len(b))


#: ``_FOLD``'s digraphs, folded in each word before its vowels go (so that "zadeh",
#: "Ahmad Husain" hold no "dh", "dh" as ذ); gh with q and k: Persian reads ق and غ
#: alike (Sadegh, Moghadam for صادق, مقدم)
_DIGRAPHS = (
    ("kh", "x"), ("gh", "k"), ("sh", "s"), ("ch", "s"), ("th", "t"), ("dh", "z"),
    ("dj", "j"), ("ph", "f"),
)  # fmt: skip
_LETTERS = str.maketrans("qcpv", "kkbf")
#: The Arabic letters romanised with those digraphs, as their folded letter, so that
#: a name in Arabic script has a "dh" only where it has د and ه (زاده, "zdh")
_ABJAD_DIGRAPHS = str.maketrans(
    {"\u062b": "t", "\u062e": "x", "\u0630": "z", "\u0634": "s", "\u0638": "z",
     "\u063a": "k", "\u0686": "s"}
)  # fmt: skip


#: c before e, i, y, as French spellings write س (Lounici, Mecili)
_SOFT_C = re.compile("c(?=[eiy])")


def _word_key(word: str) -> str:
    return _RUNS.sub(r"\1", consonants(word).translate(_LETTERS))


def latin_key(name: NormalName) -> str:
    """A listed name's folded skeleton for similarity (``fold``): digraphs folded word
    by word before the vowels go, then doubled letters made single, across words too
    (ABUBAKAR is أبو بكر, "bbkr" / "bkr")."""
    words = []
    for word in name.tokens:
        for many, one in _DIGRAPHS:
            word = word.replace(many, one)
        words.append(_word_key(_SOFT_C.sub("s", word)))
    return _RUNS.sub(r"\1", "".join(words))


def abjad_key(name: str) -> str:
    """The folded skeleton for similarity (``latin_key``) of a name in Arabic script,
    its digraph letters read as one letter (after Persian's readings: ث is s in
    Persian)."""
    if PERSIAN.search(name):
        name = name.translate(PERSIAN_SOUNDS)
    words = normalise(name.translate(_ABJAD_DIGRAPHS)).tokens
    return _RUNS.sub(r"\1", "".join(_word_key(w) for w in words))


def given_first(listed: str) -> str | None:
    """A listed person's name with the family name put last, as the person writes it:
    "SURNAME, Given" (comma), or "SURNAME Given" as the EU's and the UN's lists print
    it, the family name in capitals before the given names in mixed case (POURANVARI
    Youssef, KHAN MOHAMMADI Hodjatoleslam Ali); None for a name in neither form."""
    if "," in listed:
        surname, given = listed.split(",", 1)
        return f"{given} {surname}"
    words = listed.split()
    caps = 0
    for word in words:
        if not (any(c.isalpha() for c in word) and word.isupper()):
            break
        caps += 1
    rest = words[caps:]
    if not caps or not rest or any(w.isupper() or not w[:1].isupper() for w in rest):
        return None
    return " ".join([*rest, *words[:caps]])


#: Letters an abjad writes a word's initial vowel with: alef (with hamza or madda),
#: ayn, hamza on yeh; Hebrew alef and ayin
_VOWEL_CARRIERS = frozenset("\u0627\u0623\u0625\u0622\u0639\u0626\u0621\u05d0\u05e2")


#: Word-initial yeh and vav, consonants there (y; w or, in Persian, v), as Latin
#: letters write them, which ``consonants`` drops
_ABJAD_GLIDES = {
    "\u064a": "Y",
    "\u06cc": "Y",
    "\u05d9": "Y",
    "\u0648": "W",
    "\u06a4": "W",
    "\u05d5": "W",
}
_LATIN_GLIDES = {"y": "Y", "w": "W", "v": "W"}


def abjad_onsets(name: str) -> tuple[str, ...]:
    """How each word of a name in Arabic or Hebrew script begins: "V" with a vowel, which
    the script writes (alef, ayn: احمد Ahmad, علی Ali, اسماعیل Esmail), "Y" and "W" with
    yeh and vav (یوسف Yusuf, وحید Vahid, ولید Walid), "C" with another consonant (حمید
    Hamid), "?" with the article (الغفور: al-Ghafur, Ghafur or ul-Ghafur in Latin
    letters)."""
    out = []
    for word in _abjad_words(name):
        if word.startswith(("\u0627\u0644", "\u05d4")):  # al-, Hebrew ha-
            out.append("?")
        elif word[0] in _VOWEL_CARRIERS:
            out.append("V")
        else:
            out.append(_ABJAD_GLIDES.get(word[0], "C"))
    return tuple(out)


def latin_onsets(tokens: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """``abjad_onsets`` of a listed name in Latin letters: a word after the article "?"
    (the article not counted), a vowel "V" (Ahmad, Omar, Esmaeli; French "ou" is
    also و: Ould, Ouali, "?"), y "Y", w and v "W", other letters "C"."""
    out = []
    article = False
    for i, word in enumerate(tokens):
        following = tokens[i + 1] if i + 1 < len(tokens) else ""
        if not word[:1].isalpha():
            continue
        if following and is_article(word, following):
            article = True
            continue
        if article or word.startswith("ou"):
            out.append("?")
        elif word[0] in "aeiou":
            out.append("V")
        else:
            out.append(_LATIN_GLIDES.get(word[0], "C"))
        article = False
    return tuple(out)


def onsets_agree(query: tuple[str, ...], listed: tuple[str, ...]) -> bool:
    """Whether a name in an abjad and a listed name may begin their words alike
    (``abjad_onsets``, ``latin_onsets``): with as many words, as many vowel and
    consonant onsets in any order ("?" either), so that حمید حسینی (Hamid Hosseini) is not
    AHMAD, Hasan; with a different number of words (a compound, a name left out), the
    first words alike."""
    if not query or not listed:
        return True
    if len(query) != len(listed):
        return "?" in (query[0], listed[0]) or query[0] == listed[0]

    def short(a: tuple[str, ...], b: tuple[str, ...]) -> int:
        return sum(max(0, a.count(k) - b.count(k)) for k in "VCYW")

    return short(query, listed) <= listed.count("?") and short(listed, query) <= query.count("?")


class SkeletonIndex:
    """Consonant skeleton -> positions of the names that have it (a listed
    "SURNAME, Given" or "SURNAME Given" also under "Given Surname": ``given_first``);
    and their folded skeletons, for names whose skeleton no listed name shares. A
    name whose words begin otherwise than the query's (``onsets_agree``) is left out."""

    def __init__(self, names: Iterable[tuple[str, NormalName]]) -> None:
        self._by_key: dict[str, list[int]] = {}
        by_folded: dict[str, list[int]] = {}
        #: each name's word onsets, as written and given name first (``latin_onsets``)
        self._onsets: list[tuple[tuple[str, ...], ...]] = []
        #: the names with a legal form (a company's: SYNPEX SHWE COMPANY LTD)
        self._companies: set[int] = set()
        for n, (listed, norm) in enumerate(names):
            if norm.legal_forms:
                self._companies.add(n)
            onsets = [latin_onsets(norm.tokens)]
            keys = {skeleton(norm)}
            fuzzy = {latin_key(norm)}
            if (turned := given_first(listed)) is not None:  # written Given Surname
                turned_norm = normalise(turned)
                keys.add(skeleton(turned_norm))
                fuzzy.add(latin_key(turned_norm))
                onsets.append(latin_onsets(turned_norm.tokens))
            self._onsets.append(tuple(onsets))
            for k in keys:
                if len(k) >= SKELETON_MIN:
                    self._by_key.setdefault(k, []).append(n)
            if order_free := any_order(norm):
                self._by_key.setdefault(order_free, []).append(n)
            # similar skeletons are compared whole, runs made single across words too
            for folded in fuzzy:
                if len(folded) >= SKELETON_MIN:
                    by_folded.setdefault(folded, []).append(n)
        self._by_folded = by_folded
        #: folded skeletons by length (a ratio of FUZZY_CUTOFF bounds the lengths)
        self._by_length: dict[int, tuple[list[str], list[list[int]]]] = {}
        for folded, positions in by_folded.items():
            same_length, names_of = self._by_length.setdefault(len(folded), ([], []))
            same_length.append(folded)
            names_of.append(positions)

    def _similar(self, key: str) -> dict[int, float]:
        """Names whose folded skeleton is the most similar to ``key``'s (``FUZZY_CUTOFF``
        or more, equal where it has fewer than ``FUZZY_MIN`` consonants; only the best,
        ties all kept), with the value that similarity gives."""
        folded = key
        if len(folded) < SKELETON_MIN:
            return {}
        size = len(folded)
        if size < FUZZY_MIN:  # short: equal only
            return dict.fromkeys(self._by_folded.get(folded, ()), CONSONANTS.weight)
        # ratio = 2 * matches / (a + b) >= c needs b between a * c / (2 - c) and a * (2 - c) / c
        # searched at ALIKE_CUTOFF: letters romanisations write alike (``_ALIKE``: خ as
        # kh or k, BAKSHAYESH; ق as gh or g, MEHDIGOLI) count as equal (``alike_similarity``)
        c = ALIKE_CUTOFF / 100.0
        found: list[tuple[float, list[int]]] = []
        for length in range(math.ceil(size * c / (2 - c)), math.floor(size * (2 - c) / c) + 1):
            keys, names_of = self._by_length.get(length, ([], []))
            found += [
                (r, names_of[i])
                for other, plain, i in process.extract(
                    folded, keys, scorer=fuzz.ratio, score_cutoff=ALIKE_CUTOFF, limit=None
                )
                if (r := max(plain, 100.0 * alike_similarity(folded, other))) >= FUZZY_CUTOFF
                and romanisation_edits(folded, other)
            ]
        if not found:
            return {}
        top = max(r for r, _ in found)
        value = CONSONANTS.weight - (100.0 - top) / 200.0
        return {n: value for r, names in found if r == top for n in names}

    def add_to(
        self, query: NormalName, scored: list[tuple[int, float]]
    ) -> tuple[list[tuple[int, float]], set[int]]:
        """For a name in Arabic or Hebrew script: ``scored`` (name position, name score)
        with the names whose skeleton equals its own (``SKELETON_MIN`` consonants or
        more) valued at ``CONSONANTS``, or, where none does, the names whose folded
        skeleton is equal or the most similar (``FUZZY_MIN`` consonants, ``FUZZY_CUTOFF``),
        valued a little less where not equal, where their name score is lower; and
        which those are."""
        key = skeleton(query)
        if not query.abjad or len(key) < SKELETON_MIN:
            return scored, set()
        found = dict.fromkeys(self._by_key.get(key, []), CONSONANTS.weight)
        if not found and (order_free := any_order(query)):
            found = dict.fromkeys(self._by_key.get(order_free, []), CONSONANTS.weight)
        if not found:
            found = self._similar(abjad_key(query.original))
        if not found and not PERSIAN.search(query.original):
            # Persian, Urdu and Pashto names need no Persian letter to be such (فضل رحيم:
            # Fazal Rahim): read as Persian reads ض, ظ, ذ, ث, ص, ط, ح (PERSIAN_SOUNDS)
            read = query.original.translate(PERSIAN_SOUNDS)
            if read != query.original:
                found = self._similar(abjad_key(read))
        if not query.legal_forms:
            # a similar skeleton is no company's name when the query has no legal form
            # (حسین بخشایش, "hsnbxss", is not SYNPEX SHWE COMPANY LTD, "snbxs")
            found = {
                n: v for n, v in found.items() if n not in self._companies or v == CONSONANTS.weight
            }
        onsets = abjad_onsets(query.original)
        found = {
            n: v for n, v in found.items() if any(onsets_agree(onsets, o) for o in self._onsets[n])
        }
        if not found:
            return scored, set()
        values = dict(scored)
        skeletal = {n for n, v in found.items() if values.get(n, 0.0) < v}
        for n in skeletal:
            values[n] = found[n]
        return list(values.items()), skeletal


__all__ = [
    "FUZZY_CUTOFF",
    "FUZZY_MIN",
    "SKELETON_MIN",
    "SkeletonIndex",
    "abjad_key",
    "abjad_onsets",
    "alike_letters",
    "alike_similarity",
    "any_order",
    "born_alike",
    "fold",
    "given_first",
    "group_siblings",
    "latin_key",
    "latin_onsets",
    "names_agree",
    "one_list",
    "onsets_agree",
    "romanisation_edits",
]
