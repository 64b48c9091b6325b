"""The inputs' digests are read from build/digests.json while a file's size and mtime_ns are unchanged, and a
change to a file's content always changes the keys of the briefings that use it."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

from briefings import build, digests, paths

from ..conftest import ROOT

HOUR_NS = 3600 * 10**9


@pytest.fixture
def inputs(tmp_path, monkeypatch) -> Path:
    """Writable copies of data/ and seeds/, a build folder of their own, every file an hour old (settled)."""
    for name, attr in (("data", "DATA_DIR"), ("seeds", "SEEDS_DIR")):
        shutil.copytree(ROOT / name, tmp_path / name)
        monkeypatch.setattr(paths, attr, tmp_path / name)
        for f in (tmp_path / name).iterdir():
            os.utime(f, ns=(time.time_ns() - HOUR_NS,) * 2)
    monkeypatch.setattr(paths, "BUILD_DIR", tmp_path / "build")
    return tmp_path


def _keys() -> dict[tuple[str, str], str]:
    keys = build.BriefingKeys()
    return {(r, lang): keys(r, lang) for r in build.buildable_regions_light() for lang in ("en", "zh")}


def _same_size_edit(path: Path) -> None:
    """Change one byte of ``path`` in place, keeping its size; its modification time moves on."""
    raw = bytearray(path.read_bytes())
    i = raw.index(b"e", len(raw) // 2)
    raw[i : i + 1] = b"a"
    before = path.stat()
    path.write_bytes(bytes(raw))
    assert path.stat().st_size == before.st_size and path.stat().st_mtime_ns != before.st_mtime_ns


def test_unchanged_files_are_not_read_again(inputs, monkeypatch):
    first = _keys()
    assert (paths.BUILD_DIR / digests.CACHE_NAME).is_file()
    read: list[Path] = []
    monkeypatch.setattr(digests, "sha256_bytes", lambda p: read.append(p) or "")
    assert _keys() == first
    assert not [p for p in read if p.parent in (paths.DATA_DIR, paths.SEEDS_DIR)], read


@pytest.mark.parametrize("where", ["data/themes.csv", "data/indicators.csv", "seed"])
def test_a_content_change_of_the_same_size_changes_the_keys(inputs, where):
    before = _keys()
    if where == "seed":
        target = sorted(paths.SEEDS_DIR.glob("*.txt"))[0]
    else:
        target = inputs / where
    _same_size_edit(target)
    changed = {region for (region, lang), key in _keys().items() if before[region, lang] != key}
    assert changed, f"an edit of {where} changed no key"
    if where != "seed":
        assert changed == {region for region, _ in before}  # every briefing uses the shared tables


def test_a_file_written_just_now_is_hashed_until_it_settles(inputs):
    themes = paths.DATA_DIR / "themes.csv"
    themes.write_bytes(themes.read_bytes())
    os.utime(themes, ns=(time.time_ns() + 10**9,) * 2)  # modified "now", however long the hashing takes
    first = _keys()
    cache = (paths.BUILD_DIR / digests.CACHE_NAME).read_text(encoding="utf-8")
    assert "bytes:data/themes.csv" not in cache and "bytes:data/indicators.csv" in cache
    _same_size_edit(themes)
    assert _keys() != first


@pytest.mark.parametrize(
    ("age_ns", "fraction_ns", "is_settled"),
    [
        (10**9, 0, False),  # whole seconds: two writes a second apart can show the same time
        (3 * 10**9, 0, True),
        (10**6, 123_456, False),  # nanoseconds: within the same clock tick
        (200 * 10**6, 123_456, True),
        (-(10**9), 123_456, False),  # from the future (another machine's clock)
    ],
)
def test_how_long_a_file_takes_to_settle_depends_on_its_clock(age_ns, fraction_ns, is_settled):
    mtime = 1_700_000_000 * 10**9 + fraction_ns
    assert digests.settled(mtime, mtime + age_ns) is is_settled


def test_a_broken_cache_is_read_as_empty(inputs):
    first = _keys()
    (paths.BUILD_DIR / digests.CACHE_NAME).write_text("[not a cache", encoding="utf-8")
    assert _keys() == first


def test_every_template_is_part_of_the_key():
    from briefings.build.keys import CODE_SUFFIXES

    templates = [p for p in (paths.PACKAGE_DIR / "templates").rglob("*") if p.is_file()]
    assert templates and not [p.name for p in templates if p.suffix not in CODE_SUFFIXES]  # briefing.typ too
