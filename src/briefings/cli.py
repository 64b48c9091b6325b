"""Command line: ``briefings build``, ``briefings regions``, ``briefings validate``, ``briefings datadict``."""

from __future__ import annotations

import sys

import click

from . import paths


def _fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    sys.exit(2)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Reproducible, citable briefings on China's regional smart-manufacturing policy."""


@main.command()
@click.option("--region", "-r", "regions", multiple=True, help="Region slug, English or Chinese name (repeatable). "
              "Default: every region with facts.")
@click.option("--lang", "-l", type=click.Choice(["en", "zh", "all"]), default="all", show_default=True,
              help="Edition(s) to build.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Parallel workers (default: cores).")
@click.option("--force", is_flag=True, help="Rebuild even when inputs are unchanged.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def build(regions: tuple[str, ...], lang: str, jobs: int | None, force: bool, quiet: bool) -> None:
    """Build HTML and PDF briefings into reports/<region>/ and figures/<region>/."""
    from .build import build as run_build
    from .build import buildable_regions_light, read_regions_light
    from .regions import RegionError, resolve_region

    ids = None
    if regions:
        table = read_regions_light()
        try:
            ids = list(dict.fromkeys(resolve_region(r, table) for r in regions))
        except RegionError as exc:
            _fail(str(exc))
        empty = [r for r in ids if r not in buildable_regions_light()]
        if empty:
            _fail(f"region {empty[0]} has no facts in data/ (no observation or measure): nothing to build")
    langs = ("en", "zh") if lang == "all" else (lang,)
    try:
        results = run_build(ids, langs, jobs, force, progress=not quiet and sys.stderr.isatty(), echo=click.echo)
    except Exception as exc:  # noqa: BLE001 - one line, not a traceback
        from .data import DataError
        from .notebooks_hash import NotebookError
        from .system import MissingDependency

        if isinstance(exc, (DataError, MissingDependency, NotebookError)):
            _fail(str(exc))
        raise
    failed = [r for r in results if r.status == "failed"]
    built = sum(r.status == "built" for r in results)
    click.echo(f"{built} built, {len(results) - built - len(failed)} unchanged, {len(failed)} failed "
               f"→ {paths.REPORTS_DIR.relative_to(paths.ROOT)}/index.html")
    for r in failed:
        click.echo(f"error: {r.message}", err=True)
    if failed:
        sys.exit(1)


@main.command()
def regions() -> None:
    """List valid region parameters with English and Chinese names and how many facts each has."""
    from . import data

    fb = data.load()
    obs = fb.observations.region_id.value_counts()
    meas = fb.measures.region_id.value_counts()
    click.echo(f"{'region':<22}{'English':<24}{'中文':<14}{'numbers':>8}{'measures':>9}")
    for r in fb.regions.itertuples():
        click.echo(f"{r.region_id:<22}{r.name_en:<24}{r.name_zh:<{14 - len(r.name_zh)}}"
                   f"{obs.get(r.region_id, 0):>8}{meas.get(r.region_id, 0):>9}")


@main.command()
def validate() -> None:
    """Validate data/ against the schema and the seeds; print counts."""
    from . import data

    try:
        fb = data.validate()
    except data.DataError as exc:
        for p in exc.problems:
            click.echo(f"error: {p}", err=True)
        sys.exit(1)
    click.echo(f"ok: {len(fb.observations)} observations, {len(fb.measures)} measures, {len(fb.plans)} plans, "
               f"{len(fb.indicators)} indicators, {len(fb.sources)} sources")


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


if __name__ == "__main__":
    main()
