"""The embedded, illustrative sample world (a bundle shipped as package data)."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path


def world_path() -> Path:
    """Folder of the sample-world bundle inside the installed package."""
    with as_file(files("raretrace.sample") / "world") as path:
        return Path(path)
