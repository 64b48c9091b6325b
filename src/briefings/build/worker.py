"""A build worker: its start (kernel, libraries, signals, a watch on its parent), one briefing from the assembled
notebook to its publish, and the stopping of its process tree.

A worker stops with its parent: SIGTERM stops its kernel and ends it at once, unless a publish is under way,
which finishes first (a publish is never cut in half). If the parent goes, even by SIGKILL, the worker sends
itself that SIGTERM. Before publishing it checks once more that the build that started it is still there.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import threading
import time
from pathlib import Path

from .. import paths, publish, snapshot
from ..publish import edition_suffix
from . import kernel, render
from .assemble import BUILD_ONLY
from .common import DEFAULT_CELL_TIMEOUT, BuildError, Cancelled, Result, held

PARENT_POLL = 0.2
"""Seconds between a worker's looks at whether its parent is still there."""

_publishing = False
_stop_requested = False


def kill_tree(pid: int, sig: int = signal.SIGKILL) -> None:
    """Send ``sig`` to every process below ``pid`` (its children, their children …), not to ``pid`` itself."""
    import psutil

    try:
        below = psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return
    for child in below:
        try:
            child.send_signal(sig)
        except psutil.NoSuchProcess:
            pass


def _leave() -> None:
    """Stop this worker's kernel (and anything else it started) and end the worker now."""
    kill_tree(os.getpid())
    os._exit(128 + signal.SIGTERM)


def _worker_stop(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    """SIGTERM in a worker: stop its kernel and leave, unless a publish is under way (it finishes first)."""
    global _stop_requested
    if _publishing:
        _stop_requested = True
        return
    _leave()


def _watch_parent(parent_pid: int) -> None:
    """Once the process that started this worker is gone (even by SIGKILL), send SIGTERM to the worker's main
    thread, where ``_worker_stop`` decides between leaving now and after the publish under way."""
    main = threading.main_thread().ident

    def look() -> None:
        while os.getppid() == parent_pid:
            time.sleep(PARENT_POLL)
        signal.pthread_kill(main, signal.SIGTERM)

    threading.Thread(target=look, name="parent-watch", daemon=True).start()


def _log_stderr() -> None:
    """This worker's stderr goes to ``build/logs/worker-<pid>.log``."""
    log = paths.BUILD_DIR / "logs" / f"worker-{os.getpid()}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    os.close(fd)


def init_worker(fresh_kernels: bool = False) -> None:
    """Log stderr to a file, stop with the parent, start the kernel, and load the heavy libraries once.

    The kernel does its imports while this process loads nbconvert and typesets a line of text in each
    font: on two cores the two overlap. What they loaded is then frozen out of the garbage collector's reach
    (``gc.freeze``): its full collections look at a briefing's own objects only.
    """
    _log_stderr()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it sends SIGTERM
    signal.signal(signal.SIGTERM, _worker_stop)
    _watch_parent(os.getppid())
    import psutil  # noqa: F401 - loaded before it is needed in a signal handler

    if not fresh_kernels:
        kernel.start_warm_kernel()
    # A pool worker leaves through os._exit, which skips atexit: multiprocessing's finalizers still run, so
    # the kernel is shut down and waited for here (not left to notice that its parent is gone).
    from multiprocessing.util import Finalize

    Finalize(None, kernel.discard_kernel, exitpriority=10)
    import papermill  # noqa: F401

    kernel.register_warm_engine()
    render.warm_up()
    if not fresh_kernels:
        folder = paths.BUILD_DIR / "stage" / f"{os.getpid()}.warm-up"
        kernel.warm_up(folder)
        shutil.rmtree(folder, ignore_errors=True)
    import gc

    gc.freeze()  # what is loaded once is never looked at by the garbage collector again


def _check_not_cancelled(parent_pid: int) -> None:
    if os.getppid() != parent_pid:
        raise Cancelled("the build that started this worker has stopped")


def _publish_shielded(stage: Path, region: str, lang: str, key: str) -> None:
    """Publish with SIGTERM held back until the folders are swapped (a publish is never cut in half)."""
    global _publishing
    _publishing = True
    try:
        publish.publish(stage, region, lang, key)
    finally:
        _publishing = False
        if _stop_requested:
            _leave()


def _clear_stage(stage: Path) -> None:
    """An empty staging folder with its ``figures/``; a file where a folder belongs is removed, not tripped on."""
    for decoy in (stage.parent, stage):
        if decoy.is_symlink() or (decoy.exists() and not decoy.is_dir()):
            decoy.unlink()
    publish.clear(stage)
    (stage / "figures").mkdir(parents=True)


def _stage_briefing(stage: Path, executed: Path, region: str, lang: str, key: str, digest: str) -> float:
    """Write the briefing of an executed notebook into ``stage``: charts, HTML, archived notebook, summary and
    PDF. Returns the kernel's peak memory (MB)."""
    import nbformat

    from ..payload import FIGURE_MIME, SECTION_MIME, SUMMARY_MIME, outputs_of, strip

    s = edition_suffix(lang)
    nb = nbformat.read(executed, as_version=4)
    for payload in outputs_of(nb, FIGURE_MIME):
        for name, text in payload["files"].items():
            (stage / "figures" / Path(name).name).write_bytes(render.chart_file(name, text))
    summaries = outputs_of(nb, SUMMARY_MIME)
    shown = {p["id"]: p["title"] for p in outputs_of(nb, SECTION_MIME)}
    kernel_mb = render.kernel_peak_mb(nb)
    if not summaries:
        raise BuildError(f"{region} ({lang}): the briefing recorded no summary (bn.record_summary)")
    parts = render.page_parts(summaries[-1], shown, region, lang, digest)
    document = render.document_of(nb, parts)  # before the payloads that carry it leave the notebook
    pdf = render.start_pdf(document, stage / f"briefing{s}.pdf")  # typeset in a child while the HTML is made
    try:
        nb.cells = [c for c in nb.cells if BUILD_ONLY not in c.metadata.get("tags", [])]
        strip(nb)
        render.normalise(nb, region, lang)
        nb.metadata["title"] = render.briefing_title(region, lang)
        html, _ = render.worker_exporter(lang).from_notebook_node(nb, resources={"briefing": parts})
        (stage / f"briefing{s}.html").write_text(html, encoding="utf-8")
        (stage / f"briefing{s}.ipynb").write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        summary = {**summaries[-1], "key": key, "version": digest[:12]}
        text = json.dumps(summary, ensure_ascii=False, indent=1) + "\n"
        (stage / f"briefing{s}.json").write_text(text, encoding="utf-8")
    except BaseException:
        pdf.cancel()
        raise
    pdf.wait()
    return kernel_mb


def _failure(exc: Exception, region: str, lang: str, started: float) -> Result:
    """The result of a briefing that failed: one line naming the briefing and what went wrong."""
    kernel.discard_kernel()
    if isinstance(exc, BuildError | publish.PublishError | Cancelled):
        message = str(exc) if str(exc).startswith(f"{region} ({lang}): ") else f"{region} ({lang}): {exc}"
    else:
        line = str(exc).splitlines()[0] if str(exc) else ""
        message = f"{region} ({lang}): {type(exc).__name__}: {line}"
    retry = isinstance(exc, publish.PublishError)
    seconds = time.perf_counter() - started
    return Result(region=region, lang=lang, status="failed", seconds=seconds, message=message, retry=retry)


def build_one(
    region: str,
    lang: str,
    key: str,
    digest: str,
    assembled_path: str,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    parent_pid: int | None = None,
    fresh_kernel: bool = False,
    inputs: str | None = None,
) -> Result:
    """Execute, render and publish one briefing; on any failure publish nothing and say why.

    The notebook runs in this worker's ``WarmKernel`` (started on first use); with ``fresh_kernel``,
    papermill starts a kernel for this briefing alone, as builds did before kernels were kept warm. Both
    read ``data/`` and ``seeds/`` from ``inputs``, the snapshot the briefing's key was computed from.
    """
    from ..system import peak_memory_mb

    started = time.perf_counter()
    if inputs:
        snapshot.point_at(Path(inputs))  # this worker, and a kernel papermill starts, read the snapshot
    parent_pid = parent_pid or os.getppid()
    stage = paths.BUILD_DIR / "stage" / f"{os.getpid()}.{region}.{lang}"
    try:
        _clear_stage(stage)
        snap = Path(inputs) if inputs else None
        warm = None if fresh_kernel else kernel.warm_kernel(snap)
        kernel.execute(assembled_path, stage / "executed.ipynb", region, lang, cell_timeout, warm)
        if warm is not None:
            warm.empty_ahead(snap)  # the kernel empties itself for the next briefing while this one renders
        kernel_mb = _stage_briefing(stage, stage / "executed.ipynb", region, lang, key, digest)
        _check_not_cancelled(parent_pid)
        with held(region):
            _check_not_cancelled(parent_pid)
            _publish_shielded(stage, region, lang, key)
        seconds = time.perf_counter() - started
        return Result(
            region=region,
            lang=lang,
            status="built",
            seconds=seconds,
            peak_rss_mb=peak_memory_mb(),
            kernel_peak_rss_mb=kernel_mb,
        )
    except Exception as exc:  # noqa: BLE001 - any failure becomes a one-line message
        return _failure(exc, region, lang, started)
    finally:
        shutil.rmtree(stage, ignore_errors=True)
