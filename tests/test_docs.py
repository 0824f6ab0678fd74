"""Docs that cannot drift: settings documented, public API curated."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import raretrace
from raretrace.settings import Settings

ROOT = Path(__file__).resolve().parents[1]


def test_every_setting_is_documented() -> None:
    text = (ROOT / "docs" / "settings.md").read_text(encoding="utf-8")
    for name in Settings.model_fields:
        assert f"`{name}`" in text, f"docs/settings.md does not document {name}"
        assert f"RARETRACE_{name.upper()}" in text


def test_public_api_is_sorted_and_complete() -> None:
    assert raretrace.__all__ == sorted(raretrace.__all__)
    for name in raretrace.__all__:
        assert hasattr(raretrace, name)


def test_readme_starts_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "make demo" in head
    assert "make test" in head


def test_bundle_doc_lists_every_column() -> None:
    from raretrace.services.formats.columns import SPECS

    text = (ROOT / "docs" / "bundle.md").read_text(encoding="utf-8")
    for table, specs in SPECS.items():
        assert f"{table}.csv" in text
        for spec in specs:
            assert f"`{spec.name}`" in text, f"docs/bundle.md misses {table}.{spec.name}"


def test_rates_doc_lists_every_column() -> None:
    from raretrace.services.rates.tables import COLUMNS

    text = (ROOT / "docs" / "rates.md").read_text(encoding="utf-8")
    for name in COLUMNS:
        assert f"| `{name}` |" in text, f"docs/rates.md misses the column {name}"


def _cog_block(text: str) -> str:
    """The generated text between a cog block's ``]]] -->`` and ``[[[end]]]`` lines."""
    start = text.index("]]] -->\n") + len("]]] -->\n")
    end = text.index("<!-- [[[end]]] -->", start)
    return text[start:end]


def test_cli_reference_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "tools" / "cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    page = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    assert _cog_block(page) == module.markdown(), (
        "docs/cli.md is out of date with the Typer app: run `make docs`"
    )
