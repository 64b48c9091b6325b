"""Publishing all or nothing, and freshness decided by what is published (small files, no notebooks)."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from briefings import digests, paths, publish
from briefings.digests import Digests

KEY = "k1"


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """An empty project root with its own reports/, figures/ and build/."""
    for name, attr in (("reports", "REPORTS_DIR"), ("figures", "FIGURES_DIR"), ("build", "BUILD_DIR")):
        (tmp_path / name).mkdir()
        monkeypatch.setattr(paths, attr, tmp_path / name)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    return tmp_path


def stage(base: Path, lang: str, text: str, charts=("peers", "themes")) -> Path:
    """A finished briefing in a staging folder: every file says ``text``."""
    s = base / f"stage-{lang}-{text}"
    (s / "figures").mkdir(parents=True)
    suffix = publish.edition_suffix(lang)
    for ext in publish.BRIEFING_FILES:
        (s / f"briefing{suffix}.{ext}").write_text(f"{text} {ext}")
    for c in charts:
        for ext in ("svg", "csv"):
            (s / "figures" / f"{c}{suffix}.{ext}").write_text(f"{text} {c} {ext}")
    return s


def snapshot(root: Path) -> dict[str, str]:
    """Every published file and its text."""
    return {
        p.relative_to(root).as_posix(): p.read_text()
        for d in ("reports", "figures")
        for p in sorted((root / d).rglob("*"))
        if p.is_file()
    }


def test_edition_of_reads_the_suffix():
    assert publish.edition_of("briefing.html") == "en"
    assert publish.edition_of("briefing.zh.pdf") == "zh"
    assert publish.edition_of("trajectory-robot_density.zh.svg") == "zh"
    assert publish.edition_of("peers.csv") == "en"


def test_publish_places_both_folders_and_keeps_the_other_edition(root):
    publish.publish(stage(root, "en", "v1"), "hebei", "en", KEY)
    publish.publish(stage(root, "zh", "v1"), "hebei", "zh", KEY)
    publish.publish(stage(root, "en", "v2", charts=("peers",)), "hebei", "en", "k2")
    files = snapshot(root)
    assert files["reports/hebei/briefing.html"] == "v2 html"
    assert files["reports/hebei/briefing.zh.html"] == "v1 html"
    assert files["reports/hebei/figures/peers.svg"] == "v2 peers svg" == files["figures/hebei/peers.svg"]
    assert "figures/hebei/themes.svg" not in files  # a chart the new build no longer draws is gone
    assert files["figures/hebei/themes.zh.svg"] == "v1 themes svg"
    assert publish.is_fresh("hebei", "en", "k2") and publish.is_fresh("hebei", "zh", KEY)
    assert not [p for p in root.rglob("*") if p.name.startswith(publish.WORK_PREFIX)]


@pytest.mark.parametrize("damage", ["delete", "alter", "add", "stamp"])
def test_a_missing_or_altered_file_means_rebuild(root, damage):
    publish.publish(stage(root, "en", "v1"), "hebei", "en", KEY)
    assert publish.is_fresh("hebei", "en", KEY)
    assert not publish.is_fresh("hebei", "en", "other-key")
    if damage == "delete":
        (root / "figures" / "hebei" / "peers.csv").unlink()
    elif damage == "alter":
        (root / "reports" / "hebei" / "figures" / "peers.csv").write_text("v1 peers csv, edited")
    elif damage == "add":
        (root / "reports" / "hebei" / "figures" / "extra.svg").write_text("stray")
    else:
        publish.stamp_path("hebei", "en").write_text("{not json")
    assert not publish.is_fresh("hebei", "en", KEY)


def _settle(root: Path) -> None:
    """Every published file an hour old: old enough for its size and time to be trusted."""
    old = time.time_ns() - 3600 * 10**9
    for p in root.rglob("*"):
        if p.is_file():
            os.utime(p, ns=(old, old))


def test_settled_files_are_not_read_again_and_an_edit_of_the_same_size_is_seen(root, monkeypatch):
    publish.publish(stage(root, "en", "v1"), "hebei", "en", KEY)
    _settle(root)
    first = Digests()
    assert publish.is_fresh("hebei", "en", KEY, first)
    first.save()
    read: list[Path] = []
    monkeypatch.setattr(digests, "sha256_bytes", lambda p: read.append(p) or publish.sha256_file(p))
    assert publish.is_fresh("hebei", "en", KEY, Digests()) and read == []
    chart = root / "reports" / "hebei" / "figures" / "peers.csv"
    chart.write_text("v1 peers CSV")  # same size, new time
    assert not publish.is_fresh("hebei", "en", KEY, Digests()) and read == [chart]


@pytest.mark.parametrize("err", [errno.ENOSPC, errno.EROFS, errno.EACCES])
@pytest.mark.parametrize("fail_at", [1, 2])
def test_a_publish_that_fails_halfway_leaves_the_previous_briefing(root, monkeypatch, err, fail_at):
    publish.publish(stage(root, "en", "v1"), "hebei", "en", KEY)
    before = snapshot(root)
    calls = []
    real = publish.swap_in

    def failing(new, target):
        calls.append(target)
        if len(calls) == fail_at:
            raise OSError(err, os.strerror(err), str(target))
        real(new, target)

    monkeypatch.setattr(publish, "swap_in", failing)
    with pytest.raises(publish.PublishError) as exc:
        publish.publish(stage(root, "en", "v2"), "hebei", "en", "k2")
    monkeypatch.setattr(publish, "swap_in", real)
    message = str(exc.value)
    assert "\n" not in message and os.strerror(err) in message and "previous briefing is unchanged" in message
    assert snapshot(root) == before  # the whole previous briefing, both folders
    assert not publish.is_fresh("hebei", "en", KEY)  # the stamp is gone: the next build rebuilds it
    assert not [p for p in root.rglob("*") if p.name.startswith(publish.WORK_PREFIX)]


def test_a_publish_that_fails_while_assembling_changes_nothing(root, monkeypatch):
    publish.publish(stage(root, "en", "v1"), "hebei", "en", KEY)
    before = snapshot(root)

    def full(src, dst, *a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(dst))

    monkeypatch.setattr(publish.shutil, "copyfile", full)
    with pytest.raises(publish.PublishError, match="No space left on device"):
        publish.publish(stage(root, "en", "v2"), "hebei", "en", "k2")
    assert snapshot(root) == before


KILL_SCRIPT = """
import os, sys
from pathlib import Path
from briefings import paths, publish
root = Path(sys.argv[1])
paths.ROOT, paths.REPORTS_DIR, paths.FIGURES_DIR, paths.BUILD_DIR = root, root / "reports", root / "figures", root / "build"
real, calls = publish.swap_in, []
def swap_then_die(new, target):
    real(new, target)
    calls.append(target)
    if len(calls) == int(sys.argv[3]):
        os._exit(9)  # killed between two renames
publish.swap_in = swap_then_die
publish.publish(Path(sys.argv[2]), "hebei", "en", "k2")
"""


@pytest.mark.parametrize("after", [1, 2])
def test_a_publish_killed_between_renames_is_rolled_back_by_the_next_build(root, after):
    publish.publish(stage(root, "en", "v1"), "hebei", "en", KEY)
    before = snapshot(root)
    new = stage(root, "en", "v2")
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(root), str(new), str(after)])
    assert proc.returncode == 9
    assert not publish.is_fresh("hebei", "en", KEY) and not publish.is_fresh("hebei", "en", "k2")
    if after == 1:  # the briefing readers open is still the whole previous one
        assert {k: v for k, v in snapshot(root).items() if k.startswith("reports/hebei/")} == {
            k: v for k, v in before.items() if k.startswith("reports/hebei/")
        }
    notes = publish.recover()
    assert notes and "rolled back" in notes[0]
    assert snapshot(root) == before
    assert not list((root / "build" / "journal").glob("*.json"))
    assert not [p for p in root.rglob("*") if p.name.startswith(publish.WORK_PREFIX)]


def test_recover_leaves_a_live_builds_work_alone(root):
    mine = root / "build" / "stage" / f"{os.getppid()}.hebei.en"  # a live process: the test runner's parent
    dead = root / "build" / "stage" / "999999999.hebei.en"
    for d in (mine, dead):
        d.mkdir(parents=True)
    publish.recover()
    assert mine.exists() and not dead.exists()


def test_stamp_lists_every_published_file_with_its_hash(root):
    publish.publish(stage(root, "zh", "v1"), "shanghai", "zh", KEY)
    stamp = json.loads(publish.stamp_path("shanghai", "zh").read_text())
    assert set(stamp["files"]) == {p for p in snapshot(root)}
    assert stamp["files"]["reports/shanghai/briefing.zh.pdf"] == publish.sha256_file(
        root / "reports" / "shanghai" / "briefing.zh.pdf"
    )
