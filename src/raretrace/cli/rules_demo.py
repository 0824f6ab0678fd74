"""`raretrace demo`: one verdict that each rule added from regime.md section 9 changes on
the sample world, shown next to the verdict without that rule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from raretrace.cli import output
from raretrace.domain.screening import HitKind
from raretrace.rules import compile_book
from raretrace.rules.book import without_rules
from raretrace.services.classification import use_cases as classification
from raretrace.services.classification.use_cases import Shipment
from raretrace.workspace import Workspace


@dataclass(frozen=True, slots=True)
class Example:
    rule_id: str
    what: str
    shipment: Shipment


HUA = "S-HUA-CN-SH"  # Chinese exporter (bonded warehouse, Shanghai)
EXAMPLES = (
    Example(
        "ann61.1-1.magnet",
        "Japanese EPS motor with Chinese Dy NdFeB magnets (Part 2 includes assemblies; "
        "share computed exactly through every level)",
        Shipment("HOK-EPS-MOT", "S-HOK-JP-KNZ", "S-VEL-US-WIC", shipment_id="JP->US motor"),
    ),
    Example(
        "lists.watch.export-from-china",
        "Dy NdFeB magnets from China to a Watch-List customer (confirmed screening match)",
        Shipment("MAG-EPS", HUA, "HOKUSEI", shipment_id="CN->HOKUSEI"),
    ),
    Example(
        "lists.control.export-from-china",
        "Dy NdFeB magnets from China to a Control-List party (confirmed screening match)",
        Shipment("MAG-EPS", HUA, "ORION", shipment_id="CN->ORION"),
    ),
    Example(
        "lists.control.affiliate",
        "the same to its 51 %-owned subsidiary",
        Shipment("MAG-EPS", HUA, "ORION-MX", shipment_id="CN->ORION-MX"),
    ),
    Example(
        "ann2024-46.us.military-end-user",
        "SmCo magnets from China to a US military end user (Ann. 2024 No. 46 clause 1)",
        Shipment("MAG-SMCO-DEF", HUA, "AEGISRIDGE", shipment_id="CN->AEGISRIDGE"),
    ),
    Example(
        "ann2026-01.japan.military-end-user",
        "SmCo magnets from China to the Japanese defence supplier",
        Shipment("MAG-SMCO-DEF", HUA, "KIRISHIMA", shipment_id="CN->KIRISHIMA"),
    ),
    Example(
        "ann2026-01.military-capability",
        "Dy magnets from China for a use that helps Japan's military capability (review)",
        Shipment(
            "MAG-EPS",
            HUA,
            "HOKUSEI",
            end_use="japan_military_capability",
            shipment_id="CN->HOKUSEI (capability)",
        ),
    ),
)
#: Rules with nothing to show in the sample world (no such item in it).
ABSENT = {
    "ann-2025-57 .b/.c (Er, Tm, Eu, Yb oxides and compounds)": "no such oxide or compound",
    "ann-2025-62 / tech-catalogue-2023 (technologies)": "no part of kind technology",
    "ann-2025-56 (equipment)": "no part of kind equipment",
}


def confirm_sample_hits(ws: Workspace, parties: tuple[str, ...]) -> None:
    """Record 'match' decisions for the sample list's true hits on ``parties`` (the
    demo's reviewer), so determinations read their list kinds from the stored list."""
    run = ws.screening.screen_all()
    for hit in run.hits:
        if (
            hit.kind is HitKind.NAME
            and hit.subject.party_id in parties
            and hit.status == "open"
            and hit.hit_id is not None
        ):
            ws.screening.decide(
                hit.hit_id, is_match=True, reason="demo: confirmed sample hit", by="demo"
            )


def render_regime_demo(ws: Workspace, today: date) -> None:
    c = output.console
    c.rule(f"[bold]What the 6 Dec 2026 reading of the regime changes, on {today}")
    confirm_sample_hits(ws, ("HOKUSEI", "ORION"))
    listed = ws.rules.party_listings()
    c.print(
        "Listings read from the stored list (confirmed matches): "
        + ", ".join(f"{p} ({k})" for p, k in sorted(listed.items()))
    )
    book = ws.rules.rule_book()
    net, engine = ws.network(), ws.tracing.engine()
    for ex in EXAMPLES:
        now = ws.rules.determine(ex.shipment, today)
        without = compile_book(without_rules(book.packs, [ex.rule_id]))
        before = classification.determine(
            net, without, ex.shipment, today, listed=listed, engine=engine
        )
        rule = book.rule(ex.rule_id).rule
        verdict = now.outcome.value + (" (uncertain)" if now.uncertain else "")
        line = (
            f"[bold]{ex.rule_id}[/]: {output._escape(ex.what)}: {ex.shipment.shipment_id} "
            f"-> [bold]{verdict}[/]; without the rule: {before.outcome.value}"
        )
        if now.outcome is before.outcome and rule.then.note:
            line += f"; adds: {output._escape(rule.then.note)}"
        c.print(line)
    for what, why in ABSENT.items():
        c.print(f"- {what}: {why} in the sample world.")
