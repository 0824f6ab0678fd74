"""SQL implementation of ``ports.LicenceRepository``.

``lock_licence`` serialises drawdowns: on SQLite it opens the transaction with
``BEGIN IMMEDIATE`` (the write lock; see ``engine.py``), so it must be the first thing
the unit of work does; on PostgreSQL it reads the licence row ``FOR UPDATE``.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from raretrace.domain.applications import (
    AppItem,
    Application,
    AppStatus,
    DocEvent,
    DocState,
    LicenceFace,
    StatusChange,
)
from raretrace.domain.ledger import EntryKind, LedgerEntry
from raretrace.domain.licences import Licence, LicenceItem, LicenceType
from raretrace.storage.sql.licence_tables import (
    ApplicationDocumentRow,
    ApplicationRow,
    ApplicationStatusRow,
    LedgerEntryRow,
    LicenceItemRow,
    LicenceRow,
)


def _utc(dt: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return dt.replace(tzinfo=UTC) if dt.tzinfo is None else dt.astimezone(UTC)


def face_json(face: LicenceFace) -> dict[str, str]:
    """A licence face as JSON-ready text values (dates ISO, decimals exact)."""
    return {
        "trade_mode": face.trade_mode,
        "port_of_declaration": face.port_of_declaration,
        "payment": face.payment,
        "transport": face.transport,
        "consignor": face.consignor,
        "consignee": face.consignee,
        "contract_date": face.contract_date.isoformat() if face.contract_date else "",
        "total_usd": "" if face.total_usd is None else str(face.total_usd),
    }


def face_from_json(o: dict[str, str]) -> LicenceFace:
    return LicenceFace(
        trade_mode=o.get("trade_mode", ""),
        port_of_declaration=o.get("port_of_declaration", ""),
        payment=o.get("payment", ""),
        transport=o.get("transport", ""),
        consignor=o.get("consignor", ""),
        consignee=o.get("consignee", ""),
        contract_date=date.fromisoformat(o["contract_date"]) if o.get("contract_date") else None,
        total_usd=Decimal(o["total_usd"]) if o.get("total_usd") else None,
    )


class SqlLicenceRepository:
    def __init__(self, session: Session) -> None:
        self._s = session

    @property
    def _dialect(self) -> str:
        return self._s.get_bind().dialect.name

    # -- applications ------------------------------------------------------------------

    def add_application(self, app: Application) -> int:
        row = ApplicationRow(
            exporter=app.exporter,
            importer=app.importer,
            end_user=app.end_user,
            destination=app.destination,
            contract_ref=app.contract_ref,
            end_use=app.end_use,
            licence_type=app.licence_type,
            rule_pack=app.rule_pack,
            review_working_days=app.review_working_days,
            created_at=app.created_at,
            created_by=app.created_by,
            items=json.dumps(
                [
                    {
                        "part_id": i.part_id,
                        "description": i.description,
                        "control_codes": list(i.control_codes),
                        "mass_mg": i.mass_mg,
                        "value": str(i.value),
                        "currency": i.currency,
                        "hs_code": i.hs_code,
                        "spec_model": i.spec_model,
                        "name_zh": i.name_zh,
                    }
                    for i in app.items
                ]
            ),
            face=json.dumps(face_json(app.face), ensure_ascii=False, sort_keys=True),
        )
        if app.application_id is not None:
            row.application_id = app.application_id
        self._s.add(row)
        self._s.flush()
        for h in app.history:
            self.add_status(row.application_id, h)
        return row.application_id

    def application(self, application_id: int) -> Application | None:
        row = self._s.get(ApplicationRow, application_id)
        return None if row is None else self._app(row)

    def applications(self) -> list[Application]:
        rows = self._s.scalars(select(ApplicationRow).order_by(ApplicationRow.application_id))
        return [self._app(r) for r in rows]

    def _app(self, row: ApplicationRow) -> Application:
        hist = self._s.scalars(
            select(ApplicationStatusRow)
            .where(ApplicationStatusRow.application_id == row.application_id)
            .order_by(ApplicationStatusRow.event_id)
        )
        return Application(
            application_id=row.application_id,
            exporter=row.exporter,
            importer=row.importer,
            end_user=row.end_user,
            destination=row.destination,
            items=tuple(
                AppItem(
                    part_id=i["part_id"],
                    description=i["description"],
                    control_codes=tuple(i["control_codes"]),
                    mass_mg=int(i["mass_mg"]),
                    value=Decimal(i["value"]),
                    currency=i["currency"],
                    hs_code=i.get("hs_code", ""),
                    spec_model=i.get("spec_model", ""),
                    name_zh=i.get("name_zh", ""),
                )
                for i in json.loads(row.items)
            ),
            face=face_from_json(json.loads(row.face or "{}")),
            contract_ref=row.contract_ref,
            end_use=row.end_use,
            licence_type=row.licence_type,
            rule_pack=row.rule_pack,
            review_working_days=row.review_working_days,
            created_at=_utc(row.created_at),
            created_by=row.created_by,
            history=tuple(
                StatusChange(AppStatus(h.status), _utc(h.at), h.actor, h.note) for h in hist
            ),
        )

    def set_face(self, application_id: int, face: LicenceFace) -> None:
        row = self._s.get(ApplicationRow, application_id)
        if row is None:
            raise KeyError(application_id)
        row.face = json.dumps(face_json(face), ensure_ascii=False, sort_keys=True)
        self._s.flush()

    def add_status(self, application_id: int, change: StatusChange) -> None:
        self._s.add(
            ApplicationStatusRow(
                application_id=application_id,
                status=change.status.value,
                at=change.at,
                actor=change.actor,
                note=change.note,
            )
        )
        self._s.flush()

    def doc_events(self, application_id: int) -> list[DocEvent]:
        rows = self._s.scalars(
            select(ApplicationDocumentRow)
            .where(ApplicationDocumentRow.application_id == application_id)
            .order_by(ApplicationDocumentRow.event_id)
        )
        return [DocEvent(r.key, DocState(r.state), r.reference, _utc(r.at), r.actor) for r in rows]

    def add_doc_event(self, application_id: int, event: DocEvent) -> None:
        self._s.add(
            ApplicationDocumentRow(
                application_id=application_id,
                key=event.key,
                state=event.state.value,
                reference=event.reference,
                at=event.at,
                actor=event.actor,
            )
        )
        self._s.flush()

    # -- licences ----------------------------------------------------------------------

    def lock_licence(self, licence_id: str) -> Licence | None:
        if self._dialect == "sqlite":
            self._s.connection(execution_options={"immediate": True})
        row = self._s.execute(
            select(LicenceRow).where(LicenceRow.licence_id == licence_id).with_for_update()
        ).scalar_one_or_none()
        return None if row is None else self._licence(row)

    def lock_shipment(self, shipment_id: str) -> None:
        """Serialise bookings of one shipment id across licences: on PostgreSQL a
        transaction-scoped advisory lock on the id; on SQLite the write lock that
        ``lock_licence`` took already serialises every booking."""
        if self._dialect == "postgresql":
            self._s.execute(
                text("SELECT pg_advisory_xact_lock(hashtextextended(:k, 17))"),
                {"k": "shipment:" + shipment_id},
            )

    def drawdowns_of_shipment(self, shipment_id: str) -> list[LedgerEntry]:
        """Drawdowns booked under this shipment id (on any licence), oldest first."""
        q = (
            select(LedgerEntryRow)
            .where(LedgerEntryRow.shipment_id == shipment_id)
            .where(LedgerEntryRow.kind == EntryKind.DRAWDOWN.value)
            .order_by(LedgerEntryRow.entry_id)
        )
        return [self._entry(r) for r in self._s.scalars(q)]

    def licence(self, licence_id: str) -> Licence | None:
        row = self._s.get(LicenceRow, licence_id)
        return None if row is None else self._licence(row)

    def licences(self) -> list[Licence]:
        rows = self._s.scalars(select(LicenceRow).order_by(LicenceRow.licence_id))
        return [self._licence(r) for r in rows]

    def _licence(self, row: LicenceRow) -> Licence:
        items = self._s.scalars(
            select(LicenceItemRow)
            .where(LicenceItemRow.licence_id == row.licence_id)
            .order_by(LicenceItemRow.item_no)
        )
        return Licence(
            licence_id=row.licence_id,
            licence_type=LicenceType(row.licence_type),
            exporter=row.exporter,
            importer=row.importer,
            end_users=tuple(json.loads(row.end_users)),
            destinations=tuple(json.loads(row.destinations)),
            valid_from=row.valid_from,
            valid_to=row.valid_to,
            items=tuple(
                LicenceItem(
                    i.item_no,
                    i.part_id,
                    i.description,
                    i.control_code,
                    i.mass_mg,
                    Decimal(i.value),
                    i.currency,
                )
                for i in items
            ),
            application_id=row.application_id,
            notes=row.notes,
        )

    def add_licence(self, lic: Licence) -> None:
        self._s.add(
            LicenceRow(
                licence_id=lic.licence_id,
                licence_type=lic.licence_type.value,
                exporter=lic.exporter,
                importer=lic.importer,
                end_users=json.dumps(list(lic.end_users)),
                destinations=json.dumps(list(lic.destinations)),
                valid_from=lic.valid_from,
                valid_to=lic.valid_to,
                application_id=lic.application_id,
                notes=lic.notes,
            )
        )
        self._s.flush()
        for it in lic.items:
            self._s.add(
                LicenceItemRow(
                    licence_id=lic.licence_id,
                    item_no=it.item_no,
                    part_id=it.part_id,
                    description=it.description,
                    control_code=it.control_code,
                    mass_mg=it.mass_mg,
                    value=str(it.value),
                    currency=it.currency,
                )
            )
        self._s.flush()

    # -- ledger ------------------------------------------------------------------------

    def entries(self, licence_id: str | None = None) -> list[LedgerEntry]:
        q = select(LedgerEntryRow).order_by(LedgerEntryRow.entry_id)
        if licence_id is not None:
            q = q.where(LedgerEntryRow.licence_id == licence_id)
        return [self._entry(r) for r in self._s.scalars(q)]

    def entry(self, entry_id: int) -> LedgerEntry | None:
        row = self._s.get(LedgerEntryRow, entry_id)
        return None if row is None else self._entry(row)

    @staticmethod
    def _entry(r: LedgerEntryRow) -> LedgerEntry:
        return LedgerEntry(
            entry_id=r.entry_id,
            licence_id=r.licence_id,
            item_no=r.item_no,
            kind=EntryKind(r.kind),
            mass_mg=r.mass_mg,
            value=Decimal(r.value),
            currency=r.currency,
            shipment_id=r.shipment_id,
            shipped_on=r.shipped_on,
            destination=r.destination,
            end_user=r.end_user,
            recorded_at=_utc(r.recorded_at),
            actor=r.actor,
            reason=r.reason,
            reverses=r.reverses,
        )

    def append(self, e: LedgerEntry) -> LedgerEntry:
        row = LedgerEntryRow(
            licence_id=e.licence_id,
            item_no=e.item_no,
            kind=e.kind.value,
            mass_mg=e.mass_mg,
            value=str(e.value),
            currency=e.currency,
            shipment_id=e.shipment_id,
            shipped_on=e.shipped_on,
            destination=e.destination,
            end_user=e.end_user,
            recorded_at=e.recorded_at,
            actor=e.actor,
            reason=e.reason,
            reverses=e.reverses,
        )
        if e.entry_id is not None:
            row.entry_id = e.entry_id
        self._s.add(row)
        self._s.flush()
        return self._entry(row)

    def sync_sequences(self) -> None:
        """After inserting explicit ids (import), move PostgreSQL's id sequences past them."""
        if self._dialect != "postgresql":
            return
        for table, column, model in (
            ("licence_ledger", "entry_id", LedgerEntryRow.entry_id),
            ("licence_applications", "application_id", ApplicationRow.application_id),
        ):
            top = self._s.scalar(select(func.max(model)))
            if top is not None:
                self._s.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), :v)"),
                    {"v": top},
                )
