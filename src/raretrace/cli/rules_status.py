"""`rules status` (measures whose status is unconfirmed, with the --what-if readings side
by side), `rules test-report add|list` (Dy + Tb test reports for trace amounts), and the
"status unknown" banner printed by every verdict command for dates after the last day
the sources confirm (after 10 Nov 2026 for the No. 70 suspension)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace, settings_for
from raretrace.domain.test_reports import TestReport
from raretrace.errors import InputError
from raretrace.rules.status import status_notices, status_rows
from raretrace.services.classification import use_cases as classification

reports_app = typer.Typer(
    no_args_is_help=True, help="Record and list Dy + Tb test reports (trace amounts)."
)


def banner(day: date, rules_dir: Path | None) -> None:
    """Print the status-unknown notices that apply on ``day`` (nothing when none do)."""
    packs = [lp.pack for lp in classification.load_packs(rules_dir)]
    for n in (n for n in status_notices(packs, day) if n.regime == "CN"):
        output.console.print(f"[bold yellow]STATUS UNKNOWN[/] {output._escape(n.text)}")


def status(as_of: date, db: str | None, as_json: bool) -> None:
    """List every measure whose status is unconfirmed on the date, with the rules it
    touches as written, if renewed (extended) and with no suspension (lifted)."""
    with output.errors():
        rules_dir = settings_for(db).rules_dir
        book = classification.load_book(rules_dir)
        notices = status_notices(book.packs, as_of)
        rows = status_rows(book, as_of)
        if as_json:
            output.emit_json({"as_of": as_of, "notices": notices, "rules": rows})
            return
        c = output.console
        if not notices:
            c.print(f"No measure has an unconfirmed status on {as_of}.")
            return
        table = [
            (str(n.unknown_since), n.measure, ", ".join(n.packs) or "not encoded", n.citation)
            for n in notices
        ]
        cols = ["unknown since", "measure", "packs", "source"]
        c.print(output.table(f"Measures with an unconfirmed status on {as_of}", cols, table))
        for n in notices:
            c.print(f"- {output._escape(n.note)}")
        cols = ["rule", "pack", "as written", "if renewed (extended)", "if lifted"]
        body = [(r.rule_id, r.pack, r.as_written, r.extended, r.lifted) for r in rows]
        c.print(output.table("Rules under each reading (--what-if)", cols, body))


def parse_fraction(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().rstrip("%")) / (100 if text.strip().endswith("%") else 1)
    except InvalidOperation:
        raise InputError(f"--dy-tb: {text!r} is not a number (e.g. 0.0005 or 0.05%)") from None
    if not (0 <= value <= 1):
        raise InputError(f"--dy-tb: {text!r} is not a mass fraction between 0 and 1")
    return value


@reports_app.command("add")
def add_report(
    part: Annotated[str, typer.Argument(help="Part id tested.")],
    dy_tb: Annotated[
        str, typer.Option("--dy-tb", help="Dy + Tb mass fraction, e.g. 0.0005 or 0.05%.")
    ],
    laboratory: Annotated[str, typer.Option("--lab", help="Testing laboratory.")],
    reference: Annotated[str, typer.Option("--ref", help="Report number or file.")],
    tested_on: Annotated[str, typer.Option("--tested-on", help="Test date, YYYY-MM-DD.")],
    recorded_by: Annotated[str, typer.Option("--by", help="Who records it.")] = "cli",
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Record a third-party test report of a part's Dy + Tb content. Verdicts at trace
    levels cite it, worded by your practice threshold (never "not controlled")."""
    with output.errors():
        try:
            day = date.fromisoformat(tested_on)
        except ValueError:
            raise InputError(f"--tested-on: {tested_on!r} is not a date (YYYY-MM-DD)") from None
        with open_workspace(db) as ws:
            now = ws.clock.now()
            saved = ws.rules.record_test_report(
                TestReport(
                    part, parse_fraction(dy_tb), laboratory, reference, day, recorded_by, now
                )
            )
        if as_json:
            output.emit_json(saved)
        else:
            output.console.print(
                f"Recorded test report {saved.report_id} for {part}: Dy + Tb = "
                f"{saved.dy_tb_fraction:%} ({laboratory}, {reference}, {day})."
            )


@reports_app.command("list")
def list_reports(db: Db = None, as_json: AsJson = False) -> None:
    """Every recorded test report (the latest per part counts)."""
    with output.errors():
        with open_workspace(db) as ws:
            reports = ws.rules.test_reports()
        if as_json:
            output.emit_json(reports)
            return
        rows = [
            (
                str(r.report_id),
                r.part_id,
                f"{r.dy_tb_fraction:%}",
                r.laboratory,
                r.reference,
                str(r.tested_on),
            )
            for r in reports
        ]
        cols = ["id", "part", "Dy + Tb", "laboratory", "reference", "tested on"]
        output.console.print(output.table("Test reports", cols, rows))
