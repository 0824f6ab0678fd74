"""`lists refresh`: a new version of a list, only affected parties re-screened, decisions
kept, new open hits sent to a real local HTTP receiver and a real local SMTP server."""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from aiosmtpd.controller import Controller

from raretrace.domain.screening import HitKind
from raretrace.errors import InputError
from raretrace.settings import Settings
from raretrace.workspace import Workspace

HEADER = "id,name,name_zh,aliases,country,address,programs,remarks\n"
A1 = 'A1,"Ningbo Ruixin Magnetics Co., Ltd.",,,CN,Ningbo,Watch List,fictional\n'
A1_MOVED = 'A1,"Ningbo Ruixin Magnetics Co., Ltd.",,,CN,"Ningbo, Zhejiang",Watch List,fictional\n'
A2 = "A2,Orion eDrive GmbH,,,DE,,Control List,fictional\n"
A2_NOTE = "A2,Orion eDrive GmbH,,,DE,,Control List,fictional; remark changed\n"
A3 = "A3,Kisokoma Magnetics K.K.,,,JP,,Watch List,fictional\n"
A4 = "A4,Lumbar Seating Inc.,,,US,,Control List,fictional\n"


def write(path: Path, *rows: str) -> Path:
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    return path


def start(ws: Workspace, tmp_path: Path) -> None:
    ws.load_sample()
    ws.screening.import_list(
        write(tmp_path / "v1.csv", A1, A2, A4),
        fmt="internal",
        list_name="L",
        version_date=date(2026, 3, 1),
    )
    run = ws.screening.screen_all()
    orion = next(h for h in run.hits if h.subject.party_id == "ORION")
    ws.screening.decide(orion.hit_id or 0, is_match=False, reason="other firm", by="A. Officer")


def test_refresh_rescreens_only_what_changed_and_keeps_decisions(
    workspace: Workspace, tmp_path: Path
) -> None:
    start(workspace, tmp_path)
    report = workspace.screening.refresh_list(
        write(tmp_path / "v2.csv", A1_MOVED, A2, A3),
        list_name="L",
        version_date=date(2026, 4, 1),
    )
    d = report.imported.diff
    assert (d.added, d.changed, d.removed, d.unchanged) == (
        ("Kisokoma Magnetics K.K.",),
        ("Ningbo Ruixin Magnetics Co., Ltd.",),
        ("Lumbar Seating Inc.",),
        1,
    )
    assert report.imported.version.format.value == "internal"  # the stored format
    # RUIXIN (changed entry) and its subsidiary, KISOKOMA (added entry), LUMBAR (its
    # entry was removed); not ORION: its entry did not change
    assert report.rescreened == ("BALTICPM", "KISOKOMA", "LUMBAR", "RUIXIN")
    assert report.run is not None and report.run.scope == "refresh"
    found = {(h.subject.party_id, h.entry.entry_key) for h in report.run.hits}
    assert found == {("RUIXIN", "A1"), ("KISOKOMA", "A3")}
    # RUIXIN's hit is still open but was found before: only KISOKOMA's is new
    assert [(h.subject.party_id, h.status) for h in report.new_hits] == [("KISOKOMA", "open")]
    assert report.alerts == ()  # nothing configured
    (latest,) = workspace.screening.lists()
    assert (latest.version_date, latest.entry_count) == (date(2026, 4, 1), 3)

    # a change to ORION's entry re-screens ORION: the earlier decision is kept
    again = workspace.screening.refresh_list(
        write(tmp_path / "v3.csv", A1_MOVED, A2_NOTE, A3), list_name="L"
    )
    assert again.imported.diff.changed == ("Orion eDrive GmbH",)
    assert again.rescreened == ("ORION", "ORION-MX")
    assert again.run is not None
    (orion,) = again.run.hits  # no ownership hit: the owner was cleared
    assert (orion.subject.party_id, orion.status) == ("ORION", "no-match")
    assert orion.decision is not None and orion.decision.reason == "other firm"
    assert again.new_hits == ()

    # the same file again: a new version, nothing to re-screen
    same = workspace.screening.refresh_list(tmp_path / "v3.csv", list_name="L")
    assert same.imported.diff.unchanged == 3 and same.run is None and same.rescreened == ()
    actions = [r.action for r in workspace.screening.audit()]
    assert actions.count("list_import") == 4


def test_refresh_reads_a_folder_and_needs_a_format_for_a_new_list(
    workspace: Workspace, tmp_path: Path
) -> None:
    folder = tmp_path / "lists"
    folder.mkdir()
    write(folder / "a.csv", A1)
    write(folder / "b.csv", A3, A1_MOVED)
    (folder / "readme.txt").write_text("not a list", encoding="utf-8")
    with pytest.raises(InputError, match="give the folder's --format"):
        workspace.screening.refresh_list(folder, list_name="New")
    # one file of a new list: its format is told from the file
    single = workspace.screening.refresh_list(folder / "a.csv", list_name="One file")
    assert single.imported.version.format.value == "internal"
    report = workspace.screening.refresh_list(folder, list_name="New", fmt="internal")
    assert [Path(f).name for f in report.files] == ["a.csv", "b.csv"]
    assert report.imported.version.entry_count == 2
    assert any("1 entries appear in more than one file" in n for n in report.imported.notes)
    assert report.run is None  # no parties in the workspace
    with pytest.raises(InputError, match="no internal list file"):
        workspace.screening.refresh_list(tmp_path / "lists" / "..", list_name="New")


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(
            {"path": self.path, "type": self.headers["Content-Type"], "json": json.loads(body)}
        )
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[tuple[str, type[_Receiver]]]:
    handler = type("Receiver", (_Receiver,), {"received": [], "status": 200})
    server = HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/hook", handler
    server.shutdown()
    server.server_close()
    thread.join()


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@pytest.fixture
def smtp() -> Iterator[tuple[int, _Mailbox]]:
    box = _Mailbox()
    with socket.socket() as probe:  # a free port (the controller cannot start on port 0)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, box
    finally:
        controller.stop()


def test_new_open_hits_are_sent_by_webhook_and_email(
    settings: Settings,
    tmp_path: Path,
    receiver: tuple[str, type[_Receiver]],
    smtp: tuple[int, _Mailbox],
) -> None:
    url, handler = receiver
    port, box = smtp
    configured = settings.model_copy(
        update={
            "screening_alert_webhook": url,
            "screening_alert_email_to": ["compliance@example.com"],
            "screening_alert_email_from": "raretrace@example.com",
            "smtp_host": "127.0.0.1",
            "smtp_port": port,
        }
    )
    with Workspace.open(configured) as ws:
        start(ws, tmp_path)
        report = ws.screening.refresh_list(
            write(tmp_path / "v2.csv", A1_MOVED, A2, A3), list_name="L"
        )
        audit = [r for r in ws.screening.audit() if r.action == "alert"]
    assert [(a.channel, a.ok) for a in report.alerts] == [("webhook", True), ("email", True)]
    (post,) = handler.received
    assert post["path"] == "/hook" and post["type"] == "application/json"
    body = post["json"]
    assert body["event"] == "screening.new_open_hits" and body["list"] == "L"
    assert body["changes"] == {"added": 1, "changed": 1, "removed": 1}
    assert [(h["party_id"], h["entry"]) for h in body["hits"]] == [
        ("KISOKOMA", "Kisokoma Magnetics K.K.")
    ]
    assert body["hits"][0]["hit_id"] == report.new_hits[0].hit_id
    (mail,) = box.messages
    sender, recipients, content = mail
    assert (sender, recipients) == ("raretrace@example.com", ["compliance@example.com"])
    message = message_from_bytes(content)
    assert message["Subject"] == "raretrace: 1 new open screening hit (L)"
    assert "KISOKOMA Kisokoma Magnetics K.K. ~ Kisokoma Magnetics K.K." in str(
        message.get_payload()
    )
    assert len(audit) == 2 and all("sent" in r.detail for r in audit)


def test_a_failed_alert_keeps_the_refresh_and_says_why(
    settings: Settings, tmp_path: Path, receiver: tuple[str, type[_Receiver]]
) -> None:
    url, handler = receiver
    handler.status = 500
    configured = settings.model_copy(
        update={
            "screening_alert_webhook": url,
            "screening_alert_email_to": ["compliance@example.com"],
            "smtp_host": "127.0.0.1",
            "smtp_port": 9,  # nothing listens on the discard port
            "screening_alert_timeout_s": 5.0,
        }
    )
    with Workspace.open(configured) as ws:
        start(ws, tmp_path)
        report = ws.screening.refresh_list(
            write(tmp_path / "v2.csv", A1_MOVED, A2, A3), list_name="L"
        )
        (latest,) = ws.screening.lists()
        run_id = report.run.run_id if report.run else None
        stored = ws.screening.hit(report.new_hits[0].hit_id or 0)
        audit = [r for r in ws.screening.audit() if r.action == "alert"]
    assert [(a.channel, a.ok) for a in report.alerts] == [("webhook", False), ("email", False)]
    assert report.alerts[0].detail.startswith("HTTP 500")
    assert "not sent through 127.0.0.1:9" in report.alerts[1].detail
    # the version, the run and its hits are stored all the same
    assert latest.entry_count == 3 and run_id is not None
    assert stored.subject.party_id == "KISOKOMA" and stored.kind is HitKind.NAME
    assert len(audit) == 2 and all("FAILED" in r.detail for r in audit)
