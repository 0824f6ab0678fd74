"""Validated IPC-1752A elements -> ``domain.declarations`` records (products,
homogeneous materials, substances), with located problems: amounts, units, CAS check
digits, masses that do not add up, duplicate item numbers."""

from __future__ import annotations

import math
from decimal import Decimal

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
    material_mass_mg,
    parse_uom,
    walk,
)
from raretrace.errors import Problem
from raretrace.services.formats.ipc1752.schema import Q, child, children

#: Slack when checking that parts add up (declared masses are rounded in practice).
MASS_TOLERANCE = 0.01


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


def to_declaration(root: etree._Element, label: str, problems: list[Problem]) -> Declaration:
    klass: DeclarationClass | None = None
    for sub in root.iter(Q + "SubSectional"):
        name = (sub.get("name") or "").strip().upper()
        if name in ("C", "D"):
            klass = DeclarationClass(name)
    has_materials = next(root.iter(Q + "HomogeneousMaterial"), None) is not None
    if klass is None:
        klass = DeclarationClass.D if has_materials else DeclarationClass.C
    supplier = next(root.iter(Q + "SupplyCompany"), None)
    supplier_id = ""
    if supplier is not None:
        cid = child(supplier, "CompanyID")
        supplier_id = (cid.get("identity") or "") if cid is not None else ""
    response = next(root.iter(Q + "Response"), None)
    lists = tuple(
        f"{e.get('authority') or '?'}:{e.get('identity')}"
        for e in root.iter(Q + "SubstanceCategoryListID")
    )
    products = tuple(_product(p, label, problems, top=True) for p in children(root, "Product"))
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
    pid = child(el, "ProductID")
    assert pid is not None  # the schema requires it
    mass = _amount(child(pid, "Amount"), label, problems)
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
    info = child(el, "MaterialInfo")
    if info is not None:
        for hml in children(info, "HomogeneousMaterialList"):
            for hm in children(hml, "HomogeneousMaterial"):
                materials.append(_material(hm, product_mg, label, problems))
    subs = tuple(_product(sp, label, problems, top=False) for sp in children(el, "SubProduct"))
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
    amount = _amount(child(el, "Amount"), label, problems)
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
    for cat_list in children(el, "SubstanceCategoryList"):
        for cat in children(cat_list, "SubstanceCategory"):
            for s in children(cat, "Substance"):
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
    for sid in children(el, "SubstanceID"):
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
    amounts = children(el, "Amount")
    concentrations = children(el, "Concentration")
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
