"""The facts rules are evaluated on: plain numpy columns, one row per part or shipment.

The engine never computes facts; ``services.classification.use_cases`` builds them from the
declared composition or a rollup, so the way content and origin are worked out can
change without touching a rule. Unknown values are explicit: NaN in float columns, ``""``
in text columns, ``-1`` in tri-state columns, ``CONTENT_UNKNOWN`` in ``content_basis``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from fractions import Fraction
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

#: Declared end-use categories a shipment can carry ("" = not declared), with what each
#: means. ``japan_military_capability``: an end user or end use that helps enhance
#: Japan's military capability (Ann. 2026 No. 1, third limb; regime.md 9.1 row 5).
END_USE_HELP: dict[str, str] = {
    "civilian": "declared civilian use",
    "military": "military use",
    "wmd": "weapons of mass destruction or their delivery systems",
    "terrorism": "terrorist use",
    "advanced_chip": "R&D or production of <= 14 nm logic or >= 256-layer memory chips",
    "military_ai": "R&D of AI with potential military use",
    "humanitarian": "emergency medical care, public-health emergency or disaster relief",
    "japan_military_capability": "helps enhance Japan's military capability",
}
END_USES: tuple[str, ...] = tuple(END_USE_HELP)

#: China's export-control party lists a party can be on (regime.md 9.2): the Control
#: List (管控名单) and the Watch List (关注名单). ``listed`` = on one of them, which one
#: not known (e.g. a bare ``--listed`` option).
LIST_KINDS: tuple[str, ...] = ("control", "watch", "listed")

#: Dy + Tb at or below this share (0.1 %) by a third-party test is "usually exported
#: without a licence" according to a magnet vendor: practice, not law; no official
#: minimum content was found (regime.md 9.1 row 8, grade C; 1.2; 8.2). Used as the
#: trace level when the user has set no practice threshold of their own.
TRACE_LEVEL = 0.001

#: Elements whose content decides whether an NdFeB magnet is an Ann. 18 / Ann. 61
#: Part 2 magnet (Dy, Tb); used for the trace-amount facts.
HEAVY_MAGNET_ELEMENTS: tuple[str, ...] = ("Dy", "Tb")


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

    ``cn_value_exact`` holds the same share as an exact fraction (or None) where the
    service computed it from stored decimals; predicates compare it exactly.
    ``part2_magnet`` is 1/0/-1: the part is, or contains anywhere in its BOM, an Sm-Co
    magnet or an NdFeB magnet containing Dy or Tb (Ann. 61 Annex 1 Part 2, regime.md
    9.1 row 2). ``tested_dy_tb`` is Dy + Tb by a recorded test report (NaN: none);
    ``practice_threshold`` is the user's practice threshold for trace amounts (NaN:
    none set).
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
    part2_magnet: I8 | None = None
    cn_value_exact: NDArray[np.object_] | None = None
    tested_dy_tb: F64 | None = None
    practice_threshold: F64 | None = None

    def __post_init__(self) -> None:
        n = len(self.part_ids)
        if self.part2_magnet is None:
            object.__setattr__(self, "part2_magnet", _own_part2_magnet(self))
        for name in ("tested_dy_tb", "practice_threshold"):
            if getattr(self, name) is None:
                object.__setattr__(self, name, np.full(n, np.nan))
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
        part2_magnet: Sequence[int] | None = None,
        cn_value_exact: Sequence[Fraction | None] | None = None,
        tested_dy_tb: Sequence[float | None] | None = None,
        practice_threshold: Sequence[float | None] | None = None,
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
        exact = list(cn_value_exact) if cn_value_exact is not None else [None] * n
        shares = [np.nan if s is None else s for s in (cn_value_share or [None] * n)]
        shares = [float(x) if x is not None else s for s, x in zip(shares, exact, strict=True)]
        exact_col = np.empty(n, dtype=object)
        exact_col[:] = exact

        def floats(v: Sequence[float | None] | None) -> F64:
            return np.asarray([np.nan if x is None else x for x in (v or [None] * n)], np.float64)

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
            part2_magnet=None if part2_magnet is None else np.asarray(part2_magnet, np.int8),
            cn_value_exact=exact_col,
            tested_dy_tb=floats(tested_dy_tb),
            practice_threshold=floats(practice_threshold),
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
            "cn_value_exact": None if (x := self.exact(i)) is None else str(x),
            "part2_magnet": _tri(int(self.p2()[i])),
            "tested_dy_tb": _opt(float(self.tested()[i])),
            "practice_threshold": _opt(float(self.threshold()[i])),
        }

    # typed accessors for the columns filled in by __post_init__
    def p2(self) -> I8:
        assert self.part2_magnet is not None
        return self.part2_magnet

    def tested(self) -> F64:
        assert self.tested_dy_tb is not None
        return self.tested_dy_tb

    def threshold(self) -> F64:
        assert self.practice_threshold is not None
        return self.practice_threshold

    def exact(self, i: int) -> Fraction | None:
        if self.cn_value_exact is None:
            return None
        value = self.cn_value_exact[i]
        return value if isinstance(value, Fraction) else None


def _own_part2_magnet(f: PartFacts) -> I8:
    """Part 2 magnet from the row's own facts: Sm-Co, or NdFeB with Dy/Tb (-1 when the
    content of an NdFeB magnet is unknown)."""
    magnet = f.form == FORMS.index(Form.MAGNET)
    smco = f.magnet_type == MAGNET_TYPES.index(MagnetType.SMCO)
    ndfeb = f.magnet_type == MAGNET_TYPES.index(MagnetType.NDFEB)
    heavy = any_of(f.fractions(HEAVY_MAGNET_ELEMENTS) > 0, axis=1)
    unknown = f.content_basis == CONTENT_UNKNOWN
    out = np.zeros(len(f.part_ids), dtype=np.int8)
    out[magnet & (smco | (ndfeb & heavy))] = 1
    out[magnet & ndfeb & ~heavy & unknown] = -1
    return out


def _tri(v: int) -> bool | None:
    return None if v < 0 else bool(v)


@dataclass(frozen=True, slots=True)
class ShipmentFacts:
    """Facts about ``n`` shipments; ``items`` holds the shipped part of each, row-aligned.

    ``*_listed`` says the party is on China's Control or Watch list;
    ``*_listed_owner_pct`` is the largest share (0-100) a listed party holds in it.
    ``chinese_re_technology`` is 1/0/-1 (yes/no/unknown): made abroad with Chinese
    rare-earth technology (Ann. 61 item 1(2)).
    ``*_list_kind`` is the party's effective China list status (``LIST_KINDS``: control,
    watch, listed = on a list of unknown kind, "" = none), its own or inherited as a
    >= 50 %-owned subsidiary or as a branch (分公司) of a listed party, which
    ``*_list_via`` says (listed, subsidiary, branch).
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
    consignee_list_kind: Str
    consignee_list_via: Str
    end_user_list_kind: Str
    end_user_list_via: Str

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
            "consignee_list_kind": str(self.consignee_list_kind[i]) or None,
            "consignee_list_via": str(self.consignee_list_via[i]) or None,
            "end_user_list_kind": str(self.end_user_list_kind[i]) or None,
            "end_user_list_via": str(self.end_user_list_via[i]) or None,
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
    consignee_list_kind: Sequence[str] | None = None,
    consignee_list_via: Sequence[str] | None = None,
    end_user_list_kind: Sequence[str] | None = None,
    end_user_list_via: Sequence[str] | None = None,
) -> ShipmentFacts:
    """Shipment facts from plain values; omitted party facts default to false / 0.

    Without list kinds, a party flagged ``*_listed`` is on a list of unknown kind
    ("listed"), and one >= 50 % owned by a listed party inherits that as a subsidiary.
    An unknown end use or list kind raises ``ValueError`` naming the valid ones.
    """
    n = len(items)
    uses = list(end_use) if end_use is not None else [""] * n
    bad = sorted({u for u in uses if u and u not in END_USES})
    if bad:
        raise ValueError(f"unknown end use(s) {', '.join(bad)}; valid: {', '.join(END_USES)}")

    def kinds(
        kind: Sequence[str] | None,
        via: Sequence[str] | None,
        listed: Sequence[bool] | None,
        pct: Sequence[float] | None,
    ) -> tuple[Str, Str]:
        if kind is None:
            own = list(listed or [False] * n)
            owned = [x >= 50.0 for x in (pct or [0.0] * n)]
            kind = ["listed" if a or b else "" for a, b in zip(own, owned, strict=True)]
            via = [
                "listed" if a else "subsidiary" if b else ""
                for a, b in zip(own, owned, strict=True)
            ]
        wrong = sorted({k for k in kind if k and k not in LIST_KINDS})
        if wrong:
            raise ValueError(f"unknown list kind(s) {', '.join(wrong)}; valid: {LIST_KINDS}")
        via = list(via) if via is not None else ["listed" if k else "" for k in kind]
        return np.asarray(kind, dtype="<U8"), np.asarray(via, dtype="<U10")

    c_kind, c_via = kinds(
        consignee_list_kind, consignee_list_via, consignee_listed, consignee_listed_owner_pct
    )
    u_kind, u_via = kinds(
        end_user_list_kind, end_user_list_via, end_user_listed, end_user_listed_owner_pct
    )

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
        end_use=np.asarray(uses, dtype="<U32"),
        chinese_re_technology=np.asarray(
            chinese_re_technology if chinese_re_technology is not None else [-1] * n,
            dtype=np.int8,
        ),
        consignee_list_kind=c_kind,
        consignee_list_via=c_via,
        end_user_list_kind=u_kind,
        end_user_list_via=u_via,
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
