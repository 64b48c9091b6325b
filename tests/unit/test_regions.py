"""The region parameter: what resolves, and one clear line for everything else."""

from __future__ import annotations

import pytest

from briefings.regions import RegionError, resolve_region


@pytest.mark.parametrize(
    "text, region",
    [
        ("shanghai", "shanghai"),
        ("Shanghai", "shanghai"),
        ("SHANGHAI", "shanghai"),
        ("  zhejiang ", "zhejiang"),
        ("上海", "shanghai"),
        ("上海市", "shanghai"),
        ("沪", "shanghai"),
        ("浙江省", "zhejiang"),
        ("yangtze-river-delta", "yangtze-river-delta"),
        ("Yangtze River Delta", "yangtze-river-delta"),
        ("yangtze_river_delta", "yangtze-river-delta"),
        ("长三角", "yangtze-river-delta"),
        ("新疆", "xinjiang"),
    ],
)
def test_resolves(fb, text, region):
    assert resolve_region(text, fb.regions) == region


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "atlantis",
        "../../etc",
        "a/b",
        "/etc/passwd",
        "shanghai; rm -rf /",
        "$(whoami)",
        "`id`",
        "shang\nhai",
        "x" * 10_000,
        "上海上海",
        None,
        42,
    ],
)
def test_rejects_with_one_line(fb, text):
    with pytest.raises(RegionError) as exc:
        resolve_region(text, fb.regions)
    message = str(exc.value)
    assert "\n" not in message and len(message) < 400
    assert "briefings regions" in message


def test_suggests_the_closest_regions(fb):
    with pytest.raises(RegionError, match="did you mean shanghai"):
        resolve_region("shanghia", fb.regions)
    with pytest.raises(RegionError, match="zhejiang"):
        resolve_region("zhejang", fb.regions)


def _rows(text: str) -> list[dict[str, str]]:
    """region_id,level,parent,peer_group lines as rows of regions.csv."""
    keys = ("region_id", "level", "parent", "peer_group")
    return [dict(zip(keys, line.split(","))) for line in text.strip().splitlines()]


TREE = """
cn,country,,
p1,province,cn,prov
p2,province,cn,prov
c1,prefecture,p1,p1-cities
c2,prefecture,p1,p1-cities
c3,prefecture,p2,p2-cities
"""


def test_a_sound_hierarchy_has_no_problems():
    from briefings.regions import hierarchy_problems

    assert hierarchy_problems(_rows(TREE)) == []


@pytest.mark.parametrize(
    "edit, says",
    [
        ("c1,prefecture,p1,prov", r"row 5, column peer_group: c1 \(prefecture\) and p1 \(province\) share"),
        ("cn,country,c1,", r"row 2, column parent: cn \(country\) cannot lie within c1 \(prefecture\)"),
        ("p2,province,p1,prov", r"row 4, column parent: p2 \(province\) cannot lie within p1"),
    ],
)
def test_hierarchy_breaks_are_named(edit, says):
    import re

    from briefings.regions import hierarchy_problems

    rows = _rows(TREE)
    new = _rows(edit)[0]
    rows = [new if r["region_id"] == new["region_id"] else r for r in rows]
    problems = hierarchy_problems(rows)
    assert any(re.search(says, p) for p in problems), problems


def test_a_cycle_of_parents_is_named():
    from briefings.regions import hierarchy_problems

    rows = _rows("a,province,b,\nb,province,a,")
    assert any("parents form a cycle" in p for p in hierarchy_problems(rows))


def test_peers_are_the_peer_group_without_the_region():
    from briefings.regions import peers

    rows = _rows(TREE)
    assert peers(rows, "c1") == ["c2"]
    assert peers(rows, "p2") == ["p1"]
    assert peers(rows, "cn") == []


def test_a_region_added_from_the_reference_list_is_placed(tmp_path, monkeypatch):
    import shutil

    from briefings import accept, paths

    from ..conftest import ROOT

    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "data")
    ref = {d["region_id"]: d for d in accept.divisions()}
    assert accept._placed(ref["hunan"]) == {"parent": "china", "peer_group": "provinces"}
    # A city of a province in the fact base: within it; no peer group until its siblings share one.
    assert accept._placed(ref["zhangjiakou"]) == {"parent": "hebei", "peer_group": ""}
    with (tmp_path / "data" / "regions.csv").open("a", encoding="utf-8") as fh:
        fh.write("tangshan,Tangshan,唐山市,prefecture,hebei,hebei-cities,唐山\n")
    assert accept._placed(ref["zhangjiakou"]) == {"parent": "hebei", "peer_group": "hebei-cities"}
