"""Logic that used to live in web routes, now reachable from the Python API and the CLI:
the suppliers table's filters (``TracingService.suppliers``, ``raretrace exposure
--country/--element/--max-tier/--search``) and the Sankey flows
(``TracingService.sankey``). The web pages call the same services."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from raretrace.cli import app
from raretrace.domain.elements import ANNOUNCEMENT_18_ELEMENTS
from raretrace.errors import InputError, NotFoundError
from raretrace.services.network.catalogue import build_index
from raretrace.services.tracing.supplier_filter import SupplierFilter
from raretrace.settings import Settings
from raretrace.workspace import Workspace


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, str]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('sample') / 'w.db'}"
    with Workspace.open(Settings(database_url=url)) as ws:
        ws.load_sample()
        yield ws, url


def test_supplier_filters_keep_ranks_and_match_a_hand_filter(
    sample: tuple[Workspace, str],
) -> None:
    ws, _ = sample
    every = ws.tracing.suppliers(SupplierFilter())
    assert every.elements == ["Sm", "Tb", "Dy"]  # the controlled ones the sample carries
    assert [r.rank for r in every.rows] == list(range(1, len(every.rows) + 1))
    cn = ws.tracing.suppliers(SupplierFilter(country="cn"))
    assert [r.site for r in cn.rows] == [r.site for r in every.rows if r.country == "CN"]
    assert cn.rows[:3] == [r for r in every.rows if r.country == "CN"][:3]
    assert cn.countries == every.countries  # the choices stay the unfiltered ones
    shallow = ws.tracing.suppliers(SupplierFilter(max_tier=1, element="Dy"))
    assert shallow.rows and all(r.tier <= 1 and "Dy" in r.kg_per_year for r in shallow.rows)
    assert len(shallow.rows) == sum(r.tier <= 1 and "Dy" in r.kg_per_year for r in every.rows)
    # the search looks at party names too, in any case
    hengda = ws.tracing.suppliers(SupplierFilter(q="HENGDA"))
    assert [(r.rank, r.site) for r in hengda.rows] == [(6, "S-HEN-CN-BT")]
    assert hengda.rows[0].party_name == "Baotou Hengda Magnetics Co., Ltd."
    wide = ws.tracing.suppliers(SupplierFilter(scope="all"))
    assert set(every.elements) < set(wide.elements)
    with pytest.raises(NotFoundError, match="no part 'NOPE'"):
        ws.tracing.suppliers(SupplierFilter(product="NOPE"))
    with pytest.raises(InputError, match="scope"):
        SupplierFilter(scope="some")
    # with the caller's index (as the web app passes it): the same table
    idx = build_index(ws.network(), ws.revision())
    assert ws.tracing.suppliers(SupplierFilter(country="CN"), index=idx).rows == cn.rows


def test_cli_exposure_filters_like_the_suppliers_page(
    sample: tuple[Workspace, str], tmp_path: Path
) -> None:
    ws, url = sample
    res = CliRunner().invoke(
        app, ["exposure", "--country", "CN", "--max-tier", "2", "--db", url, "--json"]
    )
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)["rows"]
    want = ws.tracing.suppliers(SupplierFilter(country="CN", max_tier=2)).rows
    assert [(r["rank"], r["site"]) for r in rows] == [(r.rank, r.site) for r in want]
    assert {r["country"] for r in rows} == {"CN"} and max(r["tier"] for r in rows) <= 2
    res = CliRunner().invoke(app, ["exposure", "--search", "hengda", "--db", url, "--csv"])
    assert res.exit_code == 0, res.output
    lines = res.stdout.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith("6,S-HEN-CN-BT,")


def test_sankey_flows_from_the_python_api(sample: tuple[Workspace, str]) -> None:
    ws, _ = sample
    flows = ws.tracing.sankey("DEF-SERVO")
    # opens on the controlled element with the most mass; only Sm flows into the servo
    assert flows.elements == ["Sm"] and flows.element == "Sm"
    assert flows.element in ANNOUNCEMENT_18_ELEMENTS
    assert not flows.truncated and flows.links and all(lk.kg > 0 for lk in flows.links)
    into_product = {n.node_id for n in flows.nodes if n.tier == 0}
    assert flows.kg_per_product == pytest.approx(
        sum(lk.kg for lk in flows.links if lk.target in into_product)
    )
    assert flows.kg_per_product == pytest.approx(0.0315, rel=1e-6)
    # an element that does not flow falls back to the default choice
    assert ws.tracing.sankey("DEF-SERVO", "Nd").element == "Sm"
    idx = build_index(ws.network(), ws.revision())
    assert ws.tracing.sankey("DEF-SERVO", index=idx) == flows
    with pytest.raises(NotFoundError):
        ws.tracing.sankey("NOPE")
