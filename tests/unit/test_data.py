"""The fact base: it validates, its provenance holds, and every kind of broken input is rejected clearly."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from briefings import data, paths
from briefings.schema import TABLES

from ..conftest import ROOT


def test_known_facts_are_present(fb):
    o = fb.observations

    def one(region, indicator, role, period):
        rows = o[(o.region_id == region) & (o.indicator_id == indicator) & (o.role == role) & (o.period == period)]
        assert len(rows) >= 1, (region, indicator, role, period)
        return rows.value.tolist()

    assert one("shanghai", "municipal_demo_smart_factories_count", "target", "2021") == [100]
    assert one("shanghai", "municipal_demo_smart_factories_count", "target", "2025") == [200]
    assert one("shanghai", "municipal_demo_smart_factories_count", "target", "2027") == [500]
    assert one("shanghai", "municipal_demo_smart_factories_count", "result", "2023") == [177]
    assert one("shanghai", "robot_density_key_industries_per_10k_workers", "target", "2027") == [500]
    assert one("shanghai", "chain_leader_firms_count", "result", "2023") == [15]
    assert one("zhejiang", "little_giant_firms_count", "result", "2023") == [1432]
    assert one("shanghai", "little_giant_firms_count", "result", "2023") == [710]
    assert one("henan", "industrial_value_added_growth_pct", "result", "2024-01..02") == [6.9]
    # A disagreement between sources is kept, not merged.
    g5 = o[(o.region_id == "shanghai") & (o.indicator_id == "outdoor_5g_base_stations_count")]
    assert sorted(g5.value) == [69000, 77000] and g5.source_id.nunique() == 2


def test_inferred_periods_are_explained(fb):
    inferred = fb.observations[fb.observations.is_period_inferred]
    assert len(inferred) > 20
    assert (inferred.notes.fillna("").str.len() > 0).all()


def test_source_quality_notes_name_the_known_flaws(fb):
    notes = " ".join(fb.sources.notes)
    for flaw in ("out of order", "'and'", "13th Five-Year Plan", "boilerplate", "repeated"):
        assert flaw in notes, flaw


def test_loader_uses_a_cache_keyed_by_inputs(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path)
    first = data.load()
    assert list(tmp_path.glob("cache/factbase-*.pkl"))
    assert data.load().observations.equals(first.observations)


# --- Broken copies: each is rejected with file, row and column ----------------------------------------


def _edit(path: Path, fn) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(df)
    df.to_csv(path, index=False, lineterminator="\n")


def _set(table: str, row: int, column: str, value: str):
    def fn(df):
        df.loc[row, column] = value

    return table, fn


def _set_first(role: str, **values: str):
    """Edit the first observation of ``role``."""

    def fn(df):
        row = df.index[df.role.eq(role)][0]
        for column, value in values.items():
            df.loc[row, column] = value

    return "observations", fn


CASES = {
    "wrong type": (*_set("observations", 3, "value", "lots"), r"observations\.csv, row 5, column value"),
    "bad boolean": (*_set("observations", 0, "is_period_inferred", "yes"), r"row 2, column is_period_inferred"),
    "unknown region": (
        *_set("observations", 4, "region_id", "atlantis"),
        r"observations\.csv, row 6, column region_id",
    ),
    "unknown indicator": (*_set("observations", 5, "indicator_id", "made_up_count"), r"row 7, column indicator_id"),
    "unknown source": (*_set("measures", 2, "source_id", "nowhere"), r"measures\.csv, row 4, column source_id"),
    "unknown plan": (*_set("observations", 0, "plan", "no-such-plan"), r"observations\.csv, row 2, column plan"),
    "quote not in seed": (*_set("observations", 6, "quote", "上海打造了一万家智能工厂"), r"row 8, column quote"),
    "number disagrees with quote": (*_set("observations", 7, "value", "123456789"), r"row 9, column value"),
    "written number not in quote": (
        *_set("observations", 8, "value_as_written", "999"),
        r"row 10, column value_as_written",
    ),
    "bad period": (*_set("observations", 9, "period", "2024/05"), r"row 11, column period"),
    "impossible month": (*_set("observations", 9, "period", "2024-13"), r"row 11, column period"),
    "bad qualifier": (*_set("observations", 10, "qualifier", "about"), r"row 12, column qualifier"),
    "bad role": (*_set("observations", 11, "role", "forecast"), r"row 13, column role"),
    "empty required": (*_set("measures", 0, "summary_en", ""), r"measures\.csv, row 2, column summary_en"),
    "duplicate id": (*_set("observations", 12, "obs_id", "o0001"), r"column obs_id"),
    "bad unit": (*_set("indicators", 0, "unit", "furlongs"), r"indicators\.csv, row 2, column unit"),
    "bad region level": (*_set("regions", 1, "level", "planet"), r"regions\.csv, row 3, column level"),
    "unknown parent region": (*_set("regions", 1, "parent", "atlantis"), r"regions\.csv, row 3, column parent"),
    "province inside a province": (*_set("regions", 1, "parent", "shanghai"), r"row 3, column parent: .* level"),
    "country inside a province": (*_set("regions", 13, "parent", "hebei"), r"row 15, column parent"),
    "country in the provinces' peer group": (
        *_set("regions", 13, "peer_group", "provinces"),
        r"row 15, column peer_group: china \(country\) and shanghai \(municipality\) share",
    ),
    "unit not of its kind": (*_set("indicators", 0, "kind", "growth_rate"), r"indicators\.csv, row 2, column kind"),
    "unknown kind": (*_set("indicators", 0, "kind", "vibe"), r"indicators\.csv, row 2, column kind"),
    "bad date": (*_set("sources", 0, "published", "spring 2024"), r"sources\.csv, row 2, column published"),
    "plan of unknown region": (*_set("plans", 0, "region_id", "atlantis"), r"plans\.csv, row 2, column region_id"),
    "plan year not a year": (*_set("plans", 1, "end_year", "2025.5"), r"plans\.csv, row 3, column end_year"),
    "unknown theme": (*_set("themes", 0, "theme_id", "space_travel"), r"themes\.csv, row 2, column theme_id"),
    "measure theme unknown": (*_set("measures", 3, "theme", "astrology"), r"measures\.csv, row 5, column theme"),
    "direction not a boolean": (*_set("indicators", 2, "higher_is_better", "mostly"), r"indicators\.csv, row 4"),
    "reversed period": (*_set("observations", 9, "period", "2025..2023"), r"row 11, column period"),
    "year out of range": (*_set("observations", 9, "period", "1066"), r"row 11, column period"),
    "result without period": (*_set_first("result", period=""), r"column period: a result needs its period"),
    "inferred with no deadline": (
        *_set_first("target", period="", is_period_inferred="true"),
        r"column is_period_inferred: must be false when no deadline is stated",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_broken_value_is_rejected(case, data_copy):
    table, fn, pattern = CASES[case]
    _edit(data_copy / f"{table}.csv", fn)
    with pytest.raises(data.DataError) as exc:
        data.validate(data_copy)
    text = "\n".join(exc.value.problems)
    assert re.search(pattern, text), text
    assert "\n" not in str(exc.value)


def test_duplicate_fact_is_rejected(data_copy):
    df = pd.read_csv(data_copy / "observations.csv", dtype=str, keep_default_na=False)
    dup = df.iloc[[0]].copy()
    dup["obs_id"] = "o9999"
    pd.concat([df, dup]).to_csv(data_copy / "observations.csv", index=False, lineterminator="\n")
    with pytest.raises(data.DataError, match=r"row \d+, column obs_id: o9999 repeats the fact of row 2"):
        data.validate(data_copy)


def test_target_without_plan_is_rejected(data_copy):
    df = pd.read_csv(data_copy / "observations.csv", dtype=str, keep_default_na=False)
    i = df.index[df.role == "target"][0]
    df.loc[i, "plan"] = ""
    df.to_csv(data_copy / "observations.csv", index=False, lineterminator="\n")
    with pytest.raises(data.DataError, match=rf"row {i + 2}, column plan"):
        data.validate(data_copy)


@pytest.mark.parametrize("table", sorted(TABLES))
def test_missing_file_is_rejected(table, data_copy):
    (data_copy / f"{table}.csv").unlink()
    with pytest.raises(data.DataError, match=rf"{table}\.csv: file is missing"):
        data.validate(data_copy)


def test_missing_column_is_rejected(data_copy):
    _edit(data_copy / "observations.csv", lambda df: df.pop("quote"))
    with pytest.raises(data.DataError, match=r"observations\.csv, row 1: missing column\(s\) quote"):
        data.validate(data_copy)


def test_unknown_column_is_rejected(data_copy):
    _edit(data_copy / "measures.csv", lambda df: df.insert(1, "colour", "red"))
    with pytest.raises(data.DataError, match=r"measures\.csv, row 1: unknown column\(s\) colour"):
        data.validate(data_copy)


def test_byte_order_mark_is_rejected(data_copy):
    p = data_copy / "regions.csv"
    p.write_bytes(b"\xef\xbb\xbf" + p.read_bytes())
    with pytest.raises(data.DataError, match=r"regions\.csv, row 1, column 1: .*byte-order mark"):
        data.validate(data_copy)


def test_crlf_is_rejected(data_copy):
    p = data_copy / "themes.csv"
    p.write_bytes(p.read_bytes().replace(b"\n", b"\r\n"))
    with pytest.raises(data.DataError, match=r"themes\.csv, row 1: .*CRLF"):
        data.validate(data_copy)


def test_gbk_file_is_rejected(data_copy):
    p = data_copy / "regions.csv"
    p.write_bytes(p.read_text(encoding="utf-8").encode("gbk"))
    with pytest.raises(data.DataError, match=r"regions\.csv, row 2: not valid UTF-8"):
        data.validate(data_copy)


def test_changed_seed_is_rejected(data_copy, tmp_path):
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for f in (ROOT / "seeds").iterdir():
        (seeds / f.name).write_bytes(f.read_bytes())
    first = sorted(seeds.iterdir())[0]
    first.write_bytes(first.read_bytes() + b"\n")
    with pytest.raises(data.DataError, match=r"sources\.csv, row 2, column sha256: .* has changed"):
        data.validate(data_copy, seeds)
