"""The declared, weighted features that make up a screening score.

After nomenklatura's explainable matchers: each feature has a name, a weight and a
documented meaning, and every hit lists what each feature contributed. The score of a
subject against one list entry is::

    name  = max(W_TOKENS * name_tokens + W_STRING * name_string,  W_INITIALS * initials)
    score = clamp(name + country + address, 0, 1)

``name`` is taken over every name of the entry (primary name, aliases, acronyms in
parentheses) and the best one is reported. String similarity comes from ``rapidfuzz``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from raretrace.domain.screening import FeatureContribution
from raretrace.screening.feature_weights import (
    _BOUND_BELOW,
    _TOKEN_MATCH,
    ADDRESS,
    CONTAINED_EXTRA,
    COUNTRY,
    COUNTRY_MISMATCH,
    ENTITY_TYPE,
    FEATURES,
    INITIAL_MATCH,
    INITIALS,
    MAX_BONUS,
    NAME_STRING,
    NAME_TOKENS,
    NUMBER,
    PERSON_NAMES,
    PHONETIC_MATCH,
    WEAK_EXTRA,
    Feature,
)
from raretrace.screening.normalise import (
    BRANCH_WORDS,
    NormalName,
    is_patronymic,
    normalise,
    phonetic_key,
    transliterate,
)
from raretrace.screening.slavic import CYRILLIC, slavic_key


def _close_lengths(a: str, b: str) -> bool:
    """Words this different in length are not typos of each other (Hengda vs Heng):
    at most one letter, or 15 % of the longer, apart; or one of five letters or more
    begins the other (Magnet, Magnetics)."""
    m, n = len(a), len(b)
    if abs(m - n) <= max(1.0, 0.15 * max(m, n)):
        return True
    short, long_ = (a, b) if m < n else (b, a)
    return len(short) >= 5 and long_.startswith(short)


def token_similarity(a: str, b: str) -> float:
    """Similarity of two words in [0, 1]: exact, else rapidfuzz ratio for words of four
    letters or more, else ``PHONETIC_MATCH`` when their phonetic keys agree."""
    if a == b:
        return 1.0
    if a.isdigit() or b.isdigit():
        return 0.0
    score = 0.0
    if min(len(a), len(b)) >= 4 and _close_lengths(a, b):
        score = fuzz.ratio(a, b, score_cutoff=_TOKEN_MATCH) / 100.0
    if score < PHONETIC_MATCH and min(len(a), len(b)) >= 2:
        key = phonetic_key(a)
        if len(key) >= 3 and key == phonetic_key(b):
            return PHONETIC_MATCH
        # romanisations of one East Slavic name (Yuliya / Julia, Artyom / Artem)
        if min(len(a), len(b)) >= 4 and a.isalpha() and slavic_key(a) == slavic_key(b):
            return PHONETIC_MATCH
    return score


def soft_token_jaccard(
    a: Sequence[str],
    b: Sequence[str],
    weights: Mapping[str, float],
    default: float,
    floor: float = 0.0,
    cuts: tuple[frozenset[int], frozenset[int]] = (frozenset(), frozenset()),
    person: bool = False,
    spelled: frozenset[int] = frozenset(),
) -> tuple[float, list[str], list[str]]:
    """IDF-weighted Jaccard over fuzzily paired words. Returns value, matched, unmatched.

    Equal words are paired first; then the remaining words, and runs of up to three
    consecutive remaining words joined together, are paired by best similarity, so
    typos and differing word breaks match ("Zhongke" vs "Zhong Ke", "Gazprombank" vs
    "Gazprom Bank"). When even a perfect pairing of the remaining words could not reach
    ``floor``, that upper bound is returned without pairing them (a shortcut for
    candidates that will be rejected anyway).

    When one name is contained whole in the other, the other's extra words count for
    less, and a branch phrase among them ("St. Petersburg Branch") as one weak word
    (``branch_phrases``; ``cuts``: each side's ``NormalName.after_form``). Against a
    listed ``person``: no branch phrases (a person has no branches), a patronymic
    one side leaves out counts as a weak word (a middle name), and a word of ``a``
    written as initials (``spelled``: positions, ``NormalName.initials_at``: "O.B.")
    pairs with the listed words they begin (Oleg Borisovich).
    """

    wa = [weights.get(t, default) for t in a]
    wb = [weights.get(t, default) for t in b]
    free_a, free_b = set(range(len(a))), set(range(len(b)))
    matched_w = 0.0
    matched: list[str] = []
    where: dict[str, list[int]] = {}  # each word's positions in b, last first
    for j in range(len(b) - 1, -1, -1):
        where.setdefault(b[j], []).append(j)
    for i, tok in enumerate(a):  # exact pairs first: each with the first free equal word
        if spots := where.get(tok):
            free_a.discard(i)
            free_b.discard(spots.pop())
            matched_w += wa[i]
            matched.append(tok)
    total = sum(wa) + sum(wb)
    if free_a and free_b and floor > _BOUND_BELOW:
        # each pair adds the mean of its two sides' weights: at most half of what is left
        # (equal words weigh the same on both sides, so this bound is 1 up to rounding:
        # it only rejects when ``floor`` is above 1, and is not computed below 0.99)
        best_more = (sum(wa[i] for i in free_a) + sum(wb[j] for j in free_b)) / 2
        bound = (matched_w + best_more) / (total - matched_w - best_more)
        if bound < floor:
            unmatched = [a[i] for i in sorted(free_a)] + [b[j] for j in sorted(free_b)]
            return bound, matched, unmatched
    if free_a and free_b:
        for sa, sb, sim in _span_pairs(a, b, free_a, free_b):
            free_a.difference_update(sa)
            free_b.difference_update(sb)
            side_a = sum(wa[i] for i in sa)
            side_b = sum(wb[j] for j in sb)
            matched_w += sim * (side_a + side_b) / 2
            matched.append(f"{' '.join(a[i] for i in sa)}~{' '.join(b[j] for j in sb)}")
    if person and spelled and free_a and free_b:
        matched_w += _pair_spelled(a, b, wa, wb, free_a, free_b, matched, spelled)
    if free_a and free_b:
        matched_w += _pair_initials(a, b, wa, wb, free_a, free_b, matched)
    # a name contained whole in the other: the other's extra words count for less
    # (the query's words are ``a``: extra words of the listed name, its middle names,
    # count for less; extra words of the query's name count in full unless weak: a
    # branch word, the place next to it, or a lone initial inside the name)
    discount = 0.0
    sides = (
        (free_a, a, wa, free_b, 1.0, cuts[0]),
        (free_b, b, wb, free_a, CONTAINED_EXTRA, cuts[1]),
    )
    for free, toks, ws, other_free, factor, cut in sides:
        if free and not other_free:
            weak: set[int] = set()
            for phrase in () if person else branch_phrases(toks, free, cut):
                # one branch phrase ("St. Petersburg Branch", "filial v Sankt
                # Peterburge") is one piece of weak evidence, whatever its length
                weak.update(phrase)
                discount += sum(ws[i] for i in phrase) - WEAK_EXTRA * max(ws[i] for i in phrase)
            for i in free - weak:
                initial = len(toks[i]) == 1 and 0 < i < len(toks) - 1
                # a person's patronymic one side leaves out (Yulia Lazutkina, listed as
                # Yuliya Viktorovna LAZUTKINA) is a middle name, not another person;
                # not where the query gives the given name as an initial only
                # ("Ivanov S.": every Sergei IVANOV at half a word less)
                middle = (
                    person
                    and len(toks) >= 3
                    and is_patronymic(toks[i])
                    and not any(len(t) == 1 for t in a)  # the given name written out
                )
                keep = WEAK_EXTRA if initial or middle else factor
                discount += (1.0 - keep) * ws[i]
    union = total - discount - matched_w
    unmatched = [a[i] for i in sorted(free_a)] + [b[j] for j in sorted(free_b)]
    if discount:
        matched.append(CONTAINED_MARK)
    return (matched_w / union if union > 0 else 0.0), matched, unmatched


#: When each name keeps a word the other lacks (Solid vs Liquid Propulsion), the whole-
#: name similarity may exceed the word match by at most this much: letters in common
#: elsewhere must not outvote a different word.
DIFFERENT_WORDS_CAP = 0.15


def _differ_both(a: NormalName, b: NormalName, unmatched: Sequence[str]) -> bool:
    """True when both names have a word (of two letters or more) left unpaired."""
    left = {w for w in unmatched if len(w) > 1}
    return bool(left & set(a.tokens)) and bool(left & set(b.tokens))


#: Marks, in the matched words, that one name was found whole in the other.
CONTAINED_MARK = "(contained)"
#: Marks, in the matched words, that a word written as initials was paired with the
#: words it stands for ("O.B." ~ Oleg Borisovich): the letters of the whole name do not
#: compare (``_pair_spelled``).
SPELLED_MARK = "(initials)"


#: Words of the place a branch phrase names, after its branch word ("Branch in
#: Moscow", "filial v Sankt Peterburge") or, when none follow, before it ("St.
#: Petersburg Branch", "Dubai Liaison Office").
PLACE_AFTER = 3
PLACE_BEFORE = 2


def branch_phrases(
    tokens: Sequence[str], free: set[int], cuts: frozenset[int] = frozenset()
) -> list[list[int]]:
    """Branch designations among the ``free`` positions of a name: a run of branch words
    ("Liaison Office") and the place it names: the free words right after it (up to
    ``PLACE_AFTER``) or, when there are none, right before it (up to
    ``PLACE_BEFORE``: a designation names one place, on one side), never across a cut
    (``cuts``: where a new part of the name begins, e.g. after a legal form: in "Pars Oil
    and Gas Company - Tehran Office" it is tehran, office; not gas)."""
    phrases: list[list[int]] = []
    i, n = 0, len(tokens)
    while i < n:
        if i not in free or tokens[i] not in BRANCH_WORDS:
            i += 1
            continue
        lo = hi = i
        while hi + 1 in free and hi + 1 not in cuts and tokens[hi + 1] in BRANCH_WORDS:
            hi += 1
        last = hi
        while hi + 1 in free and hi + 1 not in cuts and hi - last < PLACE_AFTER:
            hi += 1
            if tokens[hi] in BRANCH_WORDS:  # another designation follows
                hi -= 1
                break
        if hi == last:
            while lo - 1 in free and lo not in cuts and i - lo < PLACE_BEFORE:
                if phrases and lo - 1 <= phrases[-1][-1]:
                    break
                lo -= 1
        phrases.append(list(range(lo, hi + 1)))
        i = hi + 1
    return phrases


def spelled_run(letters: str, words: Sequence[str], free: Collection[int]) -> range | None:
    """The first run of ``free`` positions of ``words`` (two letters or more each) whose
    first letters are ``letters``, in order ("ob": Oleg Borisovich); None if none."""
    for start in sorted(free):
        run = range(start, start + len(letters))
        if all(
            j in free and len(words[j]) > 1 and words[j][0] == c
            for j, c in zip(run, letters, strict=True)
        ):
            return run
    return None


def _pair_spelled(
    a: Sequence[str],
    b: Sequence[str],
    wa: Sequence[float],
    wb: Sequence[float],
    free_a: set[int],
    free_b: set[int],
    matched: list[str],
    spelled: frozenset[int],
) -> float:
    """Pair a word of ``a`` written as initials ("ob" from "O.B.") with the run of free
    words of ``b`` those letters begin, in order ("Oleg Borisovich"); returns the weight
    they add (as for one initial, ``INITIAL_MATCH``)."""
    added = 0.0
    for i in sorted(spelled & free_a):
        if (run := spelled_run(a[i], b, free_b)) is not None:
            free_a.discard(i)
            free_b.difference_update(run)
            added += INITIAL_MATCH * (wa[i] + sum(wb[j] for j in run)) / 2
            matched.append(f"{'.'.join(a[i])}.~{' '.join(b[j] for j in run)}")
    if added:
        matched.append(SPELLED_MARK)
    return added


def _pair_initials(
    a: Sequence[str],
    b: Sequence[str],
    wa: Sequence[float],
    wb: Sequence[float],
    free_a: set[int],
    free_b: set[int],
    matched: list[str],
) -> float:
    """Pair one-letter words ("E." in "Guillermo E. Villarreal") with a free word of the
    other name starting with that letter; returns the weight they add."""
    added = 0.0
    for mine, other, w_mine, w_other, free_mine, free_other in (
        (a, b, wa, wb, free_a, free_b),
        (b, a, wb, wa, free_b, free_a),
    ):
        for i in sorted(free_mine):
            if len(mine[i]) != 1:
                continue
            for j in sorted(free_other):
                if len(other[j]) > 1 and other[j][0] == mine[i]:
                    free_mine.discard(i)
                    free_other.discard(j)
                    added += INITIAL_MATCH * (w_mine[i] + w_other[j]) / 2
                    matched.append(f"{mine[i]}.~{other[j]}")
                    break
    return added


def _runs(free: set[int]) -> list[tuple[int, ...]]:
    """Spans of 1-3 consecutive free positions."""
    if len(free) == 1:
        return [(next(iter(free)),)]
    out: list[tuple[int, ...]] = []
    for i in sorted(free):
        out.append((i,))
        if i + 1 in free:
            out.append((i, i + 1))
            if i + 2 in free:
                out.append((i, i + 1, i + 2))
    return out


def _span_pairs(
    a: Sequence[str], b: Sequence[str], free_a: set[int], free_b: set[int]
) -> list[tuple[tuple[int, ...], tuple[int, ...], float]]:
    """Greedy best pairing of (joined runs of) words: closest first, then longest.

    Pairs of runs are compared with ``token_similarity``, inlined (this is the inner
    loop of batch screening).
    """
    runs_a, runs_b = _runs(free_a), _runs(free_b)
    texts_b = [("".join([b[j] for j in sb]), sb) for sb in runs_b]
    ratio = fuzz.ratio
    options = []
    for sa in runs_a:
        ja = "".join([a[i] for i in sa])
        digits_a = ja.isdigit()
        short_a = len(ja) < 4
        key_a: str | None = None  # computed when first needed
        for jb, sb in texts_b:
            if ja == jb:
                sim = 1.0
            elif digits_a or jb.isdigit():
                continue
            else:
                sim = 0.0
                if not short_a and len(jb) >= 4:
                    sim = ratio(ja, jb, score_cutoff=_TOKEN_MATCH) / 100.0
                    if sim and not _close_lengths(ja, jb):
                        sim = 0.0
                if sim < PHONETIC_MATCH and len(ja) >= 2 and len(jb) >= 2:
                    if key_a is None:
                        key_a = phonetic_key(ja)
                    if (len(key_a) >= 3 and key_a == phonetic_key(jb)) or (
                        not short_a
                        and len(jb) >= 4
                        and ja.isalpha()
                        and slavic_key(ja) == slavic_key(jb)
                    ):
                        sim = PHONETIC_MATCH
                if sim <= 0:
                    continue
            options.append((sim, len(sa) + len(sb), sa, sb))
    options.sort(key=lambda o: (-o[0], -o[1]))
    taken_a: set[int] = set()
    taken_b: set[int] = set()
    chosen = []
    for sim, _, sa, sb in options:
        if taken_a.isdisjoint(sa) and taken_b.isdisjoint(sb):
            taken_a.update(sa)
            taken_b.update(sb)
            chosen.append((sa, sb, sim))
    return chosen


def _string_parts(a: NormalName, b: NormalName) -> tuple[float, float]:
    """(token_sort_ratio, ratio without spaces) in [0, 1]."""
    return fuzz.token_sort_ratio(a.text, b.text) / 100.0, fuzz.ratio(a.compact, b.compact) / 100.0


def string_similarity(a: NormalName, b: NormalName) -> tuple[float, str]:
    sort, compact = _string_parts(a, b)
    if compact > sort:
        return compact, f"without spaces '{a.compact}' vs '{b.compact}'"
    return sort, f"sorted words '{a.sorted_text}' vs '{b.sorted_text}'"


def initials_match(query: NormalName, listed: NormalName) -> bool:
    """True when the listed name is a single word (>= 3 letters) equal to the initials
    of the query's words, and the query is written in Cyrillic (ОДК, Объединенная
    двигателестроительная корпорация, listed as "AO ODK").

    One way only, and one script only: East Slavic organisations are named by the
    initials of their words, which lists romanise letter by letter and give alone; a
    name in Latin letters whose initials spell a listed acronym is a chance meeting
    (Calle Serna Trading / LLC CST, KHATTALAH Ahmad Abu / KAA: lists that give an
    acronym in Latin letters give the name it stands for as well), as are the initials
    of a reading of Chinese characters (syllables, not words). A bare acronym is not
    matched against listed names by their initials either: three letters stand for many
    names (ММЗ is the Mari and the Mytishchi machine-building plants, ASK Aoki Seimitsu
    Kogyo), and a party known by its acronym is listed under it."""
    if not (query.initials_ok and listed.initials_ok):
        return False
    return (
        len(listed.tokens) == 1
        and len(listed.tokens[0]) >= 3
        and listed.tokens[0] == query.initials
        and CYRILLIC.search(query.original) is not None
        and _quoted_initials(query) == query.initials
    )


#: Quotation marks that open a quoted name (not an apostrophe, straight or typographic:
#: O'Brien, Belarusian аб’яднанне), and every quotation mark
_OPENING = re.compile('[‘«“„"]')
_QUOTE = re.compile('[‘’«»“”„"]')


def _quoted_initials(name: NormalName) -> str:
    """The initials a name is abbreviated by when it quotes its own name after words
    that say what it is (Конструкторское бюро «Микроб», ООО Торговый дом «Химмед»): the
    quoted name's, as the descriptive words are abbreviated apart (КБ «Микроб», ТД
    «Химмед»), and "" when it is one word; the name's initials otherwise (АО
    «Объединенная двигателестроительная корпорация»: only a legal form before it)."""
    opening = _OPENING.search(name.original)
    if opening is None:
        return name.initials
    inner = normalise(_QUOTE.sub(" ", name.original[opening.end() :]))
    return inner.initials if len(inner.tokens) < len(name.tokens) else name.initials


@dataclass(frozen=True, slots=True)
class NameScore:
    value: float
    features: tuple[FeatureContribution, ...]


def score_names(
    query: NormalName,
    entry: NormalName,
    weights: Mapping[str, float],
    default: float,
    floor: float = 0.0,
) -> NameScore:
    """Name part of the score, with one contribution per name feature.

    With ``floor``, a pair that cannot reach it may be scored by an upper bound only.
    ``name_value`` computes the same value without the explanation.
    """
    string, string_detail = string_similarity(query, entry)
    jac, matched, unmatched = _name_tokens(query, entry, weights, default, floor, string)
    if SPELLED_MARK in matched:
        matched.remove(SPELLED_MARK)
        if jac > string and CONTAINED_MARK not in matched:
            string = jac
            string_detail = "initials for the listed names: taken as the word match"
    if CONTAINED_MARK in matched:
        matched.remove(CONTAINED_MARK)
        if jac > string:
            string = jac
            string_detail = "one name contained in the other: taken as the word match"
    elif _differ_both(query, entry, unmatched) and string > jac + DIFFERENT_WORDS_CAP:
        string = jac + DIFFERENT_WORDS_CAP
        string_detail += f" (capped at word match + {DIFFERENT_WORDS_CAP}: different words)"
    combined = NAME_TOKENS.weight * jac + NAME_STRING.weight * string
    tokens_detail = (
        f"matched: {', '.join(matched) or '-'}; unmatched: {', '.join(unmatched) or '-'}"
    )
    if entry.legal_forms or query.legal_forms:
        forms = sorted({*query.legal_forms, *entry.legal_forms})
        tokens_detail += f"; legal forms set aside: {', '.join(forms)}"
    initials = initials_match(query, entry)
    use_initials = initials and INITIALS.weight > combined
    factor = 0.0 if use_initials else 1.0
    number, number_detail = number_evidence(query, entry)
    feats = (
        FeatureContribution(
            NAME_TOKENS.name,
            NAME_TOKENS.weight,
            round(jac, 4),
            round(factor * NAME_TOKENS.weight * jac, 4),
            tokens_detail,
        ),
        FeatureContribution(
            NAME_STRING.name,
            NAME_STRING.weight,
            round(string, 4),
            round(factor * NAME_STRING.weight * string, 4),
            string_detail,
        ),
        FeatureContribution(
            INITIALS.name,
            INITIALS.weight,
            1.0 if initials else 0.0,
            INITIALS.weight if use_initials else 0.0,
            f"'{query.initials or query.text}' / '{entry.initials or entry.text}'"
            + ("" if use_initials or not initials else " (name features scored higher)"),
        ),
        FeatureContribution(
            NUMBER.name, NUMBER.weight, 1.0 if number else 0.0, number, number_detail
        ),
    )
    return NameScore((INITIALS.weight if use_initials else combined) + number, feats)


def number_evidence(a: NormalName, b: NormalName) -> tuple[float, str]:
    """(``NUMBER`` contribution, detail): negative when both names hold numbers that differ."""
    na, nb = a.numbers, b.numbers
    if na and nb and na != nb:
        return (
            NUMBER.weight,
            f"different number: {', '.join(sorted(na))} vs {', '.join(sorted(nb))}",
        )
    # a letter designator one name has and the other does not (Stroytransgaz-M)
    missing = sorted(d for d in a.designators if d not in b.compact) + sorted(
        d for d in b.designators if d not in a.compact
    )
    if missing:
        return NUMBER.weight, f"designator on one side only: {', '.join(missing)}"
    return 0.0, "same number" if na and nb else "no number on both sides"


def _name_tokens(
    query: NormalName,
    entry: NormalName,
    weights: Mapping[str, float],
    default: float,
    floor: float,
    string: float,
) -> tuple[float, list[str], list[str]]:
    floor_j = (floor - NAME_STRING.weight * string) / NAME_TOKENS.weight
    return soft_token_jaccard(
        query.tokens,
        entry.tokens,
        weights,
        default,
        floor_j,
        (query.after_form, entry.after_form),
        entry.person,
        query.initials_at,
    )


def name_value(
    query: NormalName,
    entry: NormalName,
    weights: Mapping[str, float],
    default: float,
    floor: float = 0.0,
) -> float:
    """``score_names(...).value``, computed the same way, without building the explanation
    (the batch path scores every plausible candidate, and explains only the hits)."""
    string = max(_string_parts(query, entry))
    jac, matched, unmatched = _name_tokens(query, entry, weights, default, floor, string)
    if CONTAINED_MARK in matched or SPELLED_MARK in matched:
        string = max(string, jac)
    elif _differ_both(query, entry, unmatched):
        string = min(string, jac + DIFFERENT_WORDS_CAP)
    combined = NAME_TOKENS.weight * jac + NAME_STRING.weight * string
    if INITIALS.weight > combined and initials_match(query, entry):
        combined = INITIALS.weight
    return combined + number_evidence(query, entry)[0]


def score_country(subject: str, entry: Sequence[str]) -> FeatureContribution:
    subject = subject.upper()
    codes = {c.upper() for c in entry if c}
    if not subject or not codes:
        return FeatureContribution(COUNTRY.name, COUNTRY.weight, 0.0, 0.0, "not known")
    if subject in codes:
        return FeatureContribution(COUNTRY.name, COUNTRY.weight, 1.0, COUNTRY.weight, subject)
    detail = f"{subject} not in {', '.join(sorted(codes))}"
    return FeatureContribution(COUNTRY.name, COUNTRY.weight, 0.0, COUNTRY_MISMATCH, detail)


def score_address(subject: Sequence[str], entry: Sequence[str]) -> FeatureContribution:
    words = {w for a in subject for w in _address_words(a)}
    theirs = {w for a in entry for w in _address_words(a)}
    if not words or not theirs:
        return FeatureContribution(ADDRESS.name, ADDRESS.weight, 0.0, 0.0, "not known")
    shared = words & theirs
    value = min(1.0, len(shared) / max(1, min(len(words), 3)))
    detail = f"shared: {', '.join(sorted(shared))}" if shared else "no shared words"
    return FeatureContribution(
        ADDRESS.name, ADDRESS.weight, round(value, 4), round(ADDRESS.weight * value, 4), detail
    )


#: Address words that say nothing about where: never counted as shared.
_ADDRESS_GENERIC: frozenset[str] = frozenset(
    {
        "city", "street", "road", "avenue", "district", "province", "building", "floor",
        "room", "block", "zone", "area", "park", "industrial", "office", "suite", "tower",
        "center", "centre", "north", "south", "east", "west", "county", "state", "region",
        "village", "town", "lane", "unit", "house", "plaza", "square", "no", "number",
    }
)  # fmt: skip


@lru_cache(maxsize=100_000)
def _address_words(address: str) -> tuple[str, ...]:
    text = transliterate(address).lower()
    words = "".join(c if c.isalnum() else " " for c in text).split()
    return tuple(w for w in words if len(w) > 3 and w not in _ADDRESS_GENERIC)


def idf(df: int, n: int) -> float:
    """Inverse document frequency of a word found in ``df`` of ``n`` indexed names."""
    return math.log(1.0 + n / max(df, 1))


__all__ = [
    "ADDRESS",
    "BRANCH_WORDS",
    "COUNTRY",
    "ENTITY_TYPE",
    "FEATURES",
    "INITIALS",
    "MAX_BONUS",
    "NAME_STRING",
    "NAME_TOKENS",
    "NUMBER",
    "PERSON_NAMES",
    "Feature",
    "NameScore",
    "branch_phrases",
    "idf",
    "name_value",
    "number_evidence",
    "phonetic_key",
    "score_address",
    "score_country",
    "score_names",
    "spelled_run",
]
