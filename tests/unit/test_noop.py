"""A rebuild with nothing to do is answered from the last build's fingerprint, and from nothing else: any
change to an input or a published file, an edition not left fresh, a failure or an unsettled time sends the
build back to its keys and stamps."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from briefings import paths
from briefings.build import Result, noop

HOUR_NS = 3600 * 10**9


def _old(path: Path, text: str = "x") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(time.time_ns() - HOUR_NS,) * 2)
    return path


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A tiny project: two data tables, a seed, a notebook and two published editions, all an hour old."""
    for attr, name in (
        ("DATA_DIR", "data"),
        ("SEEDS_DIR", "seeds"),
        ("NOTEBOOKS_DIR", "notebooks"),
        ("REPORTS_DIR", "reports"),
        ("FIGURES_DIR", "figures"),
        ("BUILD_DIR", "build"),
    ):
        monkeypatch.setattr(paths, attr, tmp_path / name)
    _old(tmp_path / "data" / "observations.csv", "region_id\nhebei\n")
    _old(tmp_path / "data" / "regions.csv", "region_id\nhebei\njiangsu\n")
    _old(tmp_path / "seeds" / "hebei-2024.txt", "河北")
    _old(tmp_path / "notebooks" / paths.BRIEFING_NOTEBOOKS[0], "{}")
    for name in ("briefing.html", "briefing.zh.html", "briefing.pdf"):
        _old(tmp_path / "reports" / "hebei" / name)
    _old(tmp_path / "figures" / "hebei" / "peers.svg")
    _old(tmp_path / "build" / "stamps" / "hebei.en.json")
    return tmp_path


def _built(*editions: tuple[str, str], status: str = "built") -> list[Result]:
    return [Result(region=r, lang=lang, status=status) for r, lang in editions]


def _remember(results: list[Result], every: list[str] | None = None) -> None:
    noop.remember(noop.inputs_now(), results, every)


def test_nothing_changed_is_answered_from_the_fingerprint(project):
    _remember([*_built(("hebei", "en"), ("hebei", "zh")), *_built(("jiangsu", "en"), status="stale")], ["hebei"])
    same = noop.answer(None, ("en", "zh"))
    assert [(r.region, r.lang, r.status) for r in same] == [
        ("hebei", "en", "unchanged"),
        ("hebei", "zh", "unchanged"),
        ("jiangsu", "en", "stale"),
    ]
    assert [r.status for r in noop.answer(["hebei"], ("zh",))] == ["unchanged", "stale"]


def test_an_edition_the_last_build_did_not_leave_fresh_is_not_answered(project):
    _remember(_built(("hebei", "en")), ["hebei"])
    assert noop.answer(None, ("en", "zh")) is None
    assert noop.answer(["jiangsu"], ("en",)) is None
    _remember(_built(("hebei", "en")), None)  # a build of named regions does not know every region
    assert noop.answer(None, ("en",)) is None and noop.answer(["hebei"], ("en",))


@pytest.mark.parametrize(
    "change",
    [
        "data/observations.csv",  # same size, new time
        "seeds/hebei-2024.txt",
        "reports/hebei/briefing.pdf",
        "build/stamps/hebei.en.json",
        "+data/plans.csv",  # a new file
        "+reports/hebei/extra.svg",
        "-figures/hebei/peers.svg",  # a file gone
        "-reports/hebei/briefing.zh.html",
    ],
)
def test_any_change_of_an_input_or_a_published_file_is_not_answered(project, change):
    _remember(_built(("hebei", "en")), ["hebei"])
    path = project / change.lstrip("+-")
    if change.startswith("-"):
        path.unlink()
    elif change.startswith("+"):
        _old(path)
    else:
        path.write_bytes(path.read_bytes())
    assert noop.answer(["hebei"], ("en",)) is None


def test_a_build_with_a_failure_or_an_unsettled_input_records_nothing(project):
    noop.forget()
    _remember([*_built(("hebei", "en")), *_built(("hebei", "zh"), status="failed")], ["hebei"])
    assert not (project / "build" / noop.NAME).exists()
    (project / "data" / "observations.csv").write_text("region_id\nhebei\n", encoding="utf-8")  # just saved
    _remember(_built(("hebei", "en")), ["hebei"])
    assert not (project / "build" / noop.NAME).exists()


def test_outputs_written_just_now_are_recorded_once_their_time_has_settled(project):
    (project / "reports" / "hebei" / "briefing.pdf").write_bytes(b"%PDF new")
    start = time.monotonic()
    _remember(_built(("hebei", "en")), ["hebei"])
    assert time.monotonic() - start < 1.0
    assert [r.status for r in noop.answer(["hebei"], ("en",))] == ["unchanged"]


def test_forget_and_a_broken_record_leave_the_build_to_decide(project):
    _remember(_built(("hebei", "en")), ["hebei"])
    noop.forget()
    assert noop.answer(["hebei"], ("en",)) is None
    (project / "build" / noop.NAME).write_text('{"fresh": 3}', encoding="utf-8")
    assert noop.answer(["hebei"], ("en",)) is None
