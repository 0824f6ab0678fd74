"""Screening quality and speed.

1. Precision, recall and F1 per kind of name variant on the labelled set built from
   real OFAC SDN / CSL / cn_sanctions rows (``benchmarks/data/screening``, see its
   README), side by side with a rapidfuzz WRatio + anyascii baseline and nomenklatura's
   LogicV2, on halves A (tuning), B and C (both looked at since; C's first-look figures
   are in the data README) (``screening_quality.py``; ``--no-quality`` skips it).
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
import os
import random
import time

import screening_quality

from raretrace.domain.screening import ListEntry, Subject
from raretrace.screening import IndexedEntry, Match, Matcher

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
    parser.add_argument("--no-quality", action="store_true")
    args = parser.parse_args()

    if not args.no_quality:
        print(f"load average before quality: {_load()}")
        screening_quality.report()

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
