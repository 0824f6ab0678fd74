"""Half G of the labelled screening set (benchmarks/data/screening): Japan METI's
designated entities read from the real list text in ``raw/jp_meti``, built
deterministically, after A-F's queries and leaving them as they were."""

from __future__ import annotations

import csv
import hashlib
import itertools
import re
import sys
from pathlib import Path
from types import ModuleType

SET = Path(__file__).resolve().parents[2] / "benchmarks" / "data" / "screening"
#: pairs.csv's lines of halves A-F (header included) and their md5, as on main at d122e43
#: before half G was added
A_TO_F_LINES = 12036
A_TO_F_MD5 = "142ec32068bc0c82bfd1616c5328b74f"


def _make_set() -> ModuleType:
    sys.path.insert(0, str(SET))
    try:
        import make_set  # type: ignore[import-not-found]
    finally:
        sys.path.remove(str(SET))
    return make_set  # type: ignore[no-any-return]


def test_every_meti_entry_is_read() -> None:
    # one entry per printed address ("所在地："), numbered in order, with an English name
    # but for two of the third countries' list whose English is printed inside a bracket
    # of the Japanese (they are left out): the Russian list's 561, the Belarusian
    # list's 27, the third countries' 56
    make_set = _make_set()
    for filename, count, without_english in (
        ("250912_list_russia_tokutei.pdf.txt", 561, 0),
        ("list_belarus_tokutei.pdf.txt", 27, 0),
        ("250912_list_daisangoku_tokutei.pdf.txt", 56, 2),
    ):
        text = (SET / "raw" / "jp_meti" / filename).read_text("utf-8")
        entries = make_set._jp_entries(text)
        numbers = [number for number, _, _ in entries]
        assert numbers[-1] == count and len(entries) == len(re.findall(r"所\s*在\s*地", text))
        assert all(b in (a, a + 1) for a, b in itertools.pairwise(numbers))
        assert sum(1 for _, _, english in entries if not english) == without_english


def test_numbers_glued_to_an_address_start_an_entry() -> None:
    # "所在地：22, Sushchevskaya UI, Moscow 127055RU.10 対外諜報庁": entry 10 starts after
    # entry 9's address; "14 Si2マイクロシステムズ有限会社" is one entry's name, not an
    # address ending "Si" and an entry 2
    make_set = _make_set()
    raw = SET / "raw" / "jp_meti"
    russia = make_set._jp_entries((raw / "250912_list_russia_tokutei.pdf.txt").read_text("utf-8"))
    assert (russia[9][0], russia[9][1], russia[9][2]) == (
        10,
        ["対外諜報庁"],
        ["Foreign Intelligence Service (SVR)"],
    )
    third = make_set._jp_entries(
        (raw / "250912_list_daisangoku_tokutei.pdf.txt").read_text("utf-8")
    )
    assert (third[13][0], third[13][1]) == (14, ["Si2マイクロシステムズ有限会社"])


def test_names_and_aliases_in_both_languages() -> None:
    make_set = _make_set()
    by_key = {row["entity_number"]: row for row in make_set.build_jp()}
    fsb = by_key["JP-METI-RU-6"]
    assert (fsb["name"], fsb["alt_names"], fsb["_native"]) == (
        "Federal Security Service (FSB)",
        "Federalnaya Sluzhba Bezopasnosti",
        "連邦保安庁",
    )
    assert by_key["JP-METI-RU-12"]["_native"].split("\t") == [
        "国際量子光学・量子技術センター",
        "ロシア量子センター",
    ]


def test_half_g_is_deterministic() -> None:
    make_set = _make_set()
    jp = [(row, make_set.entry_key(row)) for row in make_set.build_jp()]
    first = make_set.half_g(jp, set())
    assert first == make_set.half_g(jp, set())
    natives = {n for row, _ in jp for n in row["_native"].split("\t")}
    kinds = {kind for _, _, _, kind, _, _ in first}
    assert kinds == {"script-kana-jp-org", "script-han-jp-org", "neg-native-distinctive-word"}
    negatives = [q for q, _, expected, _, _, _ in first if not expected]
    assert negatives and not set(negatives) & natives


def test_a_to_f_unchanged_and_g_after_them() -> None:
    with (SET / "pairs.csv").open(encoding="utf-8", newline="") as fh:
        lines = fh.read().splitlines(keepends=True)
    head = "".join(lines[:A_TO_F_LINES]).encode()
    assert hashlib.md5(head).hexdigest() == A_TO_F_MD5
    rest = list(csv.reader(lines[A_TO_F_LINES:]))
    assert rest and all(row[4] == "G" and row[5] for row in rest)
