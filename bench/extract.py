"""Benchmark the drafter (`briefings add-source`) against the curated fact base of the seeds.

For each source in data/sources.csv the drafter reads its seed (with the publication date, the regions
and the indicators, never the curated observations) and its rows are compared with the curated rows of
data/observations.csv:

- recall: curated numbers found (same value, drafted quote overlapping the curated quote);
- on the matched rows, accuracy of role, period, qualifier, region, unit, indicator and plan (a plan is right
  when its drafted title is the curated plan's title, or both are empty), and the share of rows right in
  every field (value, unit, qualifier, role, period, region, indicator, plan);
- edits: the cells an analyst changes to turn the drafts into the curated rows (each wrong field of a
  matched row, and the eight fields of a curated row the drafter missed), per curated fact;
- precision: drafted rows that match a curated row or a number the curators list as deliberately left out
  (the "Numbers deliberately left out" section of data/notes/<source>.md and "What was left out" in
  data/README.md); strict precision counts curated rows only.

    python bench/extract.py [--details] [--json PATH] [--large]

``--large`` also drafts a 2 MB text (the seeds repeated with every number changed, so that nothing is
dropped as a repeat) and checks it takes under a minute: drafting time grows linearly with the text.

Exits 1 when a goal is missed.
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from briefings import paths  # noqa: E402
from briefings.drafting import draft, read_table, to_simplified  # noqa: E402
from briefings.numbers import same_number  # noqa: E402

GOALS = {
    "recall": 0.95,
    "region": 0.95,
    "role": 0.90,
    "period": 0.85,
    "precision": 0.80,
    "all_fields": 0.85,
}
MAX_EDITS = 1.0
"""Goal: at most one cell to change per accepted fact."""
FIELDS = ("unit", "qualifier", "role", "period", "region", "indicator", "plan")
"""The fields compared on a matched row besides the value (which the match itself requires)."""


def occurrences(text: str, quote: str) -> list[tuple[int, int]]:
    out, i = [], text.find(quote)
    while i != -1:
        out.append((i, i + len(quote)))
        i = text.find(quote, i + 1)
    return out


def skip_snippets(notes: str) -> list[str]:
    """Strings quoted in the sections that list what the curators left out."""
    out = []
    for sec in re.finditer(r"^##+ [^\n]*(left out|deliberately)[^\n]*\n(.*?)(?=^## |\Z)", notes, re.M | re.S | re.I):
        body = sec.group(2)
        out += [s for s in re.findall(r"`([^`]+)`", body)]
        body = re.sub(r"`[^`]+`", " ", body)
        out += re.findall(
            r"[\u4e00-\u9fff\d“”%．.+/（）()—\-]*[\u4e00-\u9fff\d][\u4e00-\u9fff\d“”%．.+/（）()—\-]*", body
        )
    return [s.strip() for s in out if len(s.strip()) >= 2 and re.search(r"[\d一二两三四五六七八九十百千万亿]", s)]


def listed_skip(text: str, start: int, end: int, written: str, snippets: list[str]) -> bool:
    for snip in snippets:
        if written not in snip and not snip.isdigit():
            continue
        for a, b in occurrences(text, snip):
            if a <= start and end <= b:
                return True
    return False


def _title(text: str) -> str:
    return re.sub(r"[\s()（）《》“”\"'·—\-–]", "", to_simplified(text or ""))


def same_plan(drafted: str, curated: str) -> bool:
    """Titles name one plan: equal once brackets and spaces are dropped, or one contains the other."""
    a, b = _title(drafted), _title(curated)
    return a == b or bool(a and b and (a in b or b in a))


def wrong_fields(c, o: dict, units: dict[str, str], plan_titles: dict[str, str], drafted_plans: dict[str, str]):
    """The fields of drafted row ``c`` that differ from curated row ``o``."""
    got = {
        "unit": (c.unit, units.get(o["indicator_id"], "")),
        "qualifier": (c.qualifier, o["qualifier"]),
        "role": (c.role, o["role"]),
        "period": (c.period, o["period"]),
        "region": (c.region_id, o["region_id"]),
        "indicator": (c.indicator_id, o["indicator_id"]),
    }
    wrong = [(k, a, b) for k, (a, b) in got.items() if a != b]
    dp, cp = drafted_plans.get(c.plan, ""), plan_titles.get(o.get("plan", ""), "")
    if not same_plan(dp, cp):
        wrong.append(("plan", dp[:20] or "-", cp[:20] or "-"))
    return wrong


def evaluate(details: bool = False) -> dict:
    sources = read_table(paths.DATA_DIR / "sources.csv")
    observations = read_table(paths.DATA_DIR / "observations.csv")
    regions = read_table(paths.DATA_DIR / "regions.csv")
    indicators = read_table(paths.DATA_DIR / "indicators.csv")
    units = {i["indicator_id"]: i["unit"] for i in indicators}
    plan_titles = {p["plan_id"]: p["title_zh"] for p in read_table(paths.DATA_DIR / "plans.csv")}
    general = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    per_seed = []
    for src in sources:
        text = (paths.SEEDS_DIR / src["file"]).read_text(encoding="utf-8")
        started = time.perf_counter()
        d = draft(text, src["published"], regions, indicators)
        drafted_plans = {p.plan_id: p.title_zh for p in d.plans}
        seconds = time.perf_counter() - started
        notes_file = paths.DATA_DIR / "notes" / f"{src['source_id']}.md"
        snippets = skip_snippets(general) + skip_snippets(
            notes_file.read_text(encoding="utf-8") if notes_file.exists() else ""
        )
        curated = [o for o in observations if o["source_id"] == src["source_id"]]
        drafted = d.observations
        pairs = []
        for i, o in enumerate(curated):
            spans = occurrences(text, o["quote"])
            for j, c in enumerate(drafted):
                if not same_number(float(o["value"]), c.value):
                    continue
                qa, qb = c.quote_start, c.quote_start + len(c.quote)
                overlap = max((min(qb, b) - max(qa, a) for a, b in spans), default=0)
                inside = any(a <= c.start and c.end <= b for a, b in spans)
                if overlap > 0:
                    agree = (c.role == o["role"]) + (c.period == o["period"]) + (c.region_id == o["region_id"])
                    pairs.append((inside, agree, overlap, i, j))
        pairs.sort(reverse=True)
        match: dict[int, int] = {}
        used: set[int] = set()
        for _, _, _, i, j in pairs:
            if i not in match and j not in used:
                match[i] = j
                used.add(j)
        right = dict.fromkeys(FIELDS, 0)
        all_right = edits = 0
        misses = []
        for i, j in match.items():
            o, c = curated[i], drafted[j]
            wrong = wrong_fields(c, o, units, plan_titles, drafted_plans)
            for k in FIELDS:
                right[k] += all(w[0] != k for w in wrong)
            all_right += not wrong
            edits += len(wrong)
            if wrong:
                shown = "; ".join(f"{k}: {a} ≠ {b}" for k, a, b in wrong)
                misses.append(f"  {o['obs_id']} {o['value_as_written']!r}: {shown}  [{c.quote[:40]}]")
        edits += (len(curated) - len(match)) * (len(FIELDS) + 1)
        skip_ok = [
            j
            for j, c in enumerate(drafted)
            if j not in used and listed_skip(text, c.start, c.end, c.value_as_written, snippets)
        ]
        n, m = len(curated), len(match)
        row = {
            "source_id": src["source_id"],
            "curated": n,
            "drafted": len(drafted),
            "skipped": len(d.skipped),
            "matched": m,
            "recall": m / n if n else 1.0,
            **{k: right[k] / m if m else 1.0 for k in FIELDS},
            "all_fields": all_right / m if m else 1.0,
            "edits_per_fact": edits / n if n else 0.0,
            "precision": (m + len(skip_ok)) / len(drafted) if drafted else 1.0,
            "strict_precision": m / len(drafted) if drafted else 1.0,
            "seconds": round(seconds, 2),
            "_counts": {
                "n": n,
                "m": m,
                **right,
                "all": all_right,
                "edits": edits,
                "nd": len(drafted),
                "skip": len(skip_ok),
            },
        }
        per_seed.append(row)
        if details:
            print(f"\n== {src['source_id']}")
            for i, o in enumerate(curated):
                if i not in match:
                    print(f"  MISSED {o['obs_id']} {o['value_as_written']!r} [{o['quote'][:50]}]")
            print("\n".join(misses))
            for j, c in enumerate(drafted):
                if j not in used and j not in skip_ok:
                    print(f"  EXTRA line {c.line} {c.value_as_written!r} {c.unit} {c.role} [{c.quote[:50]}]")
    tot = {k: sum(r["_counts"][k] for r in per_seed) for k in per_seed[0]["_counts"]}
    n, m, nd = tot["n"], tot["m"], tot["nd"]
    total = {
        "source_id": "all",
        "curated": n,
        "drafted": nd,
        "skipped": sum(r["skipped"] for r in per_seed),
        "matched": m,
        "recall": m / n,
        **{k: tot[k] / m for k in FIELDS},
        "all_fields": tot["all"] / m,
        "edits_per_fact": tot["edits"] / n,
        "precision": (m + tot["skip"]) / nd,
        "strict_precision": m / nd,
        "seconds": round(sum(r["seconds"] for r in per_seed), 2),
    }
    for r in per_seed:
        r.pop("_counts")
    return {"seeds": per_seed, "all": total}


LARGE_BYTES = 2_000_000
LARGE_SECONDS = 60.0


def large_text(size: int = LARGE_BYTES) -> str:
    """The seeds repeated to ``size`` bytes of UTF-8, every Arabic number of copy k increased by k."""
    base = "\n\n".join(
        (paths.SEEDS_DIR / s["file"]).read_text(encoding="utf-8") for s in read_table(paths.DATA_DIR / "sources.csv")
    )
    parts, total, k = [], 0, 0
    while total < size:
        part = re.sub(r"(?<![\d.])\d+(?![\d.])", lambda m, k=k: str(int(m[0]) + k) if len(m[0]) < 4 else m[0], base)
        parts.append(part)
        total += len(part.encode("utf-8"))
        k += 1
    return "\n\n".join(parts)


def large_run() -> dict:
    """Seconds to draft a 2 MB text."""
    text = large_text()
    regions = read_table(paths.DATA_DIR / "regions.csv")
    indicators = read_table(paths.DATA_DIR / "indicators.csv")
    started = time.perf_counter()
    d = draft(text, "2024-05", regions, indicators)
    seconds = time.perf_counter() - started
    return {"bytes": len(text.encode("utf-8")), "seconds": round(seconds, 1), "drafted": len(d.observations)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--details", action="store_true", help="List missed, wrong and extra rows.")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "extract.json")
    ap.add_argument("--large", action="store_true", help="Also time the drafting of a 2 MB text (goal: < 60 s).")
    args = ap.parse_args()
    result = evaluate(args.details)
    cols = ("curated", "drafted", "matched", "recall", *FIELDS, "all_fields", "edits_per_fact", "precision")
    print(f"\n{'source':<32}" + "".join(f"{c[:9]:>10}" for c in cols))
    for r in [*result["seeds"], result["all"]]:
        print(
            f"{r['source_id']:<32}"
            + "".join(
                f"{r[c]:>10.2f}"
                if c == "edits_per_fact"
                else f"{r[c]:>10.1%}"
                if isinstance(r[c], float)
                else f"{r[c]:>10}"
                for c in cols
            )
        )
    failed = [k for k, goal in GOALS.items() if result["all"][k] < goal]
    for k, goal in GOALS.items():
        print(f"{k:<14} {result['all'][k]:6.1%}  goal ≥ {goal:.0%}  {'ok' if k not in failed else 'MISSED'}")
    edits = result["all"]["edits_per_fact"]
    if edits > MAX_EDITS:
        failed.append("edits_per_fact")
    print(f"{'edits per fact':<14} {edits:6.2f}  goal ≤ {MAX_EDITS:.0f}  {'ok' if edits <= MAX_EDITS else 'MISSED'}")
    if args.large:
        result["large"] = large_run()
        ok = result["large"]["seconds"] < LARGE_SECONDS
        failed += [] if ok else ["large"]
        big = result["large"]
        print(
            f"{'2 MB text':<14} {big['seconds']:6.1f} s  goal < {LARGE_SECONDS:.0f} s  {'ok' if ok else 'MISSED'}"
            f"  ({big['bytes']:,} bytes, {big['drafted']:,} numbers drafted)"
        )
    result["machine"] = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "date": time.strftime("%Y-%m-%d"),
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
