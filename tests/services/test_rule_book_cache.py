"""The rule book is parsed and compiled once per process and set of pack versions."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from raretrace.services.classification.packs import load_book, load_packs


def test_same_packs_same_book(tmp_path: Path) -> None:
    assert load_book() is load_book()
    user = tmp_path / "rules"
    user.mkdir()
    shipped = sorted(
        p.name for p in (files("raretrace.rules") / "packs").iterdir() if p.name.endswith(".yaml")
    )
    text = (files("raretrace.rules") / "packs" / shipped[0]).read_text(encoding="utf-8")
    (user / "mine.yaml").write_text(text, encoding="utf-8")
    first = load_book(user)
    assert load_book(user) is first
    # a user pack with a shipped id replaces it, and an edit is a new version: new book
    (user / "mine.yaml").write_text(text + "\n# edited\n", encoding="utf-8")
    second = load_book(user)
    assert second is not first
    assert load_book(user) is second
    sources = {lp.source for lp in load_packs(user)}
    assert str(user / "mine.yaml") in sources
