"""Rule packs: the shipped ones plus a user's folder of YAML files, compiled or checked."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from raretrace.errors import InputError, Problem
from raretrace.rules import (
    RuleBook,
    RulePack,
    builtin_packs,
    check_packs,
    compile_book,
    parse_pack,
)

__all__ = ["LoadedPack", "check_rules", "load_book", "load_packs"]


@dataclass(frozen=True, slots=True)
class LoadedPack:
    pack: RulePack
    source: str  # "builtin" or the file path


def load_packs(rules_dir: Path | None = None) -> list[LoadedPack]:
    """Shipped packs plus every ``*.yaml`` in ``rules_dir``; a user pack with the id of
    a shipped one replaces it."""
    loaded = {p.id: LoadedPack(p, "builtin") for p in builtin_packs()}
    if rules_dir is not None:
        if not rules_dir.is_dir():
            raise InputError(f"rules folder {rules_dir} does not exist")
        for path in sorted(rules_dir.glob("*.yaml")):
            pack = parse_pack(path.read_text(encoding="utf-8"), str(path))
            loaded[pack.id] = LoadedPack(pack, str(path))
    return list(loaded.values())


def load_book(rules_dir: Path | None = None) -> RuleBook:
    return compile_book([lp.pack for lp in load_packs(rules_dir)])


def check_rules(path: Path | None = None) -> list[Problem]:
    """Problems in a pack file or folder (checked together with the shipped packs)."""
    packs = {p.id: p for p in builtin_packs()}
    files = [] if path is None else sorted(path.glob("*.yaml")) if path.is_dir() else [path]
    problems: list[Problem] = []
    for f in files:
        try:
            pack = parse_pack(f.read_text(encoding="utf-8"), str(f))
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        packs[pack.id] = pack
    return problems + check_packs(list(packs.values()))
