"""Generate ``pairs.csv``, the labelled evaluation set, from the list files here.

Run: ``.venv/bin/python tests/screening/data/make_pairs.py`` (deterministic, seed 5).

- ``csl_sample.csv``: 40 real entity rows of the US Consolidated Screening List, in the
  published column layout (public-domain US government data, as kept in the Apache-2
  test fixture of moov-io/watchman).
- ``mofcom_sample.csv``: 4 real MOFCOM Unreliable Entity List names (announcements of
  Feb 2023 and Feb 2025) and 4 clearly FICTIONAL Chinese/Russian entries used only
  for transliteration cases.

Variants of each entry: word order, legal-form suffix changed or dropped, one typo,
lower case without punctuation, an alias; hand-written transliterations (Cyrillic,
Chinese) and initials. True non-matches: hand-written look-alikes, and generated ones
in which the most distinctive word of a listed name is replaced.
"""

from __future__ import annotations

import csv
import random
import re
from pathlib import Path

from raretrace.domain.screening import ListFormat
from raretrace.services.formats.party_lists import read_list

HERE = Path(__file__).parent
FORMS = ["Co., Ltd.", "Limited", "LLC", "GmbH", "Inc.", "JSC", "S.A.", "Corp."]
FORM_RE = re.compile(
    r"[, ]+(co\.?,? ?ltd\.?|ltd\.?|llc|gmbh|inc\.?|s\.a\.|oao|ooo|zao|ao|limited|company|ltda\.?)$",
    re.I,
)
OTHER_WORDS = ["Northstar", "Bluewater", "Kestrel", "Marigold", "Sunfield", "Tarragon",
               "Oakridge", "Pinecrest", "Samara", "Lindholm", "Veracruz", "Halvorsen"]  # fmt: skip

TRANSLIT = [  # (query, country, expected entry key, or entry name where it has no key)
    ("Газпромбанк", "RU", "17016"),
    ("ОАО Газпромбанк", "RU", "17016"),
    ("АО Швабе", "RU", "18779"),
    ("Транснефть", "RU", "17254"),
    ("ООО Газпром трансгаз Волгоград", "RU", "19646"),
    ("Газпром трансгаз Югорск", "", "19469"),
    ("Гефест-М", "RU", "22607"),
    ("АО Технодинамика", "RU", "18774"),
    ("АО Агрокредит-Информ", "RU", "20660"),
    ("包头恒达磁材有限公司", "CN", "FX-001"),
    ("包头恒达磁材", "", "FX-001"),
    ("Hengda Cicai Baotou", "CN", "FX-001"),
    ("赣州金龙稀土有限公司", "CN", "FX-002"),
    ("Ganzhou Jin Long Xi Tu", "", "FX-002"),
    ("深圳华新永磁科技有限公司", "CN", "FX-004"),
    ("Shenzhen Huaxin Yongci Technology", "CN", "FX-004"),
    ("ООО Магнитные технологии", "RU", "FX-003"),
    ("Magnitnye Tekhnologii OOO", "", "FX-003"),
    ("CETC 54th Research Institute", "CN", "54th Research Institute of China"),
    ("AICTC", "IR", "15098"),
    ("GEC", "AE", "Gulf Eagle Contracting (GEC)"),
    ("Lockheed Martin Missiles & Fire Control", "US", "UEL-2023-1-1"),
    ("Raytheon Missiles and Defense", "", "UEL-2023-1-2"),
    ("Illumina Inc", "US", "UEL-2025-ILMN"),
    ("PVH Corp", "US", "UEL-2025-PVH"),
]
LOOKALIKES = [  # similar-looking names that are *not* on the lists
    "Gulf Gate Logistics LLC", "Gulf Eagle Trading", "Gazprom Neft", "Gazprom Transgaz Samara",
    "32 Group Holdings Ltd", "Leib Brothers Ltd", "Gryphon Aerospace Components Ltd",
    "Guangzhou University of Technology", "Guangdong University of Foreign Studies",
    "Bank of Kunming", "Transneftegaz Service", "Agrokredit Bank", "Baotou Hengtai Cicai Co., Ltd.",
    "Ganzhou Jinlong Xinyuan Co., Ltd.", "Shenzhen Huaxin Technology Co., Ltd.",
    "Lockheed Martin Space", "Raytheon Technologies", "Illumina Holdings", "Huawei Marine Networks",
    "Advanced Communication Technology Institute", "Seventh Avenue Industries", "H & M Metalworks",
    "GBS Logistics S.A.", "GCH Holdings Inc.", "Gefest Trading LLC", "RT Logistik AO",
    "Magnitnye Sistemy OOO", "Administradora Ganadera La Fe Ltda.", "ACT Logistics Ltd.",
    "A.P. Moller Finance Limited", "Abu Dhabi Reihan Trading", "Al Nasr Airlines",
    "Orion Shipping Co. LLC", "Zhongke Sanhuan", "Ningbo Yunsheng Co., Ltd.",
]  # fmt: skip


def _entries() -> list[tuple[str, str, list[str], str]]:
    """(key, name, aliases, country) of every entry, keyed exactly as the importer keys them."""
    out = []
    for file, fmt in (("csl_sample.csv", ListFormat.CSL), ("mofcom_sample.csv", ListFormat.MOFCOM)):
        for e in read_list(HERE / file, fmt).entries:
            out.append(
                (e.entry_key, e.name, list(e.aliases), e.countries[0] if e.countries else "")
            )
    return out


def _typo(rng: random.Random, name: str) -> str:
    words = name.split()
    long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return name
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    op = rng.choice(["drop", "swap", "sub"])
    if op == "drop":
        w = w[:j] + w[j + 1 :]
    elif op == "swap":
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    else:
        w = w[:j] + rng.choice("aeiou") + w[j + 1 :]
    words[i] = w
    return " ".join(words)


def build() -> list[tuple[str, str, str, str]]:
    rng = random.Random(5)
    pairs: list[tuple[str, str, str, str]] = []
    for key, name, aliases, cc in _entries():
        if key.startswith("FX-"):
            continue  # fictional entries are used for transliteration cases only
        core = FORM_RE.sub("", name).strip(" ,")
        words = core.split()
        if len(words) > 1:
            pairs.append((" ".join(words[1:] + words[:1]), cc, key, "reorder"))
        pairs.append((f"{core} {rng.choice(FORMS)}", "", key, "suffix"))
        pairs.append((core, cc, key, "suffix-dropped"))
        typo = _typo(rng, name)
        if typo != name:
            pairs.append((typo, cc, key, "typo"))
        pairs.append((re.sub(r"[^\w ]", "", name).lower(), "", key, "case-punct"))
        if aliases:
            pairs.append((rng.choice(aliases), cc, key, "alias"))
        distinctive = sorted((w for w in words if w.isalpha()), key=len)[-1:] or []
        if distinctive and len(words) > 1:
            fake = core.replace(distinctive[0], rng.choice(OTHER_WORDS))
            pairs.append((fake, cc, "", "non-match-generated"))
    by_name = {name: key for key, name, _, _ in _entries()}
    pairs += [(q, c, by_name.get(k, k), "translit-or-initials") for q, c, k in TRANSLIT]
    pairs += [(q, "", "", "non-match-lookalike") for q in LOOKALIKES]
    return pairs


if __name__ == "__main__":
    with (HERE / "pairs.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["query", "country", "expected", "variant"])
        writer.writerows(build())
