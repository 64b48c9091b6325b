"""bench/scale.py's generator: a deterministic synthetic fact base that passes validation, peers by province."""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
from collections import Counter
from pathlib import Path

import pytest

from briefings import data
from briefings.regions import peers

from ..conftest import ROOT


@pytest.fixture(scope="module")
def scale():
    spec = importlib.util.spec_from_file_location("scale", ROOT / "bench" / "scale.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))


def _digest(root: Path) -> str:
    h = hashlib.sha256()
    for f in sorted([*(root / "data").glob("*.csv"), *(root / "seeds").glob("*.txt")]):
        h.update(f.name.encode() + f.read_bytes())
    return h.hexdigest()


def test_small_synthetic_fact_base_validates_and_repeats(scale, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    model = scale.generate(a, provinces=3, cities=7)
    scale.generate(b, provinces=3, cities=7)
    assert _digest(a) == _digest(b)  # deterministic
    fb = data.validate(a / "data", a / "seeds")
    assert Counter(fb.regions.level.map(lambda lv: lv == "prefecture")) == {False: 4, True: 7}  # 3 + the country
    regions = _rows(a / "data" / "regions.csv")
    for r in regions:
        if r["level"] == "prefecture":
            assert {p["parent"] for p in regions if p["region_id"] in peers(regions, r["region_id"])} <= {r["parent"]}
    sizes = {rid: ((fb.observations.region_id == rid).sum(), (fb.measures.region_id == rid).sum()) for rid in model}
    today = {r: (o, m) for r, o, m in scale.real_profiles(ROOT / "data")}
    assert all(sizes[rid] == today[like] for rid, like in model.items())  # each region as large as one of today's
