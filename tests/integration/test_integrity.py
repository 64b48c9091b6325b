"""What is published is whole and current, under faults, signals and side channels (real builds)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from markupsafe import escape

from ..conftest import ROOT, make_project, project_with_data, run_cli, sigint_default

pytestmark = [pytest.mark.xdist_group("integrity")]


def tree(root: Path, *folders: str) -> dict[str, str]:
    """SHA-256 of every file under the given folders of a project."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for d in folders
        for p in sorted((root / d).rglob("*"))
        if p.is_file()
    }


def env_for(root: Path) -> dict[str, str]:
    return {**os.environ, "BRIEFINGS_ROOT": str(root)}


def test_same_inputs_give_byte_identical_outputs(tmp_path):
    root = make_project(tmp_path / "p")
    assert run_cli(root, "build", "-r", "hebei", "-j", "2").returncode == 0
    first = tree(root, "reports", "figures")
    proc = run_cli(root, "build", "-r", "hebei", "-j", "2", "--force")
    assert proc.returncode == 0 and "2 built" in proc.stdout
    assert tree(root, "reports", "figures") == first
    nb = (root / "reports" / "hebei" / "briefing.ipynb").read_text(encoding="utf-8")
    assert str(root) not in nb and "build/stage" not in nb and "start_time" not in nb and "duration" not in nb


def test_freshness_is_decided_by_the_published_files(tmp_path):
    root = make_project(tmp_path / "p")
    assert run_cli(root, "build", "-r", "hebei", "-l", "en").returncode == 0
    good = tree(root, "reports", "figures")
    chart_csv = next((root / "figures" / "hebei").glob("*.csv"))
    chart_csv.unlink()
    (root / "reports" / "hebei" / "briefing.pdf").write_bytes(b"%PDF-1.7 damaged")
    proc = run_cli(root, "build", "-r", "hebei", "-l", "en")
    assert proc.returncode == 0 and "1 built, 0 unchanged" in proc.stdout, proc.stdout
    assert tree(root, "reports", "figures") == good


def test_plain_papermill_never_writes_into_published_figures(tmp_path):
    root = make_project(tmp_path / "p")
    assert run_cli(root, "build", "-r", "hebei", "-l", "en").returncode == 0
    before = tree(root, "reports", "figures")
    for name in ("02_regional_comparison", "03_targets_vs_baseline"):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "papermill",
                str(ROOT / "notebooks" / f"{name}.ipynb"),
                str(tmp_path / "out.ipynb"),
                "-p",
                "region",
                "hebei",
                "--no-progress-bar",
            ],
            capture_output=True,
            text=True,
            env=env_for(root),
            cwd=root,
            timeout=300,
        )
        assert proc.returncode == 0, proc.stderr[-1500:]
    assert tree(root, "reports", "figures") == before
    assert "0 built, 1 unchanged" in run_cli(root, "build", "-r", "hebei", "-l", "en").stdout


def test_papermill_with_a_number_for_region_says_it_must_be_a_name(tmp_path):
    root = make_project(tmp_path / "p")
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "papermill",
            str(ROOT / "notebooks" / "01_curated_tables.ipynb"),
            str(tmp_path / "out.ipynb"),
            "-p",
            "region",
            "123",
            "--no-progress-bar",
        ],
        capture_output=True,
        text=True,
        env=env_for(root),
        cwd=root,
        timeout=300,
    )
    assert proc.returncode != 0
    assert "region must be a name" in proc.stderr


def test_other_briefings_are_reported_and_marked_out_of_date(tmp_path):
    root = project_with_data(tmp_path / "p")
    assert run_cli(root, "build", "-r", "hebei", "-r", "jiangsu", "-l", "en", "-j", "2").returncode == 0
    index_before = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert "out of date" not in index_before
    measures = root / "data" / "measures.csv"
    text = measures.read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if ",hebei," in line)
    measures.write_text(text.replace(row + "\n", ""), encoding="utf-8")  # one fewer Hebei measure
    proc = run_cli(root, "build", "-r", "hebei", "-l", "en")
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"note: 1 other published briefing is out of date .*: jiangsu \(en\)", proc.stdout), proc.stdout
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    jiangsu = re.search(r"<tr><th scope=\"row\"[^>]*>Jiangsu.*?</tr>", index, re.S).group(0)
    hebei = re.search(r"<tr><th scope=\"row\"[^>]*>Hebei.*?</tr>", index, re.S).group(0)
    assert "out of date" in jiangsu and "out of date" not in hebei
    for region, row_html in (("hebei", hebei), ("jiangsu", jiangsu)):  # the index shows what each briefing shows
        summary = json.loads((root / "reports" / region / "briefing.json").read_text(encoding="utf-8"))
        assert summary["top_finding"] and str(escape(summary["top_finding"])) in row_html
        assert f'<td data-sort="{summary["as_of"]}">' in row_html
    n = len([r for r in text.splitlines() if ",hebei," in r]) - 1
    assert f"its {n} policy measures are chiefly on" in hebei
    proc = run_cli(root, "build", "-l", "en", "-r", "jiangsu")
    assert "note:" not in proc.stdout and "out of date" not in (root / "reports" / "index.html").read_text()


def _notebooks_with(tmp_path: Path, source: str) -> Path:
    nbs = tmp_path / "nbs"
    shutil.copytree(ROOT / "notebooks", nbs)
    path = nbs / "02_regional_comparison.ipynb"
    nb = nbformat.read(path, as_version=4)
    nb.cells.insert(5, nbformat.v4.new_code_cell(source))
    nbformat.write(nb, path)
    return nbs


@pytest.mark.parametrize(
    "source, args, says",
    [
        ("import time\ntime.sleep(900)", ["--cell-timeout", "30"], r"ran longer than the cell time limit of 30 s"),
        ("import os\nos._exit(1)", [], r"stopped: the kernel died"),
    ],
)
def test_a_hanging_cell_or_a_dead_kernel_is_named_in_one_line(tmp_path, source, args, says):
    root = make_project(tmp_path / "p", notebooks=_notebooks_with(tmp_path, source))
    start = time.monotonic()
    proc = run_cli(root, "build", "-r", "hebei", "-l", "en", *args)
    assert proc.returncode == 1
    assert time.monotonic() - start < 300
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr
    assert re.search(r"hebei \(en\): notebooks/02_regional_comparison\.ipynb, cell 6 \(.*\) " + says, lines[0]), lines[
        0
    ]
    assert not (root / "reports" / "hebei").exists() and not (root / "figures" / "hebei").exists()


def _descendants(pid: int) -> set[int]:
    import psutil

    try:
        return {p.pid for p in psutil.Process(pid).children(recursive=True)}
    except psutil.NoSuchProcess:
        return set()


def _wait_for_kernels(proc: subprocess.Popen, n: int, timeout: float = 120) -> set[int]:
    import psutil

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        kids = _descendants(proc.pid)
        kernels = [k for k in kids if "ipykernel" in " ".join(_cmdline(k))]
        if len(kernels) >= n:
            return kids
        time.sleep(0.2)
    raise AssertionError(f"no {n} kernels started: {[(k, psutil.Process(k).cmdline()) for k in kids]}")


def _cmdline(pid: int) -> list[str]:
    import psutil

    try:
        return psutil.Process(pid).cmdline()
    except psutil.NoSuchProcess:
        return []


def _all_gone(pids: set[int], timeout: float = 20) -> set[int]:
    import psutil

    deadline = time.monotonic() + timeout
    alive = set(pids)
    while alive and time.monotonic() < deadline:
        alive = {p for p in alive if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE}
        time.sleep(0.2)
    return alive


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_every_worker_and_kernel_and_publishes_nothing(tmp_path, sig):
    root = make_project(tmp_path / "p")
    slow = _notebooks_with(tmp_path, "import time\ntime.sleep(60)")
    shutil.rmtree(root / "notebooks") if (root / "notebooks").is_dir() and not (root / "notebooks").is_symlink() else (
        root / "notebooks"
    ).unlink()
    shutil.copytree(slow, root / "notebooks")
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefings", "build", "-r", "hebei", "-r", "jiangsu", "-l", "en", "-j", "2"],
        env=env_for(root),
        preexec_fn=sigint_default,
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    kids = _wait_for_kernels(proc, 2)
    proc.send_signal(sig)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # say where the build was stuck (kill -USR1 prints every thread)
        alive = proc.poll() is None
        if alive:
            proc.send_signal(signal.SIGUSR1)
            time.sleep(2)
        for pid in [proc.pid, *kids]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        out, err = proc.communicate(timeout=30)
        left = [(k, _cmdline(k)) for k in kids if _cmdline(k)]
        raise AssertionError(f"build still running: {alive}; left: {left}\n{err}") from None
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines() == [err.strip()] and err.startswith("error: interrupted"), err
    assert not _all_gone(kids), "workers or kernels left running"
    assert not any((root / "reports").iterdir()) and not any((root / "figures").iterdir())


def test_workers_of_a_killed_build_stop_and_never_publish(tmp_path):
    root = make_project(tmp_path / "p")
    shutil.copytree(_notebooks_with(tmp_path, "import time\ntime.sleep(8)"), root / "nbs")
    (root / "notebooks").unlink()
    (root / "nbs").rename(root / "notebooks")
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefings", "build", "-r", "hebei", "-l", "en", "-j", "1"],
        env=env_for(root),
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    kids = _wait_for_kernels(proc, 1)
    proc.kill()
    proc.wait()
    assert not _all_gone(kids), "a worker or kernel outlived its build"
    time.sleep(10)  # past the end of the slow cell: an orphaned worker would have published by now
    assert not (root / "reports" / "hebei").exists()
    stages = list((root / "build" / "stage").glob("*"))
    run = run_cli(root, "validate")
    assert run.returncode == 0
    proc = run_cli(root, "build", "-r", "hebei", "-l", "en", "--cell-timeout", "60")
    assert proc.returncode == 0
    assert not [s for s in stages if s.exists()], "the next build removes staging folders of killed builds"


def _mount_tmpfs(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    return (
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
        ).returncode
        == 0
    )


@pytest.mark.parametrize("fault, says", [("full", "No space left on device"), ("read-only", "Read-only file system")])
def test_a_full_or_read_only_reports_folder_keeps_the_previous_briefing(tmp_path, fault, says):
    root = make_project(tmp_path / "p")
    (root / "reports").rmdir()
    if not _mount_tmpfs(root / "reports", "4m"):
        pytest.skip("needs root to mount a small file system")
    try:
        assert run_cli(root, "build", "-r", "hebei", "-l", "en").returncode == 0
        before = tree(root, "reports")
        if fault == "full":
            filler = root / "reports" / "filler"
            subprocess.run(["dd", "if=/dev/zero", f"of={filler}", "bs=64k", "count=1000"], capture_output=True)
        else:
            subprocess.run(["mount", "-o", "remount,ro", str(root / "reports")], check=True)
        proc = run_cli(root, "build", "-r", "hebei", "-l", "en", "--force")
        assert proc.returncode == 1
        lines = proc.stderr.strip().splitlines()
        assert len(lines) == 1 and says in lines[0] and "previous briefing is unchanged" in lines[0], proc.stderr
        if fault == "full":
            filler.unlink()
        else:
            subprocess.run(["mount", "-o", "remount,rw", str(root / "reports")], check=True)
        after = tree(root, "reports")
        after.pop("reports/filler", None)
        assert after == before  # nothing was touched: the briefing is whole and still current
        proc = run_cli(root, "build", "-r", "hebei", "-l", "en")
        assert proc.returncode == 0 and "0 built, 1 unchanged" in proc.stdout, proc.stdout + proc.stderr
    finally:
        subprocess.run(["umount", "-l", str(root / "reports")], capture_output=True)
