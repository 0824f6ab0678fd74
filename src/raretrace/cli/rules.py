"""Export-control commands: `rules list|show|check|diff|status|test-report`, `classify`,
`determine`.

Every command takes ``--as-of`` (default: today, read here at the CLI edge) and
``--what-if lifted|extended`` to apply suspensions differently. Human output starts with
a "status unknown" banner for dates after the last day the sources confirm.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from raretrace.cli import output, rules_status
from raretrace.cli.options import (
    AsJson,
    Db,
    RatesFile,
    RatesId,
    exchange_rates,
    open_workspace,
    settings_for,
    today_for,
)
from raretrace.errors import InputError, NotFoundError
from raretrace.rules import REGISTRY, Determination, SuspensionPolicy, rule_status
from raretrace.services.classification import use_cases as classification
from raretrace.services.classification.use_cases import Shipment
from raretrace.workspace import Workspace

rules_app = typer.Typer(no_args_is_help=True, help="List, explain and check rule packs.")
rules_app.add_typer(rules_status.reports_app, name="test-report")

AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="Date to evaluate on, YYYY-MM-DD (default: today)."),
]
WhatIf = Annotated[
    SuspensionPolicy,
    typer.Option(
        "--what-if",
        help="as_written; lifted = every suspended rule back; extended = suspensions renewed.",
    ),
]
Listed = Annotated[
    list[str] | None,
    typer.Option(
        "--listed",
        help="PARTY or PARTY=control|watch: a party on China's Control or Watch List, in "
        "addition to the stored lists (repeatable; no kind = kind unknown).",
    ),
]
PracticeThreshold = Annotated[
    float | None,
    typer.Option(
        "--practice-threshold",
        help="Your practice threshold for trace Dy + Tb (e.g. 0.001 = 0.1 %); changes "
        "the wording of trace verdicts, never to 'not controlled'.",
    ),
]


def parse_listed(values: list[str] | None) -> dict[str, str]:
    """``PARTY`` or ``PARTY=KIND`` options as listings."""
    out: dict[str, str] = {}
    for v in values or ():
        pid, _, kind = v.partition("=")
        kind = kind.strip().lower() or "listed"
        if kind not in ("control", "watch", "listed"):
            raise InputError(f"--listed {v!r}: the list kind must be control or watch")
        out[pid.strip()] = kind
    return classification.listings_of(out)


def parse_date(text: str | None, name: str = "--as-of", *, db: str | None = None) -> date:
    """The date given, else today (China Standard Time) from the entry point's clock."""
    if text is None:
        return today_for(db)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{name}: {text!r} is not a date (YYYY-MM-DD)") from None


@rules_app.command("status")
def status(as_of: AsOf = None, db: Db = None, as_json: AsJson = False) -> None:
    """Measures whose status is unconfirmed on the date (e.g. No. 70 after 10 Nov 2026),
    with every rule they touch as written, if renewed and if lifted, side by side."""
    with output.errors():
        day = parse_date(as_of, db=db)
    rules_status.status(day, db, as_json)


@rules_app.command("list")
def list_(as_of: AsOf = None, db: Db = None, as_json: AsJson = False) -> None:
    """List every rule pack and rule, with its status on the date."""
    with output.errors():
        day = parse_date(as_of, db=db)
        rows: list[dict[str, Any]] = []
        for lp in classification.load_packs(settings_for(db).rules_dir):
            for r in lp.pack.rules:
                st = rule_status(lp.pack, r, day)
                rows.append(
                    {
                        "pack": lp.pack.id,
                        "source": lp.source,
                        "rule": r.id,
                        "scope": r.scope.value,
                        "outcome": r.then.outcome.value,
                        "control_codes": list(r.then.control_codes),
                        "status": st.state,
                        "uncertain": r.uncertain or bool(st.uncertain_note),
                    }
                )
        if as_json:
            output.emit_json({"as_of": day, "rules": rows})
            return
        rules_status.banner(day, settings_for(db).rules_dir)
        cols = ["pack", "rule", "scope", "outcome", "codes", f"status {day}", "uncertain"]
        table = [
            (
                x["pack"],
                x["rule"],
                x["scope"],
                x["outcome"],
                ",".join(x["control_codes"]),
                x["status"],
                "yes" if x["uncertain"] else "",
            )
            for x in rows
        ]
        output.console.print(output.table("Rule packs", cols, table))


@rules_app.command("show")
def show(
    name: Annotated[str, typer.Argument(help="A pack id, rule id or predicate name.")],
    as_of: AsOf = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Explain a pack, a rule (conditions, dates, suspensions, citations) or a predicate."""
    with output.errors():
        day = parse_date(as_of, db=db)
        info = describe(name, day, settings_for(db).rules_dir)
        if as_json:
            output.emit_json(info)
            return
        for key, value in info.items():
            output.console.print(f"[bold]{key}:[/] {output._escape(_text(value))}")


def describe(name: str, day: date, rules_dir: Path | None) -> dict[str, Any]:
    if name in REGISTRY:
        spec = REGISTRY[name]
        params = {k: str(f.annotation) for k, f in spec.params.model_fields.items()}
        return {"predicate": name, "scope": spec.scope.value, "params": params, "doc": spec.doc}
    for lp in classification.load_packs(rules_dir):
        if lp.pack.id == name:
            return lp.pack.model_dump(mode="json", by_alias=True, exclude={"rules"}) | {
                "rules": [r.id for r in lp.pack.rules],
                "source": lp.source,
            }
        for r in lp.pack.rules:
            if r.id == name:
                st = rule_status(lp.pack, r, day)
                data = r.model_dump(mode="json", by_alias=True)
                data["pack"] = lp.pack.id
                data["instrument"] = lp.pack.instrument
                data["suspensions"] = [
                    s.model_dump(mode="json", by_alias=True) for s in lp.pack.suspensions_of(r)
                ]
                data["citations"] = [c.model_dump(mode="json") for c in lp.pack.citations_of(r)]
                data[f"status on {day}"] = f"{st.state}: {st.detail}"
                data["predicates"] = {c.predicate: REGISTRY[c.predicate].doc for c in r.when}
                return data
    raise NotFoundError(f"no pack, rule or predicate named {name!r}")


def _text(value: Any) -> str:
    if isinstance(value, dict):
        return "".join(f"\n  {k}: {_text(v)}" for k, v in value.items())
    if isinstance(value, list):
        return "".join(f"\n  - {_text(v)}" for v in value) if value else "-"
    return str(value)


@rules_app.command("check")
def check(
    path: Annotated[Path | None, typer.Argument(help="A pack file or a folder of packs.")] = None,
    as_json: AsJson = False,
) -> None:
    """Validate rule packs (with the shipped packs); exit code 2 when there are problems."""
    with output.errors():
        problems = classification.check_rules(path)
        if as_json:
            output.emit_json({"ok": not problems, "problems": [str(p) for p in problems]})
        elif not problems:
            output.console.print("Rule packs OK.")
        if problems:
            raise InputError(f"{len(problems)} problem(s) in the rule packs", problems)


@rules_app.command("diff")
def diff(
    date_from: Annotated[str, typer.Option("--from", help="First date, YYYY-MM-DD.")],
    date_to: Annotated[str, typer.Option("--to", help="Second date, YYYY-MM-DD.")],
    listed: Listed = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """What changes between two dates: rule status, part verdicts, cross-border flows."""
    with output.errors():
        a, b = parse_date(date_from, "--from", db=db), parse_date(date_to, "--to", db=db)
        with open_workspace(db) as ws:
            d = ws.rules.diff(a, b, listed=parse_listed(listed))
        if as_json:
            output.emit_json(d)
            return
        rules_status.banner(b, settings_for(db).rules_dir)
        c = output.console
        c.print(
            output.table(
                f"Rules whose status changes, {a} -> {b}", ["rule", str(a), str(b)], d.rules
            )
        )
        for title, changes in (("Parts", d.parts), ("Cross-border flows", d.flows)):
            rows = [
                (x.subject, x.before.value, x.after.value, ", ".join(x.rules_after))
                for x in changes
            ]
            c.print(
                output.table(f"{title} whose verdict changes", ["", str(a), str(b), "rules"], rows)
            )


def classify(
    part: Annotated[str, typer.Argument(help="Part id.")],
    as_of: AsOf = None,
    bom: Annotated[bool, typer.Option("--bom", help="Classify every part below it too.")] = False,
    what_if: WhatIf = SuspensionPolicy.AS_WRITTEN,
    rates: RatesFile = None,
    rates_id: RatesId = None,
    practice_threshold: PracticeThreshold = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Is a part a controlled item on a date? Shows every rule considered and why."""
    with output.errors():
        day = parse_date(as_of, db=db)
        pt = practice_threshold
        with open_workspace(db) as ws:
            fx = exchange_rates(ws, rates, rates_id)
            rows = (
                ws.rules.classify_bom(part, day, policy=what_if, rates=fx, practice_threshold=pt)
                if bom
                else []
            )
            det = (
                None
                if bom
                else ws.rules.classify_part(
                    part, day, policy=what_if, rates=fx, practice_threshold=pt
                )
            )
        if not as_json:
            rules_status.banner(day, settings_for(db).rules_dir)
        if det is None:
            if as_json:
                output.emit_json(rows)
                return
            table = [
                (
                    "  " * r.level + r.part_id,
                    r.determination.outcome.value,
                    ",".join(r.determination.control_codes),
                    _basis(r.determination),
                    "yes" if r.determination.uncertain else "",
                )
                for r in rows
            ]
            cols = ["part", "outcome", "codes", "content", "uncertain"]
            output.console.print(output.table(f"BOM of {part} on {day}", cols, table))
            return
        if as_json:
            output.emit_json(det)
        else:
            render_determination(det)


def determine(
    part: Annotated[str | None, typer.Argument(help="Part id shipped.")] = None,
    exporter: Annotated[str | None, typer.Option(help="Exporter site or party id.")] = None,
    consignee: Annotated[str | None, typer.Option(help="Consignee party or site id.")] = None,
    end_user: Annotated[str | None, typer.Option(help="End-user party id.")] = None,
    destination: Annotated[str | None, typer.Option(help="Destination country.")] = None,
    quantity: Annotated[float, typer.Option(help="Quantity shipped.")] = 1.0,
    end_use: Annotated[
        str,
        typer.Option(
            help="Declared end use: civilian, military, wmd, terrorism, advanced_chip, "
            "military_ai, humanitarian, japan_military_capability (unknown values are "
            "refused)."
        ),
    ] = "",
    all_flows: Annotated[
        bool, typer.Option("--all-flows", help="Every cross-border supply link.")
    ] = False,
    listed: Listed = None,
    as_of: AsOf = None,
    what_if: WhatIf = SuspensionPolicy.AS_WRITTEN,
    rates: RatesFile = None,
    rates_id: RatesId = None,
    practice_threshold: PracticeThreshold = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Does a shipment need a Chinese export licence? Or, with --all-flows, which of the
    workspace's cross-border flows do (and which would if suspended rules came back).
    Party listings come from the stored lists (confirmed screening matches against
    entries of China's Control or Watch List) plus --listed."""
    with output.errors():
        day, lst = parse_date(as_of, db=db), parse_listed(listed)
        classification.check_end_use(end_use)
        if not as_json:
            rules_status.banner(day, settings_for(db).rules_dir)
        if all_flows:
            alt = SuspensionPolicy.LIFTED
            if what_if is not SuspensionPolicy.AS_WRITTEN:
                alt = SuspensionPolicy.AS_WRITTEN
            with open_workspace(db) as ws:
                fx = exchange_rates(ws, rates, rates_id)
                report = ws.rules.determine_flows(
                    day, listed=lst, policy=what_if, alternative=alt, rates=fx
                )
            output.emit_json(report) if as_json else render_flows(report)
            return
        if not (part and exporter and consignee):
            raise InputError("give PART, --exporter and --consignee, or --all-flows")
        ship = Shipment(part, exporter, consignee, end_user, destination, quantity, end_use)
        with open_workspace(db) as ws:
            fx = exchange_rates(ws, rates, rates_id)
            det = ws.rules.determine(
                ship,
                day,
                listed=lst,
                policy=what_if,
                rates=fx,
                practice_threshold=practice_threshold,
            )
        output.emit_json(det) if as_json else render_determination(det)


def _basis(d: Determination) -> str:
    for r in d.reasons:
        basis = r.inputs.get("content_basis")
        if basis:
            return str(basis)
    return ""


def render_determination(d: Determination) -> None:
    c = output.console
    head = f"[bold]{d.subject}[/] on {d.as_of}: [bold]{d.outcome.value}[/]"
    if d.control_codes:
        head += f"  codes {', '.join(d.control_codes)}"
    if d.policy is not SuspensionPolicy.AS_WRITTEN:
        head += f"  (what-if: suspensions {d.policy.value})"
    c.print(head)
    if d.item is not None:
        c.print(f"Item: {d.item.outcome.value} {', '.join(d.item.control_codes)}")
    for note in d.uncertain_reasons:
        c.print(f"[yellow]uncertain:[/] {output._escape(note)}")
    for note in d.notes:
        c.print(f"[cyan]note:[/] {output._escape(note)}")
    rows = []
    for r in (d.item.reasons if d.item else ()) + d.reasons:
        if r.fired or "excluded" in r.detail or ": ?" in r.detail:
            why = output._escape(r.detail)
            rows.append(
                (r.rule_id, "FIRED" if r.fired else "no", why, "yes" if r.uncertain else "")
            )
    title = "Rules that fired, were excluded, or lack an input"
    c.print(output.table(title, ["rule", "", "why", "uncertain"], rows))
    skipped = sum(1 for r in d.reasons if not r.considered)
    c.print(
        f"{len(d.reasons)} rules in the trace, {skipped} not in force on {d.as_of}; --json for all."
    )


def render_flows(report: classification.FlowReport) -> None:
    alt = report.alternative.value
    rows = [
        (
            f"{f.supplier_site_id} ({f.exporter_country})"
            f" -> {f.buyer_site_id} ({f.destination_country})",
            f.part_id,
            f.outcome.value,
            f.alternative_outcome.value + (" *" if f.changes else ""),
            ", ".join(f.rules or f.alternative_rules),
            "yes" if f.uncertain else "",
        )
        for f in report.flows
        if f.outcome.value != "not_controlled" or f.changes
    ]
    title = f"Cross-border flows needing a licence on {report.as_of} ({len(report.flows)} flows)"
    cols = ["flow", "part", report.policy.value, f"if suspensions {alt}", "rules", "uncertain"]
    output.console.print(output.table(title, cols, rows))


def render_rules_demo(ws: Workspace, today: date) -> None:
    """For `raretrace demo`: controlled sample parts and inbound flows today, and what
    would change if the No. 70 suspension had been renewed (i.e. without the returned
    rules). ``today`` comes from the CLI edge."""
    c = output.console
    c.rule(f"[bold]Export controls on {today}")
    rules_status.banner(today, ws.settings.rules_dir)
    verdicts = classification.classify_parts(ws.network(), ws.rules.rule_book(), today)
    ids = classification.part_ids(verdicts)
    rows = [
        (
            ids[i],
            ",".join(verdicts.control_codes(i)),
            "yes" if verdicts.uncertain[i] else "",
        )
        for i in range(len(verdicts))
        if verdicts.outcome_of(i).value == "controlled"
    ]
    c.print(output.table("Controlled sample parts", ["part", "codes", "uncertain"], rows))
    report = ws.rules.determine_flows(today, alternative=SuspensionPolicy.EXTENDED)
    render_flows(report)
    changed = [f for f in report.flows if f.changes]
    c.print(
        f"{len(changed)} flow(s) differ between the rules as written (No. 70 suspension ended "
        "10 Nov 2026) and a renewed suspension: those are what the returned rules change."
    )
