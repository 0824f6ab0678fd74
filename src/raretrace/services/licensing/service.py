"""Licence applications, licences and the licence ledger (use cases).

Every method opens its own unit of work. Drawdowns and reversals lock the licence first
(``LicenceRepository.lock_licence``), so two shipments racing for the last balance are
serialised on SQLite and PostgreSQL alike. Bad input raises ``InputError`` before
anything is written; a shipment that breaks the licence is *rejected* (``ShipResult``
with its violations) and nothing is booked.
"""

from __future__ import annotations

from raretrace.services.licensing.applications import ApplicationUseCases
from raretrace.services.licensing.base import (
    CHAIN_NOTE,
    DEFAULT_REVIEW_WORKING_DAYS,
    ApplicationView,
    ChainRow,
    ChainStep,
    EndUseChain,
    ItemInput,
    LicenceView,
    PartyInfo,
    ShipmentInput,
    ShipResult,
    calendar_for,
    chain_texts,
    check_hs_code,
)
from raretrace.services.licensing.ledger import LedgerUseCases


class LicensingService(ApplicationUseCases, LedgerUseCases):
    """Licence applications, licences and the ledger: the workspace's ``ws.licensing``.

    The use cases live in ``licensing_applications`` and ``licensing_ledger``; both
    share ``LicensingBase``'s dependencies, set by its ``__init__``."""


__all__ = [
    "CHAIN_NOTE",
    "DEFAULT_REVIEW_WORKING_DAYS",
    "ApplicationView",
    "ChainRow",
    "ChainStep",
    "EndUseChain",
    "ItemInput",
    "LicenceView",
    "LicensingService",
    "PartyInfo",
    "ShipResult",
    "ShipmentInput",
    "calendar_for",
    "chain_texts",
    "check_hs_code",
]
