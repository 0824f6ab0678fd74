"""Supplier surveys as one service object (``Workspace.surveys``): what was sent and
what came back, per supplier or in all. Each method opens its own unit of work. (The
workbook use cases are ``Workspace.make_survey``, ``read_surveys``, ``make_amrt``,
``read_amrt``, ``survey_workbook`` and ``survey_campaign``.)"""

from __future__ import annotations

from raretrace.domain.surveys import SurveyRequest, SurveyResponse
from raretrace.storage.ports import UnitOfWorkFactory


class SurveysService:
    def __init__(self, uow: UnitOfWorkFactory) -> None:
        self._uow = uow

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
