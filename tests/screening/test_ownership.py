"""Ownership look-through: >= 50 % link by link, paths, cycles."""

from __future__ import annotations

from raretrace.domain.parties import Party
from raretrace.screening import look_through


def party(pid: str, owner: str | None = None, pct: float | None = None) -> Party:
    return Party(pid, pid, "CN", owner_party_id=owner, ownership_pct=pct)


def test_chain_of_majority_links_is_flagged_with_its_path() -> None:
    parties = [party("L"), party("A", "L", 60), party("B", "A", 50), party("C", "B", 49)]
    found = {o.party_id: o for o in look_through(parties, {"L"})}
    assert set(found) == {"A", "B"}  # C is only 49 % owned by B
    b = found["B"]
    assert b.listed_party_id == "L"
    assert [(p.owner_party_id, p.owned_party_id, p.pct) for p in b.path] == [
        ("L", "A", 60),
        ("A", "B", 50),
    ]
    assert b.effective_pct == 30.0


def test_listed_parties_and_cycles() -> None:
    parties = [party("X", "Y", 80), party("Y", "X", 80), party("L")]
    assert look_through(parties, {"L"}) == []
    assert [o.party_id for o in look_through(parties, {"X"})] == ["Y"]


def test_unknown_owner_ends_the_chain() -> None:
    assert look_through([party("A", "GONE", 90)], {"L"}) == []
