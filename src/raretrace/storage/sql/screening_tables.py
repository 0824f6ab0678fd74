"""Screening tables: list versions and entries, runs, hits, decisions, audit log.

Registered on the shared ``Base.metadata`` (imported by ``migrations/env.py``).
Tuple-valued fields (aliases, countries, feature explanations) are stored as JSON text
so the schema is identical on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column

from raretrace.storage.sql.tables import Base


class ListVersionRow(Base):
    __tablename__ = "screening_list_versions"
    version_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    list_name: Mapped[str] = mapped_column(String(200), index=True)
    format: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(Text)
    version_date: Mapped[date] = mapped_column(Date)
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    entry_count: Mapped[int] = mapped_column(Integer)


class ListEntryRow(Base):
    __tablename__ = "screening_entries"
    version_id: Mapped[int] = mapped_column(
        ForeignKey("screening_list_versions.version_id", ondelete="CASCADE"), primary_key=True
    )
    entry_key: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    aliases: Mapped[str] = mapped_column(Text, default="[]")
    countries: Mapped[str] = mapped_column(Text, default="[]")
    addresses: Mapped[str] = mapped_column(Text, default="[]")
    programs: Mapped[str] = mapped_column(Text, default="[]")
    entity_type: Mapped[str] = mapped_column(String(64), default="")
    source: Mapped[str] = mapped_column(Text, default="")
    license_policy: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    list_kind: Mapped[str] = mapped_column(String(32), default="", server_default="")
    #: JSON list of [scheme, value] registration numbers
    ids: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")
    #: JSON list of dates of birth (EDTF text, see ``screening.births``)
    dates_of_birth: Mapped[str] = mapped_column(Text, default="[]", server_default="[]")


class RunRow(Base):
    __tablename__ = "screening_runs"
    run_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    scope: Mapped[str] = mapped_column(String(16))
    query: Mapped[str] = mapped_column(Text)
    threshold: Mapped[float] = mapped_column(Float)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    list_version_ids: Mapped[str] = mapped_column(Text)  # JSON list
    subjects: Mapped[int] = mapped_column(Integer)


class HitRow(Base):
    __tablename__ = "screening_hits"
    hit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[int] = mapped_column(
        ForeignKey("screening_runs.run_id", ondelete="CASCADE"), index=True
    )
    hit_key: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    subject_name: Mapped[str] = mapped_column(Text)
    party_id: Mapped[str | None] = mapped_column(String(200), nullable=True)
    subject_country: Mapped[str] = mapped_column(String(8), default="")
    list_name: Mapped[str] = mapped_column(String(200))
    version_id: Mapped[int | None] = mapped_column(
        ForeignKey("screening_list_versions.version_id"), nullable=True
    )
    entry_key: Mapped[str] = mapped_column(String(200))
    entry_name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    threshold: Mapped[float] = mapped_column(Float)
    features: Mapped[str] = mapped_column(Text, default="[]")  # JSON
    path: Mapped[str] = mapped_column(Text, default="[]")  # JSON


class DecisionRow(Base):
    __tablename__ = "screening_decisions"
    decision_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    hit_key: Mapped[str] = mapped_column(String(64))
    hit_id: Mapped[int | None] = mapped_column(
        ForeignKey("screening_hits.hit_id", ondelete="SET NULL"), nullable=True
    )
    is_match: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_screening_decisions_key", "hit_key", "decided_at"),)


class AuditRow(Base):
    """Append-only log of what was done: list imports, runs, decisions."""

    __tablename__ = "screening_audit"
    audit_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    action: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(200))
    run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    hit_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    version_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str] = mapped_column(Text, default="")
