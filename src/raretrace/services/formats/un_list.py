"""Reader for the UN Security Council Consolidated List (``--format un``).

The Security Council publishes its consolidated list as XML
(``https://scsanctions.un.org/resources/xml/en/consolidated.xml``, schema
``sc-sanctions.xsd``): ``CONSOLIDATED_LIST`` with ``dateGenerated``, then
``INDIVIDUALS/INDIVIDUAL`` and ``ENTITIES/ENTITY``. Each becomes one entry:

- key: ``REFERENCE_NUMBER`` (``QDi.292``, ``KPe.001``: stable across versions; the
  UK, EU and US lists cite it), else ``UN-`` and the ``DATAID``;
- name: ``FIRST_NAME`` to ``FOURTH_NAME`` as the UN writes them; aliases: every
  ``ALIAS_NAME`` of quality "Good" or "a.k.a." and the ``NAME_ORIGINAL_SCRIPT`` (the
  name in the party's own script, Arabic, Cyrillic, Han ...). Aliases the UN marks
  "Low" quality (too weak to identify a party on their own) are **not** matched: they
  are kept in the remarks and counted in the import notes;
- countries: ``NATIONALITY`` and the addresses' ``COUNTRY``, as ISO codes (the UN
  writes names: "Iran (Islamic Republic of)"); a name with no code is kept in the
  remarks and counted;
- ids: the reference number (``un_ref``, which other lists cite), and documents whose
  type names a passport (``passport``, also in French or Spanish) or a national
  identification number (``national_id``);
- dates of birth: each ``INDIVIDUAL_DATE_OF_BIRTH`` (EXACT ``DATE`` or ``YEAR``,
  APPROXIMATELY as "circa", BETWEEN ``FROM_YEAR`` and ``TO_YEAR``, a month in the
  ``NOTE``) in ``dates_of_birth`` (``screening.births``); one that is not a date (a
  Hijri date, "30-35 years old") stays in the remarks and is named in the notes;
- the rest (reference, listing date, designation, title, places of birth, other
  documents, comments) in the remarks; ``UN_LIST_TYPE`` is the programme.

The file is outside data: no DTD or entity is accepted (entity expansion, external
entities), size and tag count are bounded before parsing, and every problem is
reported with file, line and element; nothing is returned unless the file is clean.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from lxml import etree  # type: ignore[import-untyped]  # no stubs

from raretrace.domain.screening import ListEntry
from raretrace.errors import Problem
from raretrace.screening.births import read_birth
from raretrace.screening.ids import normalise_id
from raretrace.services.formats.file_bounds import control_character
from raretrace.services.formats.ipc1752.schema import safe_parser
from raretrace.services.formats.keyed_entries import KeyedEntries
from raretrace.services.formats.list_counts import ListCounts

#: Largest file accepted (the whole list is about 2-3 MB).
MAX_XML_BYTES = 64 * 1024**2
#: Most tags accepted (counted as ``<`` before parsing).
MAX_XML_TAGS = 3_000_000
SOURCE = "UN Security Council Consolidated List"

#: Alias qualities the UN uses for names good enough to identify a party.
_STRONG = frozenset({"good", "a.k.a.", "aka", "f.k.a.", "fka", ""})
_PASSPORT = re.compile(r"passport|pasaporte|passeport", re.IGNORECASE)  # UN writes all three
_NATIONAL_ID = re.compile(r"national\s+identi", re.IGNORECASE)


@dataclass(slots=True)
class UnList:
    entries: list[ListEntry]
    notes: list[str]
    published: date | None = None  #: the ``dateGenerated`` of the file


def _text(el: etree._Element | None, tag: str) -> str:
    if el is None:
        return ""
    return " ".join((el.findtext(tag) or "").split())


def _values(el: etree._Element, tag: str) -> list[str]:
    """The ``VALUE`` texts under each ``tag`` child (NATIONALITY, DESIGNATION, TITLE)."""
    out = []
    for c in el.findall(tag):
        for v in c.findall("VALUE"):
            t = " ".join((v.text or "").split())
            if t:
                out.append(t)
    return out


def read_un(data: bytes, file: str, problems: list[Problem]) -> UnList:
    """Entries of a UN consolidated list file (see the module)."""
    tags = data.count(b"<")
    if tags > MAX_XML_TAGS:
        msg = f"{tags:,} tags, over the {MAX_XML_TAGS:,} limit; refused before parsing"
        problems.append(Problem(file, None, None, msg))
        return UnList([], [])
    head = data[:65536].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        msg = "DTDs and entity declarations are not allowed (entity expansion)"
        problems.append(Problem(file, None, None, msg))
        return UnList([], [])
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        problems.append(Problem(file, line, None, f"not well-formed XML: {exc.msg}"))
        return UnList([], [])
    except (ValueError, MemoryError) as exc:
        problems.append(Problem(file, None, None, f"cannot be parsed: {exc}"))
        return UnList([], [])
    if root is None or root.tag != "CONSOLIDATED_LIST":
        found = "nothing" if root is None else root.tag
        msg = f"root element must be CONSOLIDATED_LIST (found {found}); is this the UN list?"
        problems.append(Problem(file, None, None, msg))
        return UnList([], [])
    published = _published(root.get("dateGenerated", ""), file, problems)
    counts = ListCounts()
    entries = KeyedEntries()
    for group, tag, kind in (
        ("INDIVIDUALS", "INDIVIDUAL", "Individual"),
        ("ENTITIES", "ENTITY", "Entity"),
    ):
        for el in root.findall(f"{group}/{tag}"):
            entry = _entry(el, tag, kind, file, problems, counts)
            if entry is not None:
                entries.add(entry, el.sourceline)
    notes = counts.notes(script="the original script", quality="'Low' quality")
    notes += entries.notes("the same reference number", "lines")
    return UnList(entries.entries, notes, published)


def _published(text: str, file: str, problems: list[Problem]) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        msg = f"dateGenerated {text[:40]!r} is not a date"
        problems.append(Problem(file, None, "CONSOLIDATED_LIST/@dateGenerated", msg))
        return None


def _entry(
    el: etree._Element,
    tag: str,
    kind: str,
    file: str,
    problems: list[Problem],
    counts: ListCounts,
) -> ListEntry | None:
    line = el.sourceline
    for sub in el.iter():
        bad = control_character(sub.text or "")
        if bad:
            problems.append(Problem(file, sub.sourceline, f"{tag}/{sub.tag}", bad))
            return None
    ref = _text(el, "REFERENCE_NUMBER")
    data_id = _text(el, "DATAID")
    key = ref or (f"UN-{data_id}" if data_id else "")
    if not key:
        problems.append(
            Problem(file, line, f"{tag}/REFERENCE_NUMBER", "no reference number or DATAID")
        )
        return None
    parts = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")
    name = " ".join(t for t in (_text(el, p) for p in parts) if t)
    if not name:
        problems.append(Problem(file, line, f"{tag}/FIRST_NAME", f"{key}: empty name"))
        return None
    aliases: list[str] = []
    remarks: list[str] = [f"UN reference {ref}" if ref else f"UN DATAID {data_id}"]
    for a in el.findall(f"{tag}_ALIAS"):
        alias = _text(a, "ALIAS_NAME")
        if not alias:
            continue
        if _text(a, "QUALITY").lower() in _STRONG:
            aliases.append(alias)
        else:
            counts.low_aliases += 1
            remarks.append(f"low-quality alias: {alias}")
    original = _text(el, "NAME_ORIGINAL_SCRIPT")
    if original:
        counts.own_script += 1
        aliases.append(original)
    countries: list[str] = []
    for country in [
        *_values(el, "NATIONALITY"),
        *(_text(a, "COUNTRY") for a in el.findall(f"{tag}_ADDRESS")),
    ]:
        if not country:
            continue
        code = counts.country(country)
        if code is None:
            remarks.append(f"country: {country}")
        else:
            countries.append(code)
    addresses = []
    for a in el.findall(f"{tag}_ADDRESS"):
        bits = [
            _text(a, t) for t in ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY", "NOTE")
        ]
        text = ", ".join(b for b in bits if b)
        if text:
            addresses.append(text)
    # the reference is an identity number too: other lists cite it (UK: "UN Ref QDi.292")
    ids: list[tuple[str, str]] = [("un_ref", normalise_id(ref))] if ref else []
    for d in el.findall("INDIVIDUAL_DOCUMENT"):
        doc_type, number = _text(d, "TYPE_OF_DOCUMENT"), _text(d, "NUMBER")
        if not number:
            continue
        issuer = _text(d, "ISSUING_COUNTRY") or _text(d, "COUNTRY_OF_ISSUE")
        remarks.append(f"{doc_type or 'document'} {number}" + (f" ({issuer})" if issuer else ""))
        value = normalise_id(number)
        if len(value) >= 4 and any(ch.isdigit() for ch in value):
            if _PASSPORT.search(doc_type):
                ids.append(("passport", value))
            elif _NATIONAL_ID.search(doc_type):
                ids.append(("national_id", value))
    listed_on = _text(el, "LISTED_ON")
    if listed_on:
        remarks.append(f"listed on {listed_on}")
    remarks += [f"designation: {v}" for v in _values(el, "DESIGNATION")]
    remarks += [f"title: {v}" for v in _values(el, "TITLE")]
    births: list[str] = []
    for b in el.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        when = _birth_text(b)
        if not when:
            continue
        if (found := read_birth(when)) is not None:
            births.append(found)
        else:  # "24/06/1402 (Hijri Calendar)", "30-35 years old"
            counts.bad_dates.append(
                f"line {b.sourceline} INDIVIDUAL_DATE_OF_BIRTH ({key}): {when[:60]!r}"
            )
            remarks.append(f"born {when}")
    for b in el.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        where = ", ".join(
            t for t in (_text(b, x) for x in ("CITY", "STATE_PROVINCE", "COUNTRY")) if t
        )
        if where:
            remarks.append(f"born in {where}")
    comments = _text(el, "COMMENTS1")
    if comments:
        remarks.append(comments)
    return ListEntry(
        entry_key=key,
        name=name,
        aliases=tuple(dict.fromkeys(a for a in aliases if a != name)),
        countries=tuple(dict.fromkeys(countries)),
        addresses=tuple(dict.fromkeys(addresses)),
        programs=tuple(p for p in (_text(el, "UN_LIST_TYPE"),) if p),
        entity_type=kind,
        source=SOURCE,
        remarks="; ".join(remarks),
        ids=tuple(dict.fromkeys(ids)),
        dates_of_birth=tuple(dict.fromkeys(births)),
    )


_MONTH_ONLY = re.compile(r"^[A-Za-z]{3,9}\.?$")  # "Sep." beside a YEAR


def _birth_text(b: etree._Element) -> str:
    """An ``INDIVIDUAL_DATE_OF_BIRTH`` as text ``read_birth`` reads: its ``DATE`` (the
    time zone xsd:date may carry left out), ``YEAR``, ``FROM_YEAR`` to ``TO_YEAR``, or
    the ``NOTE`` where it holds the date ("Nov. 1973"); "circa" before it where
    ``TYPE_OF_DATE`` is APPROXIMATELY or the note says "Approximately"."""
    note = _text(b, "NOTE")
    approx = _text(b, "TYPE_OF_DATE").upper() == "APPROXIMATELY" or note.lower() == "approximately"
    if when := _text(b, "DATE"):
        when = when[:10]
    elif when := _text(b, "YEAR"):
        if _MONTH_ONLY.match(note):
            when = f"{note} {when}"
    elif _text(b, "FROM_YEAR"):
        when = f"{_text(b, 'FROM_YEAR')} to {_text(b, 'TO_YEAR')}"
    elif note.lower() not in ("", "approximately"):
        return note
    return f"circa {when}" if when and approx else when


__all__ = ["MAX_XML_BYTES", "SOURCE", "UnList", "read_un"]
