"""Screening quality and speed.

1. Precision and recall at the default threshold on the labelled evaluation set
   ``tests/screening/data/pairs.csv`` (real CSL and MOFCOM entries + generated variants
   and look-alike non-matches; see ``tests/screening/data/make_pairs.py``).
2. Batch rate: screening N synthetic parties against M synthetic list entries
   (default 100,000 x 50,000) with the blocking index and ``Matcher.match_many``.
3. The one-subject path (``Matcher.match`` per party, what the batch replaced) on the
   first K parties (default 5,000) in the same run: its rate, the batch's speed-up
   over it, and whether both give identical hits, scores and explanations there.

The load average is printed before and after: the 2-core machine is shared, and
wall-clock rates scale with it.

Run: ``.venv/bin/python benchmarks/bench_screening.py [--parties N] [--entries M]
[--compare K]``
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import time
from pathlib import Path

from raretrace.domain.screening import ListEntry, ListFormat, Subject
from raretrace.screening import DEFAULT_THRESHOLD, IndexedEntry, Match, Matcher
from raretrace.screening.evaluation import LabelledQuery, evaluate
from raretrace.services.screening_lists import read_list

DATA = Path(__file__).resolve().parents[1] / "tests" / "screening" / "data"
SYLLABLES = [c + v for c in "bcdfghjklmnprstvwz" for v in ("a", "e", "i", "o", "u", "ai", "ou")]
FORMS = ["Co., Ltd.", "LLC", "GmbH", "Inc.", "Ltd.", "S.A.", "JSC", "OOO", ""]
GENERIC = [
    "Trading",
    "Industrial",
    "Technology",
    "Group",
    "International",
    "Logistics",
    "Metals",
    "Electronics",
    "Holdings",
    "Materials",
]


def evaluation_matcher() -> Matcher:
    entries = [
        IndexedEntry("csl", None, e)
        for e in read_list(DATA / "csl_sample.csv", ListFormat.CSL).entries
    ]
    entries += [
        IndexedEntry("mofcom", None, e)
        for e in read_list(DATA / "mofcom_sample.csv", ListFormat.MOFCOM).entries
    ]
    return Matcher(entries)


def labelled_queries() -> list[LabelledQuery]:
    with (DATA / "pairs.csv").open(encoding="utf-8") as fh:
        return [LabelledQuery(**row) for row in csv.DictReader(fh)]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def synthetic(
    n_entries: int, n_parties: int, seed: int = 0
) -> tuple[list[IndexedEntry], list[Subject]]:
    rng = random.Random(seed)
    vocab = [_word(rng) for _ in range(60_000)]
    countries = ["CN", "RU", "IR", "AE", "HK", "US", "DE", "TR", "KP", "SG"]
    entries = []
    for i in range(n_entries):
        words = rng.sample(vocab, rng.randint(1, 3))
        if rng.random() < 0.5:
            words.append(rng.choice(GENERIC))
        name = " ".join(words) + " " + rng.choice(FORMS)
        entries.append(
            IndexedEntry(
                "synthetic",
                None,
                ListEntry(f"E{i}", name.strip(), countries=(rng.choice(countries),)),
            )
        )
    subjects = []
    for i in range(n_parties):
        if rng.random() < 0.02:  # a listed party under a variant of its name
            base = rng.choice(entries).entry.name.split()
            rng.shuffle(base)
            name = " ".join(base)
        else:
            words = [*rng.sample(vocab, rng.randint(1, 3)), rng.choice(GENERIC)]
            name = " ".join(words) + " " + rng.choice(FORMS)
        subjects.append(Subject(name.strip(), f"P{i}", rng.choice(countries)))
    return entries, subjects


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--parties", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=50_000)
    parser.add_argument("--compare", type=int, default=5_000)
    args = parser.parse_args()

    queries = labelled_queries()
    ev = evaluate(evaluation_matcher(), queries, DEFAULT_THRESHOLD)
    positives = sum(1 for q in queries if q.expected)
    print(
        f"evaluation set: {len(queries)} queries ({positives} should hit, "
        f"{len(queries) - positives} true non-matches)"
    )
    print(
        f"threshold {DEFAULT_THRESHOLD:.2f}: precision {ev.precision:.3f}, recall {ev.recall:.3f} "
        f"(TP {ev.true_positives}, FP {ev.false_positives}, FN {ev.false_negatives})"
    )
    for q in ev.misses:
        print(f"  missed [{q.variant}] {q.query!r}")
    for q, key in ev.false_alarms:
        print(f"  false alarm [{q.variant}] {q.query!r} -> {key}")

    entries, subjects = synthetic(args.entries, args.parties)
    print(f"load average before: {_load()}")
    t0 = time.perf_counter()
    matcher = Matcher(entries)
    t1 = time.perf_counter()
    results = list(matcher.match_many(subjects))
    t2 = time.perf_counter()
    hits = sum(len(found) for _, found in results)
    batch_rate = len(subjects) / (t2 - t1)
    print(
        f"batch: {len(subjects):,} parties x {len(entries):,} entries: index {t1 - t0:.1f} s, "
        f"screening {t2 - t1:.1f} s ({batch_rate:,.0f} parties/s), "
        f"total {t2 - t0:.1f} s, {hits:,} hits"
    )
    sample = subjects[: args.compare]
    if sample:
        t3 = time.perf_counter()
        single = [matcher.match(s) for s in sample]
        t4 = time.perf_counter()
        single_rate = len(sample) / (t4 - t3)
        same = all(
            _comparable(found) == _comparable(one)
            for (_, found), one in zip(results, single, strict=False)
        )
        print(
            f"one subject at a time (match), first {len(sample):,} parties: {t4 - t3:.1f} s "
            f"({single_rate:,.0f} parties/s); batch is {batch_rate / single_rate:.1f}x faster; "
            f"identical results: {same}"
        )
    print(f"load average after: {_load()}")


def _comparable(found: list[Match]) -> list[tuple[object, ...]]:
    return [(m.indexed.entry.entry_key, m.matched_name, m.score, m.features) for m in found]


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
