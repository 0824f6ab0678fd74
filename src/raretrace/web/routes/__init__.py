"""Routers, one module per concern. Each module holds the HTML pages (``pages``) and
their JSON twins (``api``, mounted under ``/api/v1``); both call the same view function
and return the same ``schemas.*Public`` model.

To add a page family (licences, simulation, ...): write ``routes/<noun>.py`` with
``pages`` and ``api`` routers, append it to ``MODULES``, and add a ``NavItem`` in
``web/registry.py``.
"""

from __future__ import annotations

from types import ModuleType

from raretrace.web.routes import (
    admin,
    dashboard,
    health,
    imports,
    licence_forms,
    licences,
    login,
    market,
    parts,
    rates,
    rules,
    screening,
    simulation,
    supplier,
    suppliers,
    surveys,
    tracing,
)

MODULES: tuple[ModuleType, ...] = (
    health,
    login,
    dashboard,
    parts,
    tracing,
    suppliers,
    supplier,
    rules,
    screening,
    licence_forms,  # before licences: /licences/new is not a licence number
    licences,
    simulation,
    market,
    surveys,
    rates,
    imports,
    admin,
)

__all__ = ["MODULES"]
