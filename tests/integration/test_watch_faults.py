"""``briefings watch`` re-checks what is published every round, tries a failed publish again with a backoff,
replaces a kernel that died while idle, and survives a missing or broken table."""

from __future__ import annotations

import os
import shutil
import signal
import time
from pathlib import Path

from ..conftest import project_with_data
from .test_watch import Watcher, _children, _edit_measures


def _kernels_under(pid: int) -> list[int]:
    out = []
    for child in _children(pid):
        for k in _children(child):
            try:
                if b"ipykernel" in Path(f"/proc/{k}/cmdline").read_bytes():
                    out.append(k)
            except OSError:
                continue
    return out


def test_watch_rechecks_outputs_retries_publishing_replaces_a_dead_kernel_and_survives_missing_tables(tmp_path):
    root = project_with_data(tmp_path / "project")
    report = root / "reports" / "hebei"
    w = Watcher(root, "--region", "hebei", "--lang", "en", "--jobs", "1", "--interval", "0.2")
    try:
        assert "1 built, 0 unchanged, 0 failed" in w.next_summary(), w.seen

        (report / "briefing.pdf").unlink()  # a published file deleted: rebuilt without any edit
        assert "1 built, 0 unchanged, 0 failed" in w.next_summary(60), w.seen
        assert (report / "briefing.pdf").exists()

        for k in _kernels_under(w.proc.pid):  # the warm kernel dies while idle: the next briefing gets a new one
            os.kill(k, signal.SIGKILL)
        time.sleep(1)
        _edit_measures(root / "data", "hebei", "Human-resources", "Watch-fault marker: human-resources")
        started = time.monotonic()
        assert "1 built, 0 unchanged, 0 failed" in w.next_summary(120), w.seen
        assert time.monotonic() - started < 45, "the dead kernel was waited for"
        assert "Watch-fault marker" in (report / "briefing.html").read_text(encoding="utf-8")

        shutil.rmtree(root / "figures")  # publishing cannot work: a file where figures/ belongs
        (root / "figures").write_text("not a folder")
        failed = w.next_summary(60)
        assert "0 built" in failed and "1 failed" in failed, w.seen
        (root / "figures").unlink()
        (root / "figures").mkdir()  # nothing else changes: only the retry can publish it
        assert "1 built, 0 unchanged, 0 failed" in w.next_summary(120), w.seen
        assert any("trying the failed publish again" in line for line in w.seen)
        assert (root / "figures" / "hebei").is_dir()

        themes = root / "data" / "themes.csv"
        saved = themes.read_bytes()
        themes.unlink()
        missing = w.next_summary(60)
        assert "error: data/themes.csv: file is missing" in missing and "waiting for the next change" in missing
        themes.write_bytes(b"\x00\xff garbage")
        broken = w.next_summary(60)
        assert "error: data/themes.csv" in broken and "waiting for the next change" in broken, broken
        themes.write_bytes(saved)
        assert "0 failed" in w.next_summary(120), w.seen
        assert not any("Traceback" in line for line in w.seen), w.seen
    finally:
        w.proc.send_signal(signal.SIGINT)
        rc = w.stopped(60)
    assert rc == 130, w.seen
