"""Licence views: the public models of applications, licences, balances and ledger
entries built from service results, the licensing summary of the dashboard, and the
shipment and reversal writes shared by the pages and the API."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path as FsPath
from typing import Any

from raretrace.domain.applications import (
    TRANSITIONS,
    Application,
    AppStatus,
    ChecklistRow,
    DocState,
    checklist,
    deadline,
)
from raretrace.domain.ledger import Balance, EntryKind, LedgerEntry
from raretrace.domain.ledger import licence_flags as ledger_flags
from raretrace.domain.licences import Licence, format_mass
from raretrace.errors import InputError, Problem
from raretrace.services.licensing import packets
from raretrace.services.licensing.service import (
    ApplicationView,
    LicenceView,
    ShipmentInput,
    ShipResult,
    calendar_for,
)
from raretrace.settings import Settings
from raretrace.web.schemas_licences import (
    AppItemPublic,
    ApplicationPublic,
    ApplicationSummaryPublic,
    BalancePublic,
    ChainRowPublic,
    ChainStepPublic,
    DeadlinePublic,
    DocRowPublic,
    LedgerEntryPublic,
    LicenceFacePublic,
    LicencePublic,
    LicencesPublic,
    LicenceSummaryPublic,
    LicensingSummaryPublic,
    PartyRefPublic,
    ReversalPublic,
    ShipmentCreate,
    ShipResultPublic,
    StatusChangePublic,
    ViolationPublic,
)
from raretrace.workspace import Workspace


def _doc_rows(rows: tuple[ChecklistRow, ...] | list[ChecklistRow]) -> list[DocRowPublic]:
    return [
        DocRowPublic(
            key=r.kind.key,
            label_en=r.kind.label_en,
            label_zh=r.kind.label_zh,
            basis=r.kind.basis,
            state=r.state.value,
            reference=r.reference,
            at=r.at,
            actor=r.actor,
        )
        for r in rows
    ]


def _summary_fields(
    app: Application, rows: list[DocRowPublic], dl: DeadlinePublic, end_user_name: str
) -> dict[str, Any]:
    assert app.application_id is not None
    return {
        "application_id": app.application_id,
        "status": app.status.value,
        "exporter": app.exporter,
        "importer": app.importer,
        "end_user": app.end_user,
        "end_user_name": end_user_name,
        "destination": app.destination,
        "licence_type": app.licence_type,
        "items": [
            AppItemPublic(
                part_id=i.part_id,
                description=i.description,
                control_codes=list(i.control_codes),
                mass_mg=i.mass_mg,
                quantity=format_mass(i.mass_mg),
                value=i.value,
                currency=i.currency,
                hs_code=i.hs_code,
                spec_model=i.spec_model,
                name_zh=i.name_zh,
            )
            for i in app.items
        ],
        "created_at": app.created_at,
        "created_by": app.created_by,
        "deadline": dl,
        "checklist": rows,
        "docs_done": sum(r.state != DocState.MISSING.value for r in rows),
        "docs_missing": [r.key for r in rows if r.state == DocState.MISSING.value],
    }


def _party_names(ws: Workspace) -> dict[str, str]:
    net = ws.network()
    names = {p.party_id: p.name for p in net.parties}
    names.update({s.site_id: names.get(s.party_id, s.site_id) for s in net.sites})
    return names


def _urgency(a: ApplicationSummaryPublic) -> tuple[int, int, int]:
    d = a.deadline
    return (
        0 if d.overdue else 1 if d.due_soon else 2,
        d.remaining if d.remaining is not None else 10**6,
        a.application_id,
    )


def application_summaries(ws: Workspace, today: date) -> list[ApplicationSummaryPublic]:
    """Every application with its deadline and checklist, most urgent first (no end-use
    chain: that is a where-used search per application)."""
    apps = ws.licensing.applications_with_events()
    names = _party_names(ws) if apps else {}
    out = []
    for app, events in apps:
        cal = calendar_for(today, app.submitted_on)
        dl = DeadlinePublic.model_validate(deadline(app, cal, today), from_attributes=True)
        rows = _doc_rows(checklist(events))
        out.append(
            ApplicationSummaryPublic(
                **_summary_fields(app, rows, dl, names.get(app.end_user, app.end_user))
            )
        )
    out.sort(key=_urgency)
    return out


def application_public(v: ApplicationView) -> ApplicationPublic:
    app = v.application
    rows = _doc_rows(v.checklist)
    dl = DeadlinePublic.model_validate(v.deadline, from_attributes=True)
    return ApplicationPublic(
        **_summary_fields(app, rows, dl, v.parties["end_user"].name),
        parties={k: PartyRefPublic.model_validate(p) for k, p in v.parties.items()},
        face=LicenceFacePublic.model_validate(app.face, from_attributes=True),
        contract_ref=app.contract_ref,
        end_use=app.end_use,
        rule_pack=app.rule_pack,
        chain=[
            ChainRowPublic(
                text=r.text,
                steps=[ChainStepPublic.model_validate(s) for s in r.steps],
                units_per_product=r.units_per_product,
                products_per_year=r.products_per_year,
                units_per_year=r.units_per_year,
                kg_per_year=r.kg_per_year,
            )
            for r in v.chain.rows
        ],
        chain_truncated=v.chain.truncated,
        chain_kg_per_year=v.chain.total_kg_per_year,
        chain_note=v.chain.note,
        warnings=list(v.warnings),
        calendar_source=v.calendar_source,
        history=[
            StatusChangePublic(status=h.status.value, at=h.at, actor=h.actor, note=h.note)
            for h in app.history
        ],
        next_statuses=sorted(s.value for s in TRANSITIONS[app.status]),
    )


def application_view(ws: Workspace, application_id: int, today: date) -> ApplicationPublic:
    return application_public(ws.licensing.application(application_id, today=today))


def balance_public(lic: Licence, b: Balance) -> BalancePublic:
    item = next(i for i in lic.items if i.item_no == b.item_no)
    return BalancePublic(
        item_no=b.item_no,
        part_id=b.part_id,
        description=item.description,
        control_code=item.control_code,
        currency=b.currency,
        issued_mg=b.issued_mg,
        drawn_mg=b.drawn_mg,
        remaining_mg=b.remaining_mg,
        issued=format_mass(b.issued_mg),
        remaining=format_mass(b.remaining_mg),
        issued_value=b.issued_value,
        drawn_value=b.drawn_value,
        remaining_value=b.remaining_value,
        remaining_share=b.remaining_share,
    )


def licence_flags(v: LicenceView, today: date) -> list[str]:
    """``domain.ledger.licence_flags`` as strings (the CLI shows the same)."""
    return [f.value for f in ledger_flags(v.licence, v.balances, v.used, today)]


def _licence_fields(v: LicenceView, today: date) -> dict[str, Any]:
    lic = v.licence
    bals = [balance_public(lic, b) for b in v.balances]
    return {
        "licence_id": lic.licence_id,
        "licence_type": lic.licence_type.value,
        "exporter": lic.exporter,
        "importer": lic.importer,
        "end_users": list(lic.end_users),
        "destinations": list(lic.destinations),
        "valid_from": lic.valid_from,
        "valid_to": lic.valid_to,
        "days_left": (lic.valid_to - today).days,
        "application_id": lic.application_id,
        "notes": lic.notes,
        "used": v.used,
        "balances": bals,
        "flags": licence_flags(v, today),
    }


def licence_summaries(ws: Workspace, today: date) -> list[LicenceSummaryPublic]:
    out = [LicenceSummaryPublic(**_licence_fields(v, today)) for v in ws.licensing.licences()]
    out.sort(key=lambda x: (x.flags == [] or x.flags == ["used"], x.valid_to, x.licence_id))
    return out


def entry_public(e: LedgerEntry, reversed_by: int | None = None) -> LedgerEntryPublic:
    return LedgerEntryPublic(
        entry_id=e.entry_id,
        item_no=e.item_no,
        kind=e.kind.value,
        mass_mg=e.mass_mg,
        quantity=format_mass(e.mass_mg),
        value=e.value,
        currency=e.currency,
        shipment_id=e.shipment_id,
        shipped_on=e.shipped_on,
        destination=e.destination,
        end_user=e.end_user,
        recorded_at=e.recorded_at,
        actor=e.actor,
        reason=e.reason,
        reverses=e.reverses,
        reversed_by=reversed_by,
    )


def licence_view(ws: Workspace, licence_id: str, today: date) -> LicencePublic:
    v = ws.licensing.licence(licence_id)
    entries = ws.licensing.ledger(licence_id)
    back = {e.reverses: e.entry_id for e in entries if e.kind is EntryKind.REVERSAL}
    return LicencePublic(
        **_licence_fields(v, today),
        ledger=[entry_public(e, back.get(e.entry_id)) for e in entries],
    )


def _summary(
    apps: list[ApplicationSummaryPublic], lics: list[LicenceSummaryPublic], today: date
) -> LicensingSummaryPublic:
    open_states = {s.value for s in (AppStatus.SUBMITTED, AppStatus.UNDER_REVIEW)} | {
        AppStatus.INFO_REQUESTED.value
    }
    watch = {"near_exhaustion", "exhausted", "near_expiry"}
    return LicensingSummaryPublic(
        as_of=today,
        applications_open=sum(a.status in open_states for a in apps),
        applications_draft=sum(a.status == AppStatus.DRAFT.value for a in apps),
        applications_overdue=sum(a.deadline.overdue for a in apps),
        applications_due_soon=sum(a.deadline.due_soon for a in apps),
        licences_active=sum(
            not ({"expired", "not_yet_valid", "used", "exhausted"} & set(x.flags)) for x in lics
        ),
        due=[a for a in apps if a.deadline.overdue or a.deadline.due_soon],
        flagged=[
            x for x in lics if watch & set(x.flags) and not {"expired", "used"} & set(x.flags)
        ],
    )


def licensing_summary(ws: Workspace, today: date) -> LicensingSummaryPublic:
    """Applications due or overdue and licences near exhaustion or expiry (dashboard)."""
    return _summary(application_summaries(ws, today), licence_summaries(ws, today), today)


def licences_overview(ws: Workspace, today: date) -> LicencesPublic:
    apps = application_summaries(ws, today)
    lics = licence_summaries(ws, today)
    return LicencesPublic(
        as_of=today, summary=_summary(apps, lics, today), applications=apps, licences=lics
    )


def ship_public(r: ShipResult, lic: Licence | None) -> ShipResultPublic:
    return ShipResultPublic(
        shipment_id=r.shipment_id,
        licence_id=r.licence_id,
        accepted=r.accepted,
        booked=r.entry is not None,
        violations=[ViolationPublic(code=v.code.value, message=v.message) for v in r.violations],
        entry=entry_public(r.entry) if r.entry else None,
        balance=balance_public(lic, r.balance) if r.balance and lic else None,
        determination=r.determination,
        duplicate=r.duplicate,
    )


def record_shipment(ws: Workspace, body: ShipmentCreate, actor: str) -> ShipResultPublic:
    s = ShipmentInput(
        shipment_id=body.shipment_id.strip(),
        part_id=body.part_id.strip(),
        quantity=body.quantity,
        value=body.value,
        currency=body.currency,
        exporter=body.exporter.strip(),
        consignee=body.consignee.strip(),
        end_user=body.end_user.strip(),
        destination=body.destination.strip(),
        shipped_on=body.shipped_on,
        end_use=body.end_use,
    )
    lid = (body.licence_id or "").strip() or None
    if lid and not s.destination and not s.end_user and not s.consignee:
        raise InputError(
            f"shipment {s.shipment_id}: give the destination country",
            [Problem("destination", None, None, "ISO 3166 alpha-2 code, e.g. PL")],
        )
    result = ws.licensing.ship(s, lid, actor=actor, reason=body.reason.strip())
    lic = ws.licensing.licence(lid).licence if lid and result.balance else None
    return ship_public(result, lic)


def reverse_drawdown(
    ws: Workspace, licence_id: str, entry_id: int, reason: str, actor: str
) -> ReversalPublic:
    """Cancel drawdown ``entry_id`` of ``licence_id`` with a reversal entry (audited)."""
    entry = ws.licensing.reverse(entry_id, actor=actor, reason=reason, licence_id=licence_id)
    v = ws.licensing.licence(licence_id)
    balance = next(b for b in v.balances if b.item_no == entry.item_no)
    return ReversalPublic(
        licence_id=licence_id,
        reverses=entry_id,
        entry=entry_public(entry),
        balance=balance_public(v.licence, balance),
    )


def today_of(ws: Workspace, today: date | None) -> date:
    """The date asked for, else today in China Standard Time from the workspace clock."""
    return today or ws.clock.today()


@dataclass(frozen=True, slots=True)
class Packet:
    body: bytes
    filename: str
    media_type: str


def packet(ws: Workspace, settings: Settings, application_id: int, kind: str) -> Packet:
    v = ws.licensing.application(application_id)
    with tempfile.TemporaryDirectory(prefix="raretrace-packet-") as tmp:
        if kind == "pdf":
            path = packets.write_pdf(
                v,
                FsPath(tmp) / "packet.pdf",
                generated_at=ws.clock.now(),
                font_path=settings.cjk_font_path,
            )
            media = "application/pdf"
        else:
            path = packets.write_xlsx(v, FsPath(tmp) / "packet.xlsx")
            media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        return Packet(path.read_bytes(), f"application-{application_id}.{kind}", media)
