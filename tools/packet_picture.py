#!/usr/bin/env python3
"""Render page 1 of the sample licence packet to docs/img/packet-page-1.png.

    .venv/bin/python tools/packet_picture.py [--page N] [--out PATH]

The packet is the demo application (Dy-NdFeB EPS magnets from the fictional Baotou
Hengda to Harzfeld Polska's Katowice plant) on a clock fixed at 2 March 2026, so the
picture is reproducible. Rendered with pypdfium2 (PDFium) at 110 dpi; where
``pdftoppm`` (poppler-utils) is installed, ``pdftoppm -png -r 110 -f 1 -l 1`` gives the
same picture.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    import pypdfium2 as pdfium

    from raretrace.cli.licences import render_licence_demo
    from raretrace.domain.clock import FixedClock
    from raretrace.settings import Settings
    from raretrace.workspace import Workspace

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--page", type=int, default=1)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "img" / "packet-page-1.png")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/ws.db")
        ws = Workspace.open(settings, clock=FixedClock(datetime(2026, 3, 2, 1, 0, tzinfo=UTC)))
        try:
            ws.load_sample()
            with contextlib.redirect_stdout(io.StringIO()):
                pdf = render_licence_demo(ws, date(2026, 3, 2), Path(tmp))
        finally:
            ws.close()
        doc = pdfium.PdfDocument(str(pdf))
        image = doc[args.page - 1].render(scale=110 / 72).to_pil().convert("L")
        args.out.parent.mkdir(parents=True, exist_ok=True)
        image.save(args.out, optimize=True)
        doc.close()
    print(args.out)  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
