"""Apply returned surveys (diff, conflicts, write) and follow the campaign."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from raretrace.domain.network import TABLES, Network, record_key
from raretrace.domain.parties import Party
from raretrace.domain.surveys import (
    CampaignRow,
    Conflict,
    SurveyResponse,
    campaign_status,
    find_conflicts,
)
from raretrace.errors import InputError, Problem
from raretrace.services.formats.file_bounds import counted
from raretrace.services.network.supplier_data import ChangeSet, Partial, plan_and_apply
from raretrace.services.survey.answers import Answers, interpret
from raretrace.services.survey.reader import read_workbook
from raretrace.storage.ports import UnitOfWork

# --------------------------------------------------------------------------- apply


@dataclass(frozen=True, slots=True)
class SurveyReport:
    files: list[str]
    suppliers: list[str]
    changes: ChangeSet
    conflicts: list[Conflict]
    held: list[str]  #: "table key" of records held back because of conflicts


def _combine(answers: list[Answers], held: set[tuple[str, tuple[str, ...]]]) -> Partial:
    out = Partial(Network())
    merged: dict[tuple[str, tuple[str, ...]], object] = {}
    for a in answers:
        for table in TABLES:
            for rec in getattr(a.partial.network, table):
                key = record_key(table, rec)
                if (table, key) in held:
                    continue
                prev = merged.get((table, key))
                if isinstance(prev, Party) and isinstance(rec, Party):
                    roles = tuple(dict.fromkeys((*prev.roles, *rec.roles)))
                    rec = replace(rec, roles=roles)
                merged[(table, key)] = rec
                out.where[(table, key)] = a.partial.where[(table, key)]
    for (table, _key), rec in merged.items():
        getattr(out.network, table).append(rec)
    return out


def read_surveys(
    uow: UnitOfWork,
    paths: list[Path],
    *,
    apply: bool = False,
    now: datetime | None = None,
    names: list[str] | None = None,
) -> SurveyReport:
    """Validate returned workbooks, diff them against the workspace, report conflicts
    between suppliers and (``apply``) write the rest in the caller's unit of work.
    ``names``: what each file is called in problems and in the stored answers (default:
    its path), e.g. the uploaded file's name rather than the staging folder."""
    stored = uow.network.load()
    problems: list[Problem] = []
    count = 0
    answers: list[Answers] = []
    labels = names or [str(p) for p in paths]
    if len(labels) != len(paths):
        raise ValueError("give one name per path")
    requests = uow.surveys.requests()
    for path, label in zip(paths, labels, strict=True):
        try:
            answers.append(interpret(read_workbook(path, label), stored, requests))
        except InputError as exc:
            found = exc.problems or [Problem(label, None, None, str(exc))]
            problems.extend(found)
            count += counted(found)
    if problems:
        raise InputError(f"{count} problem(s) in the survey file(s); nothing was written", problems)
    previous = [a for r in uow.surveys.responses() for a in r.assertions]
    batch = [a for ans in answers for a in ans.assertions]
    conflicts = [
        c for c in find_conflicts([*previous, *batch]) if any(a in batch for a in c.answers)
    ]
    held_keys = {(c.table, c.key) for c in conflicts if c.table in TABLES}
    partial = _combine(answers, held_keys)
    changes = plan_and_apply(uow, partial, label=", ".join(labels), apply=apply)
    if apply:
        received = now or uow.clock.now()
        for ans in answers:
            mine = [a for a in ans.assertions if (a.table, a.key) not in held_keys]
            uow.surveys.add_response(
                SurveyResponse(
                    ans.supplier_party_id,
                    received,
                    ans.path,
                    ans.sha256,
                    tuple(mine),
                    ans.answered_on,
                    len(ans.assertions) - len(mine),
                )
            )
    return SurveyReport(
        files=labels,
        suppliers=sorted({a.supplier_party_id for a in answers}),
        changes=changes,
        conflicts=conflicts,
        held=sorted(f"{t} {' / '.join(k)}" for t, k in held_keys),
    )


def campaign(uow: UnitOfWork, *, today: date | None = None) -> list[CampaignRow]:
    """Who was sent a survey, who answered, who is overdue."""
    names = {p.party_id: p.name for p in uow.network.load().parties}
    day = today or uow.clock.today()
    return campaign_status(uow.surveys.requests(), uow.surveys.responses(), names, day)
