"""Load the fact base from ``data/``, enforce its schema and check every fact against its seed.

Load inputs (CSV, seeds) → validate (schema, keys, provenance) → return typed DataFrames.
Every problem is reported as ``<file>, row <n>, column <c>: <what is wrong>``; the row is the
line number in the CSV file (the header is line 1).
"""

from __future__ import annotations

import datetime
import hashlib
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path

import pandas as pd

from . import paths, rules
from .csvtext import DataError, decode_table, read_frame
from .factbase_key import inputs_digest  # noqa: F401 - data.inputs_digest, as before
from .numbers import WrittenNumberError, parse_written, same_number
from .periods import is_filled, period_bounds, period_end_year  # noqa: F401 - re-exported
from .regions import hierarchy_problems
from .schema import DATE, FACTS_DATE, GOAL_ROLES, LOAD_ORDER, TABLES, YEARS, Table, pandera_schema


@dataclass
class FactBase:
    """The validated fact base: one typed DataFrame per table, indexed by its key."""

    sources: pd.DataFrame
    regions: pd.DataFrame
    themes: pd.DataFrame
    indicators: pd.DataFrame
    plans: pd.DataFrame
    observations: pd.DataFrame
    measures: pd.DataFrame
    indicator_terms: pd.DataFrame | None = None  # the drafter's vocabulary; no briefing reads it
    seeds: dict[str, str] = field(default_factory=dict)
    latest_facts_date: str = ""
    """The latest ``facts_date`` of any source of the whole fact base (kept when cut to a briefing's scope):
    the time up to which the fact base can speak, against which a region's older sources are judged."""
    cache_key: str = ""
    """Names what this fact base is, for caches of what is computed from it: the project's validated fact
    base (``load``) by the digest of its inputs, a briefing's cut of it (``scope``) by that and the region;
    empty for any other (a test's tables, another folder), which nothing caches."""

    def table(self, name: str) -> pd.DataFrame:
        return getattr(self, name)


def _rel(path: Path) -> str:
    from .csvtext import display_name

    return display_name(path)


def read_table(table: Table, data_dir: Path) -> pd.DataFrame:
    """Read one CSV strictly: UTF-8 without BOM, LF line endings, the schema's columns."""
    path = data_dir / table.file
    name = _rel(path)
    if not path.exists():
        raise DataError([f"{name}: file is missing (expected columns: {', '.join(c.name for c in table.columns)})"])
    df = read_frame(decode_table(path), name)
    expected = [c.name for c in table.columns]
    missing = [c for c in expected if c not in df.columns]
    extra = [c for c in df.columns if c not in expected]
    if missing or extra:
        what = []
        if missing:
            what.append(f"missing column(s) {', '.join(missing)}")
        if extra:
            what.append(f"unknown column(s) {', '.join(extra)}")
        raise DataError([f"{name}, row 1: {'; '.join(what)}"])
    return df[expected]


def _coerce(table: Table, df: pd.DataFrame, name: str) -> tuple[pd.DataFrame, list[str]]:
    """Turn text columns into their logical types, collecting problems by row and column."""
    problems: list[str] = []
    out = df.copy()
    for col in table.columns:
        s = df[col.name].str.strip() if col.dtype != "str" else df[col.name]
        if not col.required:
            s = s.where(s != "", None)
        if col.dtype == "bool":
            bad = ~s.isin(["true", "false"])
            for i in s[bad].index:
                problems.append(f"{name}, row {i + 2}, column {col.name}: {s[i]!r} is not true or false")
            out[col.name] = s.map({"true": True, "false": False}).fillna(False).astype(bool)
        elif col.dtype in ("float", "int"):
            num = pd.to_numeric(s, errors="coerce")
            bad = num.isna() & s.notna() & (s != "")
            bad |= num.isna() & (s == "") & col.required
            if col.dtype == "int":
                bad |= num.notna() & (num % 1 != 0)
            for i in s[bad].index:
                problems.append(
                    f"{name}, row {i + 2}, column {col.name}: {s[i]!r} is not a"
                    f"{'n integer' if col.dtype == 'int' else ' number'}"
                )
            if col.bounds:
                lo, hi = col.bounds
                outside = num.notna() & ((num < lo) | (num > hi))
                for i in s[outside].index:
                    problems.append(f"{name}, row {i + 2}, column {col.name}: {s[i]!r} is outside {lo}–{hi}")
                bad |= outside
            out[col.name] = num.astype("Int64") if col.dtype == "int" and not bad.any() else num
        else:
            out[col.name] = s
    return out, problems


def _schema_problems(table: Table, df: pd.DataFrame, name: str) -> list[str]:
    import pandera.pandas as pa

    try:
        pandera_schema(table).validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        problems = []
        for case in exc.failure_cases.itertuples():
            row = f"row {int(case.index) + 2}, " if pd.notna(case.index) else ""
            problems.append(f"{name}, {row}column {case.column}: fails {case.check} (value {case.failure_case!r})")
        return problems
    return []


def _key_problems(tables: dict[str, pd.DataFrame]) -> list[str]:
    problems = []
    for tname, table in TABLES.items():
        df = tables[tname]
        for col, other, other_col in table.foreign_keys:
            known = set(tables[other][other_col])
            for i, v in df[col].items():
                if v is not None and v == v and v not in known:
                    problems.append(
                        f"data/{table.file}, row {i + 2}, column {col}: {v!r} is not a "
                        f"{other_col} in data/{TABLES[other].file}"
                    )
    obs = tables["observations"]
    key = ["region_id", "indicator_id", "role", "period", "source_id"]
    dup = obs[obs.duplicated(key, keep="first")]
    for i, row in dup.iterrows():
        first = obs[(obs[key].fillna("") == row[key].fillna("")).all(axis=1)].index[0]
        problems.append(
            f"data/observations.csv, row {i + 2}, column obs_id: {row.obs_id} repeats the fact of "
            f"row {first + 2} ({', '.join(str(row[k]) for k in key)})"
        )
    return problems


def _provenance_problems(tables: dict[str, pd.DataFrame], seeds: dict[str, str]) -> list[str]:
    problems = []
    files = dict(zip(tables["sources"].source_id, tables["sources"].file))
    for tname in ("observations", "measures", "plans"):
        df = tables[tname]
        for i, row in df.iterrows():
            text = seeds.get(files.get(row.source_id, ""), None)
            if text is not None and row.quote not in text:
                problems.append(
                    f"data/{tname}.csv, row {i + 2}, column quote: not found verbatim in "
                    f"seeds/{files[row.source_id]}: {row.quote[:40]!r}"
                )
    units = dict(zip(tables["indicators"].indicator_id, tables["indicators"].unit))
    for i, row in tables["observations"].iterrows():
        where = f"data/observations.csv, row {i + 2}"
        problems += _period_problems(row, where)
        if row.value_as_written not in row.quote:
            problems.append(f"{where}, column value_as_written: {row.value_as_written!r} is not in the quote")
            continue
        try:
            written = parse_written(row.value_as_written, units.get(row.indicator_id, ""))
        except WrittenNumberError as exc:
            problems.append(f"{where}, column value_as_written: {exc}")
            continue
        if not same_number(written, row.value):
            problems.append(
                f"{where}, column value: {row.value:g} disagrees with the quote, which writes "
                f"{row.value_as_written!r} = {written:g}"
            )
        if row.role in GOAL_ROLES and not is_filled(row.plan):
            problems.append(f"{where}, column plan: a {row.role} needs the plan or document it belongs to")
    return problems


def has_period(obs: pd.DataFrame) -> pd.Series:
    """Boolean mask of the observations with a period (a goal with no deadline stated has none)."""
    return obs.period.map(is_filled).astype(bool)


def _period_problems(row, where: str) -> list[str]:
    """A period must parse; only a target or recommendation may leave it empty (no deadline stated)."""
    if not is_filled(row.period):
        if row.role not in GOAL_ROLES:
            return [
                f"{where}, column period: a {row.role} needs its period (only a target or recommendation "
                "may leave it empty: no deadline stated)"
            ]
        if row.is_period_inferred:
            return [f"{where}, column is_period_inferred: must be false when no deadline is stated (period empty)"]
        return []
    try:
        y0, m0, y1, m1 = period_bounds(row.period)
        if not (1 <= m0 <= 12 and 1 <= m1 <= 12 and (y0, m0) <= (y1, m1) and YEARS[0] <= y0 and y1 <= YEARS[1]):
            raise ValueError
    except ValueError:
        return [
            f"{where}, column period: {row.period!r} is not a valid period (months 01–12, years {YEARS[0]}–{YEARS[1]})"
        ]
    return []


def _seed_problems(sources: pd.DataFrame, seeds_dir: Path) -> tuple[dict[str, str], list[str]]:
    seeds, problems = {}, []
    for i, row in sources.iterrows():
        path = seeds_dir / row.file
        if not path.exists():
            problems.append(f"data/sources.csv, row {i + 2}, column file: seeds/{row.file} does not exist")
            continue
        raw = path.read_bytes()
        if hashlib.sha256(raw).hexdigest() != row.sha256:
            problems.append(
                f"data/sources.csv, row {i + 2}, column sha256: seeds/{row.file} has changed "
                "(seeds are immutable; restore it or record a new source)"
            )
        try:
            seeds[row.file] = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            problems.append(
                f"data/sources.csv, row {i + 2}, column file: seeds/{row.file} is not valid UTF-8 "
                f"(byte {exc.start}); a seed must be UTF-8 text"
            )
    return seeds, problems


def _date_problems(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Dates whose month, day or year cannot be (the patterns check only the shape)."""
    problems = []
    for tname, table in TABLES.items():
        for col in table.columns:
            if col.pattern not in (DATE, FACTS_DATE):
                continue
            for i, v in tables[tname][col.name].items():
                if v is None or v != v or not v:
                    continue
                parts = [int(x) for x in str(v).split("-")]
                year, month, day = parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1
                try:
                    datetime.date(year, month, day)
                    ok = YEARS[0] <= year <= YEARS[1]
                except ValueError:
                    ok = False
                if not ok:
                    problems.append(
                        f"data/{table.file}, row {i + 2}, column {col.name}: {v!r} is not a valid "
                        f"date (YYYY-MM or YYYY-MM-DD, years {YEARS[0]}–{YEARS[1]})"
                    )
    return problems


def _region_name_problems(regions: pd.DataFrame) -> list[str]:
    """Two regions must never answer to the same name or alias."""
    from .regions import RegionError, region_names

    try:
        region_names(regions.reset_index(drop=True).to_dict("records"))
    except RegionError as exc:
        return [str(exc)]
    return []


def _indicator_kind_problems(indicators: pd.DataFrame) -> list[str]:
    """An indicator's unit must be one its kind allows (a growth rate is in %, a count in count or people)."""
    from .schema import KINDS

    problems = []
    for i, row in indicators.iterrows():
        units = KINDS.get(row.kind, ("", ()))[1]
        if row.unit not in units:
            problems.append(
                f"data/indicators.csv, row {i + 2}, column kind: {row.indicator_id} is a {row.kind} "
                f"but its unit is {row.unit!r} (a {row.kind} is in {' or '.join(repr(u) for u in units)})"
            )
    return problems


def _relation_problems(indicators: pd.DataFrame) -> list[str]:
    """A relation names the indicator it relates to, and only then; never the indicator itself."""
    problems = []
    for i, row in indicators.iterrows():
        rel, to = is_filled(row.relation), is_filled(row.relates_to)
        if rel != to:
            missing = "relates_to" if rel else "relation"
            problems.append(
                f"data/indicators.csv, row {i + 2}, column {missing}: {row.indicator_id} has "
                f"{'a relation' if rel else 'relates_to'} but no {missing}: fill both or neither"
            )
        elif to and row.relates_to == row.indicator_id:
            problems.append(
                f"data/indicators.csv, row {i + 2}, column relates_to: {row.indicator_id} relates to itself"
            )
    return problems


def _formula_problems(tables: dict[str, pd.DataFrame]) -> list[str]:
    """Text a spreadsheet would run as a formula (``cells.is_formula``) has no place in the fact base."""
    from .cells import is_formula

    problems = []
    for tname, table in TABLES.items():
        for col in table.columns:
            if col.dtype != "str":
                continue
            for i, v in tables[tname][col.name].items():
                if isinstance(v, str) and is_formula(v):
                    problems.append(
                        f"data/{table.file}, row {i + 2}, column {col.name}: {v[:40]!r} starts with {v[0]!r}, "
                        "which a spreadsheet runs as a formula; remove the leading character"
                    )
    return problems


def validate(data_dir: Path | None = None, seeds_dir: Path | None = None) -> FactBase:
    """Load every table, enforce the schema and provenance rules; raise ``DataError`` on any problem."""
    data_dir = Path(data_dir or paths.DATA_DIR)
    seeds_dir = Path(seeds_dir or paths.SEEDS_DIR)
    tables, problems = {}, []
    for tname in LOAD_ORDER:
        table = TABLES[tname]
        name = _rel(data_dir / table.file)
        df, found = _coerce(table, read_table(table, data_dir), name)
        problems += found or _schema_problems(table, df, name)
        tables[tname] = df
    if problems:
        raise DataError(problems)
    seeds, found = _seed_problems(tables["sources"], seeds_dir)
    problems += (
        found
        + _date_problems(tables)
        + _region_name_problems(tables["regions"])
        + hierarchy_problems(tables["regions"].fillna(""))
        + _indicator_kind_problems(tables["indicators"])
        + _relation_problems(tables["indicators"])
        + _key_problems(tables)
        + _provenance_problems(tables, seeds)
    )
    problems += rules.check(tables) + _formula_problems(tables)
    if problems:
        raise DataError(problems)
    indexed = {t: tables[t].set_index(TABLES[t].key, drop=False).rename_axis(None) for t in LOAD_ORDER}
    from .dates import fact_base_as_of

    return FactBase(**indexed, seeds=seeds, latest_facts_date=fact_base_as_of(indexed["sources"]) or "")


def load(data_dir: Path | None = None, seeds_dir: Path | None = None, use_cache: bool = True) -> FactBase:
    """Return the validated fact base, from a cache keyed by everything that shapes it when it is fresh.

    A cache file that cannot be read (damaged, truncated, from another version) is ignored and rebuilt.
    """
    digest = inputs_digest(data_dir, seeds_dir)
    cache = paths.BUILD_DIR / "cache" / f"factbase-{digest[:16]}.pkl"
    if use_cache and data_dir is None and cache.exists():
        try:
            with cache.open("rb") as fh:
                fb = pickle.load(fh)
            if isinstance(fb, FactBase):
                return replace(fb, cache_key=digest[:16])
        except Exception:  # noqa: BLE001 - any damage means: validate again
            pass
        cache.unlink(missing_ok=True)
    fb = validate(data_dir, seeds_dir)
    if use_cache and data_dir is None:
        paths.atomic_write(cache, pickle.dumps(fb))
        fb = replace(fb, cache_key=digest[:16])
    return fb


def scope(fb: FactBase, region_id: str) -> FactBase:
    """The fact base one briefing of ``region_id`` draws on (``scope.select``): its region and peers, their
    rows, plans and sources and those seeds; indicators and themes whole. The build keys a briefing on
    exactly these rows, so a briefing shows nothing its key does not cover."""
    from .scope import SCOPED, select

    def records(df: pd.DataFrame) -> list[dict]:
        return df.astype(object).where(df.notna(), "").to_dict("records")

    chosen = select({name: records(fb.table(name)) for name in SCOPED}, region_id)
    parts = {name: fb.table(name).loc[chosen[name]] for name in SCOPED}
    files = set(parts["sources"].file)
    return FactBase(
        **parts,
        themes=fb.themes,
        indicators=fb.indicators,
        seeds={f: text for f, text in fb.seeds.items() if f in files},
        latest_facts_date=fb.latest_facts_date,
        cache_key=f"{fb.cache_key}-{region_id}" if fb.cache_key else "",
    )
