"""SQLAlchemy 2 table rows. Rows are not domain objects: ``storage/records.py`` maps them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimal stored as text, identical on SQLite and PostgreSQL."""

    impl = String(64)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> str | None:  # noqa: ARG002
        if value is None:
            return None
        return str(Decimal(value))

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:  # noqa: ARG002
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _fk(target: str) -> ForeignKey:
    # Deferred so a bulk load may insert rows in any order within one transaction.
    return ForeignKey(target, deferrable=True, initially="DEFERRED")


class MetaRow(Base):
    __tablename__ = "rt_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class PartyRow(Base):
    __tablename__ = "parties"
    party_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    roles: Mapped[str] = mapped_column(Text, default="")
    military_end_user: Mapped[bool] = mapped_column(Boolean, default=False)
    owner_party_id: Mapped[str | None] = mapped_column(_fk("parties.party_id"), nullable=True)
    ownership_pct: Mapped[float | None] = mapped_column(Float, nullable=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # Filing particulars (migration 0012): registered Chinese name, full address,
    # unified social credit code, contact and telephone.
    name_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    address_zh: Mapped[str] = mapped_column(Text, default="", server_default="")
    uscc: Mapped[str] = mapped_column(String(18), default="", server_default="")
    contact: Mapped[str] = mapped_column(Text, default="", server_default="")
    telephone: Mapped[str] = mapped_column(String(64), default="", server_default="")
    branch_of_party_id: Mapped[str | None] = mapped_column(_fk("parties.party_id"), nullable=True)


class SiteRow(Base):
    __tablename__ = "sites"
    site_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    party_id: Mapped[str] = mapped_column(_fk("parties.party_id"), index=True)
    name: Mapped[str] = mapped_column(Text)
    country: Mapped[str] = mapped_column(String(2))
    city: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")


class PartRow(Base):
    __tablename__ = "parts"
    part_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(32))
    uom: Mapped[str] = mapped_column(String(16), default="ea")
    mass_kg: Mapped[float | None] = mapped_column(Float, nullable=True)
    unit_value: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    hs_code: Mapped[str] = mapped_column(String(32), default="")
    form: Mapped[str] = mapped_column(String(32), default="other")
    magnet_type: Mapped[str] = mapped_column(String(16), default="none")
    notes: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(Text, default="")
    name_zh: Mapped[str] = mapped_column(Text, default="", server_default="")  # 0012


class CompositionRow(Base):
    __tablename__ = "composition"
    part_id: Mapped[str] = mapped_column(_fk("parts.part_id"), primary_key=True)
    element: Mapped[str] = mapped_column(String(3), primary_key=True)
    mass_fraction: Mapped[float] = mapped_column(Float)
    source: Mapped[str] = mapped_column(Text, default="")


class BomRow(Base):
    __tablename__ = "bom_lines"
    parent_part_id: Mapped[str] = mapped_column(_fk("parts.part_id"), primary_key=True)
    child_part_id: Mapped[str] = mapped_column(_fk("parts.part_id"), primary_key=True)
    quantity: Mapped[float] = mapped_column(Float)
    __table_args__ = (Index("ix_bom_lines_child", "child_part_id"),)


class SupplyRow(Base):
    __tablename__ = "supply_links"
    supplier_site_id: Mapped[str] = mapped_column(_fk("sites.site_id"), primary_key=True)
    part_id: Mapped[str] = mapped_column(_fk("parts.part_id"), primary_key=True)
    buyer_site_id: Mapped[str] = mapped_column(_fk("sites.site_id"), primary_key=True)
    share: Mapped[float] = mapped_column(Float)
    lead_time_days: Mapped[int | None] = mapped_column(Integer, nullable=True)
    __table_args__ = (
        Index("ix_supply_links_buyer", "buyer_site_id", "part_id"),
        Index("ix_supply_links_part", "part_id"),
    )


class ProductionRow(Base):
    __tablename__ = "production"
    site_id: Mapped[str] = mapped_column(_fk("sites.site_id"), primary_key=True)
    part_id: Mapped[str] = mapped_column(_fk("parts.part_id"), primary_key=True)
    units_per_year: Mapped[float | None] = mapped_column(Float, nullable=True)
    __table_args__ = (Index("ix_production_part", "part_id"),)


#: Network table name (``domain.network.TABLES``) -> row class.
NETWORK_ROWS: dict[str, type[Base]] = {
    "parties": PartyRow,
    "sites": SiteRow,
    "parts": PartRow,
    "composition": CompositionRow,
    "bom": BomRow,
    "supply": SupplyRow,
    "production": ProductionRow,
}


# The other table modules register on Base.metadata when imported: by their
# repositories (which the unit of work imports on first use) and all at once by
# ``all_tables()`` (Alembic's env.py, the migration test), so that a command reading
# the network does not pay for declaring the licence, screening or survey tables.
def all_tables() -> MetaData:
    """``Base.metadata`` with every table module of raretrace imported."""
    from raretrace.storage.sql import (  # noqa: F401
        auth_tables,
        classification_tables,
        job_tables,
        licence_tables,
        market_tables,
        rates_tables,
        screening_tables,
        survey_tables,
    )

    return Base.metadata
