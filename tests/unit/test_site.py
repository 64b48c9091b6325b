"""The index is rendered again only when what it shows may have changed: a summary, the briefings that are
out of date, the package; and whenever the file itself was altered or removed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefings import index, paths, publish
from briefings.build import BriefingKeys, site


@pytest.fixture
def reports(tmp_path, monkeypatch) -> Path:
    """reports/ and build/ of their own, holding one published edition (Hebei, English) with its summary."""
    for name, attr in (("reports", "REPORTS_DIR"), ("figures", "FIGURES_DIR"), ("build", "BUILD_DIR")):
        (tmp_path / name).mkdir()
        monkeypatch.setattr(paths, attr, tmp_path / name)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(site, "publish_datapackage", lambda key=None: None)
    hebei = tmp_path / "reports" / "hebei"
    hebei.mkdir()
    for ext in ("html", "pdf"):
        (hebei / f"briefing.{ext}").write_text(ext)
    _summary(hebei, "first finding")
    return tmp_path / "reports"


def _summary(folder: Path, finding: str) -> None:
    body = {"name": "Hebei", "as_of": "2024-06-30", "targets": {}, "top_finding": finding}
    (folder / "briefing.json").write_text(json.dumps(body))


@pytest.fixture
def renders(monkeypatch) -> list[set]:
    """The stale sets the index was rendered with, one per rendering."""
    calls: list[set] = []
    real = index.render_index
    monkeypatch.setattr(index, "render_index", lambda stale, order: calls.append(set(stale)) or real(stale, order))
    return calls


def test_an_unchanged_index_is_not_rendered_again(reports, renders):
    site.write_index()
    assert len(renders) == 1 and "first finding" in (reports / "index.html").read_text()
    site.write_index()
    site.write_index(BriefingKeys())
    assert len(renders) == 1


@pytest.mark.parametrize("change", ["summary", "altered", "removed", "stamp", "edition"])
def test_what_the_index_shows_changed_so_it_is_rendered(reports, renders, change):
    site.write_index()
    target = reports / "index.html"
    if change == "summary":
        _summary(reports / "hebei", "second finding")
    elif change == "altered":
        target.write_text(target.read_text().replace("first finding", "first findinG"))
    elif change == "removed":
        target.unlink()
    elif change == "stamp":  # the briefing becomes current: no longer marked out of date
        keys = BriefingKeys()
        publish.write_stamp("hebei", "en", keys("hebei", "en"))
    else:
        (reports / "hebei" / "briefing.pdf").unlink()
    site.write_index()
    assert len(renders) == 2
    text = target.read_text()
    shown = {"summary": "second finding", "edition": None}.get(change, "first finding")
    assert (shown in text) if shown else "first finding" not in text  # a briefing without its PDF is not listed
    if change == "stamp":
        assert renders == [{("hebei", "en")}, set()]


def test_the_data_package_is_read_again_only_when_the_inputs_or_its_files_changed(tmp_path, monkeypatch):
    import time

    from briefings import datapackage

    for name, attr in (("reports", "REPORTS_DIR"), ("build", "BUILD_DIR")):
        (tmp_path / name).mkdir()
        monkeypatch.setattr(paths, attr, tmp_path / name)
    read, exported = [], []
    files = {"datapackage.json": b"{}", "observations.csv": b"obs_id\no0001\n"}

    def export(work: Path) -> None:
        exported.append(work)
        work.mkdir(parents=True)
        for name, content in {**files, datapackage.ZIP_NAME: b"zip"}.items():
            (work / name).write_bytes(content)

    monkeypatch.setattr(datapackage, "package_files", lambda: read.append(1) or files)
    monkeypatch.setattr(datapackage, "export_datapackage", export)
    target = tmp_path / "reports" / "data" / "observations.csv"
    site.publish_datapackage("k1")
    assert (len(read), len(exported)) == (1, 1) and target.read_bytes() == files["observations.csv"]
    site.publish_datapackage("k1")
    assert (len(read), len(exported)) == (1, 1)  # same inputs, same files: nothing read
    time.sleep(0.01)
    target.write_bytes(b"obs_id\no9999\n")  # altered by hand
    site.publish_datapackage("k1")
    assert (len(read), len(exported)) == (2, 2) and target.read_bytes() == files["observations.csv"]
    site.publish_datapackage("k2")  # new inputs: read and compared, not written again
    assert (len(read), len(exported)) == (3, 2)
