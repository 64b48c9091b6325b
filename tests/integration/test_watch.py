"""``briefings watch``: a saved edit is rebuilt by the warm workers, a dead worker is replaced, a broken edit is
reported and publishes nothing, and Ctrl-C stops every worker and kernel."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from ..conftest import project_with_data, sigint_default

SUMMARY = re.compile(r"\d+ built, \d+ unchanged, \d+ failed|error: ")


class Watcher:
    """``briefings watch`` running against ``root``, its output read line by line."""

    def __init__(self, root: Path, *args: str) -> None:
        env = {**os.environ, "BRIEFINGS_ROOT": str(root), "PYTHONUNBUFFERED": "1"}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "briefings", "watch", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
            cwd=root,
            preexec_fn=sigint_default,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))

    def stopped(self, timeout: float) -> int:
        """The exit status once the watcher has stopped; if it has not within ``timeout``, fail with where
        each of its threads was (``kill -USR1`` prints them)."""
        try:
            return self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.send_signal(signal.SIGUSR1)
            time.sleep(2)
            self.proc.kill()
            while not self.lines.empty():
                self.seen.append(self.lines.get())
            raise AssertionError("watch did not stop:\n" + "\n".join(self.seen)) from None

    def next_summary(self, timeout: float = 300) -> str:
        """The next line that ends a round: a build's counts or an error."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=1)
            except queue.Empty:
                assert self.proc.poll() is None, "watch stopped:\n" + "\n".join(self.seen)
                continue
            self.seen.append(line)
            if SUMMARY.search(line):
                return line
        raise AssertionError("no round ended in time:\n" + "\n".join(self.seen))


def _processes_under(root: Path) -> list[int]:
    """Processes whose environment names this project (the watcher, its workers and their kernels)."""
    needle = f"BRIEFINGS_ROOT={root}".encode()
    out = []
    for env in Path("/proc").glob("[0-9]*/environ"):
        try:
            if needle in env.read_bytes().split(b"\0"):
                out.append(int(env.parent.name))
        except OSError:
            continue
    return out


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (the watcher's build workers)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                out.append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    return out


def _edit_measures(data: Path, region: str, old: str, new: str) -> None:
    path = data / "measures.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    i = next(i for i, line in enumerate(lines) if line.split(",")[1] == region and old in line)
    lines[i] = lines[i].replace(old, new, 1)
    path.write_text("".join(lines), encoding="utf-8")


def test_watch_rebuilds_saved_edits_survives_a_dead_worker_reports_a_broken_edit_and_stops(tmp_path):
    root = project_with_data(tmp_path / "project")
    html = root / "reports" / "hebei" / "briefing.html"
    w = Watcher(root, "--region", "hebei", "--lang", "en", "--jobs", "1", "--interval", "0.2")
    try:
        first = w.next_summary()
        assert "1 built, 0 unchanged, 0 failed" in first, w.seen
        assert "Watch-test marker" not in html.read_text(encoding="utf-8")

        _edit_measures(root / "data", "hebei", "Human-resources", "Watch-test marker: human-resources")
        second = w.next_summary()
        assert "1 built, 0 unchanged, 0 failed" in second, w.seen
        assert "Watch-test marker: human-resources" in html.read_text(encoding="utf-8")

        worker = _children(w.proc.pid)[0]  # a build worker dies between two edits: new workers take over
        os.kill(worker, signal.SIGKILL)
        _edit_measures(root / "data", "hebei", "Watch-test marker", "Watch-test marker 2")
        after_kill = w.next_summary()
        assert "1 built, 0 unchanged, 0 failed" in after_kill, w.seen
        assert "Watch-test marker 2" in html.read_text(encoding="utf-8")

        _edit_measures(root / "data", "hebei", ",true\n", ",perhaps\n")
        third = w.next_summary()
        assert "error: " in third and "measures.csv" in third and "waiting for the next change" in third, third
        assert "Watch-test marker" in html.read_text(encoding="utf-8")  # what was published stays

        _edit_measures(root / "data", "hebei", ",perhaps\n", ",true\n")
        fourth = w.next_summary()
        assert "0 failed" in fourth, w.seen
    finally:
        w.proc.send_signal(signal.SIGINT)
        rc = w.stopped(60)
    assert rc == 130, w.seen
    deadline = time.monotonic() + 10
    while _processes_under(root) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _processes_under(root), "a worker or kernel outlived the watcher"
    assert not list((root / "reports").glob(".*")), "a staging folder was left in reports/"
