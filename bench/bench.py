"""Benchmark of the briefing build: floor, one region cold, all regions cold, no-op rebuild, naive pipeline.

Prints a table of medians over several runs, ratios between them and peak memory, and writes JSON
under bench/results/. Run with `make bench` (options: --runs N, --naive-runs N, --jobs N).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
NOTEBOOKS = ("01_curated_tables", "02_regional_comparison", "03_targets_vs_baseline")
FLOOR_NB = {
    "cells": [
        {
            "cell_type": "code",
            "metadata": {"tags": ["parameters"]},
            "source": 'region = "shanghai"\nlang = "en"',
            "outputs": [],
            "execution_count": None,
            "id": "p",
        },
        {
            "cell_type": "code",
            "metadata": {},
            "outputs": [],
            "execution_count": None,
            "id": "i",
            "source": "import pandas, matplotlib.pyplot, seaborn\nimport briefings.notebook as bn",
        },
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def run(cmd: list[str], env: dict | None = None) -> float:
    """Run a command, fail loudly, return its wall time in seconds."""
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return time.perf_counter() - start


def project(tmp: Path) -> Path:
    """A scratch project root sharing data, seeds and notebooks with the checkout."""
    for name in ("data", "seeds", "notebooks"):
        (tmp / name).symlink_to(ROOT / name)
    for name in ("reports", "figures"):
        (tmp / name).mkdir()
    return tmp


def reset(root: Path) -> None:
    for name in ("reports", "figures", "build"):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / "reports").mkdir()
    (root / "figures").mkdir()


def floor(work: Path) -> float:
    """Toolchain's fixed cost for one briefing: papermill (same imports), nbconvert, WeasyPrint; no content."""
    nb = work / "floor.ipynb"
    nb.write_text(json.dumps(FLOOR_NB))
    t = run([str(BIN / "papermill"), str(nb), str(work / "floor.out.ipynb"), "--no-progress-bar"])
    t += run(
        [
            str(BIN / "jupyter-nbconvert"),
            "--to",
            "html",
            "--no-input",
            str(work / "floor.out.ipynb"),
            "--output-dir",
            str(work),
        ]
    )
    t += run([str(BIN / "weasyprint"), str(work / "floor.out.html"), str(work / "floor.pdf")])
    return t


def naive(root: Path, regions: list[str], langs: list[str], work: Path) -> float:
    """Papermill on each notebook, then the nbconvert and weasyprint command lines, one region after another."""
    env = {"BRIEFINGS_ROOT": str(root)}
    total = 0.0
    for region in regions:
        for lang in langs:
            for name in NOTEBOOKS:
                out = work / f"{region}.{lang}.{name}.ipynb"
                total += run(
                    [
                        str(BIN / "papermill"),
                        str(ROOT / "notebooks" / f"{name}.ipynb"),
                        str(out),
                        "-p",
                        "region",
                        region,
                        "-p",
                        "lang",
                        lang,
                        "--no-progress-bar",
                    ],
                    env,
                )
                total += run(
                    [str(BIN / "jupyter-nbconvert"), "--to", "html", "--no-input", str(out), "--output-dir", str(work)],
                    env,
                )
                total += run(
                    [str(BIN / "weasyprint"), str(out.with_suffix(".html")), str(out.with_suffix(".pdf"))], env
                )
    return total


def build(root: Path, *args: str) -> float:
    return run([str(BIN / "briefings"), "build", "--quiet", *args], {"BRIEFINGS_ROOT": str(root)})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", type=int, default=3, help="runs of each measurement (median reported)")
    ap.add_argument("--naive-runs", type=int, default=1, help="runs of the slow naive pipeline")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from briefings.build import buildable_regions_light

    regions = buildable_regions_light()
    langs = ["en", "zh"]
    n = len(regions) * len(langs)
    results: dict[str, list[float]] = {k: [] for k in ("floor", "one_region_cold", "all_cold", "noop", "naive")}
    peaks: list[dict] = []
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "p").mkdir()
        root, work = project(Path(tmp) / "p"), Path(tmp) / "w"
        work.mkdir()
        for i in range(args.runs):
            results["floor"].append(floor(work))
            reset(root)
            results["one_region_cold"].append(build(root, "--region", "shanghai", "--lang", "en", "--jobs", "1"))
            reset(root)
            results["all_cold"].append(build(root, "--jobs", str(args.jobs)))
            peaks += json.loads((root / "build" / "last-build.json").read_text())
            results["noop"].append(build(root))
            print(
                f"run {i + 1}/{args.runs}: floor {results['floor'][-1]:.1f}s, all cold {results['all_cold'][-1]:.1f}s, "
                f"no-op {results['noop'][-1]:.2f}s",
                file=sys.stderr,
            )
        for _ in range(args.naive_runs):
            results["naive"].append(naive(root, regions, langs, work))
    med = {k: statistics.median(v) for k, v in results.items() if v}
    budget = 1.3 * n * med["floor"] / 2
    worker_peak = max(p["peak_rss_mb"] for p in peaks if p["status"] == "built")
    kernel_peak = max(p["kernel_peak_rss_mb"] for p in peaks if p["status"] == "built")
    checks = {
        "all cold ≤ 1.3 × (briefings × floor ÷ 2)": med["all_cold"] <= budget,
        "≥ 3× faster than naive": med["naive"] / med["all_cold"] >= 3,
        "no-op rebuild ≤ 0.5 s": med["noop"] <= 0.5,
        "peak memory per worker ≤ 400 MB": max(worker_peak, kernel_peak) <= 400,
    }
    machine = f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · Python {platform.python_version()}"
    print(f"\nBenchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}")
    print(
        f"{len(regions)} regions × {len(langs)} editions = {n} briefings, --jobs {args.jobs}, "
        f"medians of {args.runs} run(s) (naive: {args.naive_runs})\n"
    )
    rows = [
        ("floor (1 briefing, no content)", med["floor"]),
        ("one region cold (1 briefing)", med["one_region_cold"]),
        (f"all regions cold ({n} briefings)", med["all_cold"]),
        ("rebuild, nothing changed", med["noop"]),
        (f"naive pipeline ({n} briefings)", med["naive"]),
    ]
    print(f"| {'measurement':<36} | {'seconds':>8} |\n|{'-' * 38}|{'-' * 10}|")
    for label, v in rows:
        print(f"| {label:<36} | {v:>8.2f} |")
    print(
        f"\nratios: all cold / budget {med['all_cold'] / budget:.2f} (budget {budget:.1f} s); "
        f"naive / all cold {med['naive'] / med['all_cold']:.1f}×; "
        f"one region / floor {med['one_region_cold'] / med['floor']:.2f}"
    )
    print(f"peak memory (VmHWM): build worker {worker_peak:.0f} MB, notebook kernel {kernel_peak:.0f} MB")
    for label, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"bench-{stamp}.json").write_text(
        json.dumps(
            {
                "machine": machine,
                "briefings": n,
                "jobs": args.jobs,
                "runs": results,
                "medians": med,
                "budget_s": budget,
                "peak_worker_mb": worker_peak,
                "peak_kernel_mb": kernel_peak,
                "checks": checks,
            },
            indent=1,
        )
    )
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
