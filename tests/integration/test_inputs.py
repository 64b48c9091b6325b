"""Broken inputs and a damaged cache: one line that names what to fix, in every command, never a traceback."""

from __future__ import annotations

import hashlib
import pickle
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from briefings import data, paths, system
from briefings.regions import RegionError, resolve_region

from ..conftest import ROOT, run_cli


def _edit(path: Path, fn) -> None:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    fn(df)
    df.to_csv(path, index=False, lineterminator="\n")


def _one_line(exc: data.DataError) -> str:
    assert "\n" not in str(exc)
    return str(exc)


@pytest.mark.parametrize("content, says", [("", "file is empty"), (None, "has a header but no rows")])
@pytest.mark.parametrize("table", ["observations", "regions", "measures"])
def test_empty_or_header_only_table(data_copy, table, content, says):
    p = data_copy / f"{table}.csv"
    p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n" if content is None else content, encoding="utf-8")
    with pytest.raises(data.DataError) as exc:
        data.validate(data_copy)
    assert re.match(rf"data/{table}\.csv: {says}", _one_line(exc.value).replace(str(data_copy.parent) + "/", ""))


@pytest.mark.parametrize("value", ["1e308", "-5", "0", "99999"])
def test_year_out_of_range(data_copy, value):
    def fn(df):
        df.loc[1, "start_year"] = value

    _edit(data_copy / "plans.csv", fn)
    with pytest.raises(data.DataError, match=r"plans\.csv, row 3, column start_year: .* is outside 1900–2100"):
        data.validate(data_copy)


@pytest.mark.parametrize("column, value", [("period", "0000"), ("period", "0000-01..02"), ("period", "2024..0000")])
def test_year_zero_in_a_period(data_copy, column, value):
    def fn(df):
        df.loc[0, column] = value

    _edit(data_copy / "observations.csv", fn)
    with pytest.raises(data.DataError, match=r"observations\.csv, row 2, column period: .* not a valid period"):
        data.validate(data_copy)


@pytest.mark.parametrize("value", ["0000-01", "2024-02-30", "2024-00"])
def test_impossible_date(data_copy, value):
    def fn(df):
        df.loc[0, "published"] = value

    _edit(data_copy / "sources.csv", fn)
    with pytest.raises(data.DataError, match=r"sources\.csv, row 2, column published: .* not a valid date"):
        data.validate(data_copy)


def test_two_regions_sharing_an_alias(data_copy):
    def fn(df):
        i = df.index[df.region_id == "zhejiang"][0]
        df.loc[i, "aliases"] = df.loc[i, "aliases"] + "|hebei"

    _edit(data_copy / "regions.csv", fn)
    with pytest.raises(data.DataError, match=r"'hebei' stands for both hebei and zhejiang in data/regions\.csv"):
        data.validate(data_copy)


def test_alias_collision_never_resolves_silently():
    rows = [
        {"region_id": "zhejiang", "name_en": "Zhejiang", "name_zh": "浙江省", "aliases": "浙|hebei"},
        {"region_id": "hebei", "name_en": "Hebei", "name_zh": "河北省", "aliases": "冀"},
    ]
    with pytest.raises(RegionError, match="stands for both"):
        resolve_region("hebei", rows)


@pytest.mark.parametrize("value", [123, 1.5, None, ["shanghai"]])
def test_region_must_be_a_name(fb, value):
    with pytest.raises(RegionError, match="region must be a name"):
        resolve_region(value, fb.regions)


def test_seed_that_is_not_utf8(data_copy, tmp_path):
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    bad = sorted(seeds.iterdir())[2]
    raw = bad.read_text(encoding="utf-8").encode("gbk", errors="replace")
    bad.write_bytes(raw)

    def fn(df):
        df.loc[df.file == bad.name, "sha256"] = hashlib.sha256(raw).hexdigest()

    _edit(data_copy / "sources.csv", fn)
    with pytest.raises(data.DataError, match=rf"seeds/{bad.name} is not valid UTF-8"):
        data.validate(data_copy, seeds)


# --- The cache of the validated fact base -------------------------------------------------------------


@pytest.fixture
def cache_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path)
    return tmp_path / "cache"


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps({"a": 1})])
def test_a_damaged_cache_is_ignored_and_rebuilt(cache_dir, damage):
    first = data.load()
    (cache,) = cache_dir.glob("factbase-*.pkl")
    cache.write_bytes(damage)
    again = data.load()
    assert again.observations.equals(first.observations)
    assert pickle.loads(cache.read_bytes()).observations.equals(first.observations)


def test_cache_key_follows_code_and_library_versions(cache_dir, monkeypatch, tmp_path):
    key = data.inputs_digest()
    pkg = tmp_path / "pkg"
    shutil.copytree(paths.PACKAGE_DIR, pkg, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "PACKAGE_DIR", pkg)
    assert data.inputs_digest() == key
    (pkg / "numbers.py").write_text((pkg / "numbers.py").read_text() + "\n# changed\n")
    assert data.inputs_digest() != key
    monkeypatch.setattr(paths, "PACKAGE_DIR", paths.PACKAGE_DIR.__class__(ROOT / "src" / "briefings"))
    monkeypatch.setattr(system, "library_versions", lambda: "pandas=0.0")
    assert data.inputs_digest() != key


# --- Every command says it in one line ----------------------------------------------------------------


def _project(tmp_path: Path) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    shutil.copytree(ROOT / "data", root / "data")
    for name in ("seeds", "notebooks"):
        (root / name).symlink_to(ROOT / name)
    for name in ("reports", "figures"):
        (root / name).mkdir()
    return root


BROKEN_REGIONS = {
    "gbk": (lambda b: b.decode("utf-8").encode("gbk"), r"data/regions\.csv, row 2: not valid UTF-8"),
    "bom": (lambda b: b"\xef\xbb\xbf" + b, r"data/regions\.csv, row 1, column 1: .*byte-order mark"),
    "header only": (lambda b: b.split(b"\n")[0] + b"\n", r"data/regions\.csv: has a header but no rows"),
    "alias twice": (
        lambda b: b.replace(b"\xe6\xb5\x99\xe6\xb1\x9f|", "浙江|hebei|".encode(), 1),
        r"'hebei' stands for both hebei and zhejiang",
    ),
}


@pytest.mark.parametrize("command", [["build", "--region", "hebei"], ["regions"], ["validate"], ["build"]])
@pytest.mark.parametrize("case", sorted(BROKEN_REGIONS))
def test_broken_regions_table_in_every_command(tmp_path, command, case):
    root = _project(tmp_path)
    fn, pattern = BROKEN_REGIONS[case]
    p = root / "data" / "regions.csv"
    p.write_bytes(fn(p.read_bytes()))
    proc = run_cli(root, *command)
    assert proc.returncode != 0
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and "Traceback" not in proc.stderr, proc.stderr
    assert re.search(pattern, lines[0]), lines[0]
    assert not any((root / "reports").iterdir())


@pytest.mark.parametrize(
    "edit, pattern",
    [
        (("plans.csv", "start_year", "1e308"), r"plans\.csv, row \d+, column start_year: '1e308' is outside"),
        (("observations.csv", "period", "0000"), r"observations\.csv, row 2, column period"),
        (("observations.csv", None, None), r"observations\.csv: has a header but no rows"),
    ],
)
def test_bad_tables_in_build(tmp_path, edit, pattern):
    root = _project(tmp_path)
    name, column, value = edit
    p = root / "data" / name
    if column is None:
        p.write_text(p.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    else:
        _edit(p, lambda df: df.__setitem__(column, [value] + list(df[column][1:])))
    proc = run_cli(root, "build", "--region", "shanghai")
    assert proc.returncode == 2
    assert re.fullmatch(rf"error: .*{pattern}.*\n", proc.stderr), proc.stderr
