"""IPC-1752A declarations: parsing, validation errors, hostile XML, import, round trip."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import TINY, write_bundle_files
from raretrace.domain.declarations import CAS_TABLE, ELEMENT_CAS, cas_is_valid
from raretrace.domain.elements import RARE_EARTHS
from raretrace.errors import InputError, NotFoundError
from raretrace.services.formats.ipc1752 import parse_declaration, read_declaration
from raretrace.workspace import Workspace

NS = "http://webstds.ipc.org/175x/2.0"


def decl(products: str, klass: str = "D") -> str:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<MainDeclaration xmlns="{NS}" version="2.0">
  <BusinessInfo mode="Distribute"><Response date="2026-01-15">
    <SupplyCompany name="Example Magnet KK"><CompanyID identity="MAG" authority="x"/></SupplyCompany>
  </Response></BusinessInfo>
  <Include><Sectional name="MaterialInfo"><SubSectional name="{klass}"/></Sectional></Include>
{products}
</MainDeclaration>
"""


def substance(name: str, cas: str, value: str, uom: str = "massPercent") -> str:
    return (
        f'<Substance name="{name}"><SubstanceID identity="{cas}" authority="CAS"/>'
        f'<Amount value="{value}" UOM="{uom}"/></Substance>'
    )


def material(name: str, mass: str, subs: str, uom: str = "g") -> str:
    return (
        f'<HomogeneousMaterial name="{name}"><Amount value="{mass}" UOM="{uom}"/>'
        f'<SubstanceCategoryList><SubstanceCategory name="s">{subs}</SubstanceCategory>'
        "</SubstanceCategoryList></HomogeneousMaterial>"
    )


MAGNET_SUBS = (
    substance("Neodymium", "7440-00-8", "25")
    + substance("Praseodymium", "7440-10-0", "6")
    + substance("Dysprosium", "7429-91-6", "40000", "ppm")
    + substance("Iron", "7439-89-6", "64")
    + substance("Boron", "7440-42-8", "1")
)


def product(
    item: str, mass_g: str, materials: str, sub: str = "", tag: str = "Product", extra: str = ""
) -> str:
    return (
        f'<{tag} unitType="Each" {extra}><ProductID itemNumber="{item}" itemName="{item} name">'
        f'<Amount value="{mass_g}" UOM="g"/></ProductID>'
        f"<MaterialInfo><HomogeneousMaterialList>{materials}</HomogeneousMaterialList></MaterialInfo>"
        f"{sub}</{tag}>"
    )


ROTOR = product(
    "ROTOR-1",
    "120",
    material(
        "Steel", "70", substance("Iron", "7439-89-6", "99") + substance("Carbon", "7440-44-0", "1")
    ),
    sub=product(
        "MAG-1",
        "12.5",
        material("NdFeB", "12.5", MAGNET_SUBS),
        tag="SubProduct",
        extra='numberOfInstances="4"',
    ),
)


def write(tmp_path: Path, text: str, name: str = "d.xml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def problems_of(data: str | bytes) -> list[str]:
    raw = data.encode() if isinstance(data, str) else data
    with pytest.raises(InputError) as info:
        parse_declaration(raw, "t.xml")
    return [f"{p.row}|{p.column}|{p.message}" for p in info.value.problems]


# --------------------------------------------------------------------------- CAS table


def test_cas_table_check_digits_and_coverage() -> None:
    for cas, entry in CAS_TABLE.items():
        assert cas_is_valid(cas), cas
        assert abs(sum(entry.element_fractions().values()) - 1) < 1e-12
    assert set(RARE_EARTHS) <= set(ELEMENT_CAS)
    for sym in ("Fe", "Co", "B", "Cu", "Al", "Ni", "Nb"):
        assert sym in ELEMENT_CAS
    assert not cas_is_valid("7429-91-5")  # wrong check digit
    assert not cas_is_valid("dysprosium")
    dy2o3 = CAS_TABLE["1308-87-8"].element_fractions()
    assert dy2o3["Dy"] == pytest.approx(0.8713, abs=1e-4)


# --------------------------------------------------------------------------- parsing


def test_parse_class_d_with_subproduct() -> None:
    d = parse_declaration(decl(ROTOR).encode(), "t.xml")
    assert d.declaration_class.value == "D"
    assert d.supplier_name == "Example Magnet KK"
    top = d.products[0]
    assert top.item_number == "ROTOR-1"
    assert top.sub_products[0].quantity == 4
    assert len(top.sub_products[0].materials[0].substances) == 5


def test_class_c_compliance_only() -> None:
    body = (
        '<Product unitType="Each"><ProductID itemNumber="P1" itemName="Sensor">'
        '<Amount value="5" UOM="g"/></ProductID><MaterialInfo><SubstanceCategoryList>'
        '<SubstanceCategoryListID identity="EUROHS-1907" authority="IPC"/>'
        '<SubstanceCategory name="Lead"><Threshold overThreshold="false" threshold="0.1"/>'
        "</SubstanceCategory></SubstanceCategoryList></MaterialInfo></Product>"
    )
    d = parse_declaration(decl(body, "C").encode(), "t.xml")
    assert d.declaration_class.value == "C"
    assert d.lists == ("IPC:EUROHS-1907",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("not xml at all", "not well-formed XML"),
        ("<MainDeclaration/>", "namespace must be"),
        (f'<Other xmlns="{NS}"/>', "root element must be MainDeclaration"),
        (decl(""), "the declaration has no Product"),
        (f'<MainDeclaration xmlns="{NS}"><Product/></MainDeclaration>', "version"),
        (decl(product("P", "abc", "")), "Amount"),
        (
            decl(product("P", "1", material("M", "1", substance("X", "7440-00-8", "5", "liters")))),
            "UOM",
        ),
        (
            decl(product("P", "1", material("M", "1", substance("X", "1234-56-7", "5")))),
            "not a valid CAS number",
        ),
        (
            decl(product("P", "1", material("M", "1", substance("X", "7440-00-8", "150")))),
            "more than 100",
        ),
        (
            decl(
                product("P", "1", material("M", "1", substance("X", "7440-00-8", "2000000", "ppm")))
            ),
            "1,000,000 ppm",
        ),
        (
            decl(
                product(
                    "P",
                    "1",
                    material(
                        "M",
                        "1",
                        substance("A", "7440-00-8", "60") + substance("B", "7439-89-6", "60"),
                    ),
                )
            ),
            "add up to",
        ),
        (
            decl(product("P", "1", material("M", "1", substance("A", "7440-00-8", "2", "g")))),
            "more than the material",
        ),
        (
            decl(product("P", "1", material("M", "2", substance("A", "7440-00-8", "1", "g")))),
            "homogeneous materials weigh",
        ),
        (
            decl(
                product(
                    "P",
                    "1",
                    material("M", "50", substance("A", "7440-00-8", "1"), uom="massPercent"),
                ).replace('<Amount value="1" UOM="g"/></ProductID>', "</ProductID>")
            ),
            "needs the product mass",
        ),
        (
            decl(product("P", "1", "").replace('UOM="g"/></ProductID>', 'UOM="ppm"/></ProductID>')),
            "mg, g or kg",
        ),
        (
            decl(
                product("P", "1", material("M", "1", substance("A", "7440-00-8", "1")))
                + product("P", "2", material("M", "2", substance("A", "7440-00-8", "1")))
            ),
            "declared twice",
        ),
        (
            decl(
                product(
                    "P",
                    "1",
                    material(
                        "M",
                        "1",
                        substance("A", "7440-00-8", "1").replace(
                            "</Substance>", '<Concentration value="3"/></Substance>'
                        ),
                    ),
                )
            ),
            "not several",
        ),
    ],
)
def test_every_validation_error_is_located(text: str, expected: str) -> None:
    found = problems_of(text)
    assert any(expected in f for f in found), found
    assert all(
        f.split("|")[0] != "None" or "XML" in f or "root" in f or "namespace" in f or "Product" in f
        for f in found
    )


def test_concentration_needs_material_mass() -> None:
    body = product(
        "P",
        "1",
        '<HomogeneousMaterial name="M"><SubstanceCategoryList><SubstanceCategory>'
        + substance("A", "7440-00-8", "5")
        + "</SubstanceCategory></SubstanceCategoryList>"
        "</HomogeneousMaterial>",
    )
    assert any("needs the material's mass" in f for f in problems_of(decl(body)))


def test_unmapped_substances_are_reported_not_fatal(tmp_path: Path, workspace: Workspace) -> None:
    body = product(
        "P-X",
        "10",
        material(
            "M",
            "10",
            substance("Mystery", "50-00-0", "10") + substance("Dysprosium", "7429-91-6", "5"),
        ),
    )
    result = workspace.import_declaration(write(tmp_path, decl(body)))
    assert result.unmapped == [("P-X", "Mystery", "50-00-0")]
    comp = {
        c.element: c.mass_fraction for c in workspace.network().composition if c.part_id == "P-X"
    }
    assert comp == {"Dy": pytest.approx(0.05)}


# --------------------------------------------------------------------------- hostile


LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<MainDeclaration xmlns="http://webstds.ipc.org/175x/2.0" version="&lol9;"/>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<MainDeclaration xmlns="http://webstds.ipc.org/175x/2.0" version="&xxe;"/>"""


@pytest.mark.parametrize("text", [LAUGHS, XXE, LAUGHS.encode("utf-16").decode("latin-1")])
def test_entity_tricks_are_refused(text: str) -> None:
    found = problems_of(text.encode("latin-1") if "\x00" in text else text)
    assert any("DTD" in f or "not well-formed" in f or "cannot be parsed" in f for f in found), (
        found
    )
    assert not any("root:" in f for f in found)  # /etc/passwd never read


def test_utf16_doctype_refused_after_parse() -> None:
    data = XXE.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>').encode(
        "utf-16"
    )
    found = problems_of(data)
    assert any("DTD" in f or "not well-formed" in f for f in found), found


def test_huge_file_refused_by_size(tmp_path: Path) -> None:
    p = write(tmp_path, decl(ROTOR))
    with pytest.raises(InputError) as info:
        read_declaration(p, max_bytes=100)
    assert "over the 100 limit" in info.value.problems[0].message


def test_deep_nesting_refused() -> None:
    deep = "<a>" * 5000 + "</a>" * 5000
    found = problems_of(
        decl(deep.replace("<a>", "<x:a xmlns:x='urn:x'>").replace("</a>", "</x:a>"))
    )
    assert any("not well-formed" in f or "depth" in f.lower() for f in found), found[:3]


def test_huge_text_node_refused() -> None:
    big = "A" * (11 * 1024 * 1024)
    found = problems_of(decl(f"<x:note xmlns:x='urn:x'>{big}</x:note>" + ROTOR))
    assert found and "not well-formed" in found[0]


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(InputError):
        read_declaration(tmp_path / "nope.xml")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_fuzz_random_bytes_never_traceback(data: bytes) -> None:
    try:
        parse_declaration(data, "fuzz.xml")
    except InputError as exc:
        assert exc.problems  # noqa: PT017  (fuzz: an exception is allowed, not required)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(min_value=0, max_value=len(decl(ROTOR)) - 1), st.text(max_size=12))
def test_fuzz_mutated_declaration_never_traceback(pos: int, junk: str) -> None:
    text = decl(ROTOR)
    mutated = text[:pos] + junk + text[pos + len(junk) // 2 :]
    try:
        parse_declaration(mutated.encode("utf-8", "surrogatepass"), "fuzz.xml")
    except InputError as exc:
        assert exc.problems  # noqa: PT017  (fuzz: an exception is allowed, not required)


# --------------------------------------------------------------------------- import / export


def test_import_maps_parts_composition_bom(tmp_path: Path, workspace: Workspace) -> None:
    dry = workspace.import_declaration(write(tmp_path, decl(ROTOR)), apply=False)
    assert not dry.changes.applied
    assert workspace.network().parts == []
    result = workspace.import_declaration(write(tmp_path, decl(ROTOR)))
    assert result.changes.applied
    net = workspace.network()
    parts = {p.part_id: p for p in net.parts}
    assert parts["MAG-1"].magnet_type.value == "ndfeb"
    assert parts["MAG-1"].mass_kg == pytest.approx(0.0125)
    assert parts["ROTOR-1"].mass_kg == pytest.approx(0.12)
    comp = {(c.part_id, c.element): c.mass_fraction for c in net.composition}
    assert comp[("MAG-1", "Dy")] == pytest.approx(0.04)
    assert comp[("ROTOR-1", "Dy")] == pytest.approx(4 * 12.5 * 0.04 / 120)
    assert [(b.parent_part_id, b.child_part_id, b.quantity) for b in net.bom] == [
        ("ROTOR-1", "MAG-1", 4.0)
    ]
    again = workspace.import_declaration(write(tmp_path, decl(ROTOR)))
    assert again.changes.changes == ()


def test_import_into_existing_part_keeps_its_fields_and_zeroes_dropped_rare_earths(
    tmp_path: Path, workspace: Workspace
) -> None:
    workspace.import_bundle(write_bundle_files(tmp_path / "tiny", TINY))
    body = product(
        "MAGNET",
        "50",
        material(
            "NdFeB",
            "50",
            substance("Neodymium", "7440-00-8", "30")
            + substance("Iron", "7439-89-6", "69")
            + substance("Boron", "7440-42-8", "1"),
        ),
    )
    result = workspace.import_declaration(write(tmp_path, decl(body)))
    changed = {(c.table, c.key): c for c in result.changes.changes}
    assert changed[("composition", ("MAGNET", "Dy"))].fields[0].new == 0.0
    net = workspace.network()
    magnet = net.part("MAGNET")
    assert (
        magnet is not None and str(magnet.unit_value) == "4.20" and magnet.hs_code == "8505111000"
    )


def test_import_that_breaks_the_network_writes_nothing(
    tmp_path: Path, workspace: Workspace
) -> None:
    workspace.import_bundle(write_bundle_files(tmp_path / "tiny", TINY))
    # MAGNET already contains DY2O3 in the BOM; declaring DY2O3 with MAGNET as sub-product
    # closes a cycle, which validate_network reports with the file and line.
    body = product("DY2O3", "1000", "", sub=product("MAGNET", "50", "", tag="SubProduct"))
    with pytest.raises(InputError) as info:
        workspace.import_declaration(write(tmp_path, decl(body)))
    assert any(
        "BOM cycle" in p.message and p.file.endswith("d.xml") and p.row for p in info.value.problems
    )
    assert workspace.network().part("DY2O3") is not None
    assert [b for b in workspace.network().bom if b.parent_part_id == "DY2O3"] == []


def test_export_import_round_trip(tmp_path: Path, workspace: Workspace, db_url: str) -> None:
    workspace.import_bundle(write_bundle_files(tmp_path / "tiny", TINY))
    before = workspace.network()
    out = workspace.export_declaration("MAGNET", tmp_path / "magnet.xml")
    d = read_declaration(out)
    assert d.declaration_class.value == "D"
    from raretrace.settings import Settings

    other = Workspace.open(Settings(database_url=f"sqlite:///{tmp_path / 'other.db'}"))
    try:
        other.import_declaration(out)
        after = other.network()
    finally:
        other.close()
    want = {c.element: c.mass_fraction for c in before.composition if c.part_id == "MAGNET"}
    got = {c.element: c.mass_fraction for c in after.composition if c.part_id == "MAGNET"}
    assert got.keys() == want.keys()
    for el in want:
        assert got[el] == pytest.approx(want[el], rel=1e-9)
    part = after.part("MAGNET")
    assert part is not None and part.mass_kg == pytest.approx(0.05)
    # Re-importing the export into the original workspace changes nothing.
    assert workspace.import_declaration(out).changes.changes == ()


def test_export_errors(tmp_path: Path, workspace: Workspace) -> None:
    with pytest.raises(NotFoundError):
        workspace.export_declaration("NOPE", tmp_path / "x.xml")
    files = dict(TINY)
    files["parts.csv"] = files["parts.csv"].replace(
        "MAGNET,NdFeB magnet with Dy,magnet,ea,0.05", "MAGNET,NdFeB magnet with Dy,magnet,ea,"
    )
    workspace.import_bundle(write_bundle_files(tmp_path / "tiny", files))
    with pytest.raises(InputError, match="no mass_kg"):
        workspace.export_declaration("MAGNET", tmp_path / "x.xml")
