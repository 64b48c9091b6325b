"""Benchmark of the briefing build against its content floor and against the baseline build.

The **baseline** is the build of commit ``69c07f2`` (PDFs laid out by WeasyPrint from the HTML). The bench
makes it runnable once: a ``git worktree`` of that commit under ``build/bench-baseline/`` with its own
``.venv`` (``uv sync --frozen``; not committed, reused by later runs). The baseline builds its own
checkout's data, seeds and notebooks, in a project copy of its own.

Measures, in one run and on the machine at hand:

- the **content floor** of every briefing: its cells' own work, the HTML export and the PDF (the document
  model, then Typst), in a warm process (imports done, fact base loaded, one briefing built first and not
  counted); the baseline's floor likewise, by the baseline's own bench (HTML, then WeasyPrint);
- **one briefing cold** (Shanghai, English: a fresh ``briefings build`` in a clean project) and **all
  briefings cold**, built by the current build and by the baseline, interleaved run by run (alternating
  who goes first) so that both see the same load;
- each briefing's build time in the cold build of all briefings, as a ratio to its floor;
- a rebuild with nothing changed, and the peak memory of the build workers and kernels;
- ``briefings watch``: the seconds from saving an edit to one region's measure to both its editions
  being republished by the warm workers.

Wall seconds are what a reader waits; CPU seconds (of every process of the build) are what the build
costs, and vary less when the machine is shared. Prints a pass/fail table against the targets and writes it
(Markdown) and every measurement (JSON) under bench/results/ (not committed).
Run with ``make bench`` (options: ``--runs N``, ``--jobs N``, ``--no-baseline`` for the current build
alone, ``--fresh-kernels`` to add the current build with a new kernel per briefing, ``--watch-runs N``).
"""

from __future__ import annotations

import argparse
import json
import math
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
ONE = ("shanghai", "en")
PDF_REGION = "shanghai"
BASELINE_COMMIT = "69c07f2"
BASELINE_DIR = ROOT / "build" / "bench-baseline"
TARGETS = {"pdf_s": 1.5, "one_cold": 0.5, "all_cold": 0.4, "floor": 1.5, "noop_s": 0.3, "memory_mb": 400}


class Build:
    """One way of building: its ``briefings`` command, the checkout its inputs come from, extra flags."""

    def __init__(self, name: str, label: str, bin_dir: Path, source: Path, flags: tuple[str, ...] = ()) -> None:
        self.name, self.label, self.bin_dir, self.source, self.flags = name, label, bin_dir, source, flags


def run(cmd: list[str], env: dict | None = None, cwd: Path = ROOT) -> tuple[float, float]:
    """Run a command, fail loudly; return its wall and CPU seconds (the CPU of every process it waited for)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed: {' '.join(cmd)}\n{proc.stdout[-1000:]}\n{proc.stderr[-2000:]}")
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def _uv() -> list[str]:
    uv = shutil.which("uv")
    return [uv] if uv else ["python3", "-m", "uv"]


def baseline_checkout() -> Path:
    """The baseline's checkout with its locked environment installed, made once and then reused:
    ``build/bench-baseline/<commit>/`` is a ``git worktree`` of ``BASELINE_COMMIT``, synced with
    ``uv sync --frozen`` into its own ``.venv`` (WeasyPrint included)."""
    sha = subprocess.run(
        ["git", "rev-parse", f"{BASELINE_COMMIT}^{{commit}}"], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    tree = BASELINE_DIR / sha[:12]
    ready = tree / ".venv" / ".bench-ready"
    if ready.exists():
        return tree
    print(f"preparing the baseline ({sha[:12]}) in {tree.relative_to(ROOT)} (once)", file=sys.stderr)
    head = (
        subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=tree)
        if tree.is_dir()
        else None
    )
    if head is None or head.returncode != 0 or head.stdout.strip() != sha:  # absent, half made, or another commit
        shutil.rmtree(tree, ignore_errors=True)
        subprocess.run(["git", "worktree", "prune"], cwd=ROOT, check=True)
        tree.parent.mkdir(parents=True, exist_ok=True)
        run(["git", "worktree", "add", "--detach", str(tree), sha])
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT")}
    proc = subprocess.run([*_uv(), "sync", "--frozen", "--quiet"], capture_output=True, text=True, env=env, cwd=tree)
    if proc.returncode != 0:
        sys.exit(f"installing the baseline's environment failed (uv sync --frozen in {tree}):\n{proc.stderr[-2000:]}")
    ready.touch()
    return tree


def project(tmp: Path, source: Path) -> Path:
    """A scratch project root sharing data, seeds and notebooks with the checkout ``source``."""
    tmp.mkdir(parents=True)
    for name in ("data", "seeds", "notebooks"):
        (tmp / name).symlink_to(source / name)
    for name in ("reports", "figures"):
        (tmp / name).mkdir()
    return tmp


def reset(root: Path) -> None:
    """Remove every output and every cache (the validated fact base's too, as after a data edit)."""
    for name in ("reports", "figures", "build"):
        shutil.rmtree(root / name, ignore_errors=True)
    (root / "reports").mkdir()
    (root / "figures").mkdir()


def build(b: Build, root: Path, *args: str) -> tuple[float, float]:
    cmd = [str(b.bin_dir / "briefings"), "build", "--quiet", *b.flags, *args]
    return run(cmd, {"BRIEFINGS_ROOT": str(root)}, cwd=root)


def floors(b: Build, root: Path, regions: list[str], langs: list[str], runs: int) -> dict[str, dict[str, float]]:
    """Every briefing's content floor, measured in one warm process: this file's ``--floor-worker`` for the
    current build (``runs`` times, the median of each part), the baseline checkout's own ``bench/bench.py
    --floor-worker`` for the baseline (once: its floor worker takes no count)."""
    script = Path(__file__) if b.source == ROOT else b.source / "bench" / "bench.py"
    cmd = [str(b.bin_dir / "python"), str(script), "--floor-worker", ",".join(regions), ",".join(langs)]
    cmd += [str(runs)] if b.source == ROOT else []
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)
    if proc.returncode != 0:
        sys.exit(f"measuring the floor ({b.name}) failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def floor_worker(regions: list[str], langs: list[str], runs: int = 1) -> None:
    """In this process: a warm kernel and warm libraries; per briefing, time its cells, export and PDF;
    ``runs`` times over, each part the median of its runs.

    The steps and their order are the build worker's (``worker._stage_briefing``): the document model is
    taken from the executed notebook before its payloads are stripped, the HTML exported, then the PDF
    typeset from the model. The first briefing is built once before measuring, so that every first-use cost
    (fonts, templates) is paid. Each run starts, as a cold build does, with no region's derived tables kept
    (``derive.derive_region``): the first edition of a region derives them, the second reads them. Cell time
    is the sum of papermill's per-cell durations in the warm kernel. ``model`` is the document model's
    collection, ``pdf`` Typst's typesetting alone.
    """
    import nbformat

    from briefings import data, paths
    from briefings.build import kernel, render, worker
    from briefings.build.assemble import BUILD_ONLY, assemble
    from briefings.build.common import DEFAULT_CELL_TIMEOUT
    from briefings.payload import SECTION_MIME, SUMMARY_MIME, outputs_of, strip

    data.load()
    work = Path(tempfile.mkdtemp(prefix="floor-", dir=paths.BUILD_DIR if paths.BUILD_DIR.is_dir() else None))
    assembled = work / "assembled.ipynb"
    assembled.write_text(nbformat.writes(assemble()), encoding="utf-8")
    worker.init_worker()  # the build worker's own start: kernel, libraries, exporters, fonts
    seen: dict[str, list[dict[str, float]]] = {}
    tasks = [(r, lang) for r in regions for lang in langs]
    for i, (region, lang) in enumerate([tasks[0], *tasks * runs]):
        if i and (i - 1) % len(tasks) == 0:  # a run begins: no derived tables kept, as in a cold build
            for kept in (paths.BUILD_DIR / "cache").glob("scope-derived-*.pkl"):
                kept.unlink()
        executed = work / "executed.ipynb"
        kernel.execute(str(assembled), executed, region, lang, DEFAULT_CELL_TIMEOUT, kernel.warm_kernel())
        nb = nbformat.read(executed, as_version=4)
        cells = sum(c.metadata.get("papermill", {}).get("duration") or 0.0 for c in nb.cells)
        summary = outputs_of(nb, SUMMARY_MIME)[-1]
        shown = {p["id"]: p["title"] for p in outputs_of(nb, SECTION_MIME)}
        t0 = time.perf_counter()
        parts = render.page_parts(summary, shown, region, lang, "0" * 64)
        t1 = time.perf_counter()
        document = render.document_of(nb, parts)  # before strip() removes the payloads that carry it
        t2 = time.perf_counter()
        nb.cells = [c for c in nb.cells if BUILD_ONLY not in c.metadata.get("tags", [])]
        strip(nb)
        render.normalise(nb, region, lang)
        nb.metadata["title"] = render.briefing_title(region, lang)
        html, _ = render.worker_exporter(lang).from_notebook_node(nb, resources={"briefing": parts})
        t3 = time.perf_counter()
        render.render_pdf(document, work / "briefing.pdf")
        t4 = time.perf_counter()
        if i:  # the first briefing only warms up
            seen.setdefault(f"{region}.{lang}", []).append(
                {"cells": cells, "html": (t1 - t0) + (t3 - t2), "model": t2 - t1, "pdf": t4 - t3}
            )
    kernel.discard_kernel()
    shutil.rmtree(work, ignore_errors=True)
    out = {key: {part: statistics.median(r[part] for r in rs) for part in rs[0]} for key, rs in seen.items()}
    for parts in out.values():
        parts["floor"] = parts["cells"] + parts["html"] + parts["model"] + parts["pdf"]
    print(json.dumps(out))


WATCHED = "hebei"


def watch_edit(tmp: Path) -> float:
    """Seconds from saving an edit to one of ``WATCHED``'s measures to ``briefings watch`` having republished
    both its editions (the watcher started, its first build done, before the edit)."""
    import re
    import signal

    root = project(tmp, ROOT)
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


def main() -> None:
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--floor-worker":
        sys.path.insert(0, str(ROOT / "src"))
        floor_worker(sys.argv[2].split(","), sys.argv[3].split(","), int(sys.argv[4]) if len(sys.argv) == 5 else 1)
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3, help="runs of each cold build (median reported)")
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--no-baseline", action="store_true", help="measure the current build alone")
    ap.add_argument(
        "--fresh-kernels", action="store_true", help="also build the current way with a new kernel per briefing"
    )
    ap.add_argument("--watch-runs", type=int, default=None, help="runs of the watch measurement (default: --runs)")
    ap.add_argument("--regions", help="comma-separated regions instead of all (a quick check, not the targets)")
    args = ap.parse_args()

    sys.path.insert(0, str(ROOT / "src"))
    from briefings.build import buildable_regions_light

    regions = args.regions.split(",") if args.regions else buildable_regions_light()
    langs = ["en", "zh"]
    n = len(regions) * len(langs)
    builds = [Build("new", "current", BIN, ROOT)]
    if not args.no_baseline:
        tree = baseline_checkout()
        builds.append(Build("baseline", f"baseline {BASELINE_COMMIT}", tree / ".venv" / "bin", tree))
    if args.fresh_kernels:
        builds.append(Build("fresh", "current, --fresh-kernels", BIN, ROOT, ("--fresh-kernels",)))
    wall: dict[str, list[float]] = {}
    cpu: dict[str, list[float]] = {}
    per_briefing: dict[str, list[dict]] = {b.name: [] for b in builds}
    floor: dict[str, dict] = {}

    def record(name: str, measured: tuple[float, float]) -> None:
        wall.setdefault(name, []).append(measured[0])
        cpu.setdefault(name, []).append(measured[1])

    def built(b: Build, root: Path) -> list[dict]:
        rows = json.loads((root / "build" / "last-build.json").read_text())
        bad = [f"{r['region']}.{r['lang']} {r['status']}" for r in rows if r["status"] != "built"]
        if len(rows) != n or bad:
            sys.exit(f"the {b.label} build did not build all {n} briefings: {', '.join(bad[:5])}")
        return rows

    with tempfile.TemporaryDirectory() as tmp:
        roots = {b.name: project(Path(tmp) / b.name, b.source) for b in builds}
        for b in builds:  # validate, fill every cache outside the project (fonts), not counted
            build(b, roots[b.name], "--region", regions[0], "--lang", "en", "--jobs", "1")
        for b in builds:
            if b.name != "fresh":
                print(f"content floor ({b.label}) …", file=sys.stderr)
                floor[b.name] = floors(b, roots[b.name], regions, langs, args.runs)
        for i in range(args.runs):
            order = builds if i % 2 == 0 else builds[::-1]  # interleaved, alternating who goes first
            for b in order:
                reset(roots[b.name])
                record(
                    f"one_cold.{b.name}", build(b, roots[b.name], "--region", ONE[0], "--lang", ONE[1], "--jobs", "1")
                )
            for b in order:
                reset(roots[b.name])
                some = [a for r in regions for a in ("--region", r)] if args.regions else []
                record(f"all_cold.{b.name}", build(b, roots[b.name], "--jobs", str(args.jobs), *some))
                per_briefing[b.name] += built(b, roots[b.name])
                record(f"noop.{b.name}", build(b, roots[b.name], *some))
            done = ", ".join(f"{k} {v[-1]:.1f}s" for k, v in wall.items())
            print(f"run {i + 1}/{args.runs}: {done}", file=sys.stderr)
        for i in range(args.runs if args.watch_runs is None else args.watch_runs):
            record("watch", (watch_edit(Path(tmp) / f"watch{i}"), 0.0))
    report(args, regions, langs, n, builds, wall, cpu, per_briefing, floor)


def _worst_floor_ratio(rows: list[dict], floor: dict[str, dict]) -> tuple[float, str, dict[str, float]]:
    """Each briefing's median build time in the cold builds of all, the worst ratio to its floor and whose."""
    secs: dict[str, list[float]] = {}
    for r in rows:
        secs.setdefault(f"{r['region']}.{r['lang']}", []).append(r["seconds"])
    med = {k: statistics.median(v) for k, v in secs.items()}
    ratios = {k: med[k] / f["floor"] for k, f in floor.items() if k in med}
    worst = max(ratios, key=ratios.get) if ratios else ""
    return (ratios[worst] if worst else math.nan), worst, med


def report(args, regions, langs, n, builds, wall, cpu, per_briefing, floor) -> None:
    med = {k: statistics.median(v) for k, v in wall.items()}
    med_cpu = {k: statistics.median(v) for k, v in cpu.items()}
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    machine = (
        f"{platform.node()} · {platform.machine()} · {os.cpu_count()} cores · {memory:.0f} GiB · "
        f"Python {platform.python_version()}"
    )
    names = [b.name for b in builds]
    git = ["git", "-C", str(ROOT)]
    commit = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    if subprocess.run([*git, "diff", "--quiet", "HEAD", "--", "src"]).returncode:
        commit += " with uncommitted changes to src/"
    has_base = "baseline" in names
    lines: list[str] = []

    def say(line: str = "") -> None:
        print(line)
        lines.append(line)

    say(f"Benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {machine}, load average {os.getloadavg()[0]:.1f}")
    size = f"{len(regions)} regions × {len(langs)} editions = {n} briefings"
    say(f"{size}, --jobs {args.jobs}, medians of {args.runs} run(s); current = {commit}")
    say()

    # every build time, wall and CPU
    labels = {
        "one_cold": f"one briefing cold ({ONE[0]}, {ONE[1]})",
        "all_cold": f"all briefings cold ({n})",
        "noop": "rebuild, nothing changed",
    }
    say(f"| {'measurement':<46} | {'wall s':>8} | {'CPU s':>8} |")
    say(f"|{'-' * 48}|{'-' * 10}|{'-' * 10}|")
    for key, label in labels.items():
        for b in builds:
            if f"{key}.{b.name}" in med:
                name = label + ("" if b.name == "new" else f", {b.label}")
                say(f"| {name:<46} | {med[f'{key}.{b.name}']:>8.2f} | {med_cpu[f'{key}.{b.name}']:>8.2f} |")
    if "watch" in med:
        label = f"watch: a saved edit to {WATCHED} republished"
        say(f"| {label:<46} | {med['watch']:>8.2f} | {'':>8} |")

    # every briefing against its floor
    worst, worst_key, secs = _worst_floor_ratio(per_briefing["new"], floor.get("new", {}))
    b_worst, b_worst_key, b_secs = (
        _worst_floor_ratio(per_briefing["baseline"], floor["baseline"]) if has_base else (math.nan, "", {})
    )
    if floor.get("new"):
        say()
        heads = "".join(f" {h:>6} |" for h in ("cells", "HTML", "model", "PDF", "floor", "build", "ratio"))
        base_heads = "".join(f" {h:>6} |" for h in ("PDF₀", "floor₀", "build₀", "ratio₀")) if has_base else ""
        if has_base:
            say(f"₀: the baseline {BASELINE_COMMIT} (HTML export, then WeasyPrint), by its own floor and build")
        say(f"| {'briefing':<16} |{heads}{base_heads}")
        say(f"|{'-' * 18}|" + f"{'-' * 8}|" * (7 + 4 * has_base))
        for key, f in floor["new"].items():
            s = secs.get(key, math.nan)
            row = (
                f"| {key:<16} | {f['cells']:>6.2f} | {f['html']:>6.2f} | {f['model']:>6.2f} | {f['pdf']:>6.2f} | "
                f"{f['floor']:>6.2f} | {s:>6.2f} | {s / f['floor']:>6.2f} |"
            )
            if has_base and key in floor["baseline"]:
                g, t = floor["baseline"][key], b_secs.get(key, math.nan)
                row += f" {g['pdf']:>6.2f} | {g['floor']:>6.2f} | {t:>6.2f} | {t / g['floor']:>6.2f} |"
            say(row)

    peaks: dict[str, tuple[float, float]] = {}
    for b in builds:
        rows = [r for r in per_briefing[b.name] if r["status"] == "built"]
        if rows:
            peaks[b.name] = (max(r["peak_rss_mb"] for r in rows), max(r["kernel_peak_rss_mb"] for r in rows))
    say()
    for name, (w, k) in peaks.items():
        say(f"peak memory (VmHWM), {name}: build worker {w:.0f} MB, kernel {k:.0f} MB")

    # the targets
    rows: list[tuple[str, float, float, float, str, bool]] = []

    def check(label: str, before: float, after: float, target: str, ok: bool, ratio: float | None = None) -> None:
        if ratio is None:
            ratio = after / before if before and not math.isnan(before) else math.nan
        rows.append((label, before, after, ratio, target, ok))

    base_floor = floor.get("baseline", {})
    for lang in langs:
        key = f"{PDF_REGION}.{lang}"
        if key in floor.get("new", {}):
            pdf = floor["new"][key]["pdf"]
            before = base_floor.get(key, {}).get("pdf", math.nan)
            check(
                f"{PDF_REGION}'s PDF ({lang}), typesetting, s",
                before,
                pdf,
                f"≤ {TARGETS['pdf_s']} s",
                pdf <= TARGETS["pdf_s"],
            )
    for key in ("one_cold", "all_cold"):
        if has_base:
            before, after = med[f"{key}.baseline"], med[f"{key}.new"]
            ratio = after / before
            check(f"{labels[key]}, wall s", before, after, f"≤ {TARGETS[key]} × baseline", ratio <= TARGETS[key])
            c_before, c_after = med_cpu[f"{key}.baseline"], med_cpu[f"{key}.new"]
            rows.append((f"{labels[key]}, CPU s (for reference)", c_before, c_after, c_after / c_before, "", None))
    if floor.get("new"):
        label = f"each briefing / its floor, worst ({worst_key}; baseline: {b_worst_key or '–'})"
        check(label, b_worst, worst, f"≤ {TARGETS['floor']}", worst <= TARGETS["floor"], ratio=math.nan)
    before = med.get("noop.baseline", math.nan)
    check(
        f"{labels['noop']}, wall s",
        before,
        med["noop.new"],
        f"≤ {TARGETS['noop_s']} s",
        med["noop.new"] <= TARGETS["noop_s"],
    )
    if "new" in peaks:
        before = max(peaks["baseline"]) if "baseline" in peaks else math.nan
        after = max(peaks["new"])
        check(
            "peak memory per worker (worker or kernel), MB",
            before,
            after,
            f"≤ {TARGETS['memory_mb']} MB",
            after <= TARGETS["memory_mb"],
        )

    def num(x: float) -> str:
        return "–" if math.isnan(x) else f"{x:.2f}" if abs(x) < 100 else f"{x:.0f}"

    say()
    say(f"| {'target':<70} | {'before':>8} | {'after':>8} | {'ratio':>6} | {'target':<16} | {'':<4} |")
    say(f"|{'-' * 72}|{'-' * 10}|{'-' * 10}|{'-' * 8}|{'-' * 18}|{'-' * 6}|")
    for label, before, after, ratio, target, ok in rows:
        verdict = "" if ok is None else "PASS" if ok else "FAIL"
        say(f"| {label:<70} | {num(before):>8} | {num(after):>8} | {num(ratio):>6} | {target:<16} | {verdict:<4} |")
    say(f"\nbefore = baseline {BASELINE_COMMIT} (WeasyPrint), after = current; ratio = after / before")
    checks = {label: ok for label, _, _, _, _, ok in rows if ok is not None}

    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    (out / f"bench-{stamp}.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (out / f"bench-{stamp}.json").write_text(
        json.dumps(
            {
                "machine": machine,
                "load_average": os.getloadavg(),
                "commit": commit,
                "baseline": BASELINE_COMMIT,
                "briefings": n,
                "jobs": args.jobs,
                "runs": args.runs,
                "wall": wall,
                "cpu": cpu,
                "medians_wall": med,
                "medians_cpu": med_cpu,
                "floor": floor,
                "per_briefing": per_briefing,
                "peaks_mb": peaks,
                "targets": [
                    {"target": label, "before": b, "after": a, "ratio": r, "bound": t, "pass": ok}
                    for label, b, a, r, t, ok in rows
                ],
            },
            indent=1,
            ensure_ascii=False,
        )
    )
    print(f"written: bench/results/bench-{stamp}.md and .json")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
