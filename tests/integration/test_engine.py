"""The build's kernels: kept warm per worker, emptied between briefings, and giving the same briefings as a
kernel started for each one (``--fresh-kernels``, the way builds ran before)."""

from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import pytest

from ..conftest import REGIONS, make_project, run_cli


def _published(root: Path) -> dict[str, str]:
    """Every published file: PDFs by their text, everything else by the SHA-256 of its bytes."""
    out = {}
    for d in ("reports", "figures"):
        for p in sorted((root / d).rglob("*")):
            if not p.is_file():
                continue
            if p.suffix == ".pdf":
                text = subprocess.run(["pdftotext", "-layout", str(p), "-"], capture_output=True, text=True).stdout
                out[p.relative_to(root).as_posix()] = text
            else:
                out[p.relative_to(root).as_posix()] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


@pytest.mark.xdist_group("build")
def test_warm_kernels_give_the_same_briefings_as_fresh_kernels(built, tmp_path):
    """``built`` ran with two workers, each kernel building two briefings in turn; the reference starts a
    new kernel for every briefing. Both editions of a rich and a sparse region must come out the same."""
    ref = make_project(tmp_path / "fresh")
    proc = run_cli(ref, "build", *(a for r in REGIONS for a in ("--region", r)), "--jobs", "2", "--fresh-kernels")
    assert proc.returncode == 0, proc.stderr
    warm, fresh = _published(built), _published(ref)
    assert sorted(warm) == sorted(fresh)
    assert len([k for k in warm if k.endswith(".pdf")]) == 2 * len(REGIONS)
    differ = [k for k in warm if warm[k] != fresh[k]]
    assert not differ, differ


def test_a_warm_kernel_is_emptied_between_briefings(tmp_path, monkeypatch):
    """What one briefing leaves in the kernel (names, figures, the execution count) is gone for the next."""
    from briefings import build, paths

    monkeypatch.setattr(paths, "ROOT", tmp_path)
    kernel = build.WarmKernel()

    def run(code: str, **expressions: str) -> dict:
        return kernel._reply(kernel.kc.execute(code, user_expressions=expressions), 60, "running")

    left = "import matplotlib.pyplot as plt\nleft_over = plt.figure()\nregion = 'shanghai'"
    probe = (
        "(sorted(k for k in ('left_over', 'region', 'plt') if k in globals()),"
        " __import__('matplotlib.pyplot').pyplot.get_fignums(), 'pandas' in __import__('sys').modules)"
    )
    try:
        for ahead in (False, True):
            kernel.fresh()
            first = run(left)
            assert first["status"] == "ok" and first["execution_count"] == 1
            if ahead:  # emptied while the worker renders, then handed to the next briefing
                kernel.empty_ahead()
            kernel.fresh()
            seen = run("None", seen=probe)
            assert seen["execution_count"] == 1  # counted from 1 again, as in a new kernel
            left_over = seen["user_expressions"]["seen"]["data"]["text/plain"]
            assert left_over == "([], [], True)"  # nothing left but the imported modules
    finally:
        kernel.shutdown()
    assert not kernel.km.is_alive()


def test_a_failed_briefing_discards_the_kernel_and_the_next_gets_a_new_one(tmp_path, monkeypatch):
    from briefings import paths
    from briefings.build import kernel

    monkeypatch.setattr(paths, "ROOT", tmp_path)
    first = kernel.warm_kernel()
    pid = first.km.provisioner.process.pid
    try:
        kernel.discard_kernel()
        assert kernel._kernel is None and not first.km.is_alive()
        second = kernel.warm_kernel()
        assert second is not first and second.km.provisioner.process.pid != pid
        assert second.km.is_alive()
    finally:
        kernel.discard_kernel()


def test_one_line_when_the_kernel_cannot_start_its_imports(tmp_path, monkeypatch):
    from briefings import build, paths

    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(build.kernel, "PRELOAD", "import no_such_module_anywhere")
    kernel = build.WarmKernel()
    try:
        with pytest.raises(build.BuildError, match=r"^the kernel's imports failed: ModuleNotFoundError: .*no_such"):
            kernel.fresh()
    finally:
        kernel.shutdown()
