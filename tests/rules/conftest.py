"""Fixtures for rule tests: the compiled shipped packs."""

from __future__ import annotations

import pytest

from raretrace.rules import RuleBook, builtin_packs, compile_book


@pytest.fixture(scope="session")
def book() -> RuleBook:
    return compile_book(builtin_packs())
