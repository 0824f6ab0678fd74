"""Forms and declared compositions of synthetic parts (``analytics/synth.py``):
rare-earth oxides and compounds, NdFeB and SmCo magnets, bought-in metal parts."""

from __future__ import annotations

import numpy as np

from raretrace.analytics.synth_codes import (
    _E,
    ELEMENTS,
    F64,
    FORMS,
    I8,
    I32,
    I64,
    MAGNET_TYPES,
)
from raretrace.domain.parts import Form, MagnetType


def _forms(
    level: I8, parent: I32, child: I32, start: I64, counts: I64, rng: np.random.Generator
) -> tuple[I8, I8]:
    n = level.shape[0]
    form = np.full(n, FORMS.index(Form.OTHER), dtype=np.int8)
    magnet_type = np.full(n, MAGNET_TYPES.index(MagnetType.NONE), dtype=np.int8)

    lo, k = int(start[0]), int(counts[0])
    oxide = rng.random(k) < 0.75
    form[lo : lo + k] = np.where(oxide, FORMS.index(Form.OXIDE), FORMS.index(Form.COMPOUND))
    lo, k = int(start[1]), int(counts[1])
    metal = rng.random(k) < 0.5
    form[lo : lo + k] = np.where(metal, FORMS.index(Form.METAL), FORMS.index(Form.ALLOY))
    lo, k = int(start[2]), int(counts[2])
    form[lo : lo + k] = FORMS.index(Form.MAGNET)
    smco = rng.random(k) < 0.12
    magnet_type[lo : lo + k] = np.where(
        smco, MAGNET_TYPES.index(MagnetType.SMCO), MAGNET_TYPES.index(MagnetType.NDFEB)
    )
    lo, k = int(start[3]), int(counts[3])
    target = rng.random(k) < 0.002
    form[lo : lo + k][target] = FORMS.index(Form.TARGET)
    # Made parts with a magnet directly in their BOM are deep-processed assemblies.
    with_magnet = np.zeros(n, dtype=bool)
    with_magnet[parent[level[child] == 2]] = True
    form[with_magnet & (level > 3)] = FORMS.index(Form.DEEP_PROCESSED_ASSEMBLY)
    return form, magnet_type


def _composition(
    start: I64, counts: I64, magnet_type: I8, rng: np.random.Generator
) -> tuple[I32, I8, F64]:
    blocks = [
        _oxide_fractions(int(counts[0]), rng),
        _magnet_fractions(magnet_type[start[2] : start[2] + counts[2]], rng),
        _bought_in_fractions(int(counts[3]), rng),
    ]
    parts, elements, fractions = [], [], []
    for first, frac in zip((start[0], start[2], start[3]), blocks, strict=True):
        # Floor to 5 decimals: short text, and the sum can only go down (stays <= 1).
        frac = np.floor(frac * 1e5) / 1e5
        row, col = np.nonzero(frac > 0)
        parts.append((row + first).astype(np.int32))
        elements.append(col.astype(np.int8))
        fractions.append(frac[row, col])
    order = np.lexsort((np.concatenate(elements), np.concatenate(parts)))
    return (
        np.concatenate(parts)[order],
        np.concatenate(elements)[order],
        np.concatenate(fractions)[order],
    )


#: Element mass fraction of each element's usual oxide (Nd2O3, Pr6O11, Dy2O3, ...).
_OXIDE_FRACTION = np.array([0.857, 0.828, 0.871, 0.850, 0.862, 0.699, 0.311, 0.734, 0.799, 0.529])
_OXIDE_ODDS = np.array([0.22, 0.1, 0.1, 0.05, 0.06, 0.15, 0.08, 0.08, 0.08, 0.08])


def _oxide_fractions(k: int, rng: np.random.Generator) -> F64:
    """One main element (as oxide, or a leaner compound) plus sometimes an impurity."""
    out = np.zeros((k, len(ELEMENTS)))
    rows = np.arange(k)
    main = rng.choice(len(ELEMENTS), size=k, p=_OXIDE_ODDS / _OXIDE_ODDS.sum())
    lean = np.where(rng.random(k) < 0.25, 0.75, 1.0)  # fluorides, carbonates ...
    out[rows, main] = _OXIDE_FRACTION[main] * lean * rng.uniform(0.97, 1.0, k)
    dirty = rng.random(k) < 0.4
    other = (main + 1 + rng.integers(0, len(ELEMENTS) - 1, k)) % len(ELEMENTS)
    out[rows[dirty], other[dirty]] = rng.uniform(0.001, 0.02, int(dirty.sum()))
    return out


def _magnet_fractions(types: I8, rng: np.random.Generator) -> F64:
    """Declared compositions of sintered NdFeB and SmCo magnets."""
    k = types.shape[0]
    out = np.zeros((k, len(ELEMENTS)))
    nd = types == MAGNET_TYPES.index(MagnetType.NDFEB)
    m = int(nd.sum())
    block = np.zeros((m, len(ELEMENTS)))
    block[:, _E["Nd"]] = rng.uniform(0.20, 0.29, m)
    block[:, _E["Pr"]] = rng.uniform(0.0, 0.07, m)
    block[:, _E["Dy"]] = np.where(rng.random(m) < 0.6, rng.uniform(0.005, 0.06, m), 0.0)
    block[:, _E["Tb"]] = np.where(rng.random(m) < 0.25, rng.uniform(0.002, 0.012, m), 0.0)
    block[:, _E["B"]] = rng.uniform(0.009, 0.011, m)
    block[:, _E["Co"]] = np.where(rng.random(m) < 0.5, rng.uniform(0.005, 0.03, m), 0.0)
    block[:, _E["Fe"]] = 0.99 - block.sum(axis=1)
    out[nd] = block
    m = k - m
    block = np.zeros((m, len(ELEMENTS)))
    block[:, _E["Sm"]] = rng.uniform(0.23, 0.27, m)
    block[:, _E["Fe"]] = rng.uniform(0.14, 0.18, m)
    block[:, _E["Cu"]] = rng.uniform(0.05, 0.08, m)
    block[:, _E["Co"]] = 0.97 - block.sum(axis=1)  # Sm2Co17 type; ~3 % Zr not listed
    out[~nd] = block
    return out


def _bought_in_fractions(k: int, rng: np.random.Generator) -> F64:
    """Common metals (Fe, Cu, Al, Co); a few bought-in parts hide a small Nd(Dy) magnet."""
    out = np.zeros((k, len(ELEMENTS)))
    cols = np.array([_E["Fe"], _E["Cu"], _E["Al"], _E["Co"]])
    present = rng.random((k, 4)) < np.array([0.7, 0.5, 0.4, 0.1])
    present[~present.any(axis=1), 0] = True
    w = rng.exponential(1.0, (k, 4)) * present
    total = rng.uniform(0.5, 0.95, k)
    out[:, cols] = w / w.sum(axis=1, keepdims=True) * total[:, None]
    hidden = rng.random(k) < 0.03
    out[hidden, _E["Nd"]] = rng.uniform(0.005, 0.03, int(hidden.sum()))
    dy = hidden & (rng.random(k) < 0.3)
    out[dy, _E["Dy"]] = rng.uniform(0.0005, 0.003, int(dy.sum()))
    return out
