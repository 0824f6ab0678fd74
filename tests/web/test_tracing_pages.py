"""Part page analysis (tracing + classification as of a date), element Sankey, supplier
exposure and the dashboard's compliance summary: pages show what their JSON twins say."""

from __future__ import annotations

import io
import json

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from web.conftest import login, new_client

DY_PER_CAR = 4 * 2 * 0.0006 * 0.8713
READS = [
    "/products/CAR/sankey",
    "/api/v1/products/CAR/sankey",
    "/suppliers",
    "/api/v1/suppliers",
    "/suppliers.csv",
]


def soup(client: TestClient, path: str) -> BeautifulSoup:
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    return BeautifulSoup(r.text, "html.parser")


def test_as_of_picker_changes_the_verdict(viewer: TestClient) -> None:
    before = viewer.get("/api/v1/parts/MAGNET", params={"as_of": "2025-04-03"}).json()
    after = viewer.get("/api/v1/parts/MAGNET", params={"as_of": "2025-04-04"}).json()
    assert before["analysis"]["classification"]["outcome"] == "not_controlled"
    assert after["analysis"]["classification"]["outcome"] == "controlled"
    assert "1C905.a" in after["analysis"]["classification"]["control_codes"]
    page = soup(viewer, "/parts/MAGNET?as_of=2025-04-04")
    assert page.select_one("#classification .outcome").text.strip() == "controlled"
    assert page.select_one('input[name="as_of"]')["value"] == "2025-04-04"
    fired = [r for r in after["analysis"]["classification"]["reasons"] if r["fired"]]
    assert fired and all(r["citation"] for r in fired)
    # every rule considered is in the reason trace, fired rows first
    rows = page.select("#reasons tbody tr")
    assert len(rows) == len(after["analysis"]["classification"]["reasons"])
    assert "fired" in rows[0]["class"]
    earlier = soup(viewer, "/parts/MAGNET?as_of=2025-04-03")
    assert earlier.select_one("#classification .outcome").text.strip() == "not controlled"


def test_what_if_policy_is_passed_to_the_classification(viewer: TestClient) -> None:
    api = viewer.get(
        "/api/v1/parts/MAGNET", params={"as_of": "2026-01-15", "policy": "lifted"}
    ).json()
    assert api["analysis"]["classification"]["policy"] == "lifted"
    assert viewer.get("/api/v1/parts/MAGNET", params={"policy": "nonsense"}).status_code == 422


def test_part_page_traces_content_origin_and_where_used(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/parts/CAR").json()["analysis"]
    node = api["trace"]["nodes"][0]
    assert api["site"] == node["site"] == "S-OEM"
    # 4 motors x 2 magnets x 0.0006 kg oxide x 87.13 % Dy (tracing rolls the magnet up
    # from its BOM)
    assert node["content_kg"]["Dy"] == pytest.approx(DY_PER_CAR, rel=1e-9)
    assert node["controlled_kg"] == pytest.approx(DY_PER_CAR, rel=1e-9)
    assert {o["country"] for o in node["origin"]["Dy"]} == {"JP"}  # the magnet maker
    assert sum(o["share"] for o in node["origin"]["Dy"]) == pytest.approx(1.0)
    page = soup(viewer, "/parts/CAR")
    assert json.loads(page.select_one("#chart-content-spec").string) == api["content_chart"]
    assert json.loads(page.select_one("#chart-origin-spec").string) == api["origin_chart"]
    assert "Dy" in page.select_one("#content").text
    magnet = viewer.get("/api/v1/parts/MAGNET").json()["analysis"]
    assert any(e.endswith("/CAR") for e in magnet["down"]["ends"])
    assert any(p["nodes"][-1].endswith("/CAR") for p in magnet["down"]["paths"])
    assert magnet["up"]["ends"]
    assert "CAR" in soup(viewer, "/parts/MAGNET").select_one("#where-down").text


def test_part_made_nowhere_still_gets_a_verdict(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/parts/DY2O3").json()["analysis"]
    assert api["classification"]["outcome"] in ("controlled", "not_controlled")
    assert api["trace"] is None or api["trace"]["nodes"]


def test_sankey_of_an_element_conserves_the_products_content(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/products/CAR/sankey", params={"element": "Dy"}).json()
    # Nd: declared in the magnet, which its BOM (Dy oxide only) does not explain
    assert api["element"] == "Dy" and api["elements"] == ["Nd", "Dy"]
    trace = viewer.get("/api/v1/parts/CAR").json()["analysis"]["trace"]["nodes"][0]
    assert api["kg_per_product"] == pytest.approx(trace["content_kg"]["Dy"], rel=1e-9)
    into_car = sum(lk["kg"] for lk in api["links"] if lk["target"].endswith("/CAR"))
    assert into_car == pytest.approx(api["kg_per_product"])
    spec = api["chart"]
    assert spec["$schema"].endswith("/vega/v6.json")
    paths = spec["data"][0]["values"]
    assert len(paths) == len(api["links"]) and all(p["path"].startswith("M") for p in paths)
    page = soup(viewer, "/products/CAR/sankey?element=Dy")
    assert json.loads(page.select_one("#chart-sankey-spec").string) == spec
    assert [a.text for a in page.select(".subtabs a")] == api["elements"]
    # default: the controlled element with the most mass (Nd is not controlled); an
    # element not present falls back to it
    assert viewer.get("/api/v1/products/CAR/sankey?element=Sm").json()["element"] == "Dy"
    assert viewer.get("/api/v1/products/NOPE/sankey").status_code == 404


def test_suppliers_exposure_table_filters_and_downloads(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/suppliers").json()
    assert api["elements"] == ["Dy"]  # Ann. 18 elements present
    by_site = {r["site"]: r for r in api["rows"]}
    assert set(by_site) == {"S-OEM", "S-MAG", "S-SEP"}
    # 100,000 cars a year
    assert by_site["S-OEM"]["kg_per_year"]["Dy"] == pytest.approx(100_000 * DY_PER_CAR)
    assert by_site["S-MAG"]["tier"] == 1 and by_site["S-MAG"]["products"] == ["CAR"]
    assert by_site["S-MAG"]["party_name"] == "Example Magnet KK"
    everything = viewer.get("/api/v1/suppliers", params={"scope": "all", "element": "Dy"}).json()
    assert everything["elements"] == ["Nd", "Dy"] and len(everything["rows"]) == 3
    jp = viewer.get("/api/v1/suppliers", params={"country": "JP"}).json()["rows"]
    assert [r["site"] for r in jp] == ["S-MAG"]
    near = viewer.get("/api/v1/suppliers", params={"max_tier": 0}).json()["rows"]
    assert [r["site"] for r in near] == ["S-OEM"]
    page = soup(viewer, "/suppliers?country=MY")
    assert len(page.select("#supplier-table tbody tr")) == 1
    assert (
        json.loads(soup(viewer, "/suppliers").select_one("#chart-exposure-spec").string)
        == (api["chart"])
    )
    csv_text = viewer.get("/suppliers.csv").text
    header = csv_text.splitlines()[0].split(",")
    assert header[:4] == ["rank", "site", "party", "party_name"]
    assert "kg_per_year_Dy" in header and "Example Magnet KK" in csv_text
    xlsx = viewer.get("/suppliers.xlsx", params={"scope": "all"})
    sheet = load_workbook(io.BytesIO(xlsx.content), read_only=True)["suppliers"]
    rows = list(sheet.iter_rows(values_only=True))
    assert "kg_per_year_Dy" in rows[0] and len(rows) == 4
    assert viewer.get("/api/v1/suppliers", params={"scope": "x"}).status_code == 422


def test_dashboard_counts_exposure_licences_and_hits(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/dashboard").json()["compliance"]
    assert api["products"][0]["part_id"] == "CAR"
    assert api["products"][0]["kg_per_year"] == {"Dy": pytest.approx(100_000 * DY_PER_CAR)}
    assert api["flows_cross_border"] == 2
    assert api["screened"] is False and api["open_screening_hits"] == 0
    page = soup(viewer, "/")
    assert page.select_one("#flows-needing-licence").text == str(api["flows_needing_licence"])
    assert json.loads(page.select_one("#chart-exposure-spec").string) == api["exposure_chart"]
    cards = {c["name"]: c for c in viewer.get("/api/v1/dashboard").json()["modules"]}
    assert cards["Classification"]["url"] == "/rules"


@pytest.mark.parametrize("path", READS)
def test_reads_need_login_and_any_role(app, anon: TestClient, path: str) -> None:
    r = anon.get(path, follow_redirects=False)
    if path.startswith("/api/"):
        assert r.status_code == 401
    else:
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
    assert login(new_client(app), "viewer").get(path).status_code == 200


def test_content_declared_above_the_bom_is_named_on_the_part_page(viewer: TestClient) -> None:
    """The example magnet declares Nd, Fe and B that its BOM (Dy oxide only) does not
    explain: the API and the page say so, and the car still carries that Nd."""
    api = viewer.get("/api/v1/parts/CAR").json()["analysis"]["trace"]
    quality = api["quality"]
    assert quality["declared_above_bom_nodes"] >= 1
    assert any("/MAGNET:" in line and "Nd +" in line for line in quality["declared_above_bom"])
    assert api["nodes"][0]["content_kg"]["Nd"] > 0
    text = soup(viewer, "/parts/CAR").select_one("#data-quality").text
    assert "declare more than their BOM explains" in text and "MAGNET" in text
