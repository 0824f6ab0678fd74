"""Write the web app's OpenAPI document to tests/web/openapi.json (the pinned copy).

    .venv/bin/python tools/pin_openapi.py

tests/web/test_openapi_pinned.py fails when the document the app serves differs from
the pinned copy, so that an API change is always deliberate: change the code, run this,
and review the diff of tests/web/openapi.json with the change.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path
from typing import Any

PINNED = Path(__file__).resolve().parents[1] / "tests" / "web" / "openapi.json"


def document() -> dict[str, Any]:
    """The OpenAPI document of an app on a throwaway workspace (the package version,
    which changes with every release, left out)."""
    from raretrace.settings import Settings
    from raretrace.web.app import create_app

    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(
            database_url=f"sqlite:///{folder}/openapi.db", fixed_now="2026-12-06T04:00:00+00:00"
        )
        doc: dict[str, Any] = create_app(settings).openapi()
    doc["info"].pop("version", None)
    return doc


def dumps(doc: dict[str, Any]) -> str:
    return json.dumps(doc, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main() -> int:
    PINNED.write_text(dumps(document()), encoding="utf-8")
    sys.stdout.write(f"wrote {PINNED}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
