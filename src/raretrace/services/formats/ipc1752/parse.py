"""Reading one declaration: size and tag bounds, no DTD, safe lxml parse, XSD
validation with located errors, control characters refused; then ``to_domain``."""

from __future__ import annotations

from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]  # no stubs; lxml-stubs mistypes sourceline

from raretrace.domain.declarations import Declaration
from raretrace.errors import InputError, Problem
from raretrace.services.formats.file_bounds import ProblemLog, clip, control_character
from raretrace.services.formats.ipc1752.schema import NS, Q, safe_parser, schema
from raretrace.services.formats.ipc1752.to_domain import to_declaration

#: Refuse declarations larger than this many bytes (hostile or mistaken input). Real
#: declarations are kilobytes to a few megabytes; lxml and the XSD check hold the whole
#: tree (about 20x the file), so 16 MiB keeps a read well under 500 MB.
MAX_XML_BYTES = 16 * 1024**2
#: Refuse declarations with more tags than this (counted as ``<`` before parsing): lxml
#: holds ~150 bytes per element, so a file of tiny elements is bounded too.
MAX_XML_TAGS = 1_500_000


def read_declaration(path: Path, *, max_bytes: int = MAX_XML_BYTES) -> Declaration:
    """Parse and validate one declaration file; raise ``InputError`` with all problems."""
    label = str(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"{label}: cannot be read ({exc.strerror})") from None
    if not path.is_file():
        raise InputError(f"{label}: not a file")
    if size > max_bytes:
        raise InputError(
            f"{label}: refused",
            [Problem(label, None, None, f"file is {size} bytes, over the {max_bytes} limit")],
        )
    return parse_declaration(path.read_bytes(), label)


def parse_declaration(data: bytes, label: str) -> Declaration:
    """Parse declaration bytes (see ``read_declaration``)."""

    def fail(problems: list[Problem]) -> InputError:
        return InputError(
            f"{label}: not a valid IPC-1752A declaration ({len(problems)} problem(s))", problems
        )

    tags = data.count(b"<")
    if tags > MAX_XML_TAGS:
        message = f"{tags:,} tags, over the {MAX_XML_TAGS:,} limit; refused before parsing"
        raise fail([Problem(label, None, None, message)])
    head = data[:65536].upper()
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise fail(
            [
                Problem(
                    label,
                    None,
                    None,
                    "DTDs and entity declarations are not allowed "
                    "in a declaration (entity expansion / external entities)",
                )
            ]
        )
    try:
        root = etree.fromstring(data, safe_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if isinstance(exc.lineno, int) and exc.lineno > 0 else None
        raise fail([Problem(label, line, None, f"not well-formed XML: {exc.msg}")]) from None
    except (ValueError, MemoryError) as exc:  # e.g. unsupported encodings
        raise fail([Problem(label, None, None, f"cannot be parsed: {exc}")]) from None
    if root is None:
        raise fail([Problem(label, None, None, "empty document")])
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None or tree.docinfo.doctype:
        raise fail([Problem(label, None, None, "DTDs are not allowed in a declaration")])
    if not isinstance(root.tag, str) or etree.QName(root).localname != "MainDeclaration":
        raise fail([Problem(label, root.sourceline, None, "root element must be MainDeclaration")])
    if etree.QName(root).namespace != NS:
        found = etree.QName(root).namespace or "no namespace"
        raise fail(
            [
                Problem(
                    label,
                    root.sourceline,
                    "MainDeclaration",
                    f"namespace must be {NS} (found {found})",
                )
            ]
        )
    xsd = schema()
    if not xsd.validate(tree):
        log = ProblemLog(stop=10**9)  # the error log is already in memory
        for e in xsd.error_log:
            where = _element_path(tree, e.path)
            at = f"element {where} (line {e.line}): " if where else ""
            message = f"{at}{clip(_short_message(e.message), 300, quote=False)}"
            log.append(Problem(label, e.line or None, None, message))
        raise fail(log.problems(label))
    problems = ProblemLog(stop=10**9)
    for el in root.iter():  # XML 1.0 admits DEL and C1 controls (U+009B is a terminal CSI)
        for attr, value in el.attrib.items():
            bad = control_character(value)
            if bad:
                name = etree.QName(el).localname
                problems.append(Problem(label, el.sourceline, f"{name}/@{attr}", bad))
    if problems:
        raise fail(problems.problems(label))
    decl = to_declaration(root, label, problems)
    if problems:
        raise fail(problems.problems(label))
    return decl


def _element_path(tree: etree._ElementTree, path: str | None) -> str | None:
    """A readable path (``MainDeclaration/Product[2]/SubProduct``) for the XPath lxml
    gives an XSD error (``/*/*[2]/*``, namespaced elements are written ``*``)."""
    if not path:
        return None
    try:
        found = tree.xpath(path)
    except etree.XPathError:
        return None
    if not isinstance(found, list) or not found or not isinstance(found[0], etree._Element):
        return None
    parts: list[str] = []
    el: etree._Element | None = found[0]
    while el is not None:
        name = etree.QName(el).localname
        parent = el.getparent()
        if parent is not None:
            same = [c for c in parent if isinstance(c.tag, str) and c.tag == el.tag]
            if len(same) > 1:
                name += f"[{same.index(el) + 1}]"
        parts.append(name)
        el = parent
    return "/".join(reversed(parts))


def _short_message(message: str) -> str:
    return message.replace(Q, "").replace("{" + NS + "}", "")
