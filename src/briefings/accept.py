"""Merge the accepted rows of a review sheet into data/: validated together, ids assigned, written atomically.

Read the sheet (UTF-8, with or without BOM) → keep rows whose ``accept`` is yes → build plan, observation,
measure, indicator and region rows from the columns the schema declares → validate the whole fact base on a
copy of data/ (the same ``data.validate`` as ``make validate``) → swap it in whole (``transaction.edit``:
one writer at a time, all or nothing). If any accepted row is invalid, nothing is written and each problem
names the sheet row and column.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

from . import paths, schema
from .cells import strip_formula, unneutralise
from .csvtext import header, parse_rows
from .drafting import divisions, read_table
from .gloss import DRAFT_MARK, is_draft
from .sheet import COLUMNS, RECORDS, SheetError, append_rows
from .transaction import Transaction, edit

ROLES = ("target", "recommendation", "instrument", "structure", "ranking", "result")
YES = {"yes", "y", "true", "1", "x", "是", "✓"}
NO = {"", "no", "n", "false", "0", "否"}
# Sheet column of each table column that a sheet row fills (the rest have the same name).
SHEET_NAME = {
    "observations": {"kind": "role", "obs_id": "record"},
    "measures": {"summary_en": "summary_en", "measure_id": "record"},
    "plans": {"plan_id": "plan", "title_zh": "plan_title_zh", "title_en": "plan_title_en"},
    "indicators": {
        "name_en": "indicator_name_en",
        "name_zh": "indicator_name_zh",
        "higher_is_better": "indicator_id",
        "comparison_group": "indicator_id",
        "kind": "unit",
        "description": "indicator_name_zh",
    },
    "indicator_terms": {"terms_zh": "indicator_name_zh", "tier": "indicator_tier", "level": "indicator_level"},
    "regions": {
        "name_en": "region_id",
        "name_zh": "region_name_zh",
        "level": "region_id",
        "parent": "region_id",
        "peer_group": "region_id",
        "aliases": "region_id",
    },
}


def _table_row(table: schema.Table, values: dict[str, str]) -> dict[str, str]:
    """A row of ``table`` with exactly its schema's columns, in order."""
    return {c.name: values.get(c.name, "") for c in table.columns}


def observation_row(row: dict[str, str], obs_id: str) -> dict[str, str]:
    """The observations.csv row of an accepted sheet row."""
    values = {
        **row,
        "obs_id": obs_id,
        "role": row.get("role", "").strip(),
        "is_period_inferred": _bool_text(row.get("is_period_inferred", "")),
    }
    return _table_row(schema.OBSERVATIONS, values)


def measure_row(row: dict[str, str], measure_id: str) -> dict[str, str]:
    """The measures.csv row of an accepted sheet row (``is_adopted`` where the schema has it)."""
    values = {**row, "measure_id": measure_id, "is_adopted": _bool_text(row.get("is_adopted", "") or "true")}
    return _table_row(schema.MEASURES, values)


def _bool_text(text: str) -> str:
    t = text.strip().lower()
    return "true" if t in ("true", "yes", "1", "y") else "false" if t in ("false", "no", "0", "n", "") else text


def read_sheet(path: Path) -> list[dict[str, str]]:
    """The sheet's rows; SheetError names what is wrong with the file itself."""
    path = Path(path)
    if not path.is_file():
        raise SheetError(f"{path}: no such sheet; give the CSV written by `briefings add-source`")
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SheetError(f"{path}: not UTF-8 (byte {exc.start}); save the sheet as CSV UTF-8") from None
    try:
        rows = parse_rows(text.replace("\r\n", "\n"))
    except csv.Error as exc:
        raise SheetError(f"{path}: cannot be read as CSV ({exc})") from None
    columns = rows[0].keys() if rows else header(text)
    missing = [c for c in ("accept", "record", "source_id", "quote") if c not in columns]
    if missing:
        raise SheetError(
            f"{path}, row 1: missing column(s) {', '.join(missing)} (expected the columns {', '.join(COLUMNS[:6])} …)"
        )
    return rows


def accept(sheet: Path, echo=None) -> dict[str, int | list[str]]:
    """Merge the accepted rows of ``sheet`` into data/ in one transaction (``transaction.edit``: locked,
    validated beside the old state, swapped in whole); return what was added and any warnings."""
    sheet = Path(sheet)
    name = sheet.name
    rows = read_sheet(sheet)
    problems: list[str] = []
    accepted: list[tuple[int, dict[str, str]]] = []
    first_of: dict[tuple, int] = {}
    repeats: dict[int, list[int]] = {}
    for i, row in enumerate(rows, start=2):
        row = {k: unneutralise((v or "").strip() if k != "quote" else (v or "")) for k, v in row.items() if k}
        if "quote" in row:  # verbatim from the seed: without its leading formula characters it still is
            row["quote"] = strip_formula(row["quote"])
        mark = row.get("accept", "").lower()
        if mark not in YES | NO:
            problems.append(f"{name}, row {i}, column accept: {row['accept']!r} is not yes, no or blank")
            continue
        if mark in NO:
            continue
        same = tuple(sorted((k, v) for k, v in row.items() if k != "accept"))
        if same in first_of:  # an exact copy of an earlier row: merged once
            repeats.setdefault(first_of[same], []).append(i)
            continue
        first_of[same] = i
        if row.get("record") not in RECORDS:
            problems.append(f"{name}, row {i}, column record: {row.get('record')!r} is not one of {', '.join(RECORDS)}")
        elif row["record"] == "skipped":
            problems.append(
                f"{name}, row {i}, column record: a skipped number cannot be accepted as it is; set "
                "record to observation and fill in its columns"
            )
        elif row["record"] == "observation" and row.get("role") not in ROLES:
            problems.append(f"{name}, row {i}, column role: {row.get('role')!r} is not one of {', '.join(ROLES)}")
        else:
            accepted.append((i, row))
    if problems:
        raise SheetError(problems)
    with edit(f"accept {name}", echo) as tx:
        got = _merge(name, accepted, tx)
    got["warnings"] = [_repeat_note(name, first, copies) for first, copies in repeats.items()] + got["warnings"]
    got["repeats"] = sum(len(c) for c in repeats.values())
    return got


def _repeat_note(name: str, first: int, copies: list[int]) -> str:
    shown = ", ".join(map(str, copies[:5])) + (f" and {len(copies) - 5} more" if len(copies) > 5 else "")
    rows = "row" if len(copies) == 1 else "rows"
    return f"{name}, {rows} {shown}: {'repeats' if len(copies) == 1 else 'repeat'} row {first} exactly; merged once"


def _next_id(existing: list[str], prefix: str) -> int:
    """The number after the highest id of the form ``<prefix>`` and four or more digits."""
    nums = [int(x[1:]) for x in existing if re.fullmatch(prefix + r"\d{4,}", x)]
    return max(nums, default=0) + 1


def _placed(ref: dict[str, str], pending: list[dict[str, str]] = (), data: Path | None = None) -> dict[str, str]:
    """Parent and peer group of a region taken from the reference list: its province when that is a
    region already or created by the same accept (``pending``), and the peer group its known siblings
    (same parent, same level rank) share, if one."""
    known = read_table((data or paths.DATA_DIR) / "regions.csv") + list(pending)
    parent = next((r["region_id"] for r in known if ref.get("parent_zh") and r["name_zh"] == ref["parent_zh"]), "")
    if not parent and ref.get("level") in schema.LEVEL_RANKS:
        parent = next((r["region_id"] for r in known if schema.LEVEL_RANKS.get(r["level"]) == 1), "")
    rank = schema.LEVEL_RANKS.get(ref.get("level", ""))
    groups = {
        r.get("peer_group", "")
        for r in known
        if r.get("parent", "") == parent and schema.LEVEL_RANKS.get(r["level"]) == rank and r.get("peer_group")
    }
    return {"parent": parent, "peer_group": groups.pop() if len(groups) == 1 else ""}


def _merge(name: str, accepted: list[tuple[int, dict[str, str]]], tx: Transaction) -> dict[str, int | list[str]]:
    data = tx.data
    current = {
        t: read_table(data / schema.TABLES[t].file)
        for t in ("regions", "indicators", "plans", "observations", "measures", "sources")
    }
    known_regions = {r["region_id"] for r in current["regions"]}
    known_indicators = {r["indicator_id"] for r in current["indicators"]}
    known_plans = {r["plan_id"] for r in current["plans"]}
    merged_obs = {(o["source_id"], o["quote"], o["value_as_written"], o["period"]) for o in current["observations"]}
    merged_meas = {(m["source_id"], m["quote"]) for m in current["measures"]}
    reference = {d["region_id"]: d for d in divisions()}
    new: dict[str, list[tuple[int, dict[str, str]]]] = {
        t: [] for t in ("regions", "indicators", "indicator_terms", "plans", "observations", "measures")
    }
    problems, warnings, already = [], [], 0
    next_obs = _next_id([o["obs_id"] for o in current["observations"]], "o")
    next_meas = _next_id([m["measure_id"] for m in current["measures"]], "m")

    def need_region(i: int, rid: str) -> None:
        if not rid or rid in known_regions:
            return
        ref = reference.get(rid)
        if ref is None:
            problems.append(
                f"{name}, row {i}, column region_id: {rid!r} is neither in data/regions.csv nor in the "
                "reference list of provinces and prefectures"
            )
            return
        placed = _placed(ref, [r for _, r in new["regions"]], data)
        new["regions"].append((i, _table_row(schema.REGIONS, {**ref, **placed, "aliases": ref["short_zh"]})))
        known_regions.add(rid)

    def rank(row: dict[str, str]) -> int:
        return schema.LEVEL_RANKS.get(reference.get(row.get("region_id", ""), {}).get("level", ""), 9)

    for i, row in sorted(accepted, key=lambda t: rank(t[1])):  # a province before the cities it contains
        need_region(i, row.get("region_id", ""))
    for i, row in accepted:
        rec = row["record"]
        need_region(i, row.get("region_id", ""))
        if rec == "plan":
            if row.get("plan") in known_plans:
                already += 1
                continue
            values = {
                **row,
                "plan_id": row.get("plan", ""),
                "title_zh": row.get("plan_title_zh", ""),
                "title_en": row.get("plan_title_en", ""),
            }
            new["plans"].append((i, _table_row(schema.PLANS, values)))
            known_plans.add(row.get("plan", ""))
            _warn_chinese(warnings, name, i, "plan_title_en", row.get("plan_title_en", ""))
            _warn_gloss(warnings, name, i, row.get("quote_en", ""))
        elif rec == "observation":
            if (row["source_id"], row["quote"], row.get("value_as_written", ""), row.get("period", "")) in merged_obs:
                already += 1
                continue
            ind = row.get("indicator_id", "")
            if ind and ind not in known_indicators:
                desc = f"Drafted from {row['source_id']}: {row.get('indicator_name_zh', '')}."
                values = {
                    "indicator_id": ind,
                    "name_en": row.get("indicator_name_en", ""),
                    "name_zh": row.get("indicator_name_zh", ""),
                    "unit": row.get("unit", ""),
                    "kind": schema.default_kind(row.get("unit", "")),
                    "theme": row.get("theme", ""),
                    "higher_is_better": "true",
                    "tier": "detail",  # the curator raises it to sector or headline (salience of page one)
                    "description": desc,
                }
                new["indicators"].append((i, _table_row(schema.INDICATORS, values)))
                terms = {
                    "indicator_id": ind,
                    "terms_zh": row.get("indicator_name_zh", ""),
                    "tier": row.get("indicator_tier", ""),
                    "level": row.get("indicator_level", ""),
                }
                new["indicator_terms"].append((i, _table_row(schema.INDICATOR_TERMS, terms)))
                known_indicators.add(ind)
                _warn_chinese(warnings, name, i, "indicator_name_en", row.get("indicator_name_en", ""))
            new["observations"].append((i, observation_row(row, f"o{next_obs:04d}")))
            next_obs += 1
            _warn_gloss(warnings, name, i, row.get("quote_en", ""))
        elif rec == "measure":
            if (row["source_id"], row["quote"]) in merged_meas:
                already += 1
                continue
            new["measures"].append((i, measure_row(row, f"m{next_meas:04d}")))
            next_meas += 1
            _warn_chinese(warnings, name, i, "summary_en", row.get("summary_en", ""))
    if problems:
        raise SheetError(problems)
    texts = {t: append_rows(data / schema.TABLES[t].file, [r for _, r in rows]) for t, rows in new.items() if rows}
    firsts = {t: len(read_table(data / schema.TABLES[t].file)) + 2 for t in texts}
    for t, text in texts.items():
        tx.write(schema.TABLES[t].file, text)
    _validate(name, tx, new, firsts)
    return {**{t: len(rows) for t, rows in new.items()}, "already": already, "warnings": warnings}


def _warn_chinese(warnings: list[str], name: str, i: int, column: str, value: str) -> None:
    if re.search(r"[\u4e00-\u9fff]", value):
        warnings.append(f"{name}, row {i}, column {column}: still Chinese; the English edition will show it as is")
    elif "[draft]" in value:
        warnings.append(f"{name}, row {i}, column {column}: still a [draft]; complete it, the briefing shows it as is")


def _warn_gloss(warnings: list[str], name: str, i: int, gloss: str) -> None:
    """A gloss still missing, drafted or Chinese is merged as it is, with a warning that says so."""
    if not gloss:
        warnings.append(f"{name}, row {i}, column quote_en: empty; the English edition will say 'no English gloss yet'")
    elif is_draft(gloss):
        warnings.append(
            f"{name}, row {i}, column quote_en: still the drafted gloss; translate the quote and remove {DRAFT_MARK!r}"
        )
    else:
        _warn_chinese(warnings, name, i, "quote_en", gloss)


def _validate(name: str, tx: Transaction, new: dict[str, list[tuple[int, dict[str, str]]]], firsts) -> None:
    """Validate the fact base with the merged rows (the transaction's new state); map problems to sheet rows."""
    from .data import DataError

    try:
        tx.validate()
    except DataError as exc:
        raise SheetError([_to_sheet(p, name, new, firsts) for p in exc.problems]) from None


def _to_sheet(problem: str, name: str, new: dict[str, list[tuple[int, dict[str, str]]]], firsts) -> str:
    """``data/x.csv, row N, column C: …`` → ``SHEET, row S, column C': …`` when row N came from the sheet."""
    m = re.match(r"(?:\S*/)?(\w+)\.csv, row (\d+)(?:, column (\w+))?: (.*)", problem, re.S)
    if not m or m[1] not in new or m[1] not in firsts:
        return problem
    table, row, column, what = m[1], int(m[2]), m[3], m[4]
    first = firsts[table]
    k = row - first
    if not 0 <= k < len(new[table]):
        return problem
    sheet_row = new[table][k][0]
    col = SHEET_NAME.get(table, {}).get(column, column) if column else None
    where = f"{name}, row {sheet_row}" + (f", column {col}" if col else "")
    return f"{where}: {what}" + (f" (new {table[:-1]} row)" if table in ("indicators", "regions") else "")
