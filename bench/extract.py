"""Benchmark the drafter (`briefings add-source`) against the curated fact base of the seeds.

For each source in data/sources.csv the drafter reads its seed (with the publication date, the regions
and the indicators, never the curated observations) and its rows are compared with the curated rows of
data/observations.csv:

- recall: curated numbers found (same value, drafted quote overlapping the curated quote);
- on the matched rows, accuracy of target/result, period, qualifier and region;
- precision: drafted rows that match a curated row or a number the curators list as deliberately left out
  (the "Numbers deliberately left out" section of data/notes/<source>.md and "What was left out" in
  data/README.md); strict precision counts curated rows only.

    python bench/extract.py [--details] [--json PATH]

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
from briefings.accept import kind_of  # noqa: E402
from briefings.drafting import draft, read_table  # noqa: E402
from briefings.numbers import same_number  # noqa: E402

GOALS = {"recall": 0.95, "region": 0.95, "role": 0.90, "period": 0.85, "precision": 0.80}


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


def role_of(row: dict, has_role: bool) -> str:
    return row["role"] if has_role else row["kind"]


def evaluate(details: bool = False) -> dict:
    sources = read_table(paths.DATA_DIR / "sources.csv")
    observations = read_table(paths.DATA_DIR / "observations.csv")
    regions = read_table(paths.DATA_DIR / "regions.csv")
    indicators = read_table(paths.DATA_DIR / "indicators.csv")
    has_role = bool(observations) and "role" in observations[0]
    general = (paths.DATA_DIR / "README.md").read_text(encoding="utf-8")
    per_seed = []
    for src in sources:
        text = (paths.SEEDS_DIR / src["file"]).read_text(encoding="utf-8")
        started = time.perf_counter()
        d = draft(text, src["published"], regions, indicators)
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
                    agree = (
                        (kind_of(c.role) == role_of(o, False) if not has_role else c.role == o["role"])
                        + (c.period == o["period"])
                        + (c.region_id == o["region_id"])
                    )
                    pairs.append((inside, agree, overlap, i, j))
        pairs.sort(reverse=True)
        match: dict[int, int] = {}
        used: set[int] = set()
        for _, _, _, i, j in pairs:
            if i not in match and j not in used:
                match[i] = j
                used.add(j)
        role_ok = period_ok = qual_ok = region_ok = 0
        misses = []
        for i, j in match.items():
            o, c = curated[i], drafted[j]
            role_ok += (c.role == o["role"]) if has_role else (kind_of(c.role) == o["kind"])
            period_ok += c.period == o["period"]
            qual_ok += c.qualifier == o["qualifier"]
            region_ok += c.region_id == o["region_id"]
            wrong = [
                f"{k}: {a} ≠ {b}"
                for k, a, b in (
                    ("role", c.role if has_role else kind_of(c.role), role_of(o, has_role)),
                    ("period", c.period, o["period"]),
                    ("qualifier", c.qualifier, o["qualifier"]),
                    ("region", c.region_id, o["region_id"]),
                )
                if a != b
            ]
            if wrong:
                misses.append(f"  {o['obs_id']} {o['value_as_written']!r}: {'; '.join(wrong)}  [{c.quote[:40]}]")
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
            "role": role_ok / m if m else 1.0,
            "period": period_ok / m if m else 1.0,
            "qualifier": qual_ok / m if m else 1.0,
            "region": region_ok / m if m else 1.0,
            "precision": (m + len(skip_ok)) / len(drafted) if drafted else 1.0,
            "strict_precision": m / len(drafted) if drafted else 1.0,
            "seconds": round(seconds, 2),
            "_counts": (n, m, role_ok, period_ok, qual_ok, region_ok, len(drafted), len(skip_ok)),
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
    tot = [sum(r["_counts"][k] for r in per_seed) for k in range(8)]
    n, m, role_ok, period_ok, qual_ok, region_ok, nd, nskip = tot
    total = {
        "source_id": "all",
        "curated": n,
        "drafted": nd,
        "skipped": sum(r["skipped"] for r in per_seed),
        "matched": m,
        "recall": m / n,
        "role": role_ok / m,
        "period": period_ok / m,
        "qualifier": qual_ok / m,
        "region": region_ok / m,
        "precision": (m + nskip) / nd,
        "strict_precision": m / nd,
        "seconds": round(sum(r["seconds"] for r in per_seed), 2),
    }
    for r in per_seed:
        r.pop("_counts")
    return {"seeds": per_seed, "all": total}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--details", action="store_true", help="List missed, wrong and extra rows.")
    ap.add_argument("--json", type=Path, default=ROOT / "bench" / "results" / "extract.json")
    args = ap.parse_args()
    result = evaluate(args.details)
    cols = (
        "curated",
        "drafted",
        "matched",
        "recall",
        "role",
        "period",
        "qualifier",
        "region",
        "precision",
        "strict_precision",
    )
    print(f"\n{'source':<32}" + "".join(f"{c[:9]:>10}" for c in cols))
    for r in [*result["seeds"], result["all"]]:
        print(
            f"{r['source_id']:<32}"
            + "".join(f"{r[c]:>10.1%}" if isinstance(r[c], float) else f"{r[c]:>10}" for c in cols)
        )
    failed = [k for k, goal in GOALS.items() if result["all"][k] < goal]
    for k, goal in GOALS.items():
        print(f"{k:<10} {result['all'][k]:6.1%}  goal ≥ {goal:.0%}  {'ok' if k not in failed else 'MISSED'}")
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
