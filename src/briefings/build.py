"""Build briefings: assemble the notebooks → execute with papermill → HTML (nbconvert) → PDF (WeasyPrint).

Every output is written to a staging folder and moved into ``reports/`` and ``figures/`` by rename,
only after the whole briefing has succeeded, under a per-region lock. Inputs are hashed: a briefing
whose inputs have not changed is not rebuilt. Heavy libraries are imported only when work is needed,
so a rebuild with nothing changed is instant.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from . import paths

LANG_SUFFIX = {"en": "", "zh": ".zh"}
HTML_LANG = {"en": "en", "zh": "zh-Hans"}
SKIP_TAGS = {"parameters", "setup", "standalone", "analyst-note"}


class BuildError(RuntimeError):
    """A briefing could not be built; the message names what to fix."""


@dataclass
class Result:
    """What one (region, language) build did."""

    region: str
    lang: str
    status: str  # built, unchanged, failed
    seconds: float = 0.0
    message: str = ""
    peak_rss_mb: float = 0.0
    kernel_peak_rss_mb: float = 0.0


# --- Inputs and hashing -------------------------------------------------------------------------------

def _files_digest(files: list[Path]) -> str:
    h = hashlib.sha256()
    for f in sorted(files):
        h.update(str(f.relative_to(paths.ROOT) if f.is_relative_to(paths.ROOT) else f).encode() + b"\0")
        h.update(f.read_bytes())
    return h.hexdigest()


def inputs_digest() -> str:
    """Hash of everything a briefing depends on: data, seeds, notebooks, templates, package code."""
    files = [*paths.DATA_DIR.glob("*.csv"), *paths.SEEDS_DIR.glob("*.txt"),
             *(p for p in paths.PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in
               {".py", ".toml", ".j2", ".css", ".json"})]
    from .notebooks_hash import notebooks_digest  # cell sources only: saving in JupyterLab changes nothing

    notebooks = notebooks_digest(paths.NOTEBOOKS_DIR / n for n in paths.BRIEFING_NOTEBOOKS)
    return hashlib.sha256((_files_digest(files) + notebooks).encode()).hexdigest()


def briefing_key(digest: str, region: str, lang: str) -> str:
    return hashlib.sha256(f"{digest}\0{region}\0{lang}".encode()).hexdigest()


def output_paths(region: str, lang: str) -> dict[str, Path]:
    d = paths.REPORTS_DIR / region
    s = LANG_SUFFIX[lang]
    return {"html": d / f"briefing{s}.html", "pdf": d / f"briefing{s}.pdf", "ipynb": d / f"briefing{s}.ipynb"}


def _stamp_path(region: str, lang: str) -> Path:
    return paths.BUILD_DIR / "stamps" / f"{region}.{lang}.json"


def is_fresh(region: str, lang: str, key: str) -> bool:
    """True when the last successful build of this briefing had the same inputs and its outputs exist."""
    stamp = _stamp_path(region, lang)
    try:
        saved = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return saved.get("key") == key and all(p.exists() for p in output_paths(region, lang).values())


def read_regions_light() -> list[dict[str, str]]:
    """regions.csv with the standard library only (no pandas): for the fast no-op path."""
    with (paths.DATA_DIR / "regions.csv").open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def buildable_regions_light() -> list[str]:
    """Regions with any observation or measure, read with the standard library only."""
    used: set[str] = set()
    for name in ("observations.csv", "measures.csv"):
        with (paths.DATA_DIR / name).open(encoding="utf-8", newline="") as fh:
            used |= {row["region_id"] for row in csv.DictReader(fh)}
    return [r["region_id"] for r in read_regions_light() if r["region_id"] in used]


# --- Assembly -----------------------------------------------------------------------------------------

def assemble():
    """One notebook for the whole briefing: parameters, set-up, front matter, parts 1–3, back matter."""
    import nbformat
    from nbformat.v4 import new_code_cell

    nbs = [(name, nbformat.read(paths.NOTEBOOKS_DIR / name, as_version=4)) for name in paths.BRIEFING_NOTEBOOKS]
    first = nbs[0][1]

    def tagged(nb, tag):
        return [c for c in nb.cells if tag in c.metadata.get("tags", [])]

    def mark(cell, source, index):
        cell = nbformat.from_dict(dict(cell))
        cell.metadata = {**cell.metadata, "briefings": {"notebook": source, "cell": index}}
        return cell

    params, setup = tagged(first, "parameters"), tagged(first, "setup")
    if len(params) != 1 or len(setup) != 1:
        raise BuildError(f"notebooks/{nbs[0][0]}: needs exactly one cell tagged 'parameters' and one tagged 'setup'")
    cells = [mark(params[0], nbs[0][0], first.cells.index(params[0])),
             mark(setup[0], nbs[0][0], first.cells.index(setup[0])),
             mark(new_code_cell("bn.front_matter(ctx)"), "front matter (briefings.notebook.front_matter)", 0)]
    for name, nb in nbs:
        if len(tagged(nb, "parameters")) != 1:
            raise BuildError(f"notebooks/{name}: needs exactly one cell tagged 'parameters'")
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and not SKIP_TAGS & set(cell.metadata.get("tags", [])):
                cells.append(mark(cell, name, i))
    cells.append(mark(new_code_cell("bn.back_matter(ctx)"), "back matter (briefings.notebook.back_matter)", 0))
    cells.append(mark(new_code_cell("bn.record_metrics()"), "metrics (briefings.notebook.record_metrics)", 0))
    for i, c in enumerate(cells):
        c.outputs, c.execution_count, c.id = [], None, f"cell-{i}"
    return nbformat.v4.new_notebook(cells=cells, metadata=first.metadata)


# --- One briefing -------------------------------------------------------------------------------------

def _exporter(lang: str):
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(template_name="briefing", extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.language_code = HTML_LANG[lang]
    return exporter


def _toc(html: str) -> str:
    """Nested contents list from the h2/h3 headings that carry an id."""
    items: list[tuple[int, str, str]] = []
    for level, hid, text in re.findall(r'<h([23]) id="([^"]+)">(.*?)</h\1>', html):
        items.append((int(level), hid, text))
    out, open_sub = ["<ol>"], False
    for level, hid, text in items:
        if level == 2:
            if open_sub:
                out.append("</ol></li>")
                open_sub = False
            elif len(out) > 1:
                out.append("</li>")
            out.append(f'<li><a href="#{hid}">{text}</a>')
        else:
            if not open_sub:
                out.append("<ol>")
                open_sub = True
            out.append(f'<li><a href="#{hid}">{text}</a></li>')
    out.append("</ol></li></ol>" if open_sub else ("</li></ol>" if len(out) > 1 else "</ol>"))
    return "".join(out)


def finish_html(html: str, region: str, lang: str, digest: str) -> str:
    """Fill the contents, the links to the other edition and the index, and the colophon."""
    from .i18n import t

    other = "zh" if lang == "en" else "en"
    links = (f'<a href="briefing{LANG_SUFFIX[other]}.html" hreflang="{HTML_LANG[other]}">{t("title.lang_link", lang)}</a>'
             f' · <a href="briefing{LANG_SUFFIX[lang]}.pdf">PDF</a>'
             f' · <a href="../index.html">{t("title.index", lang)}</a>')
    html = html.replace("<!--TOC-->", _toc(html), 1).replace("<!--LANG-LINK-->", links, 1)
    return html.replace("<!--COLOPHON-->", t("title.colophon", lang, version=digest[:12], region=region), 1)


def _failed_cell(nb) -> str:
    """Where a failed run stopped: the source notebook, the cell's number in it (from 1) and its first line."""
    for cell in nb.cells:
        if any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
            meta = cell.metadata.get("briefings", {})
            first = (cell.source.strip().splitlines() or [""])[0][:60]
            where = meta.get("notebook", "?")
            where = f"notebooks/{where}" if where.endswith(".ipynb") else where
            return f"{where}, cell {meta.get('cell', -1) + 1} ({first})"
    return "an unknown cell"


def _kernel_peak_mb(nb) -> float:
    """The kernel's peak memory, as printed by the last cell of the assembled notebook."""
    for cell in reversed(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and "kernel_peak_rss_mb" in out.get("text", ""):
                return json.loads(out["text"].strip().splitlines()[-1])["kernel_peak_rss_mb"]
    return 0.0


def build_one(region: str, lang: str, key: str, digest: str, assembled_path: str) -> Result:
    """Execute, render and publish one briefing; on any failure publish nothing and say why."""
    import nbformat
    import papermill as pm
    from filelock import FileLock

    started = time.perf_counter()
    stage = paths.BUILD_DIR / "stage" / f"{region}.{lang}.{uuid.uuid4().hex[:8]}"
    figs = stage / "figures"
    figs.mkdir(parents=True)
    executed = stage / "briefing.ipynb"
    try:
        try:
            pm.execute_notebook(assembled_path, str(executed), parameters={"region": region, "lang": lang,
                                "figures_dir": str(figs)}, kernel_name="python3", progress_bar=False,
                                cwd=str(paths.ROOT), request_save_on_cell_execute=False)
        except pm.PapermillExecutionError as exc:
            failed = paths.BUILD_DIR / "failed" / f"{region}.{lang}.ipynb"
            failed.parent.mkdir(parents=True, exist_ok=True)
            where = f"cell {exc.cell_index}"
            if executed.exists():
                shutil.copyfile(executed, failed)
                where = _failed_cell(nbformat.read(executed, as_version=4))
            raise BuildError(f"{region} ({lang}): {where} failed: {exc.ename}: "
                             f"{str(exc.evalue).splitlines()[0] if exc.evalue else ''} "
                             f"[executed notebook kept at {failed.relative_to(paths.ROOT)}]") from None
        nb = nbformat.read(executed, as_version=4)
        nb.metadata["title"] = _title(region, lang)
        html, _ = _exporter(lang).from_notebook_node(nb)
        html = finish_html(html, region, lang, digest)
        (stage / "briefing.html").write_text(html, encoding="utf-8")
        render_pdf(html, stage / "briefing.pdf", base_url=paths.REPORTS_DIR / region)
        with FileLock(str(_lock_path(region))):
            publish(stage, region, lang)
            _write_json(_stamp_path(region, lang), {"key": key, "region": region, "lang": lang})
        from .system import peak_memory_mb

        return Result(region, lang, "built", time.perf_counter() - started, peak_rss_mb=peak_memory_mb(),
                      kernel_peak_rss_mb=_kernel_peak_mb(nb))
    except BuildError as exc:
        return Result(region, lang, "failed", time.perf_counter() - started, str(exc))
    except Exception as exc:  # noqa: BLE001 - any failure becomes a one-line message
        line = str(exc).splitlines()[0] if str(exc) else ""
        return Result(region, lang, "failed", time.perf_counter() - started,
                      f"{region} ({lang}): {type(exc).__name__}: {line}")
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _title(region: str, lang: str) -> str:
    from .i18n import t

    row = next(r for r in read_regions_light() if r["region_id"] == region)
    name = row["name_en"] if lang == "en" else row["name_zh"]
    return f"{name} · {t('title.kicker', lang)}"


def render_pdf(html: str, target: Path, base_url: Path) -> None:
    """HTML → PDF with WeasyPrint (A4, print CSS, embedded subset CJK fonts)."""
    from .system import require_pdf_stack

    require_pdf_stack()
    import weasyprint

    weasyprint.HTML(string=html, base_url=str(base_url) + "/").write_pdf(str(target))


def _lock_path(name: str) -> Path:
    p = paths.BUILD_DIR / "locks" / f"{name}.lock"
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def _write_json(path: Path, obj: object) -> None:
    paths.atomic_write(path, json.dumps(obj, ensure_ascii=False, indent=1).encode("utf-8"))


def publish(stage: Path, region: str, lang: str) -> None:
    """Move a finished briefing from its staging folder into place, each file by atomic rename."""
    out = output_paths(region, lang)
    out["html"].parent.mkdir(parents=True, exist_ok=True)
    fig_dir = paths.FIGURES_DIR / region
    fig_dir.mkdir(parents=True, exist_ok=True)
    suffix = LANG_SUFFIX[lang]
    new = {f.name for f in (stage / "figures").iterdir()}
    for f in (stage / "figures").iterdir():
        paths.atomic_write(fig_dir / f.name, f.read_bytes())
    for old in fig_dir.iterdir():  # charts of this edition that the new build no longer draws
        is_this_lang = (old.stem.endswith(suffix) if suffix else "." not in old.stem)
        if is_this_lang and old.name not in new and old.suffix in (".svg", ".csv"):
            old.unlink()
    for kind in ("ipynb", "pdf", "html"):  # html last: a reader who sees it finds the rest
        paths.atomic_write(out[kind], (stage / f"briefing.{kind}").read_bytes())


# --- Many briefings -----------------------------------------------------------------------------------

def _init_worker() -> None:
    """Send this worker's (and its kernels') stderr to a log file, and load the heavy libraries once."""
    log = paths.BUILD_DIR / "logs" / f"worker-{os.getpid()}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    os.dup2(fd, 2)
    os.close(fd)
    import nbconvert  # noqa: F401
    import papermill  # noqa: F401
    import weasyprint  # noqa: F401


def build(regions: list[str] | None = None, langs: tuple[str, ...] = ("en", "zh"), jobs: int | None = None,
          force: bool = False, progress: bool = True, echo=print) -> list[Result]:
    """Build the briefings of ``regions`` (default: every region with facts) in ``langs``, in parallel."""
    digest = inputs_digest()
    regions = regions or buildable_regions_light()
    tasks = [(r, lang, briefing_key(digest, r, lang)) for r in regions for lang in langs]
    todo = [task for task in tasks if force or not is_fresh(*task)]
    results = [Result(r, lang, "unchanged") for r, lang, k in tasks if (r, lang, k) not in todo]
    if todo:
        results += _run(todo, digest, jobs or os.cpu_count() or 1, progress, echo)
    write_index(digest, force=bool(todo) or force)
    _write_json(paths.BUILD_DIR / "last-build.json", [r.__dict__ for r in results])
    return results


def _run(todo: list[tuple[str, str, str]], digest: str, jobs: int, progress: bool, echo) -> list[Result]:
    import nbformat
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from tqdm import tqdm

    from . import data
    from .system import require_pdf_stack

    require_pdf_stack()
    data.load()  # validate once (cached by the inputs' hash) before any kernel starts
    assembled = paths.BUILD_DIR / "assembled" / f"briefing-{digest[:12]}.ipynb"
    if not assembled.exists():
        paths.atomic_write(assembled, nbformat.writes(assemble()).encode("utf-8"))
    results: list[Result] = []
    bar = tqdm(total=len(todo), desc="briefings", unit="briefing", disable=not progress, dynamic_ncols=True)
    workers = max(1, min(jobs, len(todo)))
    with ProcessPoolExecutor(max_workers=workers, initializer=_init_worker) as pool:
        futures = {pool.submit(build_one, r, lang, key, digest, str(assembled)): (r, lang) for r, lang, key in todo}
        for fut in as_completed(futures):
            res = fut.result()
            results.append(res)
            line = (f"{res.region:<20} {res.lang}  {res.status:<7} {res.seconds:5.1f}s"
                    + (f"  {res.message}" if res.message else ""))
            (tqdm.write if progress else echo)(line)
            bar.update(1)
    bar.close()
    return results


def write_index(digest: str, force: bool = False) -> Path:
    """``reports/index.html``: every briefing with headline numbers and links to HTML and PDF."""
    target = paths.REPORTS_DIR / "index.html"
    stamp = paths.BUILD_DIR / "stamps" / "index.json"
    key = hashlib.sha256((digest + "".join(sorted(
        str(p.relative_to(paths.REPORTS_DIR)) for p in paths.REPORTS_DIR.glob("*/briefing*.html")))).encode()).hexdigest()
    if not force and target.exists() and stamp.exists() and json.loads(stamp.read_text()).get("key") == key:
        return target
    from filelock import FileLock

    from .index import render_index

    with FileLock(str(_lock_path("index"))):
        from .datapackage import export_datapackage  # the whole fact base for download: reports/data/

        export_datapackage(paths.REPORTS_DIR / "data")
        paths.atomic_write(target, render_index().encode("utf-8"))
        _write_json(stamp, {"key": key})
    return target
