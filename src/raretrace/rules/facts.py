"""The facts rules are evaluated on: plain numpy columns, one row per part or shipment.

The engine never computes facts; ``services.classification`` builds them from the
declared composition or a rollup, so the way content and origin are worked out can
change without touching a rule. Unknown values are explicit: NaN in float columns, ``""``
in text columns, ``-1`` in tri-state columns, ``CONTENT_UNKNOWN`` in ``content_basis``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from typing import Any

import numpy as np
from numpy.typing import NDArray

from raretrace.domain.parts import Form, MagnetType, PartKind

F64 = NDArray[np.float64]
I8 = NDArray[np.int8]
Bool = NDArray[np.bool_]
Str = NDArray[np.str_]
Idx = NDArray[np.intp]

#: Code tables: the value in a categorical column is the index in these tuples.
FORMS: tuple[Form, ...] = tuple(Form)
MAGNET_TYPES: tuple[MagnetType, ...] = tuple(MagnetType)
KINDS: tuple[PartKind, ...] = tuple(PartKind)

#: ``content_basis`` codes: where a part's element content came from.
CONTENT_DECLARED, CONTENT_ROLLED_UP, CONTENT_UNKNOWN = 0, 1, 2
CONTENT_BASES: tuple[str, ...] = ("declared", "rolled_up", "unknown")

#: Declared end-use categories a shipment can carry ("" = not declared).
END_USES: tuple[str, ...] = (
    "civilian",
    "military",
    "wmd",
    "terrorism",
    "advanced_chip",
    "military_ai",
    "humanitarian",
)


def codes(values: Sequence[str], table: Sequence[str]) -> I8:
    """Encode text values as indices into ``table`` (raises KeyError on an unknown one)."""
    index = {str(v): i for i, v in enumerate(table)}
    return np.fromiter((index[str(v)] for v in values), dtype=np.int8, count=len(values))


@dataclass(frozen=True, slots=True)
class PartFacts:
    """Facts about ``n`` parts, column by column.

    ``mass_fraction[i, j]`` is the mass fraction of ``elements[j]`` in part ``i`` (an
    element not in ``elements`` counts as 0 unless the content is unknown).
    ``cn_value_share`` is the share of the part's value that is Chinese-origin
    controlled (Annex 1 Part 1) material; ``origin_country`` is where the part was made.
    """

    part_ids: tuple[str, ...]
    elements: tuple[str, ...]
    mass_fraction: F64
    form: I8
    magnet_type: I8
    kind: I8
    deep_processed: Bool
    cn_value_share: F64
    origin_country: Str
    content_basis: I8

    def __post_init__(self) -> None:
        n = len(self.part_ids)
        if self.mass_fraction.shape != (n, len(self.elements)):
            raise ValueError("mass_fraction must be (n_parts, n_elements)")
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray) and len(value) != n:
                raise ValueError(f"column {f.name} has {len(value)} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.part_ids)

    @classmethod
    def build(
        cls,
        part_ids: Sequence[str],
        *,
        content: Sequence[dict[str, float] | None],
        form: Sequence[str],
        magnet_type: Sequence[str],
        kind: Sequence[str],
        deep_processed: Sequence[bool] | None = None,
        cn_value_share: Sequence[float | None] | None = None,
        origin_country: Sequence[str] | None = None,
        content_basis: Sequence[str] | None = None,
    ) -> PartFacts:
        """Facts from plain Python values (``None`` content = unknown)."""
        n = len(part_ids)
        elements = tuple(sorted({e for c in content if c for e in c}))
        col = {e: j for j, e in enumerate(elements)}
        mf = np.zeros((n, len(elements)), dtype=np.float64)
        for i, c in enumerate(content):
            for e, v in (c or {}).items():
                mf[i, col[e]] = v
        basis = content_basis or ["unknown" if c is None else "declared" for c in content]
        form_codes = codes(form, FORMS)
        dp = (
            np.asarray(deep_processed, dtype=bool)
            if deep_processed is not None
            else form_codes == FORMS.index(Form.DEEP_PROCESSED_ASSEMBLY)
        )
        shares = [np.nan if s is None else s for s in (cn_value_share or [None] * n)]
        return cls(
            part_ids=tuple(part_ids),
            elements=elements,
            mass_fraction=mf,
            form=form_codes,
            magnet_type=codes(magnet_type, MAGNET_TYPES),
            kind=codes(kind, KINDS),
            deep_processed=dp,
            cn_value_share=np.asarray(shares, dtype=np.float64),
            origin_country=np.asarray(origin_country or [""] * n, dtype="<U2"),
            content_basis=codes(basis, CONTENT_BASES),
        )

    def take(self, idx: Idx | Sequence[int]) -> PartFacts:
        """The rows ``idx``, in that order."""
        ix = np.asarray(idx, dtype=np.intp)
        return replace(
            self,
            part_ids=tuple(self.part_ids[i] for i in ix),
            **{k: v[ix] for k, v in _arrays(self).items()},
        )

    def fractions(self, elements: Sequence[str]) -> F64:
        """``(n, len(elements))`` mass fractions; 0 for elements not in the columns."""
        out = np.zeros((len(self), len(elements)), dtype=np.float64)
        for j, e in enumerate(elements):
            if e in self.elements:
                out[:, j] = self.mass_fraction[:, self.elements.index(e)]
        return out

    def row(self, i: int) -> dict[str, Any]:
        """Row ``i`` as plain values, for explanations."""
        return {
            "part_id": self.part_ids[i],
            "form": FORMS[self.form[i]].value,
            "magnet_type": MAGNET_TYPES[self.magnet_type[i]].value,
            "kind": KINDS[self.kind[i]].value,
            "deep_processed": bool(self.deep_processed[i]),
            "cn_value_share": _opt(float(self.cn_value_share[i])),
            "origin_country": str(self.origin_country[i]) or None,
            "content_basis": CONTENT_BASES[self.content_basis[i]],
        }


@dataclass(frozen=True, slots=True)
class ShipmentFacts:
    """Facts about ``n`` shipments; ``items`` holds the shipped part of each, row-aligned.

    ``*_listed`` says the party is on China's Control or Watch list;
    ``*_listed_owner_pct`` is the largest share (0-100) a listed party holds in it.
    ``chinese_re_technology`` is 1/0/-1 (yes/no/unknown): made abroad with Chinese
    rare-earth technology (Ann. 61 item 1(2)).
    """

    shipment_ids: tuple[str, ...]
    items: PartFacts
    exporter_country: Str
    destination_country: Str
    consignee_military: Bool
    consignee_listed: Bool
    consignee_listed_owner_pct: F64
    end_user_military: Bool
    end_user_listed: Bool
    end_user_listed_owner_pct: F64
    end_use: Str
    chinese_re_technology: I8

    def __post_init__(self) -> None:
        n = len(self.shipment_ids)
        if len(self.items) != n:
            raise ValueError("items must have one row per shipment")
        for name, value in _arrays(self).items():
            if len(value) != n:
                raise ValueError(f"column {name} has {len(value)} rows, expected {n}")

    def __len__(self) -> int:
        return len(self.shipment_ids)

    def take(self, idx: Idx | Sequence[int]) -> ShipmentFacts:
        ix = np.asarray(idx, dtype=np.intp)
        return replace(
            self,
            shipment_ids=tuple(self.shipment_ids[i] for i in ix),
            items=self.items.take(ix),
            **{k: v[ix] for k, v in _arrays(self).items()},
        )

    def row(self, i: int) -> dict[str, Any]:
        tech = int(self.chinese_re_technology[i])
        return {
            "shipment_id": self.shipment_ids[i],
            "exporter_country": str(self.exporter_country[i]) or None,
            "destination_country": str(self.destination_country[i]) or None,
            "consignee_military": bool(self.consignee_military[i]),
            "consignee_listed": bool(self.consignee_listed[i]),
            "consignee_listed_owner_pct": float(self.consignee_listed_owner_pct[i]),
            "end_user_military": bool(self.end_user_military[i]),
            "end_user_listed": bool(self.end_user_listed[i]),
            "end_user_listed_owner_pct": float(self.end_user_listed_owner_pct[i]),
            "end_use": str(self.end_use[i]) or None,
            "chinese_re_technology": None if tech < 0 else bool(tech),
        }


def shipment_facts(
    items: PartFacts,
    *,
    shipment_ids: Sequence[str] | None = None,
    exporter_country: Sequence[str],
    destination_country: Sequence[str],
    consignee_military: Sequence[bool] | None = None,
    consignee_listed: Sequence[bool] | None = None,
    consignee_listed_owner_pct: Sequence[float] | None = None,
    end_user_military: Sequence[bool] | None = None,
    end_user_listed: Sequence[bool] | None = None,
    end_user_listed_owner_pct: Sequence[float] | None = None,
    end_use: Sequence[str] | None = None,
    chinese_re_technology: Sequence[int] | None = None,
) -> ShipmentFacts:
    """Shipment facts from plain values; omitted party facts default to false / 0."""
    n = len(items)

    def flags(v: Sequence[bool] | None) -> Bool:
        return np.asarray(v if v is not None else [False] * n, dtype=bool)

    def pct(v: Sequence[float] | None) -> F64:
        return np.asarray(v if v is not None else [0.0] * n, dtype=np.float64)

    return ShipmentFacts(
        shipment_ids=tuple(shipment_ids or [str(i) for i in range(n)]),
        items=items,
        exporter_country=np.asarray(exporter_country, dtype="<U2"),
        destination_country=np.asarray(destination_country, dtype="<U2"),
        consignee_military=flags(consignee_military),
        consignee_listed=flags(consignee_listed),
        consignee_listed_owner_pct=pct(consignee_listed_owner_pct),
        end_user_military=flags(end_user_military),
        end_user_listed=flags(end_user_listed),
        end_user_listed_owner_pct=pct(end_user_listed_owner_pct),
        end_use=np.asarray(end_use if end_use is not None else [""] * n, dtype="<U16"),
        chinese_re_technology=np.asarray(
            chinese_re_technology if chinese_re_technology is not None else [-1] * n,
            dtype=np.int8,
        ),
    )


def any_of(mask: Bool, axis: int) -> Bool:
    """``mask.any(axis)`` typed as a boolean array."""
    return np.asarray(mask.any(axis=axis), dtype=bool)


def _arrays(obj: PartFacts | ShipmentFacts) -> dict[str, Any]:
    return {
        f.name: getattr(obj, f.name)
        for f in fields(obj)
        if isinstance(getattr(obj, f.name), np.ndarray)
    }


def _opt(x: float) -> float | None:
    return None if np.isnan(x) else x
