"""A briefing's scope: what it draws on (its region, its peers and their rows) and the key that covers it."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest

from briefings import build, compare, data, paths
from briefings.regions import peers

from ..conftest import ROOT


def _rewrite(path: Path, fn) -> None:
    """Apply ``fn`` to the rows of a CSV file of data/ and write it back as the loader reads it."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fn(rows)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _edit_first_row_of(region: str, column: str):
    def fn(rows):
        row = next(r for r in rows if r["region_id"] == region)
        row[column] = (row[column] + " (checked again)").strip()

    return fn


@pytest.fixture
def project_data(tmp_path, monkeypatch) -> Path:
    """A writable copy of data/ that the build's keys read."""
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    monkeypatch.setattr(paths, "DATA_DIR", target)
    return target


def _keys() -> dict[tuple[str, str], str]:
    keys = build.BriefingKeys()
    return {(r, lang): keys(r, lang) for r in build.buildable_regions_light() for lang in ("en", "zh")}


def _changed(before: dict, after: dict) -> set[str]:
    return {region for (region, _), key in after.items() if before[region, _] != key}


@pytest.mark.parametrize(
    "region, table, column", [("hebei", "measures", "summary_en"), ("henan", "observations", "notes")]
)
def test_one_row_changes_the_keys_of_its_region_and_peers_only(project_data, region, table, column):
    before = _keys()
    _rewrite(project_data / f"{table}.csv", _edit_first_row_of(region, column))
    changed = _changed(before, _keys())
    regions = build.read_regions_light()
    assert changed == {region, *peers(regions, region)} & {r for r, _ in before}
    assert not {"china", "world", "yangtze-river-delta"} & changed


def test_a_region_outside_the_peer_group_keeps_its_key(project_data):
    def own_group(rows):
        next(r for r in rows if r["region_id"] == "shanghai")["peer_group"] = "municipalities"

    _rewrite(project_data / "regions.csv", own_group)
    before = _keys()
    _rewrite(project_data / "measures.csv", _edit_first_row_of("hebei", "summary_en"))
    changed = _changed(before, _keys())
    assert "hebei" in changed and "zhejiang" in changed and "shanghai" not in changed


def test_shared_tables_and_seeds_reach_the_keys_that_use_them(project_data, tmp_path, monkeypatch):
    before = _keys()
    _rewrite(project_data / "themes.csv", lambda rows: rows[0].update(name_en=rows[0]["name_en"] + "s"))
    assert _changed(before, _keys()) == {r for r, _ in before}  # every briefing names the themes
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    monkeypatch.setattr(paths, "SEEDS_DIR", seeds)
    before = _keys()
    sources = {r["source_id"]: r["file"] for r in csv.DictReader(io.StringIO((ROOT / "data/sources.csv").read_text()))}
    rows = [
        row
        for name in ("observations", "measures", "plans")
        for row in csv.DictReader(io.StringIO((ROOT / "data" / f"{name}.csv").read_text(encoding="utf-8")))
    ]
    source = next(o["source_id"] for o in rows if o["region_id"] == "china")
    (seeds / sources[source]).write_text((seeds / sources[source]).read_text() + "\n", encoding="utf-8")
    changed = _changed(before, _keys())
    quoting = {o["region_id"] for o in rows if o["source_id"] == source}
    regions = build.read_regions_light()
    assert "china" in changed and changed <= {r for q in quoting for r in (q, *peers(regions, q))}


def test_the_notebooks_see_exactly_the_rows_the_key_covers(fb):
    from briefings.scope import KEYS, select

    light = build.scoped_tables_light()
    for region in build.buildable_regions_light():
        chosen = select(light, region)
        scoped = data.scope(fb, region)
        for name, key in KEYS.items():
            assert list(scoped.table(name)[key]) == chosen[name], (region, name)
        assert set(scoped.seeds) == set(scoped.sources.file)


@pytest.mark.parametrize("region", ["shanghai", "hebei", "china"])
def test_comparisons_on_the_scope_equal_those_on_the_whole_fact_base(fb, region):
    scoped = data.scope(fb, region)
    for fn in (compare.comparable_pairs, compare.differing_periods, compare.related_indicators):
        assert fn(scoped, region).reset_index(drop=True).equals(fn(fb, region).reset_index(drop=True)), fn.__name__
    for fn in (compare.theme_matrix, compare.cluster_targets, compare.growth_families):
        assert fn(scoped, region).equals(fn(fb, region)), fn.__name__
    assert compare.peer_sentences(scoped, region) == compare.peer_sentences(fb, region)


def test_cross_region_tables_are_bounded(fb, monkeypatch):
    monkeypatch.setattr(compare, "TOP_PEERS", 2)
    monkeypatch.setattr(compare, "THEME_ROWS", 3)
    full = compare.theme_matrix(fb).sum(axis=1).sort_values(ascending=False, kind="stable")
    top = set(full.index[:3])
    for region in ("shanghai", "henan", "hebei"):  # the same rows in every briefing of the peer group
        m = compare.theme_matrix(fb, region)
        assert set(m.index) == top | {region} and len(m) == 3 + (region not in top)
    pairs = compare.comparable_pairs(fb, "shanghai")
    assert pairs.groupby(["indicator_id", "role", "period"]).region_id_peer.nunique().max() <= 2
