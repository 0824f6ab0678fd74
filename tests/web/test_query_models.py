"""Query models (one class per parameter list) keep the public contract: the OpenAPI
parameters of the suppliers and rules endpoints are pinned here, and every endpoint
sharing a model applies every field."""

from __future__ import annotations

import csv
import io
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient
from openpyxl import load_workbook

SUPPLIERS = [
    ("product", "string", "", {"maxLength": 200}),
    ("country", "string", "", {"maxLength": 2}),
    ("element", "string", "", {"maxLength": 3}),
    ("max_tier", "integer|null", None, {"minimum": 0, "maximum": 100}),
    ("scope", "string", "controlled", {"pattern": "^(controlled|all)$"}),
    ("q", "string", "", {"maxLength": 200}),
]
BOOK = [
    ("as_of", "date|null", None, {}),
    ("policy", "SuspensionPolicy", "as_written", {}),
]
DIFF = [
    ("date_from", "date", "2025-04-03", {}),
    ("date_to", "date|null", None, {}),
]
FLOWS = [*BOOK, ("show", "string", "licence", {"pattern": "^(licence|changes|uncertain|all)$"})]
PINNED = {
    "/suppliers": SUPPLIERS,
    "/suppliers.csv": SUPPLIERS,
    "/suppliers.xlsx": SUPPLIERS,
    "/api/v1/suppliers": SUPPLIERS,
    "/rules": BOOK,
    "/api/v1/rules": BOOK,
    "/rules/diff": DIFF,
    "/api/v1/rules/diff": DIFF,
    "/rules/flows": FLOWS,
    "/api/v1/rules/flows": FLOWS,
}
CONSTRAINTS = ("maxLength", "minimum", "maximum", "pattern")


def _type(schema: dict[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return "|".join(_type(s) for s in schema["anyOf"])
    return str(schema.get("format") or schema["type"])


def _constraints(schema: dict[str, Any]) -> dict[str, Any]:
    found = {k: schema[k] for k in CONSTRAINTS if k in schema}
    for alternative in schema.get("anyOf", ()):
        found |= {k: alternative[k] for k in CONSTRAINTS if k in alternative}
    return found


def test_openapi_parameters_are_pinned(app: FastAPI) -> None:
    paths = app.openapi()["paths"]
    for path, expected in PINNED.items():
        params = paths[path]["get"]["parameters"]
        assert all(p["in"] == "query" and not p.get("required") for p in params), path
        assert all(p["description"] for p in params), path
        got = [
            (p["name"], _type(p["schema"]), p["schema"].get("default"), _constraints(p["schema"]))
            for p in params
        ]
        assert got == expected, path


def test_every_supplier_endpoint_applies_every_filter(viewer: TestClient) -> None:
    params = {"product": "CAR", "country": "JP", "element": "Dy", "max_tier": "1", "q": "magnet"}
    api = viewer.get("/api/v1/suppliers", params=params).json()
    assert [r["site"] for r in api["rows"]] == ["S-MAG"]
    assert api["filters"] == {**params, "max_tier": 1, "scope": "controlled"}
    page = viewer.get("/suppliers", params=params)
    assert page.status_code == 200 and page.text.count('class="site"') <= 1
    rows = list(csv.reader(io.StringIO(viewer.get("/suppliers.csv", params=params).text)))
    assert [r[1] for r in rows[1:]] == ["S-MAG"]
    book = load_workbook(
        io.BytesIO(viewer.get("/suppliers.xlsx", params=params).content), read_only=True
    )
    assert [r[1] for r in list(book["suppliers"].iter_rows(values_only=True))[1:]] == ["S-MAG"]
    for key, bad in (("scope", "x"), ("max_tier", "-1"), ("country", "JPN")):
        for path in ("/suppliers", "/suppliers.csv", "/suppliers.xlsx", "/api/v1/suppliers"):
            assert viewer.get(path, params={key: bad}).status_code == 422, (path, key)
    none = viewer.get("/suppliers.csv", params={"max_tier": "0", "country": "JP"}).text
    assert len(none.splitlines()) == 1  # header only


def test_rules_query_models_reach_the_views(viewer: TestClient) -> None:
    flows = viewer.get(
        "/api/v1/rules/flows", params={"as_of": "2026-01-15", "policy": "lifted", "show": "all"}
    ).json()
    assert (flows["as_of"], flows["policy"], flows["show"]) == ("2026-01-15", "lifted", "all")
    book = viewer.get("/api/v1/rules", params={"as_of": "2025-01-01", "policy": "extended"}).json()
    assert (book["as_of"], book["policy"]) == ("2025-01-01", "extended")
    diff = viewer.get(
        "/api/v1/rules/diff", params={"date_from": "2025-04-03", "date_to": "2025-04-05"}
    ).json()
    assert (diff["date_from"], diff["date_to"]) == ("2025-04-03", "2025-04-05")
    assert viewer.get("/rules/flows", params={"policy": "nope"}).status_code == 422
    assert viewer.get("/rules/diff", params={"date_from": "x"}).status_code == 422
