"""What a reader of a published sanctions list (UN, UK OFSI) kept aside while reading,
counted for the import notes: names in the party's own script kept as aliases, weak
aliases kept for review only, country names with no ISO code, dates of birth that are
not dates."""

from __future__ import annotations

from dataclasses import dataclass, field

from raretrace.services.formats.mofcom_lists import country_code

#: Dates of birth named one by one in a note; the rest are counted.
NAMED_DATES = 5


def bad_dates_note(bad: list[str], fate: str) -> tuple[str, ...]:
    """The import note on dates of birth that are not dates (each "row 7
    dates_of_birth: 'abc'"), the first ``NAMED_DATES`` named; ``fate`` says what became
    of them (" and were not kept")."""
    if not bad:
        return ()
    named = "; ".join(bad[:NAMED_DATES])
    more = f" and {len(bad) - NAMED_DATES} more" if len(bad) > NAMED_DATES else ""
    return (f"{len(bad)} dates of birth are not dates{fate}: {named}{more}",)


@dataclass(slots=True)
class ListCounts:
    own_script: int = 0  #: names in the party's own script kept as aliases
    low_aliases: int = 0  #: aliases too weak to match, kept in the remarks
    unmapped: dict[str, int] = field(default_factory=dict)  #: country name -> times
    bad_dates: list[str] = field(default_factory=list)  #: "where (whose): text"

    def country(self, name: str) -> str | None:
        """The ISO code of a country name, or None (counted for the notes)."""
        code = country_code(name)
        if code is None:
            self.unmapped[name] = self.unmapped.get(name, 0) + 1
        return code

    def notes(self, *, script: str, quality: str) -> list[str]:
        """The import notes: ``script`` names the scripts ("the original script"),
        ``quality`` the list's word for weak aliases ("'Low'")."""
        notes = []
        if self.own_script:
            notes.append(f"{self.own_script} names in {script} kept as aliases")
        if self.low_aliases:
            notes.append(
                f"{self.low_aliases} aliases of {quality} kept in the remarks, not matched"
            )
        if self.unmapped:
            names = ", ".join(f"{n} ({k})" for n, k in sorted(self.unmapped.items()))
            notes.append(f"country names with no ISO code, kept in the remarks: {names}")
        notes += bad_dates_note(self.bad_dates, ", kept in the remarks, not as dates")
        return notes


__all__ = ["ListCounts", "bad_dates_note"]
