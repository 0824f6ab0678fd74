"""`raretrace simulate` and `raretrace dependence`, plus the demo's simulation section."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from raretrace.cli import output
from raretrace.cli.options import AsJson, Db, open_workspace
from raretrace.services.simulation import dependence as dep_service
from raretrace.services.simulation import runs as sim

__all__ = ["dependence", "render_simulation_demo", "simulate"]


def simulate(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.", exists=True)],
    runs: Annotated[int | None, typer.Option("--runs", min=1, help="Monte Carlo runs.")] = None,
    seed: Annotated[int | None, typer.Option("--seed", help="Random seed.")] = None,
    scheduler: Annotated[
        str | None, typer.Option("--scheduler", help="Dask scheduler address (tcp://...).")
    ] = None,
    local_cluster: Annotated[
        int,
        typer.Option("--local-cluster", min=0, help="Run on a local Dask cluster of N workers."),
    ] = 0,
    threads: Annotated[int, typer.Option("--threads", min=1, help="Threads in this process.")] = 1,
    parquet: Annotated[Path | None, typer.Option("--parquet", help="Write per-run rows.")] = None,
    chart_dir: Annotated[
        Path | None, typer.Option("--chart-dir", help="Write PNG and HTML charts here.")
    ] = None,
    value_of_sources: Annotated[
        bool,
        typer.Option(
            "--value-of-sources",
            help="Also run without each declared alternative / spare capacity, and each "
            "existing source of a multi-sourced part a rule reaches: what it saves.",
        ),
    ] = False,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Run a disruption scenario through the network's stock, by Monte Carlo, and say
    which products and sites stop, when, for how long, why, and what stock would help."""
    with output.errors(), open_workspace(db) as ws:
        sc = ws.load_scenario(scenario)
        columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                   TimeElapsedColumn())  # fmt: skip
        with Progress(*columns, console=output.err_console, disable=as_json) as bar:
            task = bar.add_task(f"simulating {sc.name}", total=None)

            def progress(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            result = ws.simulate(sc, runs=runs, seed=seed, scheduler=scheduler,
                                 local_cluster=local_cluster, threads=threads,
                                 progress=progress, value_of_sources=value_of_sources)  # fmt: skip
        if parquet is not None:
            sim.write_parquet(result, parquet)
        if chart_dir is not None:
            write_charts(result, chart_dir)
        if as_json:
            output.emit_json(sim.result_json(result))
            return
        render_summary(sim.summarise(result))


class _Wide:
    """Prints tables at their natural width when the output is not a terminal (a pipe
    or a file), instead of cutting them to the 80 columns Rich assumes there."""

    def __init__(self, console: Any) -> None:
        self.c = console
        if not console.is_terminal:
            from rich.console import Console

            self.c = Console(width=10_000, no_color=True, highlight=False)

    def print(self, *objects: Any, **kw: Any) -> None:
        self.c.print(*objects, **kw)


def render_summary(s: sim.SimulationSummary, top: int = 12) -> None:
    c = _Wide(output.console)
    c.print(
        f"[bold]{s.scenario}[/]: {s.runs} runs, seed {s.seed}, step {s.step_days:g} d, "
        f"horizon {s.horizon_days:g} d (raretrace {s.version}, revision {s.revision})"
    )
    rows = [(p.product, p.site, f"{p.stop_probability:.0%}", _day(p.first_stop_day[1]),
             *(f"{x:,.0f}" for x in p.days_lost), *(f"{x:,.0f}" for x in p.units_lost))
            for p in s.products[:top]]  # fmt: skip
    c.print(output.table(
        "Products: probability of a stoppage, first-stop day (median of runs that stop), "
        "days and units lost (P50 / P90 / P99)",
        ["product", "site", "P(stop)", "first stop", "days P50", "P90", "P99",
         "units P50", "P90", "P99"], rows))  # fmt: skip
    if not any(p.stop_probability > 0 for p in s.products):
        c.print("No product stops in any run.")
    if s.sites:
        c.print(output.table("Sites that stop (most likely first)",
                             ["site", "part", "P(stop)", "mean days lost"],
                             [(x["site"], x["part"], f"{x['stop_probability']:.0%}",
                               f"{x['days_lost_mean']:.1f}") for x in s.sites[:top]]))  # fmt: skip
    if s.causes:
        c.print(output.table("Causes: closed links ranked by product value lost",
                             ["supplier", "part", "buyer", "for part", "share"],
                             [(x["supplier"], x["part"], x["buyer"], x.get("buyer_part", ""),
                               f"{x['share']:.0%}") for x in s.causes[:top]]))  # fmt: skip
        c.print(
            output.table(
                "Causes by part",
                ["part", "share"],
                [(x["part"], f"{x['share']:.0%}") for x in s.causes_by_part[:top]],
            )
        )
    if s.source_values:
        c.print(output.table(
            "Value of each source: mean per run over product lines, with it vs without",
            ["kind", "part", "supplier", "buyer", "days lost with", "without", "days saved",
             "value saved"],
            [(x["kind"], x["part"], x["supplier"], x["buyer"], f"{x['days_lost_with']:,.1f}",
              f"{x['days_lost_without']:,.1f}", f"{x['days_saved']:,.1f}",
              f"{x['value_saved']:,.0f}") for x in s.source_values]))  # fmt: skip
        if s.source_values_left_out:
            c.print(f"{s.source_values_left_out} more existing sources were not valued (at "
                    "most 20 are: those of the buyers losing most).")  # fmt: skip
    if s.stock_needed:
        c.print(output.table(
            f"Stock needed to keep P(shortfall) under {s.stop_probability_target:.0%} per link",
            ["site", "for part", "part", "from", "days now", "days needed", "P(short) now"],
            [(x["site"], x["buyer_part"], x["part"], x["supplier"], f"{x['stock_days_now']:.0f}",
              f"{x['stock_days_needed']:.0f}", f"{x['p_short_now']:.0%}")
             for x in s.stock_needed[:top]]))  # fmt: skip


def _day(x: float | None) -> str:
    return "-" if x is None else f"day {x:.0f}"


def write_charts(result: Any, folder: Path) -> list[Path]:
    """PNG (matplotlib) and HTML (Vega-Lite spec, drawn by the vendored Vega files copied
    to ``vendor/`` beside the pages) per chart, plus the specs as JSON for the web app."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    folder.mkdir(parents=True, exist_ok=True)
    scripts = _vendor(folder)
    specs = sim.chart_specs(result)
    written: list[Path] = []
    for name, spec in specs.items():
        slug = name.replace(":", "_").replace("/", "_")
        values = spec["data"]["values"]
        empty = spec.get("usermeta", {}).get("empty")
        by_product = name == "first_stop_day" and not empty
        products = sorted({v["product"] for v in values}) if by_product else []
        rows = max(1, len(products)) if not empty else 1
        fig, axes = plt.subplots(rows, 1, figsize=(8, 1.1 + 1.0 * rows if products else 4.5),
                                 sharex=True, squeeze=False)  # fmt: skip
        ax = axes[0][0]
        if empty:
            ax.text(0.5, 0.5, empty, ha="center", va="center", fontsize=11)
            ax.set_axis_off()
        elif name == "stop_probability":
            ax.barh([v["product"] for v in values], [v["stop_probability"] for v in values])
            ax.set_xlim(0, 1)
            ax.set_xlabel("probability of a stoppage")
        elif name == "stock_needed":
            ax.barh([v["link"] for v in values], [v["needed"] for v in values], alpha=0.6,
                    label="needed")  # fmt: skip
            ax.scatter([v["now"] for v in values], [v["link"] for v in values], marker="|",
                       s=200, color="black", label="now")  # fmt: skip
            ax.tick_params(axis="y", labelsize=6)
            ax.set_xlabel("days of stock")
            ax.legend(fontsize=7, loc="lower right")
        elif name == "first_stop_day":
            horizon = spec["spec"]["encoding"]["x"]["scale"]["domain"][1]
            for i, prod in enumerate(products):  # small multiples, one row per product
                a = axes[i][0]
                a.hist([v["day"] for v in values if v["product"] == prod], bins=30,
                       range=(0, horizon))  # fmt: skip
                a.set_ylabel(prod, rotation=0, ha="right", va="center", fontsize=7)
            axes[-1][0].set_xlabel("day of the first stoppage (runs that stop)")
        else:
            days = [v["day"] for v in values]
            ax.fill_between(days, [v["p10"] for v in values], [v["p90"] for v in values], alpha=0.3)
            ax.plot(days, [v["p50"] for v in values])
            ax.set_xlabel("day (end of step)")
            ax.set_ylabel("least input stock, days")
        fig.suptitle(spec["title"], fontsize=10)
        fig.tight_layout()
        png = folder / f"{slug}.png"
        fig.savefig(png, dpi=100)
        plt.close(fig)
        html = folder / f"{slug}.html"
        html.write_text(_html(spec, scripts), encoding="utf-8")
        (folder / f"{slug}.vl.json").write_text(json.dumps(spec), encoding="utf-8")
        written += [png, html]
    return written


def _vendor(folder: Path) -> list[str]:
    """Copy the web app's vendored Vega, Vega-Lite and vega-embed (version-named files)
    to ``folder/vendor/``; their relative paths, in load order."""
    import shutil
    from importlib.resources import files

    source = Path(str(files("raretrace.web").joinpath("static", "vendor")))
    out: list[str] = []
    (folder / "vendor").mkdir(exist_ok=True)
    for pattern in ("vega-[0-9]*.min.js", "vega-lite-[0-9]*.min.js", "vega-embed-[0-9]*.min.js"):
        found = sorted(source.glob(pattern))
        if not found:
            continue
        shutil.copyfile(found[-1], folder / "vendor" / found[-1].name)
        out.append(f"vendor/{found[-1].name}")
    licences = source / "LICENSES.txt"
    if licences.exists():
        shutil.copyfile(licences, folder / "vendor" / "LICENSES.txt")
    return out


def _html(spec: dict[str, Any], scripts: list[str]) -> str:
    """A page that renders the spec with the vendored Vega files in ``vendor/`` beside
    it, and shows the spec's data table as well (and alone without JavaScript)."""
    from html import escape

    data = json.dumps(spec).replace("</", "<\\/")
    rows = "".join("<tr>" + "".join(f"<td>{escape(str(v))}</td>" for v in r.values()) + "</tr>"
                   for r in spec["data"]["values"][:200])  # fmt: skip
    tags = "".join(f'<script src="{src}"></script>' for src in scripts)
    title = escape(spec["title"])
    return f"""<!doctype html><meta charset="utf-8"><title>{title}</title>
<h1>{title}</h1><div id="chart"></div>
<script type="application/json" id="chart-spec">{data}</script>
{tags}
<script>if (window.vegaEmbed) vegaEmbed('#chart',
 JSON.parse(document.getElementById('chart-spec').textContent), {{renderer: 'svg'}})
 .then(function () {{ document.body.setAttribute('data-rendered', 'true'); }});</script>
<noscript>JavaScript is off: the data follow.</noscript><table>{rows}</table>
"""


def dependence(
    product: Annotated[
        str | None, typer.Argument(help="Product part id (default: the plan).")
    ] = None,
    db: Db = None,
    as_json: AsJson = False,
) -> None:
    """Country concentration by stage (sourced world figures, HHI) next to this
    network's own origin shares."""
    with output.errors(), open_workspace(db) as ws:
        report = ws.dependence(product)
    if as_json:
        output.emit_json(dep_service.as_dict(report))
        return
    c = output.console
    rows = []
    for r in report.rows:
        w = r.world.concentration if r.world else None
        world = "-" if w is None else f"{w.top_country} {w.top_share_pct:.0f}% ({r.world.year})"
        hhi = "-" if w is None else f"{w.hhi:,.0f}" + ("" if w.complete else " (at least)")
        ours = (
            "-"
            if r.ours is None
            else ", ".join(
                f"{k} {v:.0f}%"
                for k, v in zip(r.ours.countries[:3], r.ours.share_pct[:3], strict=False)
            )
        )
        rows.append((r.stage, r.element, world, hhi, ours,
                     "-" if r.ours is None else f"{r.ours.hhi:,.0f}"))  # fmt: skip
    c.print(
        output.table(
            "Dependence by stage: world (sourced) vs this network",
            ["stage", "element", "world top", "world HHI", "ours", "our HHI"],
            rows,
        )
    )
    for r in report.rows:
        if r.ours is not None:
            c.print(f"- {r.sentence}")
    for n in report.notes:
        c.print(f"[dim]{n}[/]")


def render_simulation_demo(ws: Any) -> None:
    """The demo's simulation section: the 2010-style embargo on the sample world."""
    c = output.console
    c.rule("[bold]Simulation: a two-month CN -> JP embargo (modelled on 2010)")
    path = next(p for p in sim.sample_scenarios() if p.name == "embargo_cn_jp_2010.yaml")
    sc = sim.load_scenario(path)
    with c.status(f"Simulating {sc.runs} runs of {sc.name} ..."):
        result = ws.simulate(sc)
    render_summary(sim.summarise(result), top=8)
