"""The kernels that run the briefings: a warm kernel per worker, the papermill engine that runs a notebook in
it, and the run itself, whose every failure names the notebook and cell."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

from .. import paths, snapshot
from .common import BuildError

PRELOAD = "import pandas, matplotlib.pyplot, seaborn\nimport briefings.notebook, briefings.api\nimport gc; gc.freeze()"
"""What a worker's kernel runs once, while the worker itself loads nbconvert and the PDF's fonts: the heavy
imports. Nothing it defines survives ``WarmKernel.fresh``. The fact base is validated once by the build
and each briefing reads it from its cache (``data.load``), a copy of its own. What the imports made is then
frozen out of the garbage collector's reach: the full collection of each reset (IPython's) looks at the
last briefing's objects only (0.02 s, not 0.1 s)."""
FRESH = "__import__('matplotlib.pyplot').pyplot.close('all')\nget_ipython().reset(new_session=True)"
"""Before each briefing: close every figure, empty the namespace, history and output cache, and count
executions from 1 again, as in a kernel just started."""
WARM_UP = """\
import io
import matplotlib.pyplot as plt
from briefings.charts import setup_matplotlib
from briefings.i18n import langs
from briefings.numbers import format_number
setup_matplotlib()
fig, ax = plt.subplots(figsize=(3, 2))
ax.bar(["上海市", "Shanghai"], [1.5, 2.5])
ax.set_title("智能制造 · smart manufacturing")
fig.savefig(io.StringIO(), format="svg")
plt.close("all")
[format_number(1.4325e9, "yuan", lang) for lang in langs()]
import pandas as pd
from briefings.schema import pandera_schema
from briefings.schema_derived import DERIVED
for table in DERIVED.values():
    try:
        pandera_schema(table).validate(pd.DataFrame(columns=[c.name for c in table.columns]), lazy=True)
    except Exception:
        pass
"""
"""The notebook a worker runs once before its first briefing (``warm_up``): a chart in both fonts, a number in
every edition and the derived tables' checks on empty tables, the first-use costs of a briefing's cells."""
KERNEL_START_TIMEOUT = 120
RESET_TIMEOUT = 60


class WarmKernel:
    """A kernel started ahead with the imports done, reused by one worker for one briefing after another.

    Before each briefing its namespace is emptied (``FRESH``); modules stay imported. The emptying can be
    sent ahead (``empty_ahead``), as soon as a briefing's cells are done: the kernel does it while the worker
    renders that briefing. A briefing that fails in any way discards the kernel, and the next briefing gets
    a new one.
    """

    def __init__(self) -> None:
        from jupyter_client import BlockingKernelClient, KernelManager

        # papermill's client (nbclient) makes an asynchronous client (``km.client()``) for the first briefing,
        # with which its cell time limit and dead-kernel checks work, and is handed it again for the next ones
        # (``client``: a new one would cost each briefing a wait of 0.2 s for the kernel's output to settle);
        # this blocking one prepares the kernel before each, by the shell channel alone (it does not listen
        # to the kernel's output, which would pile up unread).
        self.client = None
        self.km = KernelManager(kernel_name="python3", client_class="jupyter_client.asynchronous.AsyncKernelClient")
        self.km.start_kernel(cwd=str(paths.ROOT), extra_arguments=["--HistoryManager.hist_file=:memory:"])
        self.kc = BlockingKernelClient()
        self.kc.load_connection_info(self.km.get_connection_info())
        self.kc.allow_stdin = False
        self.kc.start_channels(iopub=False, stdin=False)
        self._preload: str | None = self.kc.execute(PRELOAD, silent=True, store_history=False)
        self._ahead: tuple[str, str] | None = None
        """The emptying sent ahead: its message id and its code."""

    def _reply(self, msg_id: str, timeout: float, doing: str) -> dict:
        """The shell reply to ``msg_id`` (the code ran), watching that the kernel stays alive."""
        from queue import Empty

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=1)
            except Empty:
                if not self.km.is_alive():
                    raise BuildError(f"the kernel died while {doing} (out of memory, or killed)") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]
        raise BuildError(f"the kernel did not finish {doing} within {timeout:.0f} s")

    def _run(self, code: str) -> None:
        """Run ``code`` (silent, out of the history) and wait for it; an error is a ``BuildError``."""
        self._check(self._reply(self.kc.execute(code, silent=True, store_history=False), RESET_TIMEOUT, "resetting"))

    @staticmethod
    def _check(content: dict) -> None:
        if content["status"] != "ok":
            raise BuildError(f"the kernel could not be reset: {content.get('evalue')}")

    def fresh(self, inputs: Path | None = None) -> None:
        """Wait for the imports (first time only), then give the next briefing a fresh namespace that reads
        ``inputs`` (the build's snapshot of data/ and seeds/, ``snapshot.py``), or the project's own."""
        if self._preload:
            content, self._preload = self._reply(self._preload, KERNEL_START_TIMEOUT, "starting"), None
            if content["status"] != "ok":
                raise BuildError(f"the kernel's imports failed: {content.get('ename')}: {content.get('evalue')}")
        code = _fresh_code(inputs)
        if self._ahead is not None:
            (msg_id, sent), self._ahead = self._ahead, None
            self._check(self._reply(msg_id, RESET_TIMEOUT, "resetting"))
            if sent == code:
                return
            code = snapshot.kernel_code(inputs)
        self._run(code)

    def empty_ahead(self, inputs: Path | None = None) -> None:
        """Send the next briefing's ``fresh`` now and return at once; ``fresh`` waits for it."""
        if self._preload is None and self._ahead is None:
            code = _fresh_code(inputs)
            self._ahead = (self.kc.execute(code, silent=True, store_history=False), code)

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            if self.client is not None:
                self.client.stop_channels()
            self.km.shutdown_kernel(now=True)
            self.km.cleanup_resources()
        except Exception:  # noqa: BLE001 - a kernel that is already gone is what we want
            pass


def _fresh_code(inputs: Path | None) -> str:
    return f"{FRESH}\n{snapshot.kernel_code(inputs)}"


def register_warm_engine() -> str:
    """Register (once) the papermill engine that runs a notebook in a ``WarmKernel``; return its name."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.utils import merge_kwargs, remove_args

    class WarmEngine(NBClientEngine):
        """papermill's nbclient engine, on a kernel it is handed (``warm_kernel``) instead of a new one."""

        @classmethod
        def execute_managed_notebook(cls, nb_man, kernel_name, **kwargs):
            kernel: WarmKernel = kwargs.pop("warm_kernel")
            kwargs = remove_args(["input_path", "timeout", "startup_timeout"], **kwargs)
            final = merge_kwargs(
                kwargs,
                timeout=kwargs.pop("execution_timeout", None),
                startup_timeout=kwargs.pop("start_timeout", 60),
                kernel_name=kernel_name,
                log_output=kwargs.pop("log_output", False),
                km=kernel.km,
            )
            client = PapermillNotebookClient(nb_man, **final)
            client.kc = kernel.client  # None the first time: nbclient makes one and waits for the kernel
            try:
                return client.execute()
            finally:
                kernel.client = client.kc  # the kernel stays, and its client with it (closed by ``shutdown``)

    papermill_engines.register(WARM_ENGINE, WarmEngine)
    return WARM_ENGINE


WARM_ENGINE = "briefings-warm"


def execute(
    assembled_path: str, executed: Path, region: str, lang: str, cell_timeout: int, kernel: WarmKernel | None = None
) -> None:
    """Run the assembled notebook with papermill; any failure becomes a ``BuildError`` naming notebook and cell.

    With ``kernel`` (a ``WarmKernel``, imports done and namespace fresh) papermill runs the notebook in it
    through the ``briefings-warm`` engine; without, papermill starts a kernel of its own for this run.
    """
    import nbformat
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    running: dict[str, object] = {}

    def on_cell_start(cell, cell_index, **_) -> None:
        running["cell"] = cell

    def failed(what: str) -> BuildError:
        kept = paths.BUILD_DIR / "failed" / f"{region}.{lang}.ipynb"
        where, note = (_cell_where(running["cell"]) if "cell" in running else "the kernel's start"), ""
        if executed.exists():
            kept.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(executed, kept)
            where = _failed_cell(nbformat.read(executed, as_version=4))
            note = f" [executed notebook kept at {kept.relative_to(paths.ROOT)}]"
        return BuildError(f"{region} ({lang}): {where} {what}{note}")

    try:
        pm.execute_notebook(
            assembled_path,
            str(executed),
            parameters={"region": region, "lang": lang},
            kernel_name="python3",
            progress_bar=False,
            cwd=str(paths.ROOT),
            request_save_on_cell_execute=False,
            execution_timeout=cell_timeout,
            on_cell_start=on_cell_start,
            **({"engine_name": register_warm_engine(), "warm_kernel": kernel} if kernel else {}),
        )
    except pm.PapermillExecutionError as exc:
        raise failed(f"failed: {exc.ename}: {str(exc.evalue).splitlines()[0] if exc.evalue else ''}") from None
    except CellTimeoutError:
        raise failed(
            f"ran longer than the cell time limit of {cell_timeout} s (raise it with --cell-timeout)"
        ) from None
    except DeadKernelError:
        raise failed("stopped: the kernel died (out of memory, or killed)") from None


def _cell_where(cell) -> str:
    """A cell of the assembled notebook as a reader finds it: source notebook, cell number, first line."""
    meta = cell.metadata.get("briefings", {})
    first = (cell.source.strip().splitlines() or [""])[0][:60]
    where = meta.get("notebook", "?")
    where = f"notebooks/{where}" if where.endswith(".ipynb") else where
    return f"{where}, cell {meta.get('cell', -1) + 1} ({first})"


def _failed_cell(nb) -> str:
    """Where a failed run stopped: the cell with an error, else the one papermill left running."""
    for cell in nb.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            return _cell_where(cell)
    for cell in nb.cells:
        if cell.metadata.get("papermill", {}).get("status") == "running":
            return _cell_where(cell)
    return "an unknown cell"


_kernel: WarmKernel | None = None
"""This worker's kernel, kept from one briefing to the next."""


def warm_kernel(inputs: Path | None = None) -> WarmKernel:
    """This worker's kernel with a fresh namespace, started now if there is none or if it died while idle."""
    global _kernel
    if _kernel is not None and not _kernel.km.is_alive():
        discard_kernel()
    if _kernel is None:
        _kernel = WarmKernel()
    _kernel.fresh(inputs)
    return _kernel


def discard_kernel() -> None:
    """Stop this worker's kernel after a failure: the next briefing starts from a new one."""
    global _kernel
    if _kernel is not None:
        _kernel.shutdown()
        _kernel = None


def warm_up(folder: Path) -> None:
    """Run a notebook of one cell (``WARM_UP``) in this worker's kernel through papermill, as a briefing runs,
    writing in ``folder``: the client papermill makes for its first notebook, which the briefings reuse, and
    the kernel's first chart and numbers (1–2 s in all) are then paid before the first briefing, while the
    build validates the fact base. If it fails, the kernel is discarded and the first briefing starts one and
    says what is wrong."""
    import nbformat

    folder.mkdir(parents=True, exist_ok=True)
    notebook = folder / "warm-up.ipynb"
    spec = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}
    cells = [nbformat.v4.new_code_cell("", metadata={"tags": ["parameters"]}), nbformat.v4.new_code_cell(WARM_UP)]
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=spec), notebook)
    try:
        warm = warm_kernel()
        execute(str(notebook), folder / "warm-up.out.ipynb", "warm-up", "-", KERNEL_START_TIMEOUT, warm)
        warm.empty_ahead()
    except Exception as exc:  # noqa: BLE001 - the first briefing says what is wrong; the worker's log, here
        print(f"warm-up: {type(exc).__name__}: {exc}", file=sys.stderr)
        discard_kernel()


def start_warm_kernel() -> None:
    """Start this worker's kernel ahead of its first briefing; if it cannot start, that briefing tries again
    and says what is wrong."""
    global _kernel
    try:
        _kernel = WarmKernel()
    except Exception:  # noqa: BLE001 - reported by the first briefing
        _kernel = None
