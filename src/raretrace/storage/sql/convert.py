"""Row <-> domain record conversion, one pair of functions per network table."""

from __future__ import annotations

from typing import Any

from raretrace.domain.network import BomLine, Production, SupplyLink
from raretrace.domain.parties import Party, Role, Site
from raretrace.domain.parts import CompositionLine, Form, MagnetType, Part, PartKind


def to_row(table: str, rec: Any) -> dict[str, Any]:
    """A domain record as a dict of column values."""
    match table:
        case "parties":
            return {
                "party_id": rec.party_id,
                "name": rec.name,
                "country": rec.country,
                "roles": ";".join(r.value for r in rec.roles),
                "military_end_user": rec.military_end_user,
                "owner_party_id": rec.owner_party_id,
                "ownership_pct": rec.ownership_pct,
                "notes": rec.notes,
            }
        case "parts":
            return {
                "part_id": rec.part_id,
                "name": rec.name,
                "kind": rec.kind.value,
                "uom": rec.uom,
                "mass_kg": rec.mass_kg,
                "unit_value": rec.unit_value,
                "currency": rec.currency,
                "hs_code": rec.hs_code,
                "form": rec.form.value,
                "magnet_type": rec.magnet_type.value,
                "notes": rec.notes,
                "source": rec.source,
            }
        case "sites" | "composition" | "bom" | "supply" | "production":
            return {name: getattr(rec, name) for name in rec.__slots__}
    raise ValueError(f"unknown table {table!r}")


def from_row(table: str, row: Any) -> Any:
    """A SQL row (attribute access) as a domain record."""
    match table:
        case "parties":
            return Party(
                party_id=row.party_id,
                name=row.name,
                country=row.country,
                roles=tuple(Role(r) for r in row.roles.split(";") if r),
                military_end_user=bool(row.military_end_user),
                owner_party_id=row.owner_party_id,
                ownership_pct=row.ownership_pct,
                notes=row.notes or "",
            )
        case "sites":
            return Site(
                site_id=row.site_id,
                party_id=row.party_id,
                name=row.name,
                country=row.country,
                city=row.city or "",
                notes=row.notes or "",
            )
        case "parts":
            return Part(
                part_id=row.part_id,
                name=row.name,
                kind=PartKind(row.kind),
                uom=row.uom,
                mass_kg=row.mass_kg,
                unit_value=row.unit_value,
                currency=row.currency,
                hs_code=row.hs_code or "",
                form=Form(row.form),
                magnet_type=MagnetType(row.magnet_type),
                notes=row.notes or "",
                source=row.source or "",
            )
        case "composition":
            return CompositionLine(row.part_id, row.element, row.mass_fraction, row.source or "")
        case "bom":
            return BomLine(row.parent_part_id, row.child_part_id, row.quantity)
        case "supply":
            return SupplyLink(
                row.supplier_site_id, row.part_id, row.buyer_site_id, row.share, row.lead_time_days
            )
        case "production":
            return Production(row.site_id, row.part_id, row.units_per_year)
    raise ValueError(f"unknown table {table!r}")
