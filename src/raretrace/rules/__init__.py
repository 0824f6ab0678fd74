"""Export-control rule packs (YAML data) and the pure evaluator with explanations.

The only I/O here is ``builtin_packs()``, which reads the YAML files shipped in
``rules/packs``. User packs are read by ``services.classification.use_cases`` and parsed with
``parse_pack``. See ``docs/rules.md``.
"""

from __future__ import annotations

from importlib.resources import files

import yaml
from pydantic import ValidationError

from raretrace.errors import InputError, Problem
from raretrace.rules.book import (
    RuleBook,
    RuleStatus,
    SuspensionPolicy,
    check_packs,
    compile_book,
    rule_status,
)
from raretrace.rules.evaluation import (
    Determination,
    Reason,
    Verdicts,
    classify_items,
    determine_shipments,
    evaluate,
)
from raretrace.rules.facts import PartFacts, ShipmentFacts, shipment_facts
from raretrace.rules.predicates import REGISTRY
from raretrace.rules.schema import Outcome, Rule, RulePack, Scope

#: ``yaml.CSafeLoader`` where PyYAML was built with libyaml, else the pure-Python one.
_FAST_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_pack(text: str, source: str) -> RulePack:
    """Parse and validate one pack from YAML text; ``source`` names it in problems."""
    try:
        try:  # libyaml's parser (5-10x faster), the same safe constructor
            data = yaml.load(text, Loader=_FAST_LOADER)
        except yaml.YAMLError:
            data = yaml.safe_load(text)  # the pure-Python parser words the problem
    except yaml.YAMLError as exc:
        raise InputError(
            f"{source}: not valid YAML", [Problem(source, None, None, str(exc))]
        ) from None
    try:
        return RulePack.model_validate(data)
    except ValidationError as exc:
        problems = [
            Problem(source, None, ".".join(str(x) for x in e["loc"]) or None, e["msg"])
            for e in exc.errors()
        ]
        raise InputError(f"{source}: invalid rule pack", problems) from None


def builtin_packs() -> list[RulePack]:
    """The packs shipped with raretrace, in file-name order."""
    folder = files("raretrace.rules") / "packs"
    names = sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml"))
    return [parse_pack((folder / n).read_text(encoding="utf-8"), f"packs/{n}") for n in names]


__all__ = [
    "REGISTRY",
    "Determination",
    "Outcome",
    "PartFacts",
    "Reason",
    "Rule",
    "RuleBook",
    "RulePack",
    "RuleStatus",
    "Scope",
    "ShipmentFacts",
    "SuspensionPolicy",
    "Verdicts",
    "builtin_packs",
    "check_packs",
    "classify_items",
    "compile_book",
    "determine_shipments",
    "evaluate",
    "parse_pack",
    "rule_status",
    "shipment_facts",
]
