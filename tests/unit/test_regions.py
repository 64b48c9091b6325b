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
