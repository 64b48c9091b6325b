"""Benchmark of the briefing build against its content floor and against the kernel-per-briefing baseline.

Measures, in one run and on the machine at hand:

- the **content floor** of every briefing: its cells' own work, the HTML export and the PDF layout, in a
  warm process (imports done, fact base loaded, one briefing built first and not counted);
- **one briefing cold** (Shanghai, English: a fresh ``briefings build``) and **all briefings cold**, each
  built the current way (a kernel kept warm per worker) and the baseline way (``--fresh-kernels``: a new
  kernel for every briefing), interleaved run by run so that both see the same load;
- each briefing's build time in the cold build of all briefings, as a ratio to its floor;
- a rebuild with nothing changed, and the peak memory of the build workers and kernels;
- ``briefings watch``: the seconds from saving an edit to one region's measure to both its editions
  being republished by the warm workers.

Wall seconds are what a reader waits; CPU seconds (of every process of the build) are what the build
costs, and vary less when the machine is shared. Writes JSON under bench/results/ (not committed).
Run with ``make bench`` (options: ``--runs N``, ``--jobs N``, ``--baseline`` for the baseline alone,
``--no-baseline`` for the current build alone, ``--naive-runs N`` for the pipeline of command lines).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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
ONE = ("shanghai", "en")
TARGETS = {"one_cold": 0.35, "all_cold": 0.4, "floor": 1.5, "memory_mb": 400}


def run(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Run a command, fail loudly; return its wall and CPU seconds (the CPU of every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=ROOT)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def project(tmp: Path) -> Path:
    """A scratch project root sharing data, seeds and notebooks with the checkout."""
    tmp.mkdir(parents=True)
    for name in ("data", "seeds", "notebooks"):
        (tmp / name).symlink_to(ROOT / name)
    for name in ("reports", "figures"):
        (tmp / name).mkdir()
    return tmp


def reset(root: Path) -> None:
    """Remove every output and every cache (the validated fact base's too, as after a data edit)."""
    for name in ("reports", "figures", "build"):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / "reports").mkdir()
    (root / "figures").mkdir()


def build(root: Path, *args: str) -> tuple[float, float]:
    return run([str(BIN / "briefings"), "build", "--quiet", *args], {"BRIEFINGS_ROOT": str(root)})


def floors(root: Path, regions: list[str], langs: list[str]) -> dict[str, dict[str, float]]:
    """Every briefing's content floor, measured in one warm process (``--floor-worker``)."""
    cmd = [sys.executable, __file__, "--floor-worker", ",".join(regions), ",".join(langs)]
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, "BRIEFINGS_ROOT": str(root)})
    if proc.returncode != 0:
        sys.exit(f"measuring the floor failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def floor_worker(regions: list[str], langs: list[str]) -> None:
    """In this process: a warm kernel and warm libraries; per briefing, time its cells, export and PDF.

    The first briefing is built once before measuring, so that every first-use cost (fonts, templates,
    caches) is paid. Cell time is the sum of papermill's per-cell durations in the warm kernel.
    """
    import nbformat

    from briefings import data, paths
    from briefings.build import assemble, kernel, render, worker
    from briefings.build.common import DEFAULT_CELL_TIMEOUT
    from briefings.payload import SECTION_MIME, SUMMARY_MIME, outputs_of, strip

    data.load()
    work = Path(tempfile.mkdtemp(prefix="floor-", dir=paths.BUILD_DIR if paths.BUILD_DIR.is_dir() else None))
    assembled = work / "assembled.ipynb"
    assembled.write_text(nbformat.writes(assemble.assemble()), encoding="utf-8")
    worker.init_worker()  # the build worker's own start: kernel, libraries, exporters, fonts
    out: dict[str, dict[str, float]] = {}
    tasks = [(r, lang) for r in regions for lang in langs]
    for i, (region, lang) in enumerate([tasks[0], *tasks]):
        executed = work / "executed.ipynb"
        kernel.execute(str(assembled), executed, region, lang, DEFAULT_CELL_TIMEOUT, kernel.warm_kernel())
        nb = nbformat.read(executed, as_version=4)
        cells = sum(c.metadata.get("papermill", {}).get("duration") or 0.0 for c in nb.cells)
        summary = outputs_of(nb, SUMMARY_MIME)[-1]
        shown = {p["id"]: p["title"] for p in outputs_of(nb, SECTION_MIME)}
        nb.cells = [c for c in nb.cells if assemble.BUILD_ONLY not in c.metadata.get("tags", [])]
        strip(nb)
        render.normalise(nb, region, lang)
        nb.metadata["title"] = render.briefing_title(region, lang)
        t0 = time.perf_counter()
        parts = render.page_parts(summary, shown, region, lang, "0" * 64)
        html, _ = render.worker_exporter(lang).from_notebook_node(nb, resources={"briefing": parts})
        t1 = time.perf_counter()
        render.render_pdf(html, work / "briefing.pdf")
        t2 = time.perf_counter()
        if i:  # the first run only warms up
            out[f"{region}.{lang}"] = {"cells": cells, "html": t1 - t0, "pdf": t2 - t1, "floor": cells + t2 - t0}
    kernel.discard_kernel()
    shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(out))


def naive(root: Path, regions: list[str], langs: list[str], work: Path) -> float:
    """Papermill on each notebook, then the nbconvert and weasyprint command lines, one region after another."""
    env = {"BRIEFINGS_ROOT": str(root)}
    total = 0.0
    for region in regions:
        for lang in langs:
            for name in NOTEBOOKS:
                out = work / f"{region}.{lang}.{name}.ipynb"
                nb = str(ROOT / "notebooks" / f"{name}.ipynb")
                params = ["-p", "region", region, "-p", "lang", lang, "--no-progress-bar"]
                total += run([str(BIN / "papermill"), nb, str(out), *params], env)[0]
                total += run(
                    [str(BIN / "jupyter-nbconvert"), "--to", "html", "--no-input", str(out), "--output-dir", str(work)],
                    env,
                )[0]
                html, pdf = str(out.with_suffix(".html")), str(out.with_suffix(".pdf"))
                total += run([str(BIN / "weasyprint"), html, pdf], env)[0]
    return total


WATCHED = "hebei"


def watch_edit(tmp: Path) -> float:
    """Seconds from saving an edit to one of ``WATCHED``'s measures to ``briefings watch`` having republished
    both its editions (the watcher started, its first build done, before the edit)."""
    import re
    import signal

    root = project(tmp)
    (root / "data").unlink()
    shutil.copytree(ROOT / "data", root / "data")
    env = {**os.environ, "BRIEFINGS_ROOT": str(root), "PYTHONUNBUFFERED": "1"}
    cmd = [str(BIN / "briefings"), "watch", "--region", WATCHED, "--interval", "0.2"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=root)
    done = re.compile(r"(\d+) built, \d+ unchanged, (\d+) failed")

    def next_round() -> None:
        for line in proc.stdout:
            m = done.search(line)
            if m:
                if m.group(1) == "0" or m.group(2) != "0":
                    sys.exit(f"watch did not rebuild {WATCHED}: {line.strip()}")
                return
        sys.exit("briefings watch stopped")

    try:
        next_round()
        measures = root / "data" / "measures.csv"
        lines = measures.read_text(encoding="utf-8").splitlines(keepends=True)
        i = next(i for i, line in enumerate(lines) if line.split(",")[1] == WATCHED)
        cut = len(",".join(lines[i].split(",")[:3])) + 1  # the summary (4th column), after its opening quote
        cut += lines[i][cut] == '"'
        lines[i] = lines[i][:cut] + "(edited) " + lines[i][cut:]
        started = time.perf_counter()
        measures.write_text("".join(lines), encoding="utf-8")
        next_round()
        return time.perf_counter() - started
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(60)


def same_outputs(a: Path, b: Path) -> list[str]:
    """Published files that differ between two builds (HTML, notebooks, charts, summaries byte for byte;
    PDFs by their text)."""
    differ = []
    for f in sorted((a / "reports").rglob("*")):
        g = b / f.relative_to(a)
        if not f.is_file():
            continue
        if f.suffix == ".pdf":
            text = [
                subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True).stdout
                for p in (f, g)
            ]
            if not g.exists() or text[0] != text[1]:
                differ.append(str(f.relative_to(a)))
        elif not g.exists() or f.read_bytes() != g.read_bytes():
            differ.append(str(f.relative_to(a)))
    return differ


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--floor-worker":
        sys.path.insert(0, str(ROOT / "src"))
        floor_worker(sys.argv[2].split(","), sys.argv[3].split(","))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=2, help="runs of each cold build (median reported)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    which = ap.add_mutually_exclusive_group()
    which.add_argument("--baseline", action="store_true", help="measure the baseline (--fresh-kernels) alone")
    which.add_argument("--no-baseline", action="store_true", help="measure the current build alone")
    ap.add_argument("--naive-runs", type=int, default=0, help="runs of the naive pipeline of command lines")
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from briefings.build import buildable_regions_light

    regions = buildable_regions_light()
    langs = ["en", "zh"]
    n = len(regions) * len(langs)
    modes = ["baseline"] if args.baseline else ["new"] if args.no_baseline else ["new", "baseline"]
    flags = {"new": [], "baseline": ["--fresh-kernels"]}
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    per_briefing: dict[str, list[dict]] = {m: [] for m in modes}

    def record(name: str, measured: tuple[float, float]) -> None:
        wall.setdefault(name, []).append(measured[0])
        cpu.setdefault(name, []).append(measured[1])

    with tempfile.TemporaryDirectory() as tmp:
        roots = {m: project(Path(tmp) / m) for m in modes}
        work = Path(tmp) / "w"
        work.mkdir()
        build(roots[modes[0]], "--region", regions[0], "--lang", "en", "--jobs", "1")  # validate, fill the cache
        floor = floors(roots[modes[0]], regions, langs) if "new" in modes else {}
        for i in range(args.runs):
            order = modes if i % 2 == 0 else modes[::-1]  # interleaved, alternating who goes first
            for m in order:
                reset(roots[m])
                record(f"one_cold.{m}", build(roots[m], "--region", ONE[0], "--lang", ONE[1], "--jobs", "1", *flags[m]))
            for m in order:
                reset(roots[m])
                record(f"all_cold.{m}", build(roots[m], "--jobs", str(args.jobs), *flags[m]))
                per_briefing[m] += json.loads((roots[m] / "build" / "last-build.json").read_text())
                record(f"noop.{m}", build(roots[m], *flags[m]))
            done = ", ".join(f"{k} {v[-1]:.1f}s" for k, v in wall.items())
            print(f"run {i + 1}/{args.runs}: {done}", file=sys.stderr)
        differ = same_outputs(roots["new"], roots["baseline"]) if len(modes) == 2 else []
        if "new" in modes:
            for i in range(args.runs):
                record("watch", (watch_edit(Path(tmp) / f"watch{i}"), 0.0))
        for _ in range(args.naive_runs):
            record("naive", (naive(roots[modes[0]], regions, langs, work), 0.0))
    report(args, regions, langs, n, modes, wall, cpu, per_briefing, floor, differ)


def report(args, regions, langs, n, modes, wall, cpu, per_briefing, floor, differ) -> None:
    med = {k: statistics.median(v) for k, v in wall.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    machine = (
        f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · {memory:.0f} GiB · "
        f"Python {platform.python_version()}"
    )
    print(f"\nBenchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}, load average {os.getloadavg()[0]:.1f}")
    print(f"{len(regions)} regions × {len(langs)} editions = {n} briefings, --jobs {args.jobs}, ", end="")
    print(f"medians of {args.runs} run(s)\n")
    print(f"| {'measurement':<44} | {'wall s':>8} | {'CPU s':>8} |\n|{'-' * 46}|{'-' * 10}|{'-' * 10}|")
    labels = {
        "one_cold": f"one briefing cold ({ONE[0]}, {ONE[1]})",
        "all_cold": f"all briefings cold ({n})",
        "noop": "rebuild, nothing changed",
    }
    for key, label in labels.items():
        for m in modes:
            if f"{key}.{m}" in med:
                print(
                    f"| {label + ('' if m == 'new' else ', baseline'):<44} | {med[f'{key}.{m}']:>8.2f} | "
                    f"{med_cpu[f'{key}.{m}']:>8.2f} |"
                )
    if "watch" in med:
        label = f"watch: a saved edit to {WATCHED} republished"
        print(f"| {label:<44} | {med['watch']:>8.2f} | {'':>8} |")
    if "naive" in med:
        print(f"| {'naive pipeline of command lines':<40} | {med['naive']:>8.2f} | {'':>8} |")
    checks: dict[str, bool] = {}
    ratios: dict[str, float] = {}
    if len(modes) == 2:
        for key in ("one_cold", "all_cold"):
            ratios[key] = med[f"{key}.new"] / med[f"{key}.baseline"]
            ratios[f"{key}.cpu"] = med_cpu[f"{key}.new"] / med_cpu[f"{key}.baseline"]
            said = f"wall {ratios[key]:.2f}, CPU {ratios[key + '.cpu']:.2f}"
            checks[f"{labels[key]} ≤ {TARGETS[key]} × baseline ({said})"] = ratios[key] <= TARGETS[key]
        checks["same outputs as the baseline (HTML, notebooks, charts byte for byte; PDF text)"] = not differ
    worst = 0.0
    if floor:
        heads = "".join(f" {h:>6} |" for h in ("cells", "HTML", "PDF", "floor", "build", "ratio"))
        print(f"\n| {'briefing':<16} |{heads}")
        print(f"|{'-' * 18}|" + f"{'-' * 8}|" * 6)
        built: dict[str, list[float]] = {}
        for r in per_briefing.get("new", []):
            if r["status"] == "built":
                built.setdefault(f"{r['region']}.{r['lang']}", []).append(r["seconds"])
        for key, f in floor.items():
            secs = statistics.median(built[key]) if key in built else float("nan")
            worst = max(worst, secs / f["floor"])
            print(
                f"| {key:<16} | {f['cells']:>6.2f} | {f['html']:>6.2f} | {f['pdf']:>6.2f} | {f['floor']:>6.2f} | "
                f"{secs:>6.2f} | {secs / f['floor']:>6.2f} |"
            )
        label = f"each briefing ≤ {TARGETS['floor']} × its content floor (worst {worst:.2f})"
        checks[label] = worst <= TARGETS["floor"]
    peaks = {}
    for m in modes:
        rows = [r for r in per_briefing[m] if r["status"] == "built"]
        if rows:
            peaks[m] = (max(r["peak_rss_mb"] for r in rows), max(r["kernel_peak_rss_mb"] for r in rows))
            print(f"\npeak memory (VmHWM), {m}: build worker {peaks[m][0]:.0f} MB, kernel {peaks[m][1]:.0f} MB", end="")
    print()
    if "new" in peaks:
        checks[f"peak memory per worker ≤ {TARGETS['memory_mb']} MB"] = max(peaks["new"]) <= TARGETS["memory_mb"]
    if differ:
        print("differing outputs: " + ", ".join(differ[:10]))
    for label, ok in checks.items():
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"bench-{stamp}.json").write_text(
        json.dumps(
            {
                "machine": machine,
                "load_average": os.getloadavg(),
                "briefings": n,
                "jobs": args.jobs,
                "wall": wall,
                "cpu": cpu,
                "medians_wall": med,
                "medians_cpu": med_cpu,
                "ratios": ratios,
                "floor": floor,
                "per_briefing": per_briefing,
                "peaks_mb": peaks,
                "differ": differ,
                "checks": checks,
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
