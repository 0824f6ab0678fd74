"""IPC-1752A Class C/D material declarations: read (safely), validate, import, export.

Reading is defensive: the file size is capped, DTDs are refused outright (that closes
entity expansion and external entities), lxml runs with ``resolve_entities=False``,
``no_network=True`` and ``huge_tree=False`` (libxml2's depth and text-size limits), and
the document is validated against ``schemas/ipc1752a.xsd``. Every problem comes back as
a located ``Problem(file, line, element/@attribute, message)`` inside one
``InputError``; no lxml exception escapes.

Import goes through the same merge -> ``validate_network`` -> diff -> upsert path as
bundles and surveys (``services/exchange.py``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import Decimal
from importlib.resources import files
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]  # no stubs; lxml-stubs mistypes sourceline

from raretrace.domain.declarations import (
    Amount,
    Declaration,
    DeclarationClass,
    HomogeneousMaterial,
    Product,
    Substance,
    Uom,
    cas_is_valid,
    declaration_from_part,
    material_mass_mg,
    parse_uom,
    to_network_records,
    walk,
    zero_missing_rare_earths,
)
from raretrace.domain.network import Network
from raretrace.errors import InputError, NotFoundError, Problem
from raretrace.services.exchange import ChangeSet, Partial, plan_and_apply
from raretrace.services.file_bounds import ProblemLog, clip, control_character
from raretrace.storage.ports import UnitOfWork

NS = "http://webstds.ipc.org/175x/2.0"
_Q = "{" + NS + "}"

#: Refuse declarations larger than this many bytes (hostile or mistaken input). Real
#: declarations are kilobytes to a few megabytes; lxml and the XSD check hold the whole
#: tree (about 20x the file), so 16 MiB keeps a read well under 500 MB.
MAX_XML_BYTES = 16 * 1024**2
#: Refuse declarations with more tags than this (counted as ``<`` before parsing): lxml
#: holds ~150 bytes per element, so a file of tiny elements is bounded too.
MAX_XML_TAGS = 1_500_000

#: Slack when checking that parts add up (declared masses are rounded in practice).
MASS_TOLERANCE = 0.01

_SCHEMA: etree.XMLSchema | None = None


def schema() -> etree.XMLSchema:
    """The IPC-1752A schema (our own; see the XSD's header), loaded once."""
    global _SCHEMA
    if _SCHEMA is None:
        text = (files("raretrace.services") / "schemas" / "ipc1752a.xsd").read_bytes()
        _SCHEMA = etree.XMLSchema(etree.fromstring(text, _safe_parser()))
    return _SCHEMA


def _safe_parser() -> etree.XMLParser:
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


# --------------------------------------------------------------------------- reading


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
        root = etree.fromstring(data, _safe_parser())
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
    decl = _to_declaration(root, label, problems)
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
    return message.replace(_Q, "").replace("{" + NS + "}", "")


def _children(el: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in el if c.tag == _Q + name]


def _child(el: etree._Element, name: str) -> etree._Element | None:
    found = _children(el, name)
    return found[0] if found else None


def _amount(el: etree._Element | None, label: str, problems: list[Problem]) -> Amount | None:
    if el is None:
        return None
    try:
        value = float(Decimal(el.get("value", "")))
        uom = parse_uom(el.get("UOM", "massPercent"))
    except (ValueError, ArithmeticError) as exc:
        problems.append(Problem(label, el.sourceline, etree.QName(el).localname, str(exc)))
        return None
    if not math.isfinite(value):
        problems.append(Problem(label, el.sourceline, "Amount@value", "not a finite number"))
        return None
    return Amount(value, uom)


def _to_declaration(root: etree._Element, label: str, problems: list[Problem]) -> Declaration:
    klass: DeclarationClass | None = None
    for sub in root.iter(_Q + "SubSectional"):
        name = (sub.get("name") or "").strip().upper()
        if name in ("C", "D"):
            klass = DeclarationClass(name)
    has_materials = next(root.iter(_Q + "HomogeneousMaterial"), None) is not None
    if klass is None:
        klass = DeclarationClass.D if has_materials else DeclarationClass.C
    supplier = next(root.iter(_Q + "SupplyCompany"), None)
    supplier_id = ""
    if supplier is not None:
        cid = _child(supplier, "CompanyID")
        supplier_id = (cid.get("identity") or "") if cid is not None else ""
    response = next(root.iter(_Q + "Response"), None)
    lists = tuple(
        f"{e.get('authority') or '?'}:{e.get('identity')}"
        for e in root.iter(_Q + "SubstanceCategoryListID")
    )
    products = tuple(_product(p, label, problems, top=True) for p in _children(root, "Product"))
    if not products:
        problems.append(
            Problem(label, root.sourceline, "Product", "the declaration has no Product")
        )
    _check_unique(products, label, problems)
    return Declaration(
        declaration_class=klass,
        products=products,
        supplier_name=(supplier.get("name") or "") if supplier is not None else "",
        supplier_id=supplier_id,
        response_date=(response.get("date") or "") if response is not None else "",
        lists=tuple(dict.fromkeys(lists)),
    )


def _product(el: etree._Element, label: str, problems: list[Problem], *, top: bool) -> Product:
    pid = _child(el, "ProductID")
    assert pid is not None  # the schema requires it
    mass = _amount(_child(pid, "Amount"), label, problems)
    if mass is not None and not mass.uom.is_mass:
        problems.append(
            Problem(
                label,
                pid.sourceline,
                "ProductID/Amount@UOM",
                "a product mass must be in mg, g or kg",
            )
        )
        mass = None
    product_mg = mass.mass_mg(None) if mass is not None else None
    materials: list[HomogeneousMaterial] = []
    info = _child(el, "MaterialInfo")
    if info is not None:
        for hml in _children(info, "HomogeneousMaterialList"):
            for hm in _children(hml, "HomogeneousMaterial"):
                materials.append(_material(hm, product_mg, label, problems))
    subs = tuple(_product(sp, label, problems, top=False) for sp in _children(el, "SubProduct"))
    quantity = 1.0 if top else float(Decimal(el.get("numberOfInstances", "1")))
    product = Product(
        item_number=(pid.get("itemNumber") or "").strip(),
        item_name=(pid.get("itemName") or "").strip(),
        mass=mass,
        materials=tuple(materials),
        sub_products=subs,
        quantity=quantity,
        unit_type=el.get("unitType") or "Each",
        version=pid.get("version") or "",
        line=el.sourceline,
    )
    if product_mg is not None:
        parts_mg = 0.0
        known = True
        for m in materials:
            mg = material_mass_mg(m, product_mg)
            if mg is None:
                known = False
                break
            parts_mg += mg
        if known and parts_mg > product_mg * (1 + MASS_TOLERANCE) + 1e-9:
            problems.append(
                Problem(
                    label,
                    pid.sourceline,
                    "ProductID/Amount",
                    f"homogeneous materials weigh {parts_mg:g} mg, more than "
                    f"the product's {product_mg:g} mg",
                )
            )
    return product


def _material(
    el: etree._Element, product_mg: float | None, label: str, problems: list[Problem]
) -> HomogeneousMaterial:
    amount = _amount(_child(el, "Amount"), label, problems)
    if amount is not None and not amount.uom.is_mass and product_mg is None:
        problems.append(
            Problem(
                label,
                el.sourceline,
                "HomogeneousMaterial/Amount@UOM",
                "a share of the product needs the product mass (ProductID/Amount)",
            )
        )
    m_mg = amount.mass_mg(product_mg) if amount is not None else None
    substances: list[Substance] = []
    share_total = 0.0
    mass_total = 0.0
    for cat_list in _children(el, "SubstanceCategoryList"):
        for cat in _children(cat_list, "SubstanceCategory"):
            for s in _children(cat, "Substance"):
                sub = _substance(s, label, problems)
                substances.append(sub)
                if sub.amount is None:
                    continue
                if sub.amount.uom.is_mass:
                    mass_total += sub.amount.mass_mg(None) or 0.0
                else:
                    share_total += sub.amount.mass_mg(100.0) or 0.0
                    if m_mg is None:
                        problems.append(
                            Problem(
                                label,
                                s.sourceline,
                                "Substance",
                                "a concentration needs the material's mass "
                                "(HomogeneousMaterial/Amount in mg, g or kg)",
                            )
                        )
    name = el.get("name") or ""
    if share_total > 100 * (1 + MASS_TOLERANCE):
        problems.append(
            Problem(
                label,
                el.sourceline,
                "HomogeneousMaterial",
                f"substances of {name!r} add up to {share_total:g} %",
            )
        )
    if m_mg is not None and mass_total > m_mg * (1 + MASS_TOLERANCE) + 1e-9:
        problems.append(
            Problem(
                label,
                el.sourceline,
                "HomogeneousMaterial",
                f"substances of {name!r} weigh {mass_total:g} mg, more than "
                f"the material's {m_mg:g} mg",
            )
        )
    return HomogeneousMaterial(
        name=name,
        amount=amount,
        substances=tuple(substances),
        group=el.get("materialGroupName") or "",
        line=el.sourceline,
    )


def _substance(el: etree._Element, label: str, problems: list[Problem]) -> Substance:
    cas: str | None = None
    for sid in _children(el, "SubstanceID"):
        authority = (sid.get("authority") or "CAS").strip().upper()
        identity = (sid.get("identity") or "").strip()
        if authority != "CAS":
            continue
        if not cas_is_valid(identity):
            problems.append(
                Problem(
                    label,
                    sid.sourceline,
                    "SubstanceID@identity",
                    f"{identity!r} is not a valid CAS number",
                )
            )
            continue
        cas = identity
    amounts = _children(el, "Amount")
    concentrations = _children(el, "Concentration")
    if len(amounts) + len(concentrations) > 1:
        problems.append(
            Problem(
                label,
                el.sourceline,
                "Substance",
                "give one Amount or one Concentration, not several",
            )
        )
    amount = _amount(amounts[0], label, problems) if amounts else None
    if amount is None and concentrations:
        amount = _amount(concentrations[0], label, problems)
    if amount is not None and amount.uom is Uom.MASS_PERCENT and amount.value > 100:
        problems.append(
            Problem(label, el.sourceline, "Substance", f"{amount.value:g} % is more than 100 %")
        )
    if amount is not None and amount.uom is Uom.PPM and amount.value > 1e6:
        problems.append(
            Problem(
                label,
                el.sourceline,
                "Substance",
                f"{amount.value:g} ppm is more than 1,000,000 ppm",
            )
        )
    return Substance(el.get("name") or "", cas, amount, el.sourceline)


def _check_unique(products: tuple[Product, ...], label: str, problems: list[Problem]) -> None:
    first: dict[str, Product] = {}
    for p in walk(products):
        seen = first.get(p.item_number)
        if seen is None:
            first[p.item_number] = p
        elif _signature(seen) != _signature(p):
            problems.append(
                Problem(
                    label,
                    p.line,
                    "ProductID@itemNumber",
                    f"item {p.item_number!r} is declared twice with different "
                    f"content (first at line {seen.line})",
                )
            )


def _signature(p: Product) -> object:
    return (
        p.mass,
        tuple(
            (m.name, m.amount, tuple((s.cas, s.amount) for s in m.substances)) for m in p.materials
        ),
        tuple((s.item_number, s.quantity) for s in p.sub_products),
    )


# --------------------------------------------------------------------------- import


@dataclass(frozen=True, slots=True)
class DeclarationImport:
    """What importing a declaration did (or would do, when not applied)."""

    source: str
    declaration_class: str
    supplier: str
    products: int
    changes: ChangeSet
    unmapped: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[tuple[str, str]] = field(default_factory=list)


def import_declaration(uow: UnitOfWork, path: Path, *, apply: bool = True) -> DeclarationImport:
    """Map a declaration to parts, composition and BOM lines and write them in the
    caller's unit of work (or only diff them when ``apply`` is false)."""
    decl = read_declaration(path)
    return import_parsed(uow, decl, str(path), apply=apply)


def import_parsed(
    uow: UnitOfWork, decl: Declaration, label: str, *, apply: bool
) -> DeclarationImport:
    stored = uow.network.load()
    known = {p.part_id: p for p in stored.parts}
    source = f"IPC-1752A class {decl.declaration_class.value}: {Path(label).name}"
    mapped = to_network_records(decl, known, source=source)
    if decl.declaration_class is DeclarationClass.D:
        zero_missing_rare_earths(mapped, stored.composition, source=source)
    partial = Partial(Network(parts=mapped.parts, composition=mapped.composition, bom=mapped.bom))
    for key, line in mapped.lines.items():
        partial.where[key] = (label, line)
    changes = plan_and_apply(uow, partial, label=label, apply=apply)
    return DeclarationImport(
        source=label,
        declaration_class=decl.declaration_class.value,
        supplier=decl.supplier_name,
        products=sum(1 for _ in walk(decl.products)),
        changes=changes,
        unmapped=mapped.unmapped,
        notes=mapped.notes,
    )


# --------------------------------------------------------------------------- writing


def _num(x: float) -> str:
    """A float as xs:decimal text (no exponent), shortest round-tripping digits."""
    text = format(Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def declaration_xml(decl: Declaration, *, date: str) -> bytes:
    """Serialise a declaration as IPC-1752A XML (validated against the schema)."""
    E = etree.Element
    S = etree.SubElement
    root = E(_Q + "MainDeclaration", nsmap={None: NS}, version="2.0")
    info = S(root, _Q + "BusinessInfo", mode="Distribute")
    resp = S(info, _Q + "Response", date=date)
    company = S(resp, _Q + "SupplyCompany", name=decl.supplier_name or "unknown")
    if decl.supplier_id:
        S(company, _Q + "CompanyID", identity=decl.supplier_id, authority="raretrace")
    inc = S(root, _Q + "Include")
    sec = S(inc, _Q + "Sectional", name="MaterialInfo")
    S(sec, _Q + "SubSectional", name=decl.declaration_class.value)

    def amount(parent: etree._Element, a: Amount) -> None:
        S(parent, _Q + "Amount", value=_num(a.value), UOM=a.uom.value)

    def product(parent: etree._Element, p: Product, tag: str) -> None:
        el = S(parent, _Q + tag, unitType=p.unit_type)
        if tag == "SubProduct":
            el.set("numberOfInstances", _num(p.quantity))
        pid = S(el, _Q + "ProductID", itemNumber=p.item_number, itemName=p.item_name)
        if p.version:
            pid.set("version", p.version)
        if p.mass is not None:
            amount(pid, p.mass)
        if p.materials:
            hml = S(S(el, _Q + "MaterialInfo"), _Q + "HomogeneousMaterialList")
            for m in p.materials:
                hm = S(hml, _Q + "HomogeneousMaterial", name=m.name)
                if m.group:
                    hm.set("materialGroupName", m.group)
                if m.amount is not None:
                    amount(hm, m.amount)
                cat = S(
                    S(hm, _Q + "SubstanceCategoryList"),
                    _Q + "SubstanceCategory",
                    name="Declared substances",
                )
                for s in m.substances:
                    sub = S(cat, _Q + "Substance", name=s.name)
                    if s.cas:
                        S(sub, _Q + "SubstanceID", identity=s.cas, authority="CAS")
                    if s.amount is not None:
                        amount(sub, s.amount)
        for sp in p.sub_products:
            product(el, sp, "SubProduct")

    for p in decl.products:
        product(root, p, "Product")
    schema().assertValid(root.getroottree())
    out: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return out


def export_part(uow: UnitOfWork, part_id: str, path: Path) -> Path:
    """Write ``part_id``'s declared composition as a Class D declaration."""
    net = uow.network.load()
    part = net.part(part_id)
    if part is None:
        raise NotFoundError(f"no part {part_id!r} in the workspace")
    if not part.mass_kg:
        raise InputError(f"part {part_id!r} has no mass_kg; a Class D declaration needs it")
    comp = [c for c in net.composition if c.part_id == part_id]
    decl = declaration_from_part(part, comp)
    data = declaration_xml(decl, date=uow.clock.today().isoformat())
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path
