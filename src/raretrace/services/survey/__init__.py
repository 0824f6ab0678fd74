"""Rare-earth supplier surveys: generate a workbook per supplier, read answers back.

The workbook is modelled on the RMI reporting templates (Instructions, Declaration,
a parts list, a source list like the smelter list, next-tier suppliers; drop-downs
from a hidden ``Lists`` sheet). Table sheets have a title in row 1, help in row 2,
machine-readable column names in row 3 and answers from row 4.

Reading collects every located problem (``file [sheet S]``, row, column) before
anything is written. Answers become a partial network that goes through the same
merge -> ``validate_network`` -> diff -> upsert path as bundles
(``services/network/supplier_data.py``). Every stated fact is also kept as an ``Assertion``: when
two suppliers state different values for the same fact, that record is held back and
reported as a ``Conflict`` instead of merged.
"""

from raretrace.services.survey.answers import Answers, interpret
from raretrace.services.survey.campaign import SurveyReport, campaign, read_surveys
from raretrace.services.survey.layout import (
    BASIS,
    DECLARATION_KEYS,
    DEFAULT_CAMPAIGN,
    ELEMENT_CHOICES,
    HEADER_ROW,
    INSTRUCTIONS,
    LICENCE,
    MAGNET,
    MAX_ROWS,
    MAX_WORKBOOK_BYTES,
    SHEETS,
    SOURCE_ROLES,
    YES_NO,
    Col,
)
from raretrace.services.survey.prefill import Prefill, prefill
from raretrace.services.survey.reader import RawSurvey, Sheet, read_workbook
from raretrace.services.survey.writer import make_survey, sent_workbook, write_workbook

__all__ = [
    "BASIS",
    "DECLARATION_KEYS",
    "DEFAULT_CAMPAIGN",
    "ELEMENT_CHOICES",
    "HEADER_ROW",
    "INSTRUCTIONS",
    "LICENCE",
    "MAGNET",
    "MAX_ROWS",
    "MAX_WORKBOOK_BYTES",
    "SHEETS",
    "SOURCE_ROLES",
    "YES_NO",
    "Answers",
    "Col",
    "Prefill",
    "RawSurvey",
    "Sheet",
    "SurveyReport",
    "campaign",
    "interpret",
    "make_survey",
    "prefill",
    "read_surveys",
    "read_workbook",
    "sent_workbook",
    "write_workbook",
]
