"""Price scenarios in YAML (docs/market.md): validated strictly, every unknown key
refused, every problem located by line and key.

::

    name: 2011 replay
    illustrative: true
    base_year: 2025          # the year increases are measured against
    first_year: 2026
    last_year: 2035
    form: oxide              # which price form the path is in (oxide or metal)
    pass_through: {metal: 0.0, alloy: 0.0, magnet: 0.0}   # margin added per stage
    steps:
      - scale: {moves: {Nd: {from: 130, to: 260}}, first: 2027, last: 2027, source: ...}
      - shock: {elements: [Dy, Tb], factor: 3, days: 90, year: 2027, source: ...}
      - floor: {elements: [Nd, Pr], price_per_kg: 110, first: 2025, last: 2034, source: ...}
      - path:  {prices: {Nd: {2028: 150}}, source: ...}
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from raretrace.domain.elements import RARE_EARTHS
from raretrace.domain.market import (
    FloorStep,
    PassThrough,
    PathStep,
    PriceScenario,
    ScaleStep,
    ShockStep,
    Step,
)
from raretrace.errors import InputError, Problem

__all__ = ["SCENARIOS", "load_price_scenario", "parse_price_scenario", "shipped_scenarios"]

SCENARIOS = Path(str(files("raretrace") / "data" / "market" / "scenarios"))
Year = Field(ge=1900, le=2200)


def _element(v: str) -> str:
    if v not in RARE_EARTHS:
        raise ValueError(f"{v!r} is not a rare-earth symbol (e.g. Nd, Dy)")
    return v


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Move(_Strict):
    from_: float = Field(alias="from", gt=0)
    to: float = Field(gt=0)


class ScaleModel(_Strict):
    factors: dict[str, float] = {}
    moves: dict[str, Move] = {}
    first: int = Year
    last: int = Year
    source: str = ""
    label: str = ""

    @field_validator("factors", "moves")
    @classmethod
    def _keys(cls, v: dict[str, Any]) -> dict[str, Any]:
        for k in v:
            _element(k)
        return v

    @model_validator(mode="after")
    def _some(self) -> ScaleModel:
        if not self.factors and not self.moves:
            raise ValueError("give factors {El: k} or moves {El: {from: p0, to: p1}}")
        if any(k <= 0 for k in self.factors.values()):
            raise ValueError("factors must be > 0")
        if self.last < self.first:
            raise ValueError("last is before first")
        return self


class ShockModel(_Strict):
    elements: list[str]
    factor: float = Field(gt=0)
    days: int = Field(ge=1, le=3660)
    year: int = Year
    start_day: int = Field(1, ge=1, le=366)
    source: str = ""
    label: str = ""

    @field_validator("elements")
    @classmethod
    def _els(cls, v: list[str]) -> list[str]:
        return [_element(x) for x in v]


class FloorModel(_Strict):
    elements: list[str]
    price_per_kg: float = Field(gt=0)
    first: int = Year
    last: int = Year
    source: str = ""
    label: str = ""

    @field_validator("elements")
    @classmethod
    def _els(cls, v: list[str]) -> list[str]:
        return [_element(x) for x in v]


class PathModel(_Strict):
    prices: dict[str, dict[int, float]]
    source: str = ""
    label: str = ""

    @field_validator("prices")
    @classmethod
    def _check(cls, v: dict[str, dict[int, float]]) -> dict[str, dict[int, float]]:
        for k, ys in v.items():
            _element(k)
            if any(p < 0 for p in ys.values()):
                raise ValueError("prices must be >= 0")
        return v


class StepModel(_Strict):
    scale: ScaleModel | None = None
    shock: ShockModel | None = None
    floor: FloorModel | None = None
    path: PathModel | None = None

    @model_validator(mode="after")
    def _one(self) -> StepModel:
        given = [k for k in ("scale", "shock", "floor", "path") if getattr(self, k) is not None]
        if len(given) != 1:
            raise ValueError("each step is exactly one of scale, shock, floor, path")
        return self


class PassThroughModel(_Strict):
    metal: float = Field(0.0, ge=0, le=10)
    alloy: float = Field(0.0, ge=0, le=10)
    magnet: float = Field(0.0, ge=0, le=10)


class ScenarioModel(_Strict):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    illustrative: bool = True
    base_year: int = Year
    first_year: int = Year
    last_year: int = Year
    form: Literal["oxide", "metal"] = "oxide"
    #: the currency of absolute prices (floor, path); required when there are any.
    #: A scenario of relative moves only (scale, shock) fits a table in any currency.
    currency: str | None = Field(None, pattern="^[A-Z]{3}$")
    pass_through: PassThroughModel = PassThroughModel()
    assumptions: list[str] = []
    steps: list[StepModel] = []

    @model_validator(mode="after")
    def _years(self) -> ScenarioModel:
        if self.last_year < self.first_year:
            raise ValueError("last_year is before first_year")
        if self.last_year - self.first_year > 50:
            raise ValueError("at most 51 plan years")
        absolute = any(st.floor is not None or st.path is not None for st in self.steps)
        if absolute and self.currency is None:
            raise ValueError("floor and path steps give prices: say their currency (currency: USD)")
        return self


def _step(m: StepModel) -> Step:
    if m.scale is not None:
        s = m.scale
        factors = dict(s.factors) | {e: mv.to / mv.from_ for e, mv in s.moves.items()}
        return ScaleStep(factors, s.first, s.last, s.source, s.label)
    if m.shock is not None:
        k = m.shock
        return ShockStep(
            tuple(k.elements), k.factor, k.days, k.year, k.start_day, k.source, k.label
        )
    if m.floor is not None:
        f = m.floor
        return FloorStep(tuple(f.elements), f.price_per_kg, f.first, f.last, f.source, f.label)
    assert m.path is not None
    return PathStep({e: dict(v) for e, v in m.path.prices.items()}, m.path.source, m.path.label)


MAX_BYTES = 256 * 1024
MAX_ALIASES = 100  # YAML aliases refused beyond this (no "billion laughs")


def parse_price_scenario(text: str, name: str = "<scenario>") -> PriceScenario:
    if len(text) > MAX_BYTES:
        raise InputError(f"{name}: over {MAX_BYTES} characters; a scenario is a short file")
    try:
        aliases = sum(isinstance(e, yaml.AliasEvent) for e in yaml.parse(text))
        if aliases > MAX_ALIASES:
            raise InputError(
                f"{name}: {aliases} YAML aliases",
                [Problem(name, None, None, f"more than {MAX_ALIASES} aliases (*name) are refused")],
            )
        data = yaml.safe_load(text)
        node = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        raise InputError(
            f"{name} is not valid YAML", [Problem(name, row, None, str(exc).splitlines()[0])]
        ) from None
    if not isinstance(data, dict):
        raise InputError(
            f"{name}: a price scenario is a mapping",
            [Problem(name, 1, None, "expected 'name: ...' and other keys")],
        )
    try:
        m = ScenarioModel.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(
                name,
                _line(node, err["loc"]),
                ".".join(str(x) for x in err["loc"]) or None,
                err["msg"],
            )
            for err in exc.errors()
        ]
        raise InputError(
            f"{name}: {len(problems)} problem(s) in the price scenario", problems
        ) from None
    pt = m.pass_through
    return PriceScenario(
        name=m.name,
        base_year=m.base_year,
        first_year=m.first_year,
        last_year=m.last_year,
        steps=tuple(_step(s) for s in m.steps),
        pass_through=PassThrough(pt.metal, pt.alloy, pt.magnet),
        form=m.form,
        currency=m.currency,
        description=m.description,
        illustrative=m.illustrative,
        source_file=name,
        assumptions=tuple(m.assumptions),
    )


def _line(node: Any, loc: tuple[Any, ...]) -> int | None:
    """1-based line of the YAML node at ``loc`` (the deepest one that exists)."""
    line = node.start_mark.line + 1 if node is not None else None
    for key in loc:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            nxt = next((v for k, v in node.value if str(k.value) == str(key)), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            nxt = node.value[key]
        if nxt is None:
            break
        node = nxt
        line = node.start_mark.line + 1
    return line


def load_price_scenario(path: Path) -> PriceScenario:
    """A scenario file, or the name of a shipped one (``replay-2011``)."""
    if not path.exists() and (SCENARIOS / f"{path.name}.yaml").exists():
        path = SCENARIOS / f"{path.name}.yaml"
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read price scenario {path}: {exc}") from None
    return parse_price_scenario(text, path.name)


def shipped_scenarios() -> list[str]:
    return sorted(p.stem for p in SCENARIOS.glob("*.yaml"))
