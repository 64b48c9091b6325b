"""Scale benchmark: the build at today's regions and at every province and prefecture-level city of China.

A deterministic generator writes a synthetic fact base of 31 provinces and 299 cities into a temporary
project copy (never into data/ or seeds/): the real indicators and themes, and for each region the numbers,
measures and plans of one of today's province-level regions, its own name written into the quotes, quoted
from synthetic seed texts of its own, so that every quote still verifies. Cities are peers of the cities of
their province, provinces of each other.

Reported at both scales: seconds and peak memory per briefing (a sample built at 330 regions), the validation
time of the whole fact base, and how many briefings a one-row change rebuilds. Run with `make bench-scale`
(`make bench` runs it too); options: --runs N, --sample N. Writes JSON under bench/results/.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROVINCE_LEVELS = ("municipality", "province", "autonomous region")
BOUND = 1.2
"""Per briefing at 330 regions may cost at most this multiple of per briefing at today's regions."""


# --- The synthetic fact base --------------------------------------------------------------------------


def _read(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path: Path, rows: list[dict[str, str]], columns: list[str]) -> None:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _columns(name: str) -> list[str]:
    from briefings.schema import TABLES

    return [c.name for c in TABLES[name].columns]


def real_profiles(data: Path) -> list[tuple[str, int, int]]:
    """(region, observations, measures) of each of today's province-level regions with facts: the profiles
    the synthetic regions copy."""
    obs = Counter(r["region_id"] for r in _read(data / "observations.csv"))
    meas = Counter(r["region_id"] for r in _read(data / "measures.csv"))
    regions = [r["region_id"] for r in _read(data / "regions.csv") if r["level"] in PROVINCE_LEVELS]
    return [(r, obs[r], meas[r]) for r in regions if obs[r] or meas[r]]


def _regions(provinces: int, cities: int) -> list[dict[str, str]]:
    from briefings.drafting import divisions

    divs = divisions()
    prov = [d for d in divs if d["level"] in PROVINCE_LEVELS][:provinces]
    by_zh = {d["name_zh"]: d["region_id"] for d in prov}
    city = [d for d in divs if d["level"] == "prefecture" and d["parent_zh"] in by_zh][:cities]
    rows = [dict(region_id="china", name_en="China", name_zh="中国", level="country", aliases="全国")]
    for d in prov:
        rows.append(dict(d, parent="china", peer_group="provinces", aliases=d["short_zh"]))
    for d in city:
        parent = by_zh[d["parent_zh"]]
        rows.append(dict(d, parent=parent, peer_group=f"{parent}-cities", aliases=d["short_zh"]))
    return rows


def generate(root: Path, provinces: int = 31, cities: int = 299) -> dict[str, str]:
    """Write the synthetic fact base and seeds under ``root`` (data/, seeds/). Returns, for each synthetic
    region, the region of today whose rows it copies.

    Each synthetic region takes the observations, measures and plans of one of today's province-level regions
    (in turn), with its own name written into every quote, its own plan ids, and one synthetic seed text per
    source of today's region holding those quotes: the rows, roles, periods and sizes of today's regions, so
    that comparisons are as dense as today's, plus the peers that copy the same region.
    """
    real = ROOT / "data"
    (root / "data").mkdir(parents=True)
    (root / "seeds").mkdir()
    for name in ("indicators.csv", "indicator_terms.csv", "themes.csv", "LICENSE"):
        shutil.copyfile(real / name, root / "data" / name)
    today = {n: _read(real / f"{n}.csv") for n in ("regions", "sources", "plans", "observations", "measures")}
    names = {r["region_id"]: r for r in today["regions"]}
    sources = {r["source_id"]: r for r in today["sources"]}
    plans = {r["plan_id"]: r for r in today["plans"]}
    profiles = [r for r, _, _ in real_profiles(real)]
    regions = _regions(provinces, cities)
    out: dict[str, list[dict[str, str]]] = {k: [] for k in ("sources", "plans", "observations", "measures")}
    model: dict[str, str] = {}
    for n, region in enumerate(r for r in regions if r["level"] != "country"):
        rid, like = region["region_id"], profiles[n % len(profiles)]
        model[rid] = like
        old = names[like]["name_zh"]
        renames = [(old, region["name_zh"]), (old[:-1], region["name_zh"][:-1])]

        def rename(text: str, renames=renames) -> str:
            for a, b in renames:
                text = text.replace(a, b)
            return text

        obs = [dict(r) for r in today["observations"] if r["region_id"] == like]
        meas = [dict(r) for r in today["measures"] if r["region_id"] == like]
        used = {r["plan"] for r in obs if r["plan"]} | {p for p, r in plans.items() if r["region_id"] == like}
        own_plans = [dict(plans[p]) for p in sorted(used)]
        texts: dict[str, list[str]] = {}
        for row in (*own_plans, *obs, *meas):
            row["quote"] = rename(row["quote"])
            texts.setdefault(row["source_id"], []).append(row["quote"])
            row.update(region_id=rid, source_id=f"{rid}-{row['source_id']}")
            if row.get("plan"):
                row["plan"] = f"{rid}-{row['plan']}"
        for row in own_plans:
            row["plan_id"] = f"{rid}-{row['plan_id']}"
        for source_id, quotes in texts.items():
            text = f"{region['name_zh']}合成基准测试文本（非真实来源）。\n" + "\n".join(dict.fromkeys(quotes)) + "\n"
            file = f"{len(out['sources']):03d}_{hashlib.sha256(f'{rid}/{source_id}'.encode()).hexdigest()[:16]}.txt"
            (root / "seeds" / file).write_text(text, encoding="utf-8")
            out["sources"].append(
                dict(
                    sources[source_id],
                    source_id=f"{rid}-{source_id}",
                    file=file,
                    sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                    title_zh=f"{region['name_zh']}合成基准测试文本",
                    title_en=f"{region['name_en']}: synthetic benchmark text",
                    publisher="bench/scale.py",
                    notes="Synthetic: the quotes of one of today's sources, with the region's name in them.",
                )
            )
        out["plans"] += own_plans
        out["observations"] += obs
        out["measures"] += meas
    for i, row in enumerate(out["observations"]):
        row["obs_id"] = f"o{i + 1:04d}"
    for i, row in enumerate(out["measures"]):
        row["measure_id"] = f"m{i + 1:04d}"
    _write(root / "data" / "regions.csv", regions, _columns("regions"))
    for name, rows in out.items():
        _write(root / "data" / f"{name}.csv", rows, _columns(name))
    return model


# --- Measurements -------------------------------------------------------------------------------------


def project(base: Path, synthetic: bool) -> Path:
    """A scratch project: the real data (or a synthetic fact base), the notebooks, its own outputs."""
    base.mkdir(parents=True)
    if not synthetic:
        for name in ("data", "seeds"):
            shutil.copytree(ROOT / name, base / name)
    (base / "notebooks").symlink_to(ROOT / "notebooks")
    for name in ("reports", "figures"):
        (base / name).mkdir()
    return base


def in_project(root: Path, code: str) -> dict:
    """Run ``code`` (which prints one JSON line) with the package's paths pointing at ``root``."""
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=root)
    if proc.returncode != 0:
        sys.exit(f"benchmark step failed in {root}:\n{proc.stderr[-3000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


VALIDATE = """
import json, time
from briefings import data
start = time.perf_counter()
fb = data.validate()
seconds = time.perf_counter() - start
with_facts = set(fb.observations.region_id) | set(fb.measures.region_id)
print(json.dumps({"seconds": seconds, "observations": len(fb.observations),
                  "measures": len(fb.measures), "regions": len(with_facts)}))
"""

WARM = """
import json
from briefings import build, data
data.load()
build.write_index()
print(json.dumps({}))
"""

ONE_ROW = """
import csv, io, json
from briefings import build, paths
region = {region!r}
keys = build.BriefingKeys()
regions = build.buildable_regions_light()
before = {{(r, lang): keys(r, lang) for r in regions for lang in ("en", "zh")}}
path = paths.DATA_DIR / "measures.csv"
text = path.read_text(encoding="utf-8")
rows = list(csv.DictReader(io.StringIO(text)))
row = next(r for r in rows if r["region_id"] == region)
row["summary_en"] += " (revised)"
out = io.StringIO()
w = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\\n")
w.writeheader(); w.writerows(rows)
path.write_text(out.getvalue(), encoding="utf-8")
keys = build.BriefingKeys()
changed = sorted({{r for (r, lang), k in before.items() if keys(r, lang) != k}})
path.write_text(text, encoding="utf-8")
print(json.dumps({{"briefings": len(before), "rebuilt": 2 * len(changed), "regions": changed}}))
"""


def build_sample(root: Path, regions: list[str]) -> list[dict]:
    """Build each briefing of ``regions`` (both editions) on its own, one command each: its wall seconds and
    peak memory as the build records them, and the CPU seconds of the command, its worker and its kernel
    (what the build costs, whatever else the machine runs)."""
    env = {**os.environ, "BRIEFINGS_ROOT": str(root)}
    done = []
    for region in regions:
        for lang in ("en", "zh"):
            cmd = [sys.executable, "-m", "briefings", "build", "-r", region, "-l", lang, "-j", "1", "-q", "--force"]
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=root)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            if proc.returncode != 0:
                sys.exit(f"benchmark build failed in {root}:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
            (built,) = [
                r for r in json.loads((root / "build" / "last-build.json").read_text()) if r["status"] == "built"
            ]
            cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
            done.append({**built, "cpu_seconds": cpu})
    return done


def machine() -> dict[str, str]:
    """nproc, memory and CPU model of this machine."""
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown",
    )
    mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
    return {
        "nproc": str(os.cpu_count()),
        "memory_gb": f"{int(mem.split()[1]) / 1024 / 1024:.1f}",
        "cpu": model,
        "python": platform.python_version(),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=2, help="builds of each sample (median per briefing reported)")
    ap.add_argument("--sample", nargs="+", default=["zhejiang", "henan"], help="today's regions to sample")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))

    with tempfile.TemporaryDirectory(prefix="briefings-scale-") as tmp:
        small = project(Path(tmp) / "today", synthetic=False)
        large = project(Path(tmp) / "scale", synthetic=True)
        model = generate(large)
        # At 330 regions, the same sizes: a province like the first sampled region, cities like the others.
        levels = {r["region_id"]: r["level"] for r in _read(large / "data" / "regions.csv")}
        sample_large = [
            next(r for r, m in model.items() if m == like and (levels[r] == "prefecture") == (i > 0))
            for i, like in enumerate(args.sample)
        ]
        report: dict[str, dict] = {}
        for label, root, sample in (("today", small, args.sample), ("330", large, sample_large)):
            validation = in_project(root, VALIDATE)
            one_row = {r: in_project(root, ONE_ROW.format(region=r)) for r in sample}
            report[label] = {"validation": validation, "one_row": one_row, "sample": sample, "builds": []}
            in_project(root, WARM)  # the validated fact base cached, the data package published: once per build
        for run in range(args.runs):  # interleaved, so that the load of a shared machine hits both alike
            for label, root in (("today", small), ("330", large)):
                built = build_sample(root, report[label]["sample"])
                report[label]["builds"].append(built)
                print(f"run {run + 1}/{args.runs} {label}: {len(built)} briefings built", file=sys.stderr)
    for r in report.values():
        r["seconds_per_briefing"] = statistics.median(b["seconds"] for run in r["builds"] for b in run)
        r["cpu_seconds_per_briefing"] = statistics.median(b["cpu_seconds"] for run in r["builds"] for b in run)
        r["worker_peak_mb"] = max(b["peak_rss_mb"] for run in r["builds"] for b in run)
        r["kernel_peak_mb"] = max(b["kernel_peak_rss_mb"] for run in r["builds"] for b in run)
    ratio = report["330"]["cpu_seconds_per_briefing"] / report["today"]["cpu_seconds_per_briefing"]
    wall_ratio = report["330"]["seconds_per_briefing"] / report["today"]["seconds_per_briefing"]
    m = machine()
    stamp = datetime.now(UTC)
    print(f"\nScale benchmark, {stamp:%Y-%m-%d %H:%M} UTC; nproc {m['nproc']}, {m['memory_gb']} GB, {m['cpu']}")
    print(f"| {'measurement':<46} | {'today':>12} | {'330 regions':>12} |\n|{'-' * 48}|{'-' * 14}|{'-' * 14}|")
    t, s = report["today"], report["330"]

    def row(label: str, a: str, b: str) -> None:
        print(f"| {label:<46} | {a:>12} | {b:>12} |")

    row("regions with facts", str(t["validation"]["regions"]), str(s["validation"]["regions"]))
    row(
        "observations / measures",
        *(f"{r['validation']['observations']} / {r['validation']['measures']}" for r in (t, s)),
    )
    row("validation of the whole fact base (s)", *(f"{r['validation']['seconds']:.2f}" for r in (t, s)))
    row("CPU seconds per briefing (median)", *(f"{r['cpu_seconds_per_briefing']:.1f}" for r in (t, s)))
    row("wall seconds per briefing (median)", *(f"{r['seconds_per_briefing']:.1f}" for r in (t, s)))
    row("peak memory, build worker (MB)", *(f"{r['worker_peak_mb']:.0f}" for r in (t, s)))
    row("peak memory, notebook kernel (MB)", *(f"{r['kernel_peak_mb']:.0f}" for r in (t, s)))
    for i in range(len(args.sample)):
        (a_region, a), (b_region, b) = list(t["one_row"].items())[i], list(s["one_row"].items())[i]
        row(
            "briefings rebuilt by a one-row change",
            f"{a['rebuilt']}/{a['briefings']} {a_region}",
            f"{b['rebuilt']}/{b['briefings']} {b_region}",
        )
    ok = ratio <= BOUND
    print(f"\nCPU per briefing at 330 / today: {ratio:.2f} (bound {BOUND})  {'PASS' if ok else 'FAIL'}")
    print(f"wall per briefing at 330 / today: {wall_ratio:.2f} (on a shared machine; CPU time is the measure)")
    out = ROOT / "bench" / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / f"scale-{stamp:%Y%m%dT%H%M%SZ}.json").write_text(
        json.dumps(
            {"machine": m, "report": report, "ratio": ratio, "wall_ratio": wall_ratio, "bound": BOUND},
            indent=1,
            ensure_ascii=False,
        )
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
