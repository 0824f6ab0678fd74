"""Pages render the same data as their JSON twins; charts are embedded as specs."""

from __future__ import annotations

import io
import json
import zipfile

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from factories import TINY
from web.conftest import page_csrf


def soup(client: TestClient, path: str) -> BeautifulSoup:
    r = client.get(path)
    assert r.status_code == 200, r.text[:300]
    return BeautifulSoup(r.text, "html.parser")


def test_dashboard_lists_products_with_their_rare_earths(viewer: TestClient) -> None:
    page = soup(viewer, "/")
    rows = page.select("#products tbody tr")
    assert "Example car" in rows[0].text
    assert [e.text for e in rows[0].select(".el")] == ["Nd", "Dy"]
    api = viewer.get("/api/v1/dashboard").json()
    assert api["products"] == [
        {"part_id": "CAR", "name": "Example car", "rare_earths": ["Nd", "Dy"]}
    ]
    assert api["counts"]["parts"] == 4
    spec = json.loads(page.select_one("#chart-countries-spec").string)
    assert spec == api["country_chart"]
    assert {c["name"] for c in api["modules"]} >= {"Licences", "Simulation"}
    # no admin link for a viewer
    assert not page.select('a[href="/admin/users"]')


def test_parts_list_filters_and_pages(viewer: TestClient) -> None:
    page = soup(viewer, "/parts?kind=magnet")
    assert [a.text for a in page.select("#parts tbody tr td:first-child a")] == [
        "NdFeB magnet with Dy"
    ]
    api = viewer.get("/api/v1/parts", params={"rare": "true", "limit": 2}).json()
    assert api["total"] == 4 and len(api["items"]) == 2
    assert viewer.get("/api/v1/parts", params={"limit": 0}).status_code == 422


def test_part_page_shows_bom_composition_and_suppliers(viewer: TestClient) -> None:
    page = soup(viewer, "/parts/MAGNET?as_of=2026-01-15")
    assert page.select_one('input[name="as_of"]')["value"] == "2026-01-15"
    assert "Dysprosium oxide" in page.select_one("#bom").text
    assert "Seat motor" in page.select_one("#used-in").text
    assert "Example Magnet KK" in page.select_one("#suppliers").text
    api = viewer.get("/api/v1/parts/MAGNET", params={"as_of": "2026-01-15"}).json()
    assert api["as_of"] == "2026-01-15"
    assert api["composition"][0]["element"] == "Fe"
    assert api["suppliers"][0]["supplier_country"] == "JP"
    spec = json.loads(page.select_one("#chart-composition-spec").string)
    assert spec == api["composition_chart"]


def test_network_page_has_tiers_and_flows(viewer: TestClient) -> None:
    api = viewer.get("/api/v1/products/CAR/network").json()
    by_part = {n["part_id"]: n for n in api["nodes"]}
    assert by_part["CAR"]["tier"] == 0 and by_part["MOTOR"]["tier"] == 1
    assert by_part["MAGNET"]["country"] == "JP" and by_part["MAGNET"]["units"] == 8
    assert abs(by_part["DY2O3"]["units"] - 8 * 0.0006) < 1e-12
    page = soup(viewer, "/products/CAR/network")
    spec = json.loads(page.select_one("#chart-network-spec").string)
    assert spec == api["chart"]
    assert len(spec["layer"][1]["data"]["values"]) == len(api["nodes"])
    for src in ("vega-6.4.0.min.js", "vega-lite-6.4.3.min.js", "vega-embed-7.3.0.min.js"):
        assert page.select_one(f'script[src="/static/vendor/{src}"]')
        assert viewer.get(f"/static/vendor/{src}").status_code == 200


def _zip(files: dict[str, str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            z.writestr(f"bundle/{name}", text)
    return buf.getvalue()


def test_import_shows_every_problem_before_writing(editor: TestClient) -> None:
    bad = dict(TINY)
    bad["bom.csv"] = "parent_part_id,child_part_id,quantity\nCAR,MOTOR,x\nMOTOR,MAGNET,-2\n"
    token = page_csrf(editor, "/import")
    r = editor.post(
        "/import",
        data={"csrf_token": token, "replace": "true"},
        files={"file": ("bad.zip", _zip(bad), "application/zip")},
    )
    assert r.status_code == 422
    rows = BeautifulSoup(r.text, "html.parser").select("#problems tbody tr")
    assert len(rows) >= 2
    assert all(row.select("td")[0].text.endswith("bom.csv") for row in rows)
    assert not any("/tmp" in row.text for row in rows)
    assert editor.get("/api/v1/dashboard").json()["counts"]["bom"] == 3  # nothing written


def test_import_preview_then_confirm(editor: TestClient) -> None:
    more = dict(TINY)
    more["parts.csv"] = TINY["parts.csv"] + "BIKE,E-bike,product,ea,20,2000,EUR,,other,none\n"
    token = page_csrf(editor, "/import")
    r = editor.post(
        "/import",
        data={"csrf_token": token},
        files={"file": ("more.zip", _zip(more), "application/zip")},
    )
    assert r.status_code == 200
    page = BeautifulSoup(r.text, "html.parser")
    upload_id = page.select_one('input[name="upload_id"]')["value"]
    assert editor.get("/api/v1/parts/BIKE").status_code == 404  # not yet
    r = editor.post("/import/confirm", data={"csrf_token": token, "upload_id": upload_id})
    assert r.status_code == 200 and "Imported" in r.text
    assert editor.get("/api/v1/parts/BIKE").status_code == 200
    # a staged upload can be confirmed once only
    r = editor.post("/import/confirm", data={"csrf_token": token, "upload_id": upload_id})
    assert r.status_code == 404


def test_import_api_dry_run_and_errors(editor: TestClient, app) -> None:
    token = page_csrf(editor)
    headers = {"X-CSRF-Token": token}
    r = editor.post(
        "/api/v1/import?dry_run=true",
        headers=headers,
        files={"file": ("t.zip", _zip(TINY), "application/zip")},
    )
    assert r.status_code == 200 and r.json()["ok"] is True and r.json()["upload_id"] is None
    r = editor.post(
        "/api/v1/import", headers=headers, files={"file": ("t.txt", b"hello", "text/plain")}
    )
    assert r.status_code == 422
    r = editor.post(
        "/api/v1/import?replace=true",
        headers=headers,
        files={"file": ("t.zip", _zip(TINY), "application/zip")},
    )
    assert r.status_code == 200 and r.json()["replaced"] is True


def test_upload_size_limit(editor: TestClient) -> None:
    big = b"0" * (21 * 1024 * 1024)
    r = editor.post(
        "/api/v1/import",
        headers={"X-CSRF-Token": page_csrf(editor)},
        files={"file": ("big.zip", big, "application/zip")},
    )
    assert r.status_code == 413


def test_zip_path_traversal_is_ignored(editor: TestClient) -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in TINY.items():
            z.writestr(f"../../{name}", text)
        z.writestr("../../evil.sh", "rm -rf /")
    r = editor.post(
        "/api/v1/import?dry_run=true",
        headers={"X-CSRF-Token": page_csrf(editor)},
        files={"file": ("t.zip", buf.getvalue(), "application/zip")},
    )
    assert r.status_code == 200 and r.json()["ok"] is True


def test_import_preview_lists_changes_and_a_no_op_keeps_the_revision(
    editor: TestClient,
) -> None:
    token = page_csrf(editor, "/import")
    headers = {"X-CSRF-Token": token}

    def import_tiny() -> dict[str, object]:
        r = editor.post(
            "/api/v1/import",
            headers=headers,
            files={"file": ("t.zip", _zip(TINY), "application/zip")},
        )
        assert r.status_code == 200
        result: dict[str, object] = r.json()
        return result

    first, again = import_tiny(), import_tiny()
    assert again["changed"] is False and again["revision"] == first["revision"]
    # replacing with a bundle that drops a product and renames a party: the preview
    # says so, table by table, before anything is written
    fewer = dict(TINY)
    fewer["parties.csv"] = TINY["parties.csv"].replace("Example Mining Co", "Renamed Mining")
    fewer["production.csv"] = "site_id,part_id,units_per_year\nS-OEM,CAR,100000\n"
    r = editor.post(
        "/import",
        data={"csrf_token": token, "replace": "true"},
        files={"file": ("fewer.zip", _zip(fewer), "application/zip")},
    )
    assert r.status_code == 200, r.text
    page = BeautifulSoup(r.text, "html.parser")
    assert page.select_one("#removal-warning") is not None
    cells = {
        row.select("td")[0].text: [td.text for td in row.select("td")[1:6]]
        for row in page.select("#import-changes tbody tr")
    }
    assert cells["parties"] == ["4", "0", "1", "0", "3"]
    assert cells["production"] == ["1", "0", "0", "1", "1"]
    assert "S-OEM / MOTOR" in page.select_one("#import-changes").text
