"""Which licence or application covers a supply flow, and which products a part ends up
in: what the analyst needs next to "this flow needs a licence"."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from raretrace.domain.applications import Application, AppStatus
from raretrace.domain.licences import Licence
from raretrace.domain.network import BomLine
from raretrace.domain.parts import Part, PartKind

#: Applications that can still become a licence (or already did).
_LIVE = frozenset(
    {
        AppStatus.DRAFT,
        AppStatus.SUBMITTED,
        AppStatus.UNDER_REVIEW,
        AppStatus.INFO_REQUESTED,
        AppStatus.APPROVED,
    }
)


@dataclass(frozen=True, slots=True)
class Cover:
    """What covers a flow: a licence valid on the day, else a live application."""

    kind: str  # "licence" | "application"
    ref: str  # licence id, or application id as text
    label: str  # for people, e.g. "licence L-1 (general, valid to 2026-12-31)"


def products_of(
    part_id: str, parents: Mapping[str, Sequence[BomLine]], parts: Mapping[str, Part]
) -> list[str]:
    """Ids of the products that contain ``part_id`` (itself if it is one), sorted."""
    seen = {part_id}
    stack = [part_id]
    found: set[str] = set()
    while stack:
        pid = stack.pop()
        p = parts.get(pid)
        if p is not None and p.kind is PartKind.PRODUCT:
            found.add(pid)
        for line in parents.get(pid, ()):
            if line.parent_part_id not in seen:
                seen.add(line.parent_part_id)
                stack.append(line.parent_part_id)
    return sorted(found)


def find_cover(
    *,
    part_id: str,
    exporter_refs: Iterable[str],
    buyer_refs: Iterable[str],
    destination: str,
    as_of: date,
    licences: Sequence[Licence],
    applications: Sequence[Application],
) -> Cover | None:
    """The licence covering this flow on ``as_of`` (part on it, exporter, buyer named
    as importer or end user, destination named, inside validity), else the newest live
    application for it, else ``None``. ``exporter_refs``/``buyer_refs``: the site id
    and its party id (documents name either)."""
    exp = set(exporter_refs)
    buy = set(buyer_refs)
    for lic in licences:
        if (
            lic.item(part_id) is not None
            and lic.exporter in exp
            and (lic.importer in buy or buy & set(lic.end_users))
            and destination in lic.destinations
            and lic.valid_from <= as_of <= lic.valid_to
        ):
            return Cover(
                "licence",
                lic.licence_id,
                f"licence {lic.licence_id} ({lic.licence_type.value}, valid to "
                f"{lic.valid_to.isoformat()})",
            )
    live = [
        a
        for a in applications
        if a.status in _LIVE
        and any(i.part_id == part_id for i in a.items)
        and a.exporter in exp
        and (a.importer in buy or a.end_user in buy)
        and a.destination == destination
    ]
    if live:
        a = max(live, key=lambda a: a.application_id or 0)
        return Cover(
            "application",
            str(a.application_id),
            f"application #{a.application_id} ({a.status.value.replace('_', ' ')})",
        )
    return None
