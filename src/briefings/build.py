"""Build briefings: assemble the notebooks → execute with papermill → HTML (nbconvert) → PDF (WeasyPrint).

Each briefing is executed and rendered in a staging folder and published all or nothing (``publish``)
under a per-region lock, only after the whole briefing has succeeded. Inputs are hashed: a briefing is
rebuilt unless its stamp has the current inputs key and every published file is as it was published.
Heavy libraries are imported only when work is needed, so a rebuild with nothing changed is instant.
A cell that runs longer than the cell time limit, a kernel that dies, Ctrl-C and SIGTERM all stop the
build with one line; no worker publishes after its parent has gone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import time
from dataclasses import dataclass
from pathlib import Path

from . import paths, publish, snapshot
from .publish import edition_suffix, edition_suffixes

DEFAULT_CELL_TIMEOUT = 600
"""Seconds one cell may run before the build stops it (``--cell-timeout``)."""
SKIP_TAGS = {"parameters", "setup", "standalone", "analyst-note"}
BUILD_ONLY = "build-only"


class BuildError(RuntimeError):
    """A briefing could not be built; the message names what to fix."""


@dataclass(kw_only=True)
class Result:
    """What one (region, language) build did."""

    region: str
    lang: str
    status: str  # built, unchanged, failed; stale: another published briefing that is out of date
    seconds: float = 0.0
    message: str = ""
    peak_rss_mb: float = 0.0
    kernel_peak_rss_mb: float = 0.0
    retry: bool = False  # failed for a reason that may pass (publishing, a worker that died): worth trying again


# --- Inputs and hashing -------------------------------------------------------------------------------


def _files_digest(files: list[Path]) -> str:
    from .csvtext import display_name  # data/x.csv, also in a build's snapshot

    h = hashlib.sha256()
    for f in sorted(files):
        h.update(display_name(f).encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


SHARED_TABLES = ("indicators.csv", "themes.csv")
"""Tables every briefing uses whole; of the others a briefing draws only on the rows of its scope."""


def inputs_digest() -> str:
    """Hash of what every briefing depends on: the shared tables, notebooks, templates, catalogues, package
    code and the versions of the libraries that shape its content. ``BriefingKeys`` adds each briefing's rows."""
    from .csvtext import decode_table

    for name in SHARED_TABLES:  # a missing or unreadable shared table is one line (DataError), not a traceback
        decode_table(paths.DATA_DIR / name)
    files = {
        *(paths.DATA_DIR / name for name in SHARED_TABLES),
        *(
            p
            for p in paths.PACKAGE_DIR.rglob("*")
            if p.is_file() and p.suffix in {".py", ".toml", ".j2", ".css", ".json"}
        ),
        *paths.locales_dir().glob("*.toml"),  # the editions' catalogues, wherever BRIEFINGS_LOCALES puts them
    }
    from .notebooks_hash import notebooks_digest  # cell sources only: saving in JupyterLab changes nothing
    from .system import library_versions

    notebooks = notebooks_digest(paths.NOTEBOOKS_DIR / n for n in paths.BRIEFING_NOTEBOOKS)
    return hashlib.sha256((_files_digest(files) + notebooks + library_versions()).encode()).hexdigest()


def _scoped_tables_light() -> dict[str, list[dict[str, str]]]:
    """The tables of which a briefing uses some rows, read with the standard library only."""
    from .scope import KEYS, SCOPED

    need = {"observations": ("region_id", "plan", "source_id"), "plans": ("region_id", "source_id")}
    need["measures"], need["sources"] = ("region_id", "source_id"), ("file", "facts_date")
    return {name: _read_csv_light(f"{name}.csv", (KEYS[name], *need.get(name, ()))) for name in SCOPED}


class BriefingKeys:
    """The key of each briefing: the shared digest, the rows of its scope (``scope.select``) and the seed texts
    those rows quote. A change to one region's rows changes the keys of that region and its peers only."""

    def __init__(self, digest: str | None = None) -> None:
        from .dates import latest_date
        from .scope import KEYS, Scopes

        tables = _scoped_tables_light()
        # every briefing judges its region's sources against the latest date of the whole fact base
        latest = latest_date([row["facts_date"] for row in tables["sources"]])
        self.digest = hashlib.sha256(f"{digest or inputs_digest()}\0{latest}".encode()).hexdigest()
        self._scopes = Scopes(tables)
        self._lines = {
            name: {
                row[KEYS[name]]: json.dumps([name, *row.values()], ensure_ascii=False).encode() + b"\n" for row in rows
            }
            for name, rows in tables.items()
        }
        self._files = {row["source_id"]: row["file"] for row in tables["sources"]}
        self._seeds: dict[str, bytes] = {}
        self._regions: dict[str, str] = {}

    def _seed(self, file: str) -> bytes:
        if file not in self._seeds:
            path = paths.SEEDS_DIR / file
            self._seeds[file] = path.read_bytes() if path.is_file() else b"\0missing"
        return self._seeds[file]

    def version(self, region: str) -> str:
        """Digest of everything a briefing of ``region`` shows, in either language (its version)."""
        if region not in self._regions:
            h = hashlib.sha256(self.digest.encode())
            for name, keys in self._scopes.select(region).items():
                for key in keys:
                    h.update(self._lines[name][key])
                    if name == "sources":
                        h.update(self._seed(self._files[key]))
            self._regions[region] = h.hexdigest()
        return self._regions[region]

    def __call__(self, region: str, lang: str) -> str:
        return briefing_key(self.version(region), region, lang)


def briefing_key(digest: str, region: str, lang: str) -> str:
    return hashlib.sha256(f"{digest}\0{region}\0{lang}".encode()).hexdigest()


def output_paths(region: str, lang: str) -> dict[str, Path]:
    """Where one edition's briefing files are published."""
    d = paths.REPORTS_DIR / region
    s = edition_suffix(lang)
    return {kind: d / f"briefing{s}.{kind}" for kind in publish.BRIEFING_FILES}


def _read_csv_light(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """A table of ``data/`` with the standard library only (no pandas): for the fast no-op path.

    Encoding, byte-order mark and line endings are checked as the full loader checks them.
    """
    from .csvtext import read_rows

    rows = read_rows(paths.DATA_DIR / name)
    missing = [c for c in columns if rows and c not in rows[0]]
    if missing:
        from .data import DataError

        raise DataError([f"data/{name}, row 1: missing column(s) {', '.join(missing)}"])
    return rows


def read_regions_light() -> list[dict[str, str]]:
    """regions.csv with the standard library only (no pandas)."""
    return _read_csv_light("regions.csv", ("region_id", "name_en", "name_zh"))


def buildable_regions_light() -> list[str]:
    """Regions with any observation or measure, read with the standard library only."""
    used: set[str] = set()
    for name in ("observations.csv", "measures.csv"):
        used |= {row["region_id"] for row in _read_csv_light(name, ("region_id",))}
    return [r["region_id"] for r in read_regions_light() if r["region_id"] in used]


# --- Assembly -----------------------------------------------------------------------------------------


def assemble():
    """One notebook for the whole briefing: parameters, set-up, title, the front sections, the contents,
    the parts of the notebooks, the back sections (``sections.py``)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell

    from . import sections

    nbs = [(name, nbformat.read(paths.NOTEBOOKS_DIR / name, as_version=4)) for name in paths.BRIEFING_NOTEBOOKS]
    first = nbs[0][1]

    def tagged(nb, tag):
        return [c for c in nb.cells if tag in c.metadata.get("tags", [])]

    def mark(cell, source, index, part=""):
        cell = nbformat.from_dict(dict(cell))
        cell.metadata = {**cell.metadata, "briefings": {"notebook": source, "cell": index}}
        if part:  # shown by the page template (templates/briefing) with what only the build knows
            cell.metadata["briefings"]["part"] = part
        return cell

    def declared(where: str) -> list:
        return [
            mark(new_code_cell(f'bn.section(ctx, "{s.id}")'), f"{where} matter (briefings.sections: {s.id})", 0)
            for s in sections.in_notebook(where)
        ]

    params, setup = tagged(first, "parameters"), tagged(first, "setup")
    if len(params) != 1 or len(setup) != 1:
        raise BuildError(f"notebooks/{nbs[0][0]}: needs exactly one cell tagged 'parameters' and one tagged 'setup'")
    cells = [
        mark(params[0], nbs[0][0], first.cells.index(params[0])),
        mark(setup[0], nbs[0][0], first.cells.index(setup[0])),
        mark(new_code_cell("bn.title(ctx)"), "title (briefings.notebook.title)", 0, part="title"),
        *declared(sections.FRONT),
        mark(new_markdown_cell(""), "contents (templates/parts/contents.html.j2)", 0, part="contents"),
    ]
    for name, nb in nbs:
        if len(tagged(nb, "parameters")) != 1:
            raise BuildError(f"notebooks/{name}: needs exactly one cell tagged 'parameters'")
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and not SKIP_TAGS & set(cell.metadata.get("tags", [])):
                cells.append(mark(cell, name, i))
    cells += declared(sections.BACK)
    for call, label in (
        ("bn.record_summary(ctx)", "summary (briefings.notebook.record_summary)"),
        ("bn.record_metrics()", "metrics (briefings.notebook.record_metrics)"),
    ):
        cell = mark(new_code_cell(call), label, 0)
        cell.metadata["tags"] = [BUILD_ONLY]  # read by the build, left out of the archived notebook
        cells.append(cell)
    for i, c in enumerate(cells):
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
        c.id = f"cell-{i}"
    return nbformat.v4.new_notebook(cells=cells, metadata=first.metadata)


# --- One briefing -------------------------------------------------------------------------------------


def _exporter(lang: str):
    from nbconvert import HTMLExporter

    from .i18n import locale

    exporter = HTMLExporter(template_name="briefing", extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.language_code = locale(lang).html_lang
    return exporter


def page_parts(summary: dict, shown: dict[str, str], region: str, lang: str, digest: str) -> dict:
    """What the page template (``templates/briefing``) shows besides the cells: the metadata, the title block
    with the version and the links to the other editions, the PDF and the index, the contents list (the
    declared sections that were shown) and the colophon. ``summary`` is the briefing's own (``record_summary``),
    ``shown`` the sections it showed (id → heading text).

    Every link is relative, so the briefing works wherever ``reports/`` is copied. The metadata (author,
    subject, keywords, language, as-of date) is what WeasyPrint writes into the PDF.
    """
    from . import sections
    from .datapackage import ZIP_NAME
    from .i18n import langs, locale, t
    from .templating import render

    as_of = summary["title"]["as_of"]
    meta = {
        "author": t("meta.publisher", lang),
        "description": t("meta.description", lang, region=summary["name"]),
        "keywords": ", ".join([*summary["names"], t("meta.keywords", lang)]),
        "dcterms.created": as_of,
        "dcterms.modified": as_of,
        "generator": f"briefings {digest[:12]}",
    }
    links = [
        {"href": f"briefing{edition_suffix(o)}.html", "hreflang": locale(o).html_lang, "text": locale(o).link}
        for o in langs()
        if o != lang
    ]
    links += [
        {"href": f"briefing{edition_suffix(lang)}.pdf", "hreflang": "", "text": "PDF"},
        {"href": "../index.html", "hreflang": "", "text": t("title.index", lang)},
    ]
    version = t("title.version", lang, version=digest[:12])
    return {
        "head": render("head", meta=meta),
        "parts": {
            "title": render("title", **summary["title"], version=version, links=links),
            "contents": render("contents", title=t("toc.title", lang), parts=sections.contents(shown)),
        },
        "colophon": render(
            "colophon",
            text=t("title.colophon", lang, version=digest[:12], region=region),
            zip_name=ZIP_NAME,
            fact_base=t("title.fact_base", lang),
        ),
    }


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


def _kernel_peak_mb(nb) -> float:
    """The kernel's peak memory, as printed by the last cell of the assembled notebook."""
    for cell in reversed(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and "kernel_peak_rss_mb" in out.get("text", ""):
                return json.loads(out["text"].strip().splitlines()[-1])["kernel_peak_rss_mb"]
    return 0.0


def normalise(nb, region: str, lang: str) -> None:
    """Make the archived notebook depend on its inputs only: fixed cell ids, no timings, no local paths."""
    for i, cell in enumerate(nb.cells):
        cell.id = f"cell-{i}"
        cell.metadata.pop("execution", None)
        cell.metadata.pop("papermill", None)
    nb.metadata.pop("papermill", None)
    nb.metadata["briefings"] = {"region": region, "lang": lang}


class Cancelled(Exception):
    """The build was interrupted (Ctrl-C, SIGTERM, or its parent process is gone): publish nothing."""


def _check_not_cancelled(parent_pid: int) -> None:
    if os.getppid() != parent_pid:
        raise Cancelled("the build that started this worker has stopped")


# --- Kernels ------------------------------------------------------------------------------------------

PRELOAD = "import pandas, matplotlib.pyplot, seaborn\nimport briefings.notebook, briefings.api"
"""What a worker's kernel runs once, while the worker itself loads nbconvert and WeasyPrint: the heavy
imports. Nothing it defines survives ``WarmKernel.fresh``. The fact base is validated once by the build
and each briefing reads it from its cache (``data.load``), a copy of its own."""
FRESH = "__import__('matplotlib.pyplot').pyplot.close('all')\nget_ipython().reset(new_session=True)"
"""Before each briefing: close every figure, empty the namespace, history and output cache, and count
executions from 1 again, as in a kernel just started."""
KERNEL_START_TIMEOUT = 120


class WarmKernel:
    """A kernel started ahead with the imports done, reused by one worker for one briefing after another.

    Before each briefing its namespace is emptied (``FRESH``); modules stay imported. A briefing that fails
    in any way discards the kernel, and the next briefing gets a new one.
    """

    def __init__(self) -> None:
        from jupyter_client import BlockingKernelClient, KernelManager

        # papermill's client (nbclient) gets an asynchronous client of its own from ``km.client()`` for each
        # briefing, so that its cell time limit and dead-kernel checks work; this blocking one prepares it.
        self.km = KernelManager(kernel_name="python3", client_class="jupyter_client.asynchronous.AsyncKernelClient")
        self.km.start_kernel(cwd=str(paths.ROOT), extra_arguments=["--HistoryManager.hist_file=:memory:"])
        self.kc = BlockingKernelClient()  # with a session of its own: both clients see every iopub message
        self.kc.load_connection_info(self.km.get_connection_info())
        self.kc.allow_stdin = False
        self.kc.start_channels()
        self._preload: str | None = self.kc.execute(PRELOAD, silent=True, store_history=False)

    def _reply(self, msg_id: str, timeout: float) -> dict:
        """The shell reply to ``msg_id``, watching that the kernel stays alive."""
        from queue import Empty

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_shell_msg(timeout=1)
            except Empty:
                if not self.km.is_alive():
                    raise BuildError("the kernel died while starting (out of memory, or killed)") from None
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return msg["content"]
        raise BuildError(f"the kernel did not start within {timeout:.0f} s")

    def fresh(self, inputs: Path | None = None) -> None:
        """Wait for the imports (first time only), then give the next briefing a fresh namespace that reads
        ``inputs`` (the build's snapshot of data/ and seeds/, ``snapshot.py``) when given."""
        if self._preload:
            content, self._preload = self._reply(self._preload, KERNEL_START_TIMEOUT), None
            if content["status"] != "ok":
                raise BuildError(f"the kernel's imports failed: {content.get('ename')}: {content.get('evalue')}")
        code = FRESH + (f"\n{snapshot.kernel_code(inputs)}" if inputs else "")
        reply = self.kc.execute_interactive(code, silent=True, store_history=False, timeout=60)
        if reply["content"]["status"] != "ok":
            raise BuildError(f"the kernel could not be reset: {reply['content'].get('evalue')}")

    def shutdown(self) -> None:
        try:
            self.kc.stop_channels()
            self.km.shutdown_kernel(now=True)
            self.km.cleanup_resources()
        except Exception:  # noqa: BLE001 - a kernel that is already gone is what we want
            pass


def _register_warm_engine() -> str:
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
            try:
                return client.execute()
            finally:
                if client.kc is not None:  # the kernel stays; its client for this briefing is closed
                    client.kc.stop_channels()

    papermill_engines.register(WARM_ENGINE, WarmEngine)
    return WARM_ENGINE


WARM_ENGINE = "briefings-warm"


def _execute(
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
            **({"engine_name": _register_warm_engine(), "warm_kernel": kernel} if kernel else {}),
        )
    except pm.PapermillExecutionError as exc:
        raise failed(f"failed: {exc.ename}: {str(exc.evalue).splitlines()[0] if exc.evalue else ''}") from None
    except CellTimeoutError:
        raise failed(
            f"ran longer than the cell time limit of {cell_timeout} s (raise it with --cell-timeout)"
        ) from None
    except DeadKernelError:
        raise failed("stopped: the kernel died (out of memory, or killed)") from None


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
    import nbformat
    from filelock import FileLock

    from .payload import FIGURE_MIME, SECTION_MIME, SUMMARY_MIME, outputs_of, strip

    started = time.perf_counter()
    if inputs:
        snapshot.point_at(Path(inputs))  # this worker, and a kernel papermill starts, read the snapshot
    parent_pid = parent_pid or os.getppid()
    stage = paths.BUILD_DIR / "stage" / f"{os.getpid()}.{region}.{lang}"
    figs = stage / "figures"
    executed = stage / "executed.ipynb"
    s = edition_suffix(lang)
    try:
        for decoy in (stage.parent, stage):  # a file where a staging folder belongs is removed, not tripped on
            if decoy.is_symlink() or (decoy.exists() and not decoy.is_dir()):
                decoy.unlink()
        publish.clear(stage)
        figs.mkdir(parents=True)
        kernel = None if fresh_kernel else _warm_kernel(Path(inputs) if inputs else None)
        _execute(assembled_path, executed, region, lang, cell_timeout, kernel)
        nb = nbformat.read(executed, as_version=4)
        for payload in outputs_of(nb, FIGURE_MIME):
            for name, text in payload["files"].items():
                (figs / Path(name).name).write_bytes(chart_file(name, text))
        summaries = outputs_of(nb, SUMMARY_MIME)
        shown = {p["id"]: p["title"] for p in outputs_of(nb, SECTION_MIME)}
        kernel_mb = _kernel_peak_mb(nb)
        nb.cells = [c for c in nb.cells if BUILD_ONLY not in c.metadata.get("tags", [])]
        strip(nb)
        normalise(nb, region, lang)
        nb.metadata["title"] = _title(region, lang)
        if not summaries:
            raise BuildError(f"{region} ({lang}): the briefing recorded no summary (bn.record_summary)")
        parts = page_parts(summaries[-1], shown, region, lang, digest)
        html, _ = _worker_exporter(lang).from_notebook_node(nb, resources={"briefing": parts})
        (stage / f"briefing{s}.html").write_text(html, encoding="utf-8")
        (stage / f"briefing{s}.ipynb").write_text(nbformat.writes(nb) + "\n", encoding="utf-8")
        summary = {**(summaries[-1] if summaries else {}), "key": key, "version": digest[:12]}
        (stage / f"briefing{s}.json").write_text(
            json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        render_pdf(html, stage / f"briefing{s}.pdf", base_url=paths.REPORTS_DIR / region)
        _check_not_cancelled(parent_pid)
        with FileLock(str(_lock_path(region))):
            _check_not_cancelled(parent_pid)
            _publish_shielded(stage, region, lang, key)
        from .system import peak_memory_mb

        return Result(
            region=region,
            lang=lang,
            status="built",
            seconds=time.perf_counter() - started,
            peak_rss_mb=peak_memory_mb(),
            kernel_peak_rss_mb=kernel_mb,
        )
    except (BuildError, publish.PublishError, Cancelled) as exc:
        _discard_kernel()
        message = str(exc) if str(exc).startswith(f"{region} ({lang}): ") else f"{region} ({lang}): {exc}"
        retry = isinstance(exc, publish.PublishError)
        return Result(
            region=region,
            lang=lang,
            status="failed",
            seconds=time.perf_counter() - started,
            message=message,
            retry=retry,
        )
    except Exception as exc:  # noqa: BLE001 - any failure becomes a one-line message
        _discard_kernel()
        line = str(exc).splitlines()[0] if str(exc) else ""
        message = f"{region} ({lang}): {type(exc).__name__}: {line}"
        return Result(region=region, lang=lang, status="failed", seconds=time.perf_counter() - started, message=message)
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def chart_file(name: str, text: str) -> bytes:
    """A chart file as published: a CSV with no cell that a spreadsheet would run (``cells.neutralise_csv``)."""
    from .cells import neutralise_csv

    raw = text.encode("utf-8")
    return neutralise_csv(raw) if name.endswith(".csv") else raw


_kernel: WarmKernel | None = None
"""This worker's kernel, kept from one briefing to the next."""


def _warm_kernel(inputs: Path | None = None) -> WarmKernel:
    """This worker's kernel with a fresh namespace, started now if there is none or if it died while idle."""
    global _kernel
    if _kernel is not None and not _kernel.km.is_alive():
        _discard_kernel()
    if _kernel is None:
        _kernel = WarmKernel()
    _kernel.fresh(inputs)
    return _kernel


def _discard_kernel() -> None:
    """Stop this worker's kernel after a failure: the next briefing starts from a new one."""
    global _kernel
    if _kernel is not None:
        _kernel.shutdown()
        _kernel = None


_exporters: dict[str, object] = {}


def _worker_exporter(lang: str):
    """``_exporter(lang)``, made once per worker (its templates compiled once)."""
    if lang not in _exporters:
        _exporters[lang] = _exporter(lang)
    return _exporters[lang]


def _publish_shielded(stage: Path, region: str, lang: str, key: str) -> None:
    """Publish with SIGTERM held back until the folders are swapped (a publish is never cut in half)."""
    global _publishing
    _publishing = True
    try:
        publish.publish(stage, region, lang, key)
    finally:
        _publishing = False
        if _stop_requested:
            _kill_tree(os.getpid())
            os._exit(128 + signal.SIGTERM)


def _title(region: str, lang: str) -> str:
    from .i18n import locale, t

    row = next(r for r in read_regions_light() if r["region_id"] == region)
    return f"{row[locale(lang).column('name', row)]} · {t('title.kicker', lang)}"


def render_pdf(html: str, target: Path, base_url: Path | None = None) -> None:
    """HTML → tagged PDF (PDF/UA-1) with WeasyPrint: A4, print CSS, embedded subset CJK fonts, metadata, bookmarks.

    Links keep the relative form they have in ``html`` (relative to ``base_url``, the folder the PDF is
    published in): WeasyPrint is given no base URL, so it writes no ``file://`` path of this machine into
    the PDF. The HTML needs none: its stylesheet and charts are inline.
    """
    from .system import require_pdf_stack

    require_pdf_stack()
    import weasyprint

    weasyprint.HTML(string=html, base_url=None).write_pdf(str(target), pdf_variant="pdf/ua-1")


def _lock_path(name: str) -> Path:
    p = paths.BUILD_DIR / "locks" / f"{name}.lock"
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def _write_json(path: Path, obj: object) -> None:
    paths.atomic_write(path, json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8"))


# --- Many briefings -----------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    """Every process below ``pid`` (children, their children …), read from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            out.append(child)
            todo.append(child)
    return out


def _kill_tree(pid: int, sig: int = signal.SIGKILL) -> None:
    for child in _descendants(pid):
        try:
            os.kill(child, sig)
        except ProcessLookupError:
            pass


_publishing = False
_stop_requested = False


def _worker_stop(signum, frame) -> None:  # noqa: ARG001 - signal handler signature
    """SIGTERM in a worker: stop its kernel and leave, unless a publish is under way (it finishes first)."""
    global _stop_requested
    if _publishing:
        _stop_requested = True
        return
    _kill_tree(os.getpid())
    os._exit(128 + signal.SIGTERM)


def _init_worker(fresh_kernels: bool = False) -> None:
    """Log stderr to a file, stop with the parent, start the kernel, and load the heavy libraries once.

    The kernel does its imports while this process loads nbconvert and WeasyPrint and lays out a line of
    text in each font: on two cores the two overlap.
    """
    log = paths.BUILD_DIR / "logs" / f"worker-{os.getpid()}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides; it sends SIGTERM
    signal.signal(signal.SIGTERM, _worker_stop)
    try:  # if the parent dies, even by SIGKILL, this worker gets SIGTERM
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    global _kernel
    if not fresh_kernels:
        try:
            _kernel = WarmKernel()
        except Exception:  # noqa: BLE001 - the first briefing tries again and says what is wrong
            _kernel = None
    # A pool worker leaves through os._exit, which skips atexit: multiprocessing's finalizers still run, so
    # the kernel is shut down and waited for here (not left to notice that its parent is gone).
    from multiprocessing.util import Finalize

    Finalize(None, _discard_kernel, exitpriority=10)
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401
    import weasyprint

    _register_warm_engine()
    from .i18n import langs

    for lang in langs():
        _worker_exporter(lang)
    weasyprint.HTML(string=WARM_UP_HTML).write_pdf()


WARM_UP_HTML = (
    "<html><body style='font-family: \"Noto Sans CJK SC\", sans-serif'><p>Briefing 简报 <b>1,432 ％</b></p>"
    "<p style='font-family: monospace'>data/</p></body></html>"
)
"""Laid out once per worker, so that the first briefing finds WeasyPrint's fonts loaded."""


def stale_briefings(key_of) -> list[tuple[str, str]]:
    """Published briefings that no longer match the current inputs (or whose files were altered)."""
    out = []
    for d in sorted(paths.REPORTS_DIR.iterdir()) if paths.REPORTS_DIR.is_dir() else []:
        for lang, suffix in edition_suffixes().items():
            if d.is_dir() and not d.name.startswith(".") and (d / f"briefing{suffix}.html").exists():
                if not publish.is_fresh(d.name, lang, key_of(d.name, lang)):
                    out.append((d.name, lang))
    return out


def build(
    regions: list[str] | None = None,
    langs: tuple[str, ...] = (),
    jobs: int | None = None,
    force: bool = False,
    progress: bool = True,
    echo=print,
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
        from filelock import FileLock

        from .transaction import recover

        recover(echo)  # a change to data/ that was killed is rolled back (or completed) first
        with FileLock(str(_lock_path("recover"))):
            for line in publish.recover():
                echo(f"note: {line}")
        with snapshot.pinned() as snap:  # everything below reads this copy of data/ and seeds/
            return _build_in(snap, regions, langs, jobs, force, progress, echo, cell_timeout, fresh_kernels, pool)


def _build_in(
    snap: Path,
    regions: list[str] | None,
    langs: tuple[str, ...],
    jobs: int | None,
    force: bool,
    progress: bool,
    echo,
    cell_timeout: int,
    fresh_kernels: bool,
    pool: BuildPool | None,
) -> list[Result]:
    """``build`` once the snapshot is taken: key, build what is out of date, write the index."""
    keys = BriefingKeys()
    regions = regions or buildable_regions_light()
    if not langs:
        from .i18n import langs as all_langs

        langs = all_langs()
    tasks = [(r, lang, keys(r, lang)) for r in regions for lang in langs]
    todo = [task for task in tasks if force or not publish.is_fresh(*task)]
    results = [Result(region=r, lang=lang, status="unchanged") for r, lang, k in tasks if (r, lang, k) not in todo]
    if todo and pool is not None:
        results += pool.run(todo, keys, progress, echo, cell_timeout, snap)
    elif todo:
        with BuildPool(min(jobs or os.cpu_count() or 1, len(todo)), fresh_kernels) as new_pool:
            results += new_pool.run(todo, keys, progress, echo, cell_timeout, snap)
    asked = {(r.region, r.lang) for r in results}
    try:
        stale = write_index(keys)
    except OSError as exc:
        results.append(Result(region="index", lang="-", status="failed", message=_index_failure(exc), retry=True))
        stale = set()
    results += [Result(region=r, lang=lang, status="stale") for r, lang in sorted(stale) if (r, lang) not in asked]
    try:
        _write_json(paths.BUILD_DIR / "last-build.json", [r.__dict__ for r in results])
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


class interruptible:
    """SIGTERM behaves like Ctrl-C (``KeyboardInterrupt``) while the build runs."""

    def __enter__(self):
        self._old = signal.getsignal(signal.SIGTERM)
        try:
            signal.signal(signal.SIGTERM, self._raise)
        except ValueError:  # not the main thread: leave signals alone
            self._old = None
        return self

    @staticmethod
    def _raise(signum, frame):  # noqa: ARG004
        raise KeyboardInterrupt

    def __exit__(self, *exc):
        if self._old is not None:
            signal.signal(signal.SIGTERM, self._old)
        return False


WORKER_DIED = "its build worker died (killed, or out of memory); nothing half-built was published, build it again"


class BuildPool:
    """The build's worker processes. Each starts its kernel and loads its libraries once, then builds one
    briefing after another; a persistent pool (``briefings watch``) keeps them warm from one build to the next.

    Used as a context manager: leaving it normally lets the workers finish; leaving it by an exception
    (Ctrl-C, SIGTERM, invalid data before any briefing ran) stops every worker and kernel at once.
    """

    def __init__(self, jobs: int | None = None, fresh_kernels: bool = False) -> None:
        from concurrent.futures import ProcessPoolExecutor

        from .system import require_pdf_stack

        require_pdf_stack()
        self.workers = max(1, jobs or os.cpu_count() or 1)
        self.fresh_kernels = fresh_kernels
        self._new = lambda: ProcessPoolExecutor(
            max_workers=self.workers, initializer=_init_worker, initargs=(fresh_kernels,)
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
        echo,
        cell_timeout: int,
        inputs: Path | None = None,
    ) -> list[Result]:
        """Validate the fact base (once, cached by the inputs' hash), then build ``todo`` in the workers."""
        from concurrent.futures import as_completed
        from concurrent.futures.process import BrokenProcessPool

        import nbformat
        from tqdm import tqdm

        from . import data

        data.load()
        assembled = paths.BUILD_DIR / "assembled" / f"briefing-{keys.digest[:12]}.ipynb"
        if not assembled.exists():
            paths.atomic_write(assembled, nbformat.writes(assemble()).encode("utf-8"))
        results: list[Result] = []
        bar = tqdm(total=len(todo), desc="briefings", unit="briefing", disable=not progress, dynamic_ncols=True)
        try:
            futures = {
                self._submit(
                    build_one,
                    r,
                    lang,
                    key,
                    keys.version(r),
                    str(assembled),
                    cell_timeout,
                    os.getpid(),
                    self.fresh_kernels,
                    str(inputs) if inputs else None,
                ): (r, lang)
                for r, lang, key in todo
            }
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

    def close(self) -> None:
        """Let the workers finish and leave (each shuts its kernel down)."""
        self._pool.shutdown()

    def stop(self) -> None:
        _stop_pool(self._pool)

    def __enter__(self) -> BuildPool:
        return self

    def __exit__(self, exc_type, exc, tb) -> bool:
        if exc_type is None:
            self.close()
        else:
            self.stop()
        return False


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
            _kill_tree(p.pid)
            p.kill()
            p.join(5)
    pool.shutdown(wait=False, cancel_futures=True)
    _kill_tree(os.getpid())


def write_index(keys: BriefingKeys | None = None) -> set[tuple[str, str]]:
    """``reports/index.html``: every published briefing with its headline numbers (from the briefing's
    own summary, so the index never disagrees with what it links to) and a mark on any that is out of date.
    Returns the out-of-date briefings."""
    from filelock import FileLock

    from .index import render_index

    target = paths.REPORTS_DIR / "index.html"
    with FileLock(str(_lock_path("index"))):
        _publish_datapackage()
        stale = set(stale_briefings(keys or BriefingKeys()))
        html = render_index(stale)
        if not target.exists() or target.read_text(encoding="utf-8") != html:
            paths.atomic_write(target, html.encode("utf-8"))
    return stale


def _publish_datapackage() -> None:
    """The whole fact base for download, ``reports/data/``: replaced in one step, and only when it changed."""
    from .datapackage import ZIP_NAME, export_datapackage, package_files

    target = paths.REPORTS_DIR / "data"
    files = package_files()
    on_disk = {p.relative_to(target).as_posix(): p for p in target.rglob("*") if p.is_file()} if target.is_dir() else {}
    if set(on_disk) == set(files) | {ZIP_NAME} and all(on_disk[n].read_bytes() == c for n, c in files.items()):
        return
    work = paths.REPORTS_DIR / f"{publish.WORK_PREFIX}{os.getpid()}-data"
    shutil.rmtree(work, ignore_errors=True)
    export_datapackage(work)
    publish.swap_in(work, target)
    shutil.rmtree(work, ignore_errors=True)
