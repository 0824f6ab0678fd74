"""The IPC-1752A namespace, the safe XML parser and the shipped schema
(``services/schemas/ipc1752a.xsd``), shared by reading and writing."""

from __future__ import annotations

from importlib.resources import files

from lxml import etree  # type: ignore[import-untyped]  # no stubs; lxml-stubs mistypes sourceline

NS = "http://webstds.ipc.org/175x/2.0"
Q = "{" + NS + "}"  #: prefix of a qualified tag name

_SCHEMA: etree.XMLSchema | None = None


def schema() -> etree.XMLSchema:
    """The IPC-1752A schema (our own; see the XSD's header), loaded once."""
    global _SCHEMA
    if _SCHEMA is None:
        text = (files("raretrace.services.formats") / "schemas" / "ipc1752a.xsd").read_bytes()
        _SCHEMA = etree.XMLSchema(etree.fromstring(text, safe_parser()))
    return _SCHEMA


def safe_parser() -> etree.XMLParser:
    """No entities resolved, no network, no DTD, libxml2's size limits kept."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        huge_tree=False,
        load_dtd=False,
        dtd_validation=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
    )


def children(el: etree._Element, name: str) -> list[etree._Element]:
    """The IPC-1752A children of ``el`` called ``name``."""
    return [c for c in el if c.tag == Q + name]


def child(el: etree._Element, name: str) -> etree._Element | None:
    found = children(el, name)
    return found[0] if found else None
