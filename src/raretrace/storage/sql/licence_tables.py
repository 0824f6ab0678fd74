"""Licence applications, licences and the append-only licence ledger.

Registered on the shared ``Base.metadata``. Masses are integer milligrams
(``BigInteger``); money is stored as the exact ``Decimal`` text (SQLite has no exact
decimal type), lists as JSON text, so the schema is identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from raretrace.storage.sql.tables import Base


class ApplicationRow(Base):
    __tablename__ = "licence_applications"
    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    exporter: Mapped[str] = mapped_column(String(200))
    importer: Mapped[str] = mapped_column(String(200))
    end_user: Mapped[str] = mapped_column(String(200))
    destination: Mapped[str] = mapped_column(String(2))
    contract_ref: Mapped[str] = mapped_column(String(200))
    end_use: Mapped[str] = mapped_column(Text)
    licence_type: Mapped[str] = mapped_column(String(20))
    rule_pack: Mapped[str] = mapped_column(String(100))
    review_working_days: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    items: Mapped[str] = mapped_column(Text)  # JSON list
    # Licence-face particulars (migration 0012), a JSON object (``LicenceFace``).
    face: Mapped[str] = mapped_column(Text, default="{}", server_default="{}")


class ApplicationStatusRow(Base):
    __tablename__ = "licence_application_status"
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("licence_applications.application_id"), index=True
    )
    status: Mapped[str] = mapped_column(String(30))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text)


class ApplicationDocumentRow(Base):
    __tablename__ = "licence_application_documents"
    event_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("licence_applications.application_id"), index=True
    )
    key: Mapped[str] = mapped_column(String(50))
    state: Mapped[str] = mapped_column(String(20))
    reference: Mapped[str] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))


class LicenceRow(Base):
    __tablename__ = "licences"
    licence_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    licence_type: Mapped[str] = mapped_column(String(20))
    exporter: Mapped[str] = mapped_column(String(200))
    importer: Mapped[str] = mapped_column(String(200))
    end_users: Mapped[str] = mapped_column(Text)  # JSON list
    destinations: Mapped[str] = mapped_column(Text)  # JSON list
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date] = mapped_column(Date)
    application_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    notes: Mapped[str] = mapped_column(Text)


class LicenceItemRow(Base):
    __tablename__ = "licence_items"
    licence_id: Mapped[str] = mapped_column(ForeignKey("licences.licence_id"), primary_key=True)
    item_no: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    part_id: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    control_code: Mapped[str] = mapped_column(String(50))
    mass_mg: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[str] = mapped_column(String(50))
    currency: Mapped[str] = mapped_column(String(3))


class LedgerEntryRow(Base):
    __tablename__ = "licence_ledger"
    entry_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    licence_id: Mapped[str] = mapped_column(ForeignKey("licences.licence_id"), index=True)
    item_no: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    mass_mg: Mapped[int] = mapped_column(BigInteger)
    value: Mapped[str] = mapped_column(String(50))
    currency: Mapped[str] = mapped_column(String(3))
    shipment_id: Mapped[str] = mapped_column(String(200), index=True)
    shipped_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    destination: Mapped[str] = mapped_column(String(2))
    end_user: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    actor: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    # one reversal per drawdown at most
    reverses: Mapped[int | None] = mapped_column(
        ForeignKey("licence_ledger.entry_id"), nullable=True, unique=True
    )
