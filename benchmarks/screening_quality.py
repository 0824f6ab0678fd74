"""Screening quality on the labelled set in ``benchmarks/data/screening`` (see its README).

Three systems screen the same queries against the same list, in the same run:

- ``raretrace``: ``Matcher`` at ``DEFAULT_THRESHOLD`` (not tuned on this set);
- ``wratio``: rapidfuzz ``WRatio`` over ``anyascii``-transliterated, lower-cased names
  (every name and alias of every entry), threshold tuned for F1 on half A;
- ``logicv2``: nomenklatura's ``LogicV2`` on FollowTheMoney entities, over the 20 best
  ``wratio`` candidates per query (all pairs would take hours), threshold tuned on half A.
  Needs ``nomenklatura`` (``pip install -e '.[bench]'``); reported as missing otherwise.

Figures are given for halves A-G separately; thresholds are tuned on A only.
B was looked at while raretrace's rules were tuned; C was built afterwards from entries
never sampled for A/B, D after A-C had all been looked at (entries never sampled for
A-C, real native-script names of the UN list), E after A-D (the UK OFSI list's real
non-Latin names), F after A-E (the EU annexes' original-script names; its first look,
``--first-look``, was taken on 2026-12-07), G after A-F (Japan METI's designated
entities' Japanese names; its first look, ``--first-look``, was taken on 2026-12-08); their
first-look figures are in the data README. D, E, F and G are also reported per ``part``
(tune / held). Per kind:
for kinds of positives precision / recall / F1 (and true positives / queries), for
kinds of negatives (``neg-*``) how many queries raised a false alarm.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import sys
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
from anyascii import anyascii
from rapidfuzz import fuzz, process

from raretrace.domain.screening import ListEntry, ListFormat, Subject
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Matcher
from raretrace.screening.births import births_apart, births_of
from raretrace.screening.ids import ambiguous_identity, identity_keys
from raretrace.screening.normalise import normalise
from raretrace.screening.siblings import names_agree, one_list
from raretrace.services.formats.party_lists import read_list

DATA = Path(__file__).resolve().parent / "data" / "screening"
CANDIDATES = 20
#: A: tuning half; B: held out, then looked at while tuning (i15b); C: built later from
#: entries never sampled for A/B; D: built after A-C had all been looked at, from entries
#: never sampled for A-C and the UN list's real native-script names (see the data README
#: for which figures are first looks)
#: E: built after A-D had all been looked at, from the UK OFSI list's non-Latin names
#: F: built after A-E had all been looked at (D's and E's held parts twice), from the EU
#: annexes' original-script names, with no matcher run on it before its first look
#: G: built after A-F had all been looked at (D's, E's and F's held parts several
#: times), from Japan METI's designated entities' Japanese names, matcher frozen
HALVES = ("A", "B", "C", "D", "E", "F", "G")
#: halves split in two by ``part`` (D: its positives only; E, F and G: every query, by
#: the entry it derives from)
PART_HALVES = ("D", "E", "F", "G")
#: halves not looked at yet: left out whole (never screened) unless ``--first-look``, so
#: that no figure of theirs is seen before their first look (never with ``--tune-only``);
#: none since G's first look (2026-12-08, data README, "Half G")
UNSEEN_HALVES: tuple[str, ...] = ()
#: D's kinds that need translation, each split in two by ``part`` (branch i15f tuned
#: translated-name matching on the "tune" part only and reports the "held" part as
#: held out; see the data README)
SPLIT_KINDS = ("script-han-foreign-real", "script-han-japanese-real", "script-arabic-real-org")


def part(expected: str) -> str:
    """The part, "tune" or "held", of a query: the parity of a stable hash (SHA-256)
    of the expected entry's key, so a party's queries all fall in one part."""
    return "tune" if int(hashlib.sha256(expected.encode()).hexdigest(), 16) % 2 == 0 else "held"


@dataclass(frozen=True, slots=True)
class Query:
    query: str
    country: str
    expected: str
    kind: str
    half: str
    #: the entry a query derives from (half E; "" before it)
    source: str = ""

    @property
    def part(self) -> str:
        """``part`` of the entry the query derives from, "" when not known (half D's
        hard negatives)."""
        origin = self.source or self.expected
        return part(origin) if origin else ""


#: per query, the entry keys each system reports as hits
Hits = list[set[str]]


#: whether the counting applies the date-of-birth rule (``--counting-without-births``
#: leaves it out, to tell the product's part of its effect from the counting's)
COUNT_BIRTHS = True


def load() -> tuple[list[ListEntry], list[Query]]:
    listed = DATA / "list.csv"
    sources = [DATA / "make_set.py", *(DATA / "raw").rglob("*")]
    if not listed.exists() or listed.stat().st_mtime < max(p.stat().st_mtime for p in sources):
        # rebuilt from the raw rows, deterministically (and when they or the script change)
        sys.path.insert(0, str(DATA))
        import make_set  # type: ignore[import-not-found]

        make_set.write_list()
    entries = read_list(DATA / "list.csv", ListFormat.CSL).entries
    with (DATA / "pairs.csv").open(encoding="utf-8") as fh:
        queries = [Query(**row) for row in csv.DictReader(fh)]
    SAME.clear()
    SAME.update(_same(entries, births=COUNT_BIRTHS))
    return entries, queries


def raretrace_hits(entries: Sequence[ListEntry], queries: Sequence[Query]) -> Hits:
    """Per query, one key per hit raretrace reports. A hit names its siblings (entries
    whose matched names are the same once legal forms and word order are set aside,
    e.g. one person on the SDN and the UN list, see ``siblings.group_siblings``): a hit
    whose group holds the expected party counts as that party, otherwise as its lead
    entry (one hit, one false alarm at most)."""
    matcher = Matcher(IndexedEntry("eval", None, e) for e in entries)
    subjects = [Subject(q.query, None, q.country) for q in queries]
    out: Hits = []
    for q, (_, found) in zip(queries, matcher.match_many(subjects, DEFAULT_THRESHOLD), strict=True):
        ok = SAME.get(q.expected, frozenset({q.expected})) if q.expected else frozenset()
        keys = set()
        for m in found:
            group = {m.indexed.entry.entry_key, *(s.entry.entry_key for s in m.siblings)}
            keys.add(q.expected if group & ok else m.indexed.entry.entry_key)
        out.append(keys)
    return out


def _ascii(text: str) -> str:
    return " ".join(anyascii(text).lower().split())


def wratio_scores(
    entries: Sequence[ListEntry], queries: Sequence[Query]
) -> tuple[np.ndarray, list[str]]:
    """(query x entry best WRatio / 100, entry keys)."""
    names, owner = [], []
    for i, e in enumerate(entries):
        for n in e.names:
            names.append(_ascii(n))
            owner.append(i)
    matrix = process.cdist(
        [_ascii(q.query) for q in queries], names, scorer=fuzz.WRatio, workers=-1, dtype=np.uint8
    )
    best = np.zeros((len(queries), len(entries)), dtype=np.uint8)
    owner_arr = np.array(owner)
    for j in range(len(names)):  # max over each entry's names
        col = owner_arr[j]
        np.maximum(best[:, col], matrix[:, j], out=best[:, col])
    return best.astype(np.float64) / 100.0, [e.entry_key for e in entries]


def logicv2_scores(
    entries: Sequence[ListEntry], queries: Sequence[Query], wratio: np.ndarray
) -> np.ndarray | None:
    """LogicV2 score of each query against its ``CANDIDATES`` best WRatio entries."""
    try:
        from followthemoney import model
        from nomenklatura.matching import get_algorithm
    except ImportError:
        return None
    algorithm = get_algorithm("logic-v2")
    if algorithm is None:
        return None
    config = algorithm.default_config()

    def entity(ident: str, schema: str, names: Sequence[str], countries: Sequence[str]):  # type: ignore[no-untyped-def]
        ent = model.make_entity(schema)
        ent.id = ident
        ent.add("name", list(names))
        ent.add("country", [c.lower() for c in countries if c])
        return ent

    listed = [
        entity(
            e.entry_key,
            "Person"
            if e.entity_type.lower() == "individual"
            else "Organization"
            if e.entity_type.lower() == "entity"
            else "LegalEntity",
            e.names,
            e.countries,
        )
        for e in entries
    ]
    out = np.zeros_like(wratio)
    for qi, q in enumerate(queries):
        query = entity(f"q{qi}", "LegalEntity", [q.query], [q.country])
        for ei in np.argsort(-wratio[qi])[:CANDIDATES]:
            out[qi, ei] = algorithm.compare(query, listed[ei], config).score
    return out


def hits_at(scores: np.ndarray, keys: Sequence[str], threshold: float) -> Hits:
    rows, cols = np.nonzero(scores >= threshold)
    hits: Hits = [set() for _ in range(scores.shape[0])]
    for r, c in zip(rows.tolist(), cols.tolist(), strict=True):
        hits[r].add(keys[c])
    return hits


@dataclass(frozen=True, slots=True)
class Counts:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


#: entry key -> keys of entries that carry its primary name among theirs (the same
#: party listed twice, e.g. on the DPL and the Entity List), or a name identical to it
#: once legal forms are set aside (siblings: STROYTRANSGAZ OJSC / LLC, which raretrace
#: reports as one hit naming both), or that share one of its names of ``SHARED_WORDS``
#: words or more, alias or not (one person on the UN list as OTHMAN AHMED OTHMAN
#: AL-GHAMDI, alias Uthman al-Ghamdi, and on the SDN list as AL-GHAMDI, Othman, alias
#: AL-GHAMDI, Uthman Ahmad Uthman... share "Uthman Ahmad Uthman al-Ghamdi"), or that
#: share an identity number with it, directly or through a chain of entries
#: (``by_numbers``: the same passport, national ID or UN reference number, as the UN
#: list's QDi.001 SAYF-AL ADL and the UK entry MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE
#: citing it): a hit on one of those is neither a miss nor a false alarm, for every
#: system; and entries of two lists that carry the same full date of birth under names
#: that agree (``by_births``), while entries that only the name rules join are two
#: parties when their dates of birth are all years apart (``births.births_apart``;
#: the data README, i15l, gives the rule). Filled by ``load``.
SAME: dict[str, frozenset[str]] = {}
#: fewest words a shared alias needs to make two entries one party (two-word aliases
#: such as "Abu Muhammad" are shared by different people)
SHARED_WORDS = 3


def _name_key(name: str) -> str:
    """A name's words in any order: "YEGANE, Gulnihal" is "Gulnihal Yegane" (lists write
    SURNAME, Given)."""
    return " ".join(sorted(_ascii(name).replace(",", " ").split()))


def _sibling_key(name: str) -> str:
    """A name's words once legal forms and stop words are set aside (raretrace's
    normalisation): STROYTRANSGAZ OJSC, STROYTRANSGAZ LLC and СТРОЙТРАНСГАЗ share one."""
    norm = normalise(name)
    return "\x1f".join((norm.sorted_text, *sorted(norm.designators)))


def by_numbers(entries: Sequence[ListEntry]) -> dict[str, set[str]]:
    """Entry key -> the keys of the entries one party with it by identity numbers
    (``ids.identity_keys``: the same scheme and normalised value of a passport, national
    ID or UN reference number, or of a number naming one legal entity), followed
    through chains; a number that one list (``source``) carries on two of its entries
    does not count (``ids.ambiguous_identity``). See the data README."""
    ambiguous = ambiguous_identity((e.source, e.ids) for e in entries if e.ids)
    parent: dict[str, str] = {}

    def root(k: str) -> str:
        while parent.setdefault(k, k) != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    holder: dict[tuple[str, str], str] = {}
    for e in entries:
        for number in identity_keys(e.ids):
            if number not in ambiguous:
                a, b = root(e.entry_key), root(holder.setdefault(number, e.entry_key))
                parent[max(a, b)] = min(a, b)
    groups: dict[str, set[str]] = defaultdict(set)
    for k in list(parent):
        groups[root(k)].add(k)
    return {k: groups[root(k)] for k in parent}


def by_births(entries: Sequence[ListEntry]) -> dict[str, set[str]]:
    """Entry key -> the keys of the entries of other lists (``source``, or one source's
    disjoint regimes: ``siblings.one_list``) that carry the same full date of birth and
    whose names agree (``siblings.names_agree``); not followed through chains. See the
    data README (i15l, i15r)."""
    by_day: dict[date, list[ListEntry]] = defaultdict(list)
    for e in entries:
        for b in births_of(e.dates_of_birth):
            if b.exact:
                by_day[b.first].append(e)
    out: dict[str, set[str]] = defaultdict(set)
    for same_day in by_day.values():
        for i, a in enumerate(same_day):
            for b in same_day[i + 1 :]:
                if not one_list(a.source, a.programs, b.source, b.programs) and names_agree(
                    a.names, b.names
                ):
                    out[a.entry_key].add(b.entry_key)
                    out[b.entry_key].add(a.entry_key)
    return out


def _same(entries: Sequence[ListEntry], *, births: bool = True) -> dict[str, frozenset[str]]:
    """``SAME`` (see there); ``births=False``: without the date-of-birth rule (i15l)."""
    numbers = by_numbers(entries)
    born = by_births(entries) if births else {}
    by_key = {e.entry_key: e for e in entries}
    by_name: dict[str, set[str]] = defaultdict(set)
    siblings: dict[str, set[str]] = defaultdict(set)
    for e in entries:
        for n in e.names:
            by_name[_name_key(n)].add(e.entry_key)
            siblings[_sibling_key(n)].add(e.entry_key)
    out = {}
    for e in entries:
        named = (
            by_name[_name_key(e.name)]
            | siblings[_sibling_key(e.name)]
            | {
                k
                for n in e.names
                if len(_name_key(n).split()) >= SHARED_WORDS
                for k in by_name[_name_key(n)]
            }
        )
        if births and e.dates_of_birth:  # two persons of one name, born years apart
            named = {
                k for k in named if not births_apart(e.dates_of_birth, by_key[k].dates_of_birth)
            }
        numbered = numbers.get(e.entry_key, set())
        out[e.entry_key] = frozenset(named | numbered | born.get(e.entry_key, set()))
    return out


def count(queries: Sequence[Query], hits: Hits, half: str | None = None) -> Counts:
    tp = fp = fn = 0
    for q, found in zip(queries, hits, strict=True):
        if half and q.half != half:
            continue
        ok = SAME.get(q.expected, frozenset({q.expected})) if q.expected else frozenset()
        if q.expected:
            tp += bool(found & ok)
            fn += not (found & ok)
        fp += len(found - ok)
    return Counts(tp, fp, fn)


def tune(queries: Sequence[Query], scores: np.ndarray, keys: Sequence[str]) -> float:
    """The threshold with the best F1 on half A."""
    best_t, best_f1 = 1.0, -1.0
    for t in np.arange(0.50, 1.001, 0.01):
        f1 = count(queries, hits_at(scores, keys, float(t)), "A").f1
        if f1 > best_f1:
            best_t, best_f1 = float(t), f1
    return best_t


def per_kind(queries: Sequence[Query], hits: Hits, half: str) -> dict[str, str]:
    """Per kind of positives: P / R / F1 (a false positive is a hit on another entry by
    a query of that kind); per kind of negatives: how many queries raised an alarm."""
    groups: dict[str, list[int]] = defaultdict(list)
    for i, q in enumerate(queries):
        if q.half == half:
            groups[q.kind].append(i)
    out = {}
    for kind, idx in sorted(groups.items()):
        if kind.startswith("neg-"):
            alarms = sum(1 for i in idx if hits[i])
            out[kind] = f"{alarms}/{len(idx)} FP"
        else:
            out[kind] = _cell(queries, hits, idx)
    return out


def _cell(queries: Sequence[Query], hits: Hits, idx: Sequence[int]) -> str:
    """P / R / F1 and true positives / queries of the queries at ``idx``."""
    if not idx:
        return "no queries"
    c = count([queries[i] for i in idx], [hits[i] for i in idx])
    return f"{c.precision:.2f}/{c.recall:.2f}/{c.f1:.2f} ({c.tp}/{len(idx)})"


def split_kinds(queries: Sequence[Query], hits: Hits) -> dict[str, str]:
    """``per_kind`` of half D's ``SPLIT_KINDS``, for each ``part`` separately."""
    out = {}
    for kind in SPLIT_KINDS:
        for which in ("tune", "held"):
            idx = [
                i
                for i, q in enumerate(queries)
                if q.half == "D" and q.kind == kind and part(q.expected) == which
            ]
            out[f"{kind} ({which})"] = _cell(queries, hits, idx)
    return out


def by_part(queries: Sequence[Query], hits: Hits, half: str) -> dict[str, str]:
    """``per_kind`` of ``half`` for its tune and held parts (whole part first)."""
    out = {}
    for which in ("tune", "held"):
        idx = [i for i, q in enumerate(queries) if q.half == half and q.part == which]
        if not idx:
            out[f"{half} {which} (all)"] = "no queries"
            continue
        sub_q = [queries[i] for i in idx]
        sub_h = [hits[i] for i in idx]
        c = count(sub_q, sub_h)
        out[f"{half} {which} (all)"] = (
            f"{c.precision:.3f}/{c.recall:.3f}/{c.f1:.3f} ({c.tp}/{c.fp}/{c.fn})"
        )
        for kind, cell in per_kind(sub_q, sub_h, half).items():
            out[f"{half} {which} {kind}"] = cell
    return out


def report(
    print_: Callable[[str], None] = print,
    *,
    baselines: bool = True,
    tune_only: bool = False,
    first_look: bool = False,
) -> dict[str, dict[str, Counts]]:
    """Print the figures (``baselines=False``: raretrace's only, no WRatio or LogicV2;
    ``tune_only``: the held parts of D, E, F and G left out of every figure, so that work on
    the matcher can look at everything printed without seeing a held-out query). The
    halves not looked at yet (``UNSEEN_HALVES``) are left out, never screened,
    unless ``first_look`` (never with ``tune_only``): their first look is a decision,
    not a side effect of another run (``bench_screening.py`` included)."""
    if tune_only and first_look:
        raise ValueError("a first look is not a tuning run: not both tune_only and first_look")
    entries, queries = load()
    halves: tuple[str, ...] = HALVES
    if not first_look and UNSEEN_HALVES:
        queries = [q for q in queries if q.half not in UNSEEN_HALVES]
        halves = tuple(h for h in HALVES if h not in UNSEEN_HALVES)
        print_(f"half {'/'.join(UNSEEN_HALVES)} left out: not looked at yet (--first-look)")
    if tune_only:
        queries = [q for q in queries if not (q.half in PART_HALVES and q.part == "held")]
        print_(f"held parts of {'/'.join(PART_HALVES)} left out (--tune-only)")
    pos = sum(1 for q in queries if q.expected)
    print_(
        f"labelled set: {len(entries):,} list entries, {len(queries):,} queries "
        f"({pos} positives, {len(queries) - pos} hard negatives), halves {'/'.join(halves)}"
    )
    systems: dict[str, Hits] = {"raretrace": raretrace_hits(entries, queries)}
    labels = {"raretrace": f"raretrace (threshold {DEFAULT_THRESHOLD:.2f}, not tuned here)"}
    if baselines:
        wr, keys = wratio_scores(entries, queries)
        t = tune(queries, wr, keys)
        systems["wratio"] = hits_at(wr, keys, t)
        labels["wratio"] = f"rapidfuzz WRatio + anyascii (threshold {t:.2f} tuned on A)"
        lv = logicv2_scores(entries, queries, wr)
        if lv is None:
            print_("nomenklatura LogicV2: not installed (pip install -e '.[bench]'); skipped")
        else:
            t2 = tune(queries, lv, keys)
            systems["logicv2"] = hits_at(lv, keys, t2)
            labels["logicv2"] = f"nomenklatura LogicV2 (threshold {t2:.2f} tuned on A)"
    results: dict[str, dict[str, Counts]] = {}
    for name, hits in systems.items():
        results[name] = {h: count(queries, hits, h) for h in halves}
        line = "; ".join(
            f"half {h}: P {c.precision:.3f} R {c.recall:.3f} F1 {c.f1:.3f} "
            f"(TP {c.tp} FP {c.fp} FN {c.fn})"
            for h, c in results[name].items()
        )
        print_(f"{labels[name]}: {line}")
    lines: list[str] = []
    for half in halves:
        tables = {name: per_kind(queries, hits, half) for name, hits in systems.items()}
        lines += _kind_rows(f"per kind, half {half}: ", tables, 22, 24)
    split = {name: split_kinds(queries, hits) for name, hits in systems.items()}
    lines += _kind_rows(
        "half D, kinds needing translation, tuning part / held-out part: ", split, 32, 24
    )
    for half in [h for h in halves if h in PART_HALVES or h in UNSEEN_HALVES]:
        parts = {name: by_part(queries, hits, half) for name, hits in systems.items()}
        title = f"half {half} by part (all: P/R/F1 (TP/FP/FN)), per kind: "
        lines += _kind_rows(title, parts, 36, 28)
    for line in lines:
        print_(line)
    return results


def _kind_rows(title: str, tables: dict[str, dict[str, str]], kind: int, cell: int) -> list[str]:
    """The lines of a table: one row per kind (raretrace's kinds), one column per
    system, ``kind`` and ``cell`` characters wide."""
    rows = [title + " | ".join(tables)]
    for k in tables["raretrace"]:
        cells = "  ".join(f"{tables[n][k]:>{cell}}" for n in tables)
        rows.append(f"  {k:{kind}} {cells}")
    return rows


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--no-baselines", action="store_true", help="raretrace only (no WRatio, no LogicV2)"
    )
    parser.add_argument(
        "--tune-only",
        action="store_true",
        help="leave the held parts of D, E, F and G out of every figure (for tuning)",
    )
    parser.add_argument(
        "--counting-without-births",
        action="store_true",
        help="count without the date-of-birth rule (the product still groups by it)",
    )
    parser.add_argument(
        "--first-look",
        action="store_true",
        help="include the halves not looked at yet (none now): their first look, once",
    )
    args = parser.parse_args()
    if args.tune_only and args.first_look:
        parser.error("--first-look is not a tuning run: not with --tune-only")
    COUNT_BIRTHS = not args.counting_without_births
    report(baselines=not args.no_baselines, tune_only=args.tune_only, first_look=args.first_look)
