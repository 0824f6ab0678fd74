"""Commands for restricted-party screening: `lists import|show`, `screen ...`."""

from __future__ import annotations

from datetime import date
from importlib.resources import as_file, files
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.domain.screening import FORMAT_NAMES, Hit, ListFormat, ScreeningRun
from raretrace.errors import InputError, Problem
from raretrace.screening import DEFAULT_THRESHOLD, REVIEW_THRESHOLD
from raretrace.screening.explain import shown, summary
from raretrace.screening.ids import SCHEME_NAMES
from raretrace.services.screening.refresh import RefreshReport
from raretrace.workspace import Workspace

lists_app = typer.Typer(no_args_is_help=True, help="Restricted-party lists: import, refresh, show.")


class _ScreenGroup(TyperGroup):
    """`screen NAME` / `screen --all` run the hidden `run` command; `decide`, `audit` too."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:  # click's Context
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["run", *args]
        return super().parse_args(ctx, args)


screen_app = typer.Typer(
    cls=_ScreenGroup,
    no_args_is_help=True,
    help="Screen a NAME, a --party or --all parties against the lists; decide hits; audit.",
)

Threshold = Annotated[
    float,
    typer.Option("--threshold", help="Score a hit must reach (0-1).", show_default=True),
]


@lists_app.command("import")
def import_list(
    path: Annotated[Path, typer.Argument(help="The list file as published.")],
    list_name: Annotated[str, typer.Option("--list-name", help="Name to keep the list under.")],
    fmt: Annotated[
        ListFormat | None,
        typer.Option(
            "--format",
            help="; ".join(f"{f.value}: {FORMAT_NAMES[f]}" for f in ListFormat)
            + "; default: told from the file.",
        ),
    ] = None,
    version_date: Annotated[
        str | None,
        typer.Option(
            "--version-date",
            help="Publication date, YYYY-MM-DD (default: the date the file gives, else today).",
        ),
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Import a new version of a list; show what was added and removed since the last."""
    with output.errors():
        when = _parse_date(version_date)
    with output.errors(), open_workspace(db) as ws:
        report = ws.screening.import_list(
            path, fmt=fmt, list_name=list_name, version_date=when, actor="cli"
        )
        if as_json:
            output.emit_json(report)
            return
        v, d = report.version, report.diff
        output.console.print(
            f"Imported [bold]{v.list_name}[/] version {v.version_date} "
            f"({v.entry_count} entries, format {v.format.value}"
            f"{'' if fmt else ', told from the file'})."
        )
        if d.previous_version_date is not None:
            output.console.print(
                f"Against the version of {d.previous_version_date}: {len(d.added)} added, "
                f"{len(d.removed)} removed, {d.unchanged} unchanged."
            )
            rows = [("added", n) for n in d.added[:50]] + [("removed", n) for n in d.removed[:50]]
            if rows:
                output.console.print(output.table("Changes", ["change", "entry"], rows))
        for note in report.notes:
            output.console.print(note)
        if report.skipped:
            output.console.print(f"{report.skipped} records of other kinds not read.")


def _parse_ids(values: list[str]) -> list[tuple[str, str]]:
    out = []
    for text in values:
        scheme, _, value = text.partition(":")
        scheme = scheme.strip().lower()
        if scheme not in SCHEME_NAMES or not value.strip():
            known = ", ".join(SCHEME_NAMES)
            msg = f"not SCHEME:VALUE with a known scheme ({known}): {text!r}"
            raise InputError(msg, [Problem("--id", None, None, msg)])
        out.append((scheme, value.strip()))
    return out


def _parse_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        msg = f"not a date (YYYY-MM-DD): {text!r}"
        raise InputError(msg, [Problem("--version-date", None, None, msg)]) from None


@lists_app.command("refresh")
def refresh_list(
    path: Annotated[
        Path, typer.Argument(help="The list file as published, or a folder of list files.")
    ],
    list_name: Annotated[str, typer.Option("--list-name", help="The list to refresh.")],
    fmt: Annotated[
        ListFormat | None,
        typer.Option(
            "--format",
            help="Format of the files (default: the list's stored one; for a new list "
            "from one file, told from the file).",
        ),
    ] = None,
    version_date: Annotated[
        str | None,
        typer.Option(
            "--version-date",
            help="Publication date, YYYY-MM-DD (default: the date the file gives, else today).",
        ),
    ] = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
    review: Annotated[
        bool,
        typer.Option("--review", help=f"Also list near misses down to {REVIEW_THRESHOLD:.2f}."),
    ] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Store a new version of a list and re-screen only the parties its changes affect;
    new open hits are sent to the configured webhook / e-mail (exit code 1 when an
    alert could not be sent: the new version and the run are stored all the same)."""
    with output.errors():
        when = _parse_date(version_date)
    with output.errors(), open_workspace(db) as ws:
        with output.console.status("Refreshing ..."):
            report = ws.screening.refresh_list(
                path,
                list_name=list_name,
                fmt=fmt,
                version_date=when,
                actor="cli",
                threshold=threshold,
                review_threshold=REVIEW_THRESHOLD if review else None,
            )
        if as_json:
            data = output.to_jsonable(report)
            if report.run is not None:
                data["run"] = run_payload(report.run)
            output.emit_json(data)
        else:
            _render_refresh(report)
    failed = [a for a in report.alerts if not a.ok]
    for a in failed:
        output.err_console.print(
            f"[bold red]alert not sent:[/] {a.channel} to {output._escape(a.target)}: "
            f"{output._escape(a.detail)} (the refresh is stored)",
            soft_wrap=True,
        )
    if failed:
        raise typer.Exit(1)


def _render_refresh(report: RefreshReport) -> None:
    c = output.console
    v, d = report.imported.version, report.imported.diff
    c.print(
        f"Refreshed [bold]{output._escape(v.list_name)}[/]: version {v.version_date} "
        f"({v.entry_count} entries from {len(report.files)} file(s))."
    )
    if d.previous_version_date is not None:
        c.print(
            f"Against the version of {d.previous_version_date}: {len(d.added)} added, "
            f"{len(d.changed)} changed, {len(d.removed)} removed, {d.unchanged} unchanged."
        )
    rows = [
        (change, n)
        for change, names in (("added", d.added), ("changed", d.changed), ("removed", d.removed))
        for n in names[:50]
    ]
    if rows and d.previous_version_date is not None:
        c.print(output.table("Changes", ["change", "entry"], rows))
    for note in report.imported.notes:
        c.print(note)
    if report.run is None:
        c.print("No party could be affected by the changes; nothing re-screened.")
        return
    c.print(f"Re-screened {len(report.rescreened)} affected party(ies).")
    render_run(report.run, explain=False)
    c.print(f"{len(report.new_hits)} new open hit(s).")
    for a in report.alerts:
        state = "sent" if a.ok else "NOT SENT"
        c.print(f"Alert by {a.channel} to {output._escape(a.target)}: {state} ({a.detail})")


@lists_app.command("show")
def show_lists(db: Db = None, as_json: AsJson = False) -> None:
    """Show the newest version of every list: source, version date, load date, size."""
    with output.errors(), open_workspace(db) as ws:
        versions = ws.screening.lists()
        if as_json:
            output.emit_json(versions)
            return
        rows = [
            (
                v.list_name,
                v.format.value,
                v.version_date,
                v.loaded_at.strftime("%Y-%m-%d %H:%M"),
                v.entry_count,
                v.source,
            )
            for v in versions
        ]
        cols = ["list", "format", "version", "loaded (UTC)", "entries", "source"]
        output.console.print(output.table("Screening lists", cols, rows))


@screen_app.command("run", hidden=True)
def run(
    name: Annotated[str | None, typer.Argument(help="A name to screen.")] = None,
    party: Annotated[
        list[str] | None, typer.Option("--party", help="Party id to screen (repeatable).")
    ] = None,
    all_: Annotated[bool, typer.Option("--all", help="Screen every party.")] = False,
    country: Annotated[str, typer.Option("--country", help="Country of NAME (ISO alpha-2).")] = "",
    id_numbers: Annotated[
        list[str] | None,
        typer.Option(
            "--id",
            help="A registration number of NAME as SCHEME:VALUE (uscc, lei, imo, inn, ogrn, "
            "registration, tax, ...; repeatable).",
        ),
    ] = None,
    threshold: Threshold = DEFAULT_THRESHOLD,
    explain: Annotated[bool, typer.Option("--explain", help="Explain every hit.")] = False,
    review: Annotated[
        bool,
        typer.Option("--review", help=f"Also list near misses down to {REVIEW_THRESHOLD:.2f}."),
    ] = False,
    review_threshold: Annotated[
        float | None,
        typer.Option("--review-threshold", help="Lowest score of a near miss (implies --review)."),
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Screen NAME, --party ID or --all parties; with --review, near misses too."""
    review_at = (
        review_threshold if review_threshold is not None else (REVIEW_THRESHOLD if review else None)
    )
    with output.errors():
        chosen = sum([name is not None, bool(party), all_])
        if chosen != 1:
            msg = "give exactly one of NAME, --party ID or --all"
            raise InputError(msg, [Problem("arguments", None, None, msg)])
        ids = _parse_ids(id_numbers or [])
    with output.errors(), open_workspace(db) as ws:
        with output.console.status("Screening ..."):
            if name is not None:
                result = ws.screening.screen_name(
                    name,
                    country=country,
                    threshold=threshold,
                    actor="cli",
                    review_threshold=review_at,
                    ids=ids,
                )
            else:
                result = ws.screening.screen_parties(
                    None if all_ else party,
                    threshold=threshold,
                    actor="cli",
                    review_threshold=review_at,
                )
        if as_json:
            output.emit_json(run_payload(result))
            return
        render_run(result, explain=explain or len(result.hits) <= 10)


@screen_app.command("decide")
def decide(
    hits: Annotated[
        list[int], typer.Argument(help="Hit id(s) (from `raretrace screen`): one decision for all.")
    ],
    match: Annotated[
        bool, typer.Option("--match/--no-match", help="True match, or false positive.")
    ],
    reason: Annotated[str, typer.Option("--reason", help="Why (kept for the audit).")],
    by: Annotated[str, typer.Option("--by", help="Reviewer's name.")],
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Mark hits as true matches or false positives (several at once: one reason, one
    transaction); later runs reuse the decisions."""
    with output.errors(), open_workspace(db) as ws:
        decisions = ws.screening.decide_many(hits, is_match=match, reason=reason, by=by)
        if as_json:
            output.emit_json(decisions[0] if len(decisions) == 1 else {"decisions": decisions})
            return
        verdict = "a true match" if match else "no match (false positive)"
        ids = ", ".join(str(h) for h in dict.fromkeys(hits))
        label = "Hit" if len(decisions) == 1 else "Hits"
        output.console.print(f"{label} {ids} recorded as {verdict} by {decisions[0].decided_by}.")


@screen_app.command("audit")
def audit(
    csv_path: Annotated[
        Path | None, typer.Option("--csv", help="Write the audit trail to this CSV file.")
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """The audit trail: list imports, runs, every hit with score, and every decision."""
    with output.errors(), open_workspace(db) as ws:
        rows = ws.screening.audit()
        if csv_path is not None:
            from raretrace.services.screening.use_cases import write_audit_csv

            write_audit_csv(rows, csv_path)
        if as_json:
            output.emit_json({"rows": rows, "csv": csv_path})
            return
        if csv_path is not None:
            output.console.print(f"wrote {len(rows)} audit rows to {csv_path}")
            return
        table_rows = [
            (
                r.at.strftime("%Y-%m-%d %H:%M:%S"),
                r.action,
                r.actor,
                r.subject,
                r.list_name,
                r.list_version_date or "",
                r.entry,
                "" if r.score is None else f"{r.score:.2f}",
                r.decision,
                r.reason,
            )
            for r in rows
        ]
        cols = [
            "at",
            "action",
            "by",
            "subject",
            "list",
            "version",
            "entry",
            "score",
            "decision",
            "reason",
        ]
        output.console.print(output.table("Screening audit trail", cols, table_rows))


def run_payload(result: ScreeningRun) -> dict[str, Any]:
    data: dict[str, Any] = output.to_jsonable(result)
    for h, hd in zip(result.hits, data["hits"], strict=True):
        hd["status"] = h.status
    return data


def render_run(result: ScreeningRun, *, explain: bool) -> None:
    c = output.console
    matches, near = result.matches, result.near_misses
    c.print(
        f"Screening run {result.run_id}: {result.subjects} subject(s), "
        f"{len(matches)} hit(s) at threshold [bold]{result.threshold:.2f}[/] "
        f"({sum(1 for h in matches if h.decision is None)} open)"
        + (f", {len(near)} near miss(es) for review." if near else ".")
    )
    cols = ["hit", "party", "subject", "kind", "list", "entry", "matched name", "score", "status"]
    for title, group in (("Hits", matches), ("Near misses for review", near)):
        if not group:
            continue
        rows = [
            (
                h.hit_id,
                h.subject.party_id or "",
                h.subject.name,
                h.kind.value,
                h.list_name,
                h.entry.name,
                h.matched_name if h.matched_name != h.entry.name else "",
                f"{h.score:.2f}",
                h.status if h.band == "hit" else f"{h.status}: {summary(h.features)}",
            )
            for h in group
        ]
        c.print(output.table(title, cols, rows))
    if explain:
        for h in result.hits:
            render_explanation(h)


def render_explanation(h: Hit) -> None:
    c = output.console
    title = f"Hit {h.hit_id}: {h.subject.name} ~ {h.entry.name} ({h.list_name})"
    c.print(f"[bold]{output._escape(title)}[/]")
    if h.path:
        chain = " -> ".join(f"{p.owner_party_id} ({p.pct:g}%)" for p in h.path)
        c.print(f"  ownership path: {chain} -> {h.subject.party_id}")
    if h.matched_name != h.entry.name:
        c.print(f"  matched name: {output._escape(h.matched_name)}")
    if h.band == "review":
        c.print(f"  near miss: {output._escape(summary(h.features))}")
    rows = [
        (f.feature, f"{f.weight:g}", f"{f.value:.2f}", f"{f.contribution:+.3f}", f.detail)
        for f in shown(h.features)
    ]
    capped = sum(f.contribution for f in h.features) > 1.0
    note = f"threshold {h.threshold:.2f}" + ("; capped at 1" if capped else "")
    rows.append(("score", "", "", f"{h.score:.3f}", note))
    if h.entry.license_policy:
        rows.append(("licence policy", "", "", "", h.entry.license_policy))
    if h.entry.dates_of_birth:
        rows.append(("dates of birth", "", "", "", "; ".join(h.entry.dates_of_birth)))
    if h.decision is not None:
        d = h.decision
        rows.append(("decision", "", "", h.status, f"{d.reason} ({d.decided_by})"))
    c.print(output.table("", ["feature", "weight", "value", "adds", "detail"], rows))


def sample_list_path() -> Path:
    with as_file(files("raretrace.sample") / "lists" / "sample_control_list.csv") as path:
        return Path(path)


def render_screening_demo(ws: Workspace) -> ScreeningRun:
    """Demo step: screen the sample world against the fictional sample list, explained.

    Call after the sample world is loaded; imports the list (a new version each call).
    """
    c = output.console
    c.rule("[bold]Restricted-party screening (fictional sample list)")
    report = ws.screening.import_list(
        sample_list_path(),
        fmt=ListFormat.MOFCOM,
        list_name="Sample Control/Watch List",
        actor="demo",
    )
    c.print(
        f"List: {report.version.list_name}, {report.version.entry_count} entries "
        f"(version {report.version.version_date})."
    )
    result = ws.screening.screen_all(review_threshold=REVIEW_THRESHOLD)
    render_run(result, explain=True)
    near = [h for h in result.near_misses if h.hit_id is not None and h.decision is None]
    if not near:
        return result
    first = near[0]
    reason = "Demo: different company (the listed name has words the party lacks)."
    ws.screening.decide_many([near[0].hit_id or 0], is_match=False, reason=reason, by="demo")
    c.print(
        f"Decided near miss {first.hit_id} ({first.subject.name}) as no match; screening again:"
    )
    again = ws.screening.screen_all(review_threshold=REVIEW_THRESHOLD)
    render_run(again, explain=False)
    for h in again.hits:
        if h.decision is not None:
            c.print(f"Decision reused for {h.subject.name} ~ {h.entry.name}: {h.decision.reason}")
    return again
