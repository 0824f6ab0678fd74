"""Supplier surveys as one service object (``Workspace.surveys``): make and read survey
workbooks and AMRT returns, the campaign, and what was sent and what came back, per
supplier or in all. Each method opens its own unit of work."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from raretrace.domain.clock import Clock
from raretrace.domain.surveys import CampaignRow, SurveyRequest, SurveyResponse
from raretrace.storage.ports import UnitOfWorkFactory

if TYPE_CHECKING:
    from raretrace.services.survey import SurveyReport, amrt


class SurveysService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def make(self, supplier_party_id: str, path: Path, **kw: Any) -> SurveyRequest:
        """A survey workbook for one supplier, recorded as a request (``kw``: see
        ``services.survey.make_survey``)."""
        from raretrace.services import survey as survey_service

        kw.setdefault("now", self._clock.now())
        with self._uow() as uow:
            return survey_service.make_survey(uow, supplier_party_id, path, **kw)

    def read(
        self, paths: list[Path], *, apply: bool = False, names: list[str] | None = None
    ) -> SurveyReport:
        """Read returned workbooks (``apply``: into the network). ``names``: what each
        file is called in problems and the stored answers."""
        from raretrace.services import survey as survey_service

        with self._uow() as uow:
            return survey_service.read_surveys(
                uow, paths, apply=apply, names=names, now=self._clock.now()
            )

    def make_amrt(self, supplier_party_id: str, path: Path, **kw: Any) -> SurveyRequest:
        """A pre-filled AMRT (RMI AMRT 1.3 layout) for one supplier, tracked as campaign
        ``amrt``."""
        from raretrace.services.survey import amrt_writer

        kw.setdefault("now", self._clock.now())
        with self._uow() as uow:
            return amrt_writer.make_amrt(uow, supplier_party_id, path, **kw)

    def read_amrt(
        self,
        path: Path,
        *,
        supplier: str | None = None,
        apply: bool = False,
        name: str | None = None,
    ) -> amrt.AmrtReport:
        """Read an AMRT return: smelters become sites, parts gain the smelter tier."""
        from raretrace.services.survey import amrt

        with self._uow() as uow:
            return amrt.apply_amrt(
                uow, path, supplier=supplier, apply=apply, now=self._clock.now(), name=name
            )

    def workbook(self, request_id: int) -> tuple[SurveyRequest, bytes]:
        """A survey request and the workbook sent with it, byte for byte."""
        from raretrace.services import survey as survey_service

        with self._uow() as uow:
            return survey_service.sent_workbook(uow, request_id)

    def campaign(self, *, today: date | None = None) -> list[CampaignRow]:
        """Who was sent a survey, who answered, who is overdue, as of ``today``."""
        from raretrace.services import survey as survey_service

        with self._uow() as uow:
            return survey_service.campaign(uow, today=today or self._clock.today())

    def responses(self) -> list[SurveyResponse]:
        """Every stored answer (survey workbooks and AMRT returns)."""
        with self._uow() as uow:
            return uow.surveys.responses()

    def of_supplier(self, party_id: str) -> tuple[list[SurveyRequest], list[SurveyResponse]]:
        """(requests sent to, answers received from) one supplier party, in one read."""
        with self._uow() as uow:
            requests = [r for r in uow.surveys.requests() if r.supplier_party_id == party_id]
            responses = [r for r in uow.surveys.responses() if r.supplier_party_id == party_id]
        return requests, responses
