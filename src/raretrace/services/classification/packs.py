"""Rule packs: the shipped ones plus a user's folder of YAML files, compiled or checked."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from threading import Lock

from raretrace.errors import InputError, Problem
from raretrace.rules import (
    RuleBook,
    RulePack,
    check_packs,
    compile_book,
    parse_pack,
)

__all__ = ["LoadedPack", "check_rules", "load_book", "load_packs"]


@dataclass(frozen=True, slots=True)
class LoadedPack:
    pack: RulePack
    source: str  # "builtin" or the file path


@dataclass(frozen=True, slots=True)
class _PackText:
    source: str  # "packs/<file>" for a shipped pack, else the file path
    builtin: bool
    text: str
    sha256: str


def _pack_texts(rules_dir: Path | None) -> list[_PackText]:
    """The YAML of every pack to load: shipped ones in file-name order, then the user's."""
    folder = files("raretrace.rules") / "packs"
    out = [
        _text(f"packs/{n}", True, (folder / n).read_text(encoding="utf-8"))
        for n in sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    ]
    if rules_dir is not None:
        if not rules_dir.is_dir():
            raise InputError(f"rules folder {rules_dir} does not exist")
        out += [
            _text(str(path), False, path.read_text(encoding="utf-8"))
            for path in sorted(rules_dir.glob("*.yaml"))
        ]
    return out


def _text(source: str, builtin: bool, text: str) -> _PackText:
    return _PackText(source, builtin, text, hashlib.sha256(text.encode()).hexdigest())


@lru_cache(maxsize=128)
def _parse(source: str, text: str) -> RulePack:
    """A pack is parsed once per process and pack version (same source, same text)."""
    return parse_pack(text, source)


def load_packs(rules_dir: Path | None = None) -> list[LoadedPack]:
    """Shipped packs plus every ``*.yaml`` in ``rules_dir``; a user pack with the id of
    a shipped one replaces it."""
    loaded: dict[str, LoadedPack] = {}
    for t in _pack_texts(rules_dir):
        pack = _parse(t.source, t.text)
        loaded[pack.id] = LoadedPack(pack, "builtin" if t.builtin else t.source)
    return list(loaded.values())


_BOOKS: dict[tuple[tuple[str, str], ...], RuleBook] = {}
_BOOKS_LOCK = Lock()


def load_book(rules_dir: Path | None = None) -> RuleBook:
    """The compiled rule book, built once per process for each set of pack versions:
    re-reading the files is cheap, parsing and compiling them (~0.2 s) is not. A
    changed user pack has a new SHA-256 and so gets a new book."""
    texts = _pack_texts(rules_dir)
    key = tuple((t.sha256, t.source) for t in texts)
    with _BOOKS_LOCK:
        book = _BOOKS.get(key)
        if book is None:
            packs: dict[str, RulePack] = {}
            for t in texts:
                pack = _parse(t.source, t.text)
                packs[pack.id] = pack
            book = compile_book(list(packs.values()))
            if len(_BOOKS) >= 16:
                _BOOKS.pop(next(iter(_BOOKS)))
            _BOOKS[key] = book
    return book


def check_rules(path: Path | None = None) -> list[Problem]:
    """Problems in a pack file or folder (checked together with the shipped packs)."""
    packs = {p.id: p for p in (_parse(t.source, t.text) for t in _pack_texts(None))}
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
