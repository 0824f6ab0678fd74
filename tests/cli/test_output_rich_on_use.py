"""`cli.output` makes its Rich consoles on first use: JSON output imports no Rich."""

from __future__ import annotations

import json
import subprocess
import sys

from raretrace.cli import output

_PROBE = """
import json, sys
from raretrace.cli import output
output.emit_json({"a": [1, 2]})
print(json.dumps(sorted(m for m in sys.modules if m == "rich" or m.startswith("rich."))))
"""


def test_json_output_imports_no_rich() -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE], capture_output=True, text=True, check=True
    )
    lines = done.stdout.strip().splitlines()
    assert json.loads("\n".join(lines[:-1])) == {"a": [1, 2]}
    assert json.loads(lines[-1]) == []


def test_consoles_are_made_once_and_kept() -> None:
    from rich.console import Console

    assert isinstance(output.console, Console) and output.console is output.console
    assert output.err_console.stderr and not output.console.stderr
    assert output.err_console is output._err_console()
