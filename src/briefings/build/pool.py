"""Many briefings: the pool of build workers, and ``build``, which keys every briefing, builds what is out of
date in the workers, then writes the index.

A cell that runs longer than the cell time limit, a kernel that dies, Ctrl-C and SIGTERM all stop the build
with one line; no worker publishes after its parent has gone.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path

from .. import paths, publish, snapshot
from . import noop
from .assemble import assemble
from .common import DEFAULT_CELL_TIMEOUT, Result, held, write_json
from .keys import BriefingKeys, buildable_regions_light
from .site import write_index
from .worker import build_one, init_worker, kill_tree

DERIVE_NICE = 19
"""The niceness of the thread that derives the data package's tables while the briefings are built."""
WORKER_DIED = "its build worker died (killed, or out of memory); nothing half-built was published, build it again"
Echo = Callable[[str], object]


class interruptible:
    """SIGTERM behaves like Ctrl-C (``KeyboardInterrupt``) while the build runs."""

    def __enter__(self) -> interruptible:
        self._old = signal.getsignal(signal.SIGTERM)
        try:
            signal.signal(signal.SIGTERM, self._raise)
        except ValueError:  # not the main thread: leave signals alone
            self._old = None
        return self

    @staticmethod
    def _raise(signum, frame):  # noqa: ARG004
        raise KeyboardInterrupt

    def __exit__(self, *exc) -> bool:
        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)
        return False


class BuildPool:
    """The build's worker processes. Each starts its kernel and loads its libraries once, then builds one
    briefing after another; a persistent pool (``briefings watch``) keeps them warm from one build to the next.

    Used as a context manager: leaving it normally lets the workers finish; leaving it by an exception
    (Ctrl-C, SIGTERM, invalid data before any briefing ran) stops every worker and kernel at once.
    """

    def __init__(self, jobs: int | None = None, fresh_kernels: bool = False) -> None:
        from concurrent.futures import ProcessPoolExecutor

        from ..system import require_pdf_stack

        require_pdf_stack()
        self.workers = max(1, jobs or os.cpu_count() or 1)
        self.fresh_kernels = fresh_kernels
        self._new = lambda: ProcessPoolExecutor(
            max_workers=self.workers, initializer=init_worker, initargs=(fresh_kernels,)
        )
        self._pool = self._new()
        if not fresh_kernels:  # the workers start their kernels and libraries while this process validates
            self._pool.submit(int)

    def _submit(self, *args):
        """Submit to the workers; if one of them has died since the last build (killed, out of memory), the
        pool is broken: stop what is left of it and start new workers."""
        from concurrent.futures.process import BrokenProcessPool

        try:
            return self._pool.submit(*args)
        except BrokenProcessPool:
            _stop_pool(self._pool)
            self._pool = self._new()
            return self._pool.submit(*args)

    def run(
        self,
        todo: list[tuple[str, str, str]],
        keys: BriefingKeys,
        progress: bool,
        echo: Echo,
        cell_timeout: int,
        inputs: Path | None = None,
    ) -> list[Result]:
        """Validate the fact base (once, cached by the inputs' hash), then build ``todo`` in the workers."""
        import nbformat

        from .. import data

        data.load()
        assembled = paths.BUILD_DIR / "assembled" / f"briefing-{keys.digest[:12]}.ipynb"
        if not assembled.exists():
            paths.atomic_write(assembled, nbformat.writes(assemble()).encode("utf-8"))
        parent, snap = os.getpid(), str(inputs) if inputs else None
        futures = {
            self._submit(
                build_one, r, lang, key, keys.version(r), str(assembled), cell_timeout, parent, self.fresh_kernels, snap
            ): (r, lang)
            for r, lang, key in todo
        }
        deriving = _derive_meanwhile()
        results = _collect(futures, progress, echo)
        deriving.join()  # interrupted, the build leaves without it
        return results

    def close(self) -> None:
        """Let the workers finish and leave (each shuts its kernel down)."""
        self._pool.shutdown()

    def stop(self) -> None:
        """Stop every worker and its kernel now."""
        _stop_pool(self._pool)

    def __enter__(self) -> BuildPool:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.close()
        else:
            self.stop()
        return False


def _derive_meanwhile() -> threading.Thread:
    """While the workers build, derive the tables the data package publishes (``datapackage.derived_files``,
    cached under the inputs' key), so that publishing it after the briefings has nothing left to compute.

    It runs in a thread of the lowest priority (``DERIVE_NICE``): it takes a core only when the briefings
    leave one idle. Beside the first briefings at the same priority, it made them a third slower."""
    from ..datapackage import derived_files

    def derive() -> None:
        try:
            os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), DERIVE_NICE)  # this thread only (Linux)
        except OSError:
            pass
        try:
            derived_files()
        except Exception:  # noqa: BLE001 - computed again, and reported, when the data package is published
            pass

    thread = threading.Thread(target=derive, name="derive", daemon=True)
    thread.start()
    return thread


def _collect(futures: dict, progress: bool, echo: Echo) -> list[Result]:
    """The results of the workers' briefings as they finish, one line each (under a progress bar)."""
    from concurrent.futures import as_completed
    from concurrent.futures.process import BrokenProcessPool

    from tqdm import tqdm

    results: list[Result] = []
    bar = tqdm(total=len(futures), desc="briefings", unit="briefing", disable=not progress, dynamic_ncols=True)
    try:
        for fut in as_completed(futures):
            try:
                res = fut.result()
            except BrokenProcessPool:  # a worker died (killed, out of memory): its briefings failed whole
                region, lang = futures[fut]
                message = f"{region} ({lang}): {WORKER_DIED}"
                res = Result(region=region, lang=lang, status="failed", message=message, retry=True)
            results.append(res)
            line = f"{res.region:<20} {res.lang}  {res.status:<7} {res.seconds:5.1f}s" + (
                f"  {res.message}" if res.message else ""
            )
            (tqdm.write if progress else echo)(line)
            bar.update(1)
    finally:
        bar.close()
    return results


def _stop_pool(pool) -> None:
    """Stop every worker and its kernel now: SIGTERM, a short wait, then SIGKILL for what is left."""
    procs = list(getattr(pool, "_processes", {}).values())
    for p in procs:
        if p.is_alive():
            os.kill(p.pid, signal.SIGTERM)
    deadline = time.monotonic() + 10
    for p in procs:
        p.join(max(0.0, deadline - time.monotonic()))
        if p.is_alive():
            kill_tree(p.pid)
            p.kill()
            p.join(5)
    pool.shutdown(wait=False, cancel_futures=True)
    kill_tree(os.getpid())


def build(
    regions: list[str] | None = None,
    langs: tuple[str, ...] = (),
    jobs: int | None = None,
    force: bool = False,
    progress: bool = True,
    echo: Echo = print,
    cell_timeout: int = DEFAULT_CELL_TIMEOUT,
    fresh_kernels: bool = False,
    pool: BuildPool | None = None,
) -> list[Result]:
    """Build the briefings of ``regions`` (default: every region with facts) in ``langs``, in parallel.

    Each worker keeps one kernel warm for its briefings; ``fresh_kernels`` starts one per briefing instead
    (slower; the benchmark's baseline, and the reference that tests compare the outputs with). ``pool`` is
    a ``BuildPool`` to build in (kept by ``briefings watch``); without, one is started for this build.

    Interrupted publishes and staging folders of killed builds are cleaned up first. Raises
    ``KeyboardInterrupt`` after stopping every worker and kernel when interrupted (Ctrl-C, SIGTERM).
    """
    with interruptible():
        from ..transaction import recover

        recover(echo)  # a change to data/ that was killed is rolled back (or completed) first
        with held("recover"):
            for line in publish.recover():
                echo(f"note: {line}")
        if not langs:
            from ..i18n import langs as all_langs

            langs = all_langs()
        if not force and (same := noop.answer(regions, langs)) is not None:
            return same
        noop.forget()
        inputs = noop.inputs_now()  # before the snapshot: an edit made after it is seen by the next build
        with snapshot.pinned() as snap:  # everything below reads this copy of data/ and seeds/
            keys = BriefingKeys()
            every = None if regions else buildable_regions_light()
            regions = regions or every
            # every region in one edition, then in the next: the second edition of a region finds its derived
            # tables cached by the first (``derive.derive_region``) instead of deriving them beside it
            tasks = [(r, lang, keys(r, lang)) for lang in langs for r in regions]
            todo = [task for task in tasks if force or not publish.is_fresh(*task, keys.digests)]
            results = [
                Result(region=r, lang=lang, status="unchanged") for r, lang, k in tasks if (r, lang, k) not in todo
            ]
            if todo:
                run = (todo, keys, progress, echo, cell_timeout, snap)
                if pool is not None:
                    results += pool.run(*run)
                else:
                    with BuildPool(min(jobs or os.cpu_count() or 1, len(todo)), fresh_kernels) as new_pool:
                        results += new_pool.run(*run)
            results = _finish(results, keys, {(r.region, r.lang) for r in results if r.status == "unchanged"})
        noop.remember(inputs, results, every)
        return results


def _finish(results: list[Result], keys: BriefingKeys, fresh: set[tuple[str, str]]) -> list[Result]:
    """After the briefings: write the index, add the other published briefings that are out of date, and keep
    a record of the build for the benchmark. ``fresh``: the editions found fresh before the build."""
    asked = {(r.region, r.lang) for r in results}
    try:
        stale = write_index(keys, fresh)
    except OSError as exc:
        results.append(Result(region="index", lang="-", status="failed", message=_index_failure(exc), retry=True))
        stale = set()
    results += [Result(region=r, lang=lang, status="stale") for r, lang in sorted(stale) if (r, lang) not in asked]
    try:
        write_json(paths.BUILD_DIR / "last-build.json", [r.__dict__ for r in results])
    except OSError:
        pass  # a record for the benchmark only
    return results


def _index_failure(exc: OSError) -> str:
    """One line for an index that could not be written: the file, the reason and what to do."""
    name = Path(exc.filename) if exc.filename else paths.REPORTS_DIR / "index.html"
    shown = name.relative_to(paths.ROOT).as_posix() if name.is_relative_to(paths.ROOT) else str(name)
    reason = exc.strerror or str(exc) or type(exc).__name__
    return (
        f"index: cannot write {shown}: {reason}; make reports/ writable and free disk space "
        "(the previous index is unchanged)"
    )
