"""The OpenAPI document is pinned (issue 13: refactoring must not change the API).

An intended API change regenerates the pinned copy with ``tools/pin_openapi.py`` and
shows its diff in review."""

from __future__ import annotations

import difflib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
from pin_openapi import PINNED, document, dumps


def test_openapi_document_matches_the_pinned_copy() -> None:
    served = dumps(document())
    pinned = PINNED.read_text(encoding="utf-8")
    if served != pinned:
        diff = "".join(
            difflib.unified_diff(
                pinned.splitlines(keepends=True),
                served.splitlines(keepends=True),
                "tests/web/openapi.json (pinned)",
                "served by the app",
                n=2,
            )
        )
        raise AssertionError(
            "The OpenAPI document changed. If that is intended, run "
            "`.venv/bin/python tools/pin_openapi.py` and commit the new pinned copy.\n"
            + diff[:8000]
        )
