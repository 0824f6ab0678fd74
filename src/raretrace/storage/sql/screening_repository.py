"""SQL implementation of ``ports.ScreeningRepository``."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from raretrace.domain.screening import (
    AuditRow,
    Decision,
    FeatureContribution,
    Hit,
    HitKind,
    ListEntry,
    ListFormat,
    ListVersion,
    OwnershipLink,
    ScreeningRun,
    Subject,
)
from raretrace.storage.sql import screening_tables as t


def _utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; they were stored as UTC."""
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def _version(row: t.ListVersionRow) -> ListVersion:
    return ListVersion(
        list_name=row.list_name,
        format=ListFormat(row.format),
        source=row.source,
        version_date=row.version_date,
        loaded_at=_utc(row.loaded_at),
        entry_count=row.entry_count,
        version_id=row.version_id,
    )


def _entry(row: t.ListEntryRow) -> ListEntry:
    return ListEntry(
        entry_key=row.entry_key,
        name=row.name,
        aliases=tuple(json.loads(row.aliases)),
        countries=tuple(json.loads(row.countries)),
        addresses=tuple(json.loads(row.addresses)),
        programs=tuple(json.loads(row.programs)),
        entity_type=row.entity_type,
        source=row.source,
        license_policy=row.license_policy,
        remarks=row.remarks,
        list_kind=row.list_kind or "",
        ids=tuple((str(k), str(v)) for k, v in json.loads(row.ids or "[]")),
        dates_of_birth=tuple(str(d) for d in json.loads(row.dates_of_birth or "[]")),
    )


def _decision(row: t.DecisionRow) -> Decision:
    return Decision(
        hit_key=row.hit_key,
        is_match=row.is_match,
        reason=row.reason,
        decided_by=row.decided_by,
        decided_at=_utc(row.decided_at),
        hit_id=row.hit_id,
        decision_id=row.decision_id,
    )


def _chunks(items: Sequence[Any], size: int) -> Iterator[list[Any]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


class SqlScreeningRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    # -- lists -------------------------------------------------------------------------

    def latest_versions(self) -> list[ListVersion]:
        newest = (
            select(t.ListVersionRow.list_name, func.max(t.ListVersionRow.version_id).label("v"))
            .group_by(t.ListVersionRow.list_name)
            .subquery()
        )
        rows = self._session.scalars(
            select(t.ListVersionRow)
            .join(newest, t.ListVersionRow.version_id == newest.c.v)
            .order_by(t.ListVersionRow.list_name)
        )
        return [_version(r) for r in rows]

    def latest_version(self, list_name: str) -> ListVersion | None:
        row = self._session.scalars(
            select(t.ListVersionRow)
            .where(t.ListVersionRow.list_name == list_name)
            .order_by(t.ListVersionRow.version_id.desc())
            .limit(1)
        ).first()
        return _version(row) if row else None

    def add_version(self, version: ListVersion, entries: Sequence[ListEntry]) -> ListVersion:
        row = t.ListVersionRow(
            list_name=version.list_name,
            format=version.format.value,
            source=version.source,
            version_date=version.version_date,
            loaded_at=version.loaded_at,
            entry_count=len(entries),
        )
        self._session.add(row)
        self._session.flush()
        vid = row.version_id
        payload = (
            {
                "version_id": vid,
                "entry_key": e.entry_key,
                "name": e.name,
                "aliases": json.dumps(list(e.aliases), ensure_ascii=False),
                "countries": json.dumps(list(e.countries)),
                "addresses": json.dumps(list(e.addresses), ensure_ascii=False),
                "programs": json.dumps(list(e.programs), ensure_ascii=False),
                "entity_type": e.entity_type,
                "source": e.source,
                "license_policy": e.license_policy,
                "remarks": e.remarks,
                "list_kind": e.list_kind,
                "ids": json.dumps([list(i) for i in e.ids], ensure_ascii=False),
                "dates_of_birth": json.dumps(list(e.dates_of_birth)),
            }
            for e in entries
        )
        for chunk in _chunks(list(payload), 5_000):
            self._session.execute(insert(t.ListEntryRow), chunk)
        return _version(row)

    def entries(self, version_id: int) -> list[ListEntry]:
        rows = self._session.scalars(
            select(t.ListEntryRow)
            .where(t.ListEntryRow.version_id == version_id)
            .order_by(t.ListEntryRow.entry_key)
        )
        return [_entry(r) for r in rows]

    # -- runs and hits -----------------------------------------------------------------

    def save_run(self, run: ScreeningRun) -> ScreeningRun:
        row = t.RunRow(
            scope=run.scope,
            query=run.query,
            threshold=run.threshold,
            started_at=run.started_at,
            list_version_ids=json.dumps(list(run.list_version_ids)),
            subjects=run.subjects,
        )
        self._session.add(row)
        self._session.flush()
        hits = []
        for hit in run.hits:
            hrow = _hit_row(row.run_id, hit)
            self._session.add(hrow)
            hits.append(hrow)
        self._session.flush()
        saved = tuple(_replace_hit_id(h, r.hit_id) for h, r in zip(run.hits, hits, strict=True))
        return ScreeningRun(
            run.scope,
            run.query,
            run.threshold,
            run.started_at,
            run.list_version_ids,
            run.subjects,
            saved,
            row.run_id,
        )

    def parties_hit(self, list_name: str, entry_keys: Collection[str]) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(sorted(entry_keys), 500):
            out.update(
                p
                for p in self._session.scalars(
                    select(t.HitRow.party_id)
                    .where(
                        t.HitRow.list_name == list_name,
                        t.HitRow.kind == HitKind.NAME.value,
                        t.HitRow.entry_key.in_(chunk),
                        t.HitRow.party_id.is_not(None),
                    )
                    .distinct()
                )
                if p is not None
            )
        return out

    def known_hit_keys(self, hit_keys: Collection[str], before_run: int) -> set[str]:
        out: set[str] = set()
        for chunk in _chunks(sorted(hit_keys), 500):
            out.update(
                self._session.scalars(
                    select(t.HitRow.hit_key)
                    .where(t.HitRow.hit_key.in_(chunk), t.HitRow.run_id < before_run)
                    .distinct()
                )
            )
        return out

    def hit(self, hit_id: int) -> Hit | None:
        row = self._session.get(t.HitRow, hit_id)
        if row is None:
            return None
        entry = None
        if row.version_id is not None:
            erow = self._session.get(t.ListEntryRow, (row.version_id, row.entry_key))
            entry = _entry(erow) if erow else None
        decisions = self.latest_decisions([row.hit_key])
        return _hit(row, entry, decisions.get(row.hit_key))

    # -- decisions and audit -----------------------------------------------------------

    def latest_decisions(self, hit_keys: Collection[str]) -> dict[str, Decision]:
        wanted = set(hit_keys)
        out: dict[str, Decision] = {}
        if not wanted:
            return out
        rows = self._session.scalars(
            select(t.DecisionRow).order_by(t.DecisionRow.decided_at, t.DecisionRow.decision_id)
        )
        for r in rows:
            if r.hit_key in wanted:
                out[r.hit_key] = _decision(r)
        return out

    def confirmed_listings(self) -> list[tuple[str, str, str, str]]:
        """(party id, list kind, list name, entry name) for every workspace party whose
        name hit a list entry and whose latest decision says it is a match."""
        entry = t.ListEntryRow
        hits = self._session.execute(
            select(
                t.HitRow.hit_key,
                t.HitRow.party_id,
                t.HitRow.entry_key,
                t.HitRow.list_name,
                t.HitRow.entry_name,
                entry.list_kind,
            )
            .outerjoin(
                entry,
                (entry.version_id == t.HitRow.version_id) & (entry.entry_key == t.HitRow.entry_key),
            )
            .where(t.HitRow.kind == HitKind.NAME.value, t.HitRow.party_id.is_not(None))
        ).all()
        decided = self.latest_decisions({h.hit_key for h in hits})
        out: dict[tuple[str, str, str], tuple[str, str, str, str]] = {}
        for h in hits:
            d = decided.get(h.hit_key)
            if d is None or not d.is_match or h.party_id is None:
                continue
            key = (h.party_id, h.list_name, h.entry_key)
            out[key] = (h.party_id, h.list_kind or "", h.list_name, h.entry_name)
        return sorted(out.values())

    def add_decision(self, decision: Decision) -> Decision:
        row = t.DecisionRow(
            hit_key=decision.hit_key,
            hit_id=decision.hit_id,
            is_match=decision.is_match,
            reason=decision.reason,
            decided_by=decision.decided_by,
            decided_at=decision.decided_at,
        )
        self._session.add(row)
        self._session.flush()
        return _decision(row)

    def log(
        self,
        *,
        at: datetime,
        action: str,
        actor: str,
        run_id: int | None = None,
        hit_id: int | None = None,
        version_id: int | None = None,
        detail: str = "",
    ) -> None:
        self._session.add(
            t.AuditRow(
                at=at,
                action=action,
                actor=actor,
                run_id=run_id,
                hit_id=hit_id,
                version_id=version_id,
                detail=detail,
            )
        )
        self._session.flush()

    def audit_rows(self) -> list[AuditRow]:
        versions = {r.version_id: r for r in self._session.scalars(select(t.ListVersionRow))}
        hits_by_run: dict[int, list[t.HitRow]] = {}
        hits: dict[int, t.HitRow] = {}
        for h in self._session.scalars(select(t.HitRow).order_by(t.HitRow.hit_id)):
            hits_by_run.setdefault(h.run_id, []).append(h)
            hits[h.hit_id] = h
        decisions = {d.decision_id: d for d in self._session.scalars(select(t.DecisionRow))}
        out: list[AuditRow] = []
        events = self._session.scalars(select(t.AuditRow).order_by(t.AuditRow.audit_id))
        for ev in events:
            at = _utc(ev.at)
            if ev.action == "list_import" and ev.version_id in versions:
                v = versions[ev.version_id]
                out.append(
                    AuditRow(
                        at,
                        ev.action,
                        ev.actor,
                        list_name=v.list_name,
                        list_version_date=v.version_date,
                        list_loaded_at=_utc(v.loaded_at),
                        detail=ev.detail,
                    )
                )
            elif ev.action == "screen" and ev.run_id is not None:
                out.append(AuditRow(at, ev.action, ev.actor, run_id=ev.run_id, detail=ev.detail))
                for h in hits_by_run.get(ev.run_id, []):
                    out.append(_hit_audit(at, ev.actor, h, versions, "hit", ev.detail))
            elif ev.action == "decision" and ev.hit_id in hits:
                h = hits[ev.hit_id]
                row = _hit_audit(at, ev.actor, h, versions, "decision", "")
                # the event's detail is the decision id (see services.screening.use_cases.decide)
                d = decisions.get(int(ev.detail)) if ev.detail.isdigit() else None
                if d is not None:
                    row = _with_decision(row, d)
                out.append(row)
            else:
                out.append(
                    AuditRow(at, ev.action, ev.actor, ev.run_id, ev.hit_id, detail=ev.detail)
                )
        return out


def _hit_row(run_id: int, hit: Hit) -> t.HitRow:
    return t.HitRow(
        run_id=run_id,
        hit_key=hit.hit_key,
        kind=hit.kind.value,
        subject_name=hit.subject.name,
        party_id=hit.subject.party_id,
        subject_country=hit.subject.country,
        list_name=hit.list_name,
        version_id=hit.list_version_id,
        entry_key=hit.entry.entry_key,
        entry_name=hit.entry.name,
        matched_name=hit.matched_name,
        score=hit.score,
        threshold=hit.threshold,
        features=json.dumps(
            [[f.feature, f.weight, f.value, f.contribution, f.detail] for f in hit.features],
            ensure_ascii=False,
        ),
        path=json.dumps([[p.owner_party_id, p.owned_party_id, p.pct] for p in hit.path]),
    )


def _replace_hit_id(hit: Hit, hit_id: int) -> Hit:
    return replace(hit, hit_id=hit_id)


def _hit(row: t.HitRow, entry: ListEntry | None, decision: Decision | None) -> Hit:
    feats = tuple(FeatureContribution(*f) for f in json.loads(row.features))
    path = tuple(OwnershipLink(*p) for p in json.loads(row.path))
    return Hit(
        hit_key=row.hit_key,
        kind=HitKind(row.kind),
        subject=Subject(row.subject_name, row.party_id, row.subject_country),
        list_name=row.list_name,
        list_version_id=row.version_id,
        entry=entry or ListEntry(row.entry_key, row.entry_name),
        matched_name=row.matched_name,
        score=row.score,
        threshold=row.threshold,
        features=feats,
        path=path,
        decision=decision,
        hit_id=row.hit_id,
    )


def _hit_audit(
    at: datetime,
    actor: str,
    h: t.HitRow,
    versions: dict[int, t.ListVersionRow],
    action: str,
    detail: str,
) -> AuditRow:
    v = versions.get(h.version_id) if h.version_id is not None else None
    version_date: date | None = v.version_date if v else None
    return AuditRow(
        at=at,
        action=action,
        actor=actor,
        run_id=h.run_id,
        hit_id=h.hit_id,
        subject=h.subject_name,
        party_id=h.party_id or "",
        list_name=h.list_name,
        list_version_date=version_date,
        list_loaded_at=_utc(v.loaded_at) if v else None,
        entry=h.entry_name,
        score=h.score,
        threshold=h.threshold,
        detail=f"{h.kind}: matched '{h.matched_name}'" + (f"; {detail}" if detail else ""),
    )


def _with_decision(row: AuditRow, d: t.DecisionRow) -> AuditRow:
    return replace(
        row,
        actor=d.decided_by,
        decision="match" if d.is_match else "no-match",
        reason=d.reason,
    )


__all__ = ["SqlScreeningRepository"]
