"""Writing a part's declared composition as an IPC-1752A Class D declaration
(validated against the schema before it is written)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from lxml import etree  # type: ignore[import-untyped]  # no stubs; lxml-stubs mistypes sourceline

from raretrace.domain.declarations import (
    Amount,
    Declaration,
    Product,
    declaration_from_part,
)
from raretrace.errors import InputError, NotFoundError
from raretrace.services.formats.ipc1752.schema import NS, Q, schema
from raretrace.storage.ports import UnitOfWork


def _num(x: float) -> str:
    """A float as xs:decimal text (no exponent), shortest round-tripping digits."""
    text = format(Decimal(repr(float(x))), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def declaration_xml(decl: Declaration, *, date: str) -> bytes:
    """Serialise a declaration as IPC-1752A XML (validated against the schema)."""
    E = etree.Element
    S = etree.SubElement
    root = E(Q + "MainDeclaration", nsmap={None: NS}, version="2.0")
    info = S(root, Q + "BusinessInfo", mode="Distribute")
    resp = S(info, Q + "Response", date=date)
    company = S(resp, Q + "SupplyCompany", name=decl.supplier_name or "unknown")
    if decl.supplier_id:
        S(company, Q + "CompanyID", identity=decl.supplier_id, authority="raretrace")
    inc = S(root, Q + "Include")
    sec = S(inc, Q + "Sectional", name="MaterialInfo")
    S(sec, Q + "SubSectional", name=decl.declaration_class.value)

    def amount(parent: etree._Element, a: Amount) -> None:
        S(parent, Q + "Amount", value=_num(a.value), UOM=a.uom.value)

    def product(parent: etree._Element, p: Product, tag: str) -> None:
        el = S(parent, Q + tag, unitType=p.unit_type)
        if tag == "SubProduct":
            el.set("numberOfInstances", _num(p.quantity))
        pid = S(el, Q + "ProductID", itemNumber=p.item_number, itemName=p.item_name)
        if p.version:
            pid.set("version", p.version)
        if p.mass is not None:
            amount(pid, p.mass)
        if p.materials:
            hml = S(S(el, Q + "MaterialInfo"), Q + "HomogeneousMaterialList")
            for m in p.materials:
                hm = S(hml, Q + "HomogeneousMaterial", name=m.name)
                if m.group:
                    hm.set("materialGroupName", m.group)
                if m.amount is not None:
                    amount(hm, m.amount)
                cat = S(
                    S(hm, Q + "SubstanceCategoryList"),
                    Q + "SubstanceCategory",
                    name="Declared substances",
                )
                for s in m.substances:
                    sub = S(cat, Q + "Substance", name=s.name)
                    if s.cas:
                        S(sub, Q + "SubstanceID", identity=s.cas, authority="CAS")
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
