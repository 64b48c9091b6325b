"""Command line: ``briefings build``, ``watch``, ``regions``, ``validate``, ``datadict``, ``add-source``, ``accept``."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from . import paths


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Reproducible, citable briefings on China's regional smart-manufacturing policy."""
    import faulthandler
    import io
    import signal

    # `kill -USR1 <pid>` prints where every thread of a command is, for a build that seems stuck.
    try:
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    except (io.UnsupportedOperation, AttributeError, ValueError):  # stderr is not a file (click's test runner)
        pass


def _note(line: str) -> None:
    """A line about the fact base's lock or an interrupted edit, on stderr."""
    click.echo(line, err=True)


def _listed(results, status: str, most: int = 8) -> str:
    """The briefings of one status, by region with their editions: at most ``most`` regions, then a count."""
    langs: dict[str, list[str]] = {}
    for r in results:
        if r.status == status:
            langs.setdefault(r.region, []).append(r.lang)
    names = [f"{region} ({', '.join(lg)})" for region, lg in langs.items()]
    return ", ".join(names[:most]) + (f" and {len(names) - most} more" if len(names) > most else "")


_REGION = click.option(
    "--region",
    "-r",
    "regions",
    multiple=True,
    help="Region slug, English or Chinese name (repeatable). Default: every region with facts.",
)
_LANG = click.option(
    "--lang",
    "-l",
    default="all",
    show_default=True,
    help="Edition(s) to build: a language of src/briefings/locales (en, zh …) or all.",
)
_JOBS = click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Parallel workers (default: cores)."
)
_CELL_TIMEOUT = click.option(
    "--cell-timeout",
    type=click.IntRange(1, 86400),
    default=600,
    show_default=True,
    help="Seconds one notebook cell may run before the build stops it.",
)


def _what_to_build(regions: tuple[str, ...], lang: str) -> tuple[list[str] | None, tuple[str, ...]]:
    """The region ids (None: every region with facts) and editions asked for; exits with one line if unknown."""
    from .build import buildable_regions_light, read_regions_light
    from .csvtext import DataError
    from .i18n import LangError, check_lang, langs
    from .regions import RegionError, resolve_region

    try:
        ids = None
        if regions:
            table = read_regions_light()
            ids = list(dict.fromkeys(resolve_region(r, table) for r in regions))
            empty = [r for r in ids if r not in buildable_regions_light()]
            if empty:
                _fail(f"region {empty[0]} has no facts in data/ (no observation or measure): nothing to build")
        return ids, langs() if lang == "all" else (check_lang(lang),)
    except (DataError, RegionError, LangError) as exc:
        _fail(str(exc))
        raise  # not reached: _fail exits


def _interrupted(line: str) -> None:
    """After Ctrl-C or SIGTERM, once every worker and kernel is stopped: one line, then exit 130."""
    click.echo(line, err=True)
    # Leave now with 130, as a shell does after Ctrl-C. The interpreter's own shutdown would join the pool's
    # threads, and a KeyboardInterrupt raised there turns the exit status into "killed by SIGINT".
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(130)


@main.command()
@_REGION
@_LANG
@_JOBS
@click.option("--force", is_flag=True, help="Rebuild even when inputs are unchanged.")
@_CELL_TIMEOUT
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option(
    "--fresh-kernels",
    is_flag=True,
    help="Start a new kernel for each briefing instead of one kept warm per worker (slower; for comparison).",
)
def build(
    regions: tuple[str, ...],
    lang: str,
    jobs: int | None,
    force: bool,
    cell_timeout: int,
    quiet: bool,
    fresh_kernels: bool,
) -> None:
    """Build HTML and PDF briefings into reports/<region>/ and figures/<region>/."""
    from .build import build as run_build
    from .csvtext import DataError
    from .i18n import LangError
    from .notebooks_hash import NotebookError
    from .regions import RegionError
    from .system import MissingDependency
    from .transaction import EditError

    ids, editions = _what_to_build(regions, lang)
    try:
        results = run_build(
            ids,
            editions,
            jobs,
            force,
            progress=not quiet and sys.stderr.isatty(),
            echo=click.echo,
            cell_timeout=cell_timeout,
            fresh_kernels=fresh_kernels,
        )
    except (DataError, RegionError, MissingDependency, NotebookError, LangError, EditError) as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _interrupted(
            "error: interrupted: every worker and kernel was stopped and nothing half-built was published; "
            "run the same command again to finish"
        )
    failed = [r for r in results if r.status == "failed"]
    built = sum(r.status == "built" for r in results)
    unchanged = sum(r.status == "unchanged" for r in results)
    click.echo(
        f"{built} built, {unchanged} unchanged, {len(failed)} failed "
        f"→ {paths.REPORTS_DIR.relative_to(paths.ROOT)}/index.html"
    )
    if unchanged and built + len(failed):
        click.echo(f"unchanged (their inputs are as when published): {_listed(results, 'unchanged')}")
    stale = [(r.region, r.lang) for r in results if r.status == "stale"]
    if stale:
        names = _listed(results, "stale")
        click.echo(
            f"note: {len(stale)} other published briefing{'s are' if len(stale) != 1 else ' is'} out of date "
            f"(built from older inputs; marked in the index): {names}; run `briefings build` to refresh"
        )
    for r in failed:
        click.echo(f"error: {r.message}", err=True)
    if failed:
        sys.exit(1)


@main.command()
@_REGION
@_LANG
@_JOBS
@_CELL_TIMEOUT
@click.option(
    "--interval", type=click.FloatRange(0.1, 60), default=1.0, show_default=True, help="Seconds between looks."
)
def watch(regions: tuple[str, ...], lang: str, jobs: int | None, cell_timeout: int, interval: float) -> None:
    """Build, then rebuild what each saved edit of data/, seeds/ or notebooks/ puts out of date, with warm workers.

    Start it with the region you are working on (-r) to see that briefing again a few seconds after each
    save; the index marks the others that the edit put out of date. Ctrl-C stops it.
    """
    from .system import MissingDependency
    from .watch import watch as run_watch

    ids, editions = _what_to_build(regions, lang)
    try:
        run_watch(ids, editions, jobs, cell_timeout, click.echo, interval)
    except MissingDependency as exc:
        _fail(str(exc))
    except KeyboardInterrupt:
        _interrupted("stopped watching: every worker and kernel was stopped and nothing half-built was published")


@main.command()
def regions() -> None:
    """List valid region parameters with English and Chinese names and how many facts each has."""
    from . import data

    try:
        fb = data.load()
    except data.DataError as exc:
        _fail(str(exc))
    obs = fb.observations.region_id.value_counts()
    meas = fb.measures.region_id.value_counts()
    click.echo(f"{'region':<22}{'English':<24}{'中文':<14}{'numbers':>8}{'measures':>9}")
    for r in fb.regions.itertuples():
        click.echo(
            f"{r.region_id:<22}{r.name_en:<24}{r.name_zh:<{14 - len(r.name_zh)}}"
            f"{obs.get(r.region_id, 0):>8}{meas.get(r.region_id, 0):>9}"
        )


@main.command()
def validate() -> None:
    """Validate data/ against the schema and the seeds; print counts."""
    from . import data
    from .transaction import recover

    recover(_note)
    try:
        fb = data.validate()
    except data.DataError as exc:
        for p in exc.problems:
            click.echo(f"error: {p}", err=True)
        sys.exit(1)
    click.echo(
        f"ok: {len(fb.observations)} observations, {len(fb.measures)} measures, {len(fb.plans)} plans, "
        f"{len(fb.indicators)} indicators, {len(fb.sources)} sources"
    )


@main.command()
@click.option("--check", is_flag=True, help="Exit 1 if data/README.md or data/datapackage.json is not up to date.")
def datadict(check: bool) -> None:
    """Write data/README.md, the data dictionary, and data/datapackage.json from the schema."""
    from .datadict import generated

    stale = []
    for name, text in generated().items():
        target = paths.DATA_DIR / name
        if check:
            if not target.exists() or target.read_text(encoding="utf-8") != text:
                stale.append(f"data/{name}")
            continue
        target.write_text(text, encoding="utf-8")
        click.echo(f"wrote {target.relative_to(paths.ROOT)}")
    if stale:
        _fail(f"{' and '.join(stale)} out of date: run `briefings datadict`")


@main.command("add-source")
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.option(
    "--published", help="Publication date, YYYY-MM or YYYY-MM-DD (default: the date the text gives, marked guessed)."
)
@click.option("--guessed", is_flag=True, help="The --published date is a guess: record it as inferred.")
@click.option(
    "--force",
    is_flag=True,
    help="Take a text that reads as nonsense or in which no number is drafted; replace an existing review sheet.",
)
@click.option("--redraft", "redraft_id", metavar="SOURCE", help="Draft a registered source again (no FILE).")
@click.option("--title", help="Headline as printed (default: the document's own title).")
@click.option("--title-en", help="English rendering of the headline (default: the Chinese title, to translate).")
@click.option("--publisher", help="Who published the text (default: not stated).")
@click.option("--id", "source_id", help="Slug for the source (default: <region>-<year>).")
@click.option(
    "--sheet",
    type=click.Path(path_type=Path),
    help="Where to write the review sheet (default: drafts/<source_id>.csv); never inside data/, seeds/, "
    "reports/ or figures/.",
)
def add_source(
    file: Path | None,
    published: str | None,
    guessed: bool,
    force: bool,
    redraft_id: str | None,
    title: str | None,
    title_en: str | None,
    publisher: str | None,
    source_id: str | None,
    sheet: Path | None,
) -> None:
    """Copy a Chinese text into seeds/, register it and draft every number into a review sheet."""
    from .csvtext import DataError
    from .sheet import SheetError, redraft
    from .sheet import add_source as run
    from .transaction import EditError

    try:
        if redraft_id:
            got = redraft(redraft_id, sheet)
        elif file is None:
            raise SheetError("give the FILE of a new source, or --redraft SOURCE for a registered one")
        else:
            got = run(file, published, title, title_en, publisher, source_id, sheet, force, guessed, _note)
    except (SheetError, DataError) as exc:
        for p in exc.problems:
            click.echo(f"error: {p}", err=True)
        sys.exit(2)
    except EditError as exc:
        _fail(str(exc))
    shown = got["sheet"].relative_to(paths.ROOT) if got["sheet"].is_relative_to(paths.ROOT) else got["sheet"]
    verb = "drafted again" if redraft_id else "added"
    click.echo(
        f"{verb} {got['source_id']} as seeds/{got['seed']} ({got['script']} Chinese"
        f"{', ' + got['note'] if got['note'] and not redraft_id else ''})"
    )
    click.echo(
        f"drafted {got['observations']} numbers, {got['plans']} plans, {got['measures']} measures; "
        f"skipped {got['skipped']} → {shown}"
    )
    click.echo(f"next: mark rows yes in its accept column, correct them, then `briefings accept {shown}`")


@main.command("accept")
@click.argument("sheet", type=click.Path(path_type=Path))
def accept_sheet(sheet: Path) -> None:
    """Merge the rows of a review sheet marked yes into data/ (all or nothing)."""
    from .accept import accept
    from .sheet import SheetError
    from .transaction import EditError

    try:
        got = accept(sheet, _note)
    except SheetError as exc:
        for p in exc.problems:
            click.echo(f"error: {p}", err=True)
        click.echo("nothing was merged", err=True)
        sys.exit(1)
    except EditError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)
    for w in got["warnings"]:
        click.echo(f"warning: {w}", err=True)
    already = f" ({got['already']} already merged)" if got["already"] else ""
    click.echo(
        f"merged {got['observations']} observations, {got['measures']} measures, {got['plans']} plans, "
        f"{got['indicators']} new indicators, {got['regions']} new regions{already}; next: make report"
    )


if __name__ == "__main__":
    main()
