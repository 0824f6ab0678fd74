"""``Workspace.screening``: the Python API for restricted-party screening.

Each method opens one unit of work (one transaction) and calls the use case in
``services.screening.use_cases``. The matcher index is cached per set of list versions, so
repeated screening does not rebuild it::

    ws.screening.import_list(Path("csl.csv"), fmt="csl", list_name="US CSL")
    run = ws.screening.screen_all()
    for hit in run.hits:
        print(hit.subject.name, hit.entry.name, hit.score, hit.features)
    ws.screening.decide(run.hits[0].hit_id, is_match=False, reason="...", by="A. Officer")
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from pathlib import Path
from threading import Lock

from raretrace.domain.network import Network
from raretrace.domain.screening import (
    AuditRow,
    Decision,
    Hit,
    ListFormat,
    ListVersion,
    ScreeningRun,
)
from raretrace.errors import InputError, Problem
from raretrace.screening import DEFAULT_THRESHOLD, Matcher
from raretrace.services.formats.party_lists import detect_format
from raretrace.services.screening import use_cases as svc
from raretrace.services.screening.alerts import AlertConfig, AlertEvent, send_alerts
from raretrace.services.screening.refresh import RefreshReport, refresh_list
from raretrace.storage.ports import UnitOfWork


class ScreeningAPI:
    def __init__(
        self,
        uow: Callable[[], AbstractContextManager[UnitOfWork]],
        network: Callable[[], Network],
        alerts: AlertConfig | None = None,
    ) -> None:
        self._uow = uow
        self._network = network
        self.alerts = alerts or AlertConfig()
        self._lock = Lock()
        self._cache: tuple[tuple[int, ...], tuple[Matcher, list[ListVersion]]] | None = None

    def import_list(
        self,
        path: Path,
        *,
        fmt: ListFormat | str | None = None,
        list_name: str,
        version_date: date | None = None,
        actor: str = "api",
        source: str | None = None,
    ) -> svc.ListImportReport:
        """Import a new version of ``list_name``; ``fmt`` None: told from the file
        (``party_lists.detect_format``)."""
        if fmt is None:
            fmt = detect_format(path)
        try:
            format_ = ListFormat(fmt)
        except ValueError:
            choices = ", ".join(f.value for f in ListFormat)
            msg = f"unknown format {fmt!r}; use one of {choices}"
            raise InputError(msg, [Problem(str(path), None, None, msg)]) from None
        with self._uow() as uow:
            return svc.import_list(
                uow,
                path,
                fmt=format_,
                list_name=list_name,
                version_date=version_date,
                actor=actor,
                source=source,
            )

    def refresh_list(
        self,
        path: Path,
        *,
        list_name: str,
        fmt: ListFormat | str | None = None,
        version_date: date | None = None,
        actor: str = "api",
        threshold: float = DEFAULT_THRESHOLD,
        review_threshold: float | None = None,
    ) -> RefreshReport:
        """Store a new version of ``list_name`` from a file or folder, re-screen the
        parties its changes can affect (one transaction), then alert on new open hits
        through the configured webhook / e-mail. A failed alert is reported in
        ``RefreshReport.alerts`` and the audit log; the refresh stays stored."""
        format_ = None
        if fmt is not None:
            try:
                format_ = ListFormat(fmt)
            except ValueError:
                choices = ", ".join(f.value for f in ListFormat)
                msg = f"unknown format {fmt!r}; use one of {choices}"
                raise InputError(msg, [Problem("--format", None, None, msg)]) from None
        network = self._network()
        with self._uow() as uow:
            report = refresh_list(
                uow,
                path,
                list_name=list_name,
                fmt=format_,
                version_date=version_date,
                actor=actor,
                network=network,
                threshold=threshold,
                review_threshold=review_threshold,
            )
        if not report.new_hits or not self.alerts.enabled:
            return report
        v, d = report.imported.version, report.imported.diff
        event = AlertEvent(
            list_name=v.list_name,
            version_id=v.version_id,
            version_date=v.version_date.isoformat(),
            run_id=report.run.run_id if report.run else None,
            added=len(d.added),
            changed=len(d.changed),
            removed=len(d.removed),
            hits=report.new_hits,
        )
        deliveries = send_alerts(self.alerts, event)
        with self._uow() as uow:
            for delivery in deliveries:
                uow.screening.log(
                    at=uow.clock.now(),
                    action="alert",
                    actor=actor,
                    run_id=event.run_id,
                    version_id=v.version_id,
                    detail=f"{delivery.channel} to {delivery.target}: "
                    f"{'sent' if delivery.ok else 'FAILED'} ({delivery.detail}); "
                    f"{len(report.new_hits)} new open hit(s)",
                )
        return replace(report, alerts=deliveries)

    def lists(self) -> list[ListVersion]:
        with self._uow() as uow:
            return svc.list_versions(uow)

    def _matcher(
        self, uow: UnitOfWork, lists: Sequence[str] | None
    ) -> tuple[Matcher, list[ListVersion]]:
        if lists:
            return svc.load_matcher(uow, lists)
        key = tuple(v.version_id or 0 for v in uow.screening.latest_versions())
        with self._lock:
            if self._cache and self._cache[0] == key:
                return self._cache[1]
        built = svc.load_matcher(uow)
        with self._lock:
            self._cache = (key, built)
        return built

    def screen_name(
        self,
        name: str,
        *,
        country: str = "",
        threshold: float = DEFAULT_THRESHOLD,
        lists: Sequence[str] | None = None,
        actor: str = "api",
        review_threshold: float | None = None,
        ids: Sequence[tuple[str, str]] = (),
    ) -> ScreeningRun:
        with self._uow() as uow:
            return svc.screen_name(
                uow,
                name,
                country=country,
                threshold=threshold,
                actor=actor,
                matcher=self._matcher(uow, lists),
                review_threshold=review_threshold,
                ids=ids,
            )

    def screen_parties(
        self,
        party_ids: Sequence[str] | None = None,
        *,
        threshold: float = DEFAULT_THRESHOLD,
        lists: Sequence[str] | None = None,
        actor: str = "api",
        review_threshold: float | None = None,
    ) -> ScreeningRun:
        """Screen the given parties, or every party when ``party_ids`` is None."""
        network = self._network()
        with self._uow() as uow:
            return svc.screen_parties(
                uow,
                party_ids,
                threshold=threshold,
                actor=actor,
                network=network,
                matcher=self._matcher(uow, lists),
                review_threshold=review_threshold,
            )

    def screen_all(
        self, *, threshold: float = DEFAULT_THRESHOLD, review_threshold: float | None = None
    ) -> ScreeningRun:
        return self.screen_parties(None, threshold=threshold, review_threshold=review_threshold)

    def decide_many(
        self, hit_ids: Sequence[int], *, is_match: bool, reason: str, by: str
    ) -> list[Decision]:
        """One decision for many hits, in one transaction (all or none)."""
        with self._uow() as uow:
            return [
                svc.decide(uow, h, is_match=is_match, reason=reason, decided_by=by)
                for h in dict.fromkeys(hit_ids)
            ]

    def hit(self, hit_id: int) -> Hit:
        with self._uow() as uow:
            return svc.get_hit(uow, hit_id)

    def decide(self, hit_id: int, *, is_match: bool, reason: str, by: str) -> Decision:
        with self._uow() as uow:
            return svc.decide(uow, hit_id, is_match=is_match, reason=reason, decided_by=by)

    def audit(self) -> list[AuditRow]:
        with self._uow() as uow:
            return svc.audit_trail(uow)

    def export_audit(self, path: Path) -> Path:
        return svc.write_audit_csv(self.audit(), path)


__all__ = ["ScreeningAPI"]
