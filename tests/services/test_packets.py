"""Packet PDFs embed a TrueType CJK font when one is installed (CI installs
fonts-arphic-uming), and name the font setting when the given file is unusable."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from raretrace.errors import InputError
from raretrace.services import packets
from raretrace.services.licensing import ApplicationView, ItemInput
from raretrace.workspace import Workspace


def _installed_font() -> Path:
    for path, _ in packets.DEBIAN_CJK_FONTS:
        if Path(path).is_file():
            return Path(path)
    if os.environ.get("CI"):
        pytest.fail("no Debian CJK font in CI: .ci/run must install fonts-arphic-uming")
    pytest.skip("no TrueType CJK font installed (apt-get install fonts-arphic-uming)")


def _view(ws: Workspace) -> ApplicationView:
    ws.load_sample()
    return ws.licensing.create_application(
        exporter="S-HEN-CN-BT",
        importer="HARZFELD",
        end_user="S-HAR-PL-KAT",
        items=[ItemInput("MAG-EPS", "1500 kg", "95000.00", "USD")],
        end_use="Rotor magnets for EPS motors",
        actor="test",
        as_of=date(2026, 3, 2),
    )


def test_packet_embeds_a_cjk_font(workspace: Workspace, tmp_path: Path) -> None:
    font = _installed_font()
    view = _view(workspace)
    at = datetime(2026, 3, 2, tzinfo=UTC)
    auto = packets.write_pdf(view, tmp_path / "auto.pdf", generated_at=at).read_bytes()
    given = packets.write_pdf(
        view, tmp_path / "given.pdf", generated_at=at, font_path=font
    ).read_bytes()
    for pdf in (auto, given):
        assert pdf.startswith(b"%PDF")
        assert b"/FontFile2" in pdf  # an embedded TrueType font program
        assert b"STSong-Light" not in pdf
    assert packets.cjk_font(font).embedded


def test_unusable_font_path_is_an_error(tmp_path: Path) -> None:
    bad = tmp_path / "not-a-font.ttf"
    bad.write_bytes(b"no font here")
    with pytest.raises(InputError, match="cjk_font_path"):
        packets.cjk_font(bad)
    with pytest.raises(InputError, match="cjk_font_path"):
        packets.cjk_font(tmp_path / "missing.ttf")
