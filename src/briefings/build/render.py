"""From an executed notebook to the published page: the page's parts, the HTML exporter (nbconvert), the
archived notebook, the chart files and the PDF (Typst, from the document model: ``typeset``)."""

from __future__ import annotations

import json
from pathlib import Path

from .. import paths
from ..publish import edition_suffix
from .keys import read_regions_light


def _exporter(lang: str):
    from nbconvert import HTMLExporter

    from ..i18n import locale

    exporter = HTMLExporter(template_name="briefing", extra_template_basedirs=[str(paths.TEMPLATES_DIR)])
    exporter.exclude_input = True
    exporter.exclude_input_prompt = True
    exporter.exclude_output_prompt = True
    exporter.language_code = locale(lang).html_lang
    return exporter


_exporters: dict[str, object] = {}


def worker_exporter(lang: str):
    """``_exporter(lang)``, made once per worker (its templates compiled once)."""
    if lang not in _exporters:
        _exporters[lang] = _exporter(lang)
    return _exporters[lang]


def page_parts(summary: dict, shown: dict[str, str], region: str, lang: str, digest: str) -> dict:
    """What the page template (``templates/briefing``) shows besides the cells: the metadata, the title block
    with the version and the links to the other editions, the PDF and the index, the contents list (the
    declared sections that were shown) and the colophon. ``summary`` is the briefing's own (``record_summary``),
    ``shown`` the sections it showed (id → heading text).

    Every link is relative, so the briefing works wherever ``reports/`` is copied. The metadata (author,
    subject, keywords, language, as-of date) is in the HTML head and the PDF's metadata (``meta``).
    """
    from .. import sections
    from ..datapackage import ZIP_NAME
    from ..document import Colophon, Contents, Title
    from ..i18n import langs, locale, t
    from ..templating import render

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
    blocks = {
        "title": Title(**summary["title"], version=version, links=links),
        "contents": Contents(title=t("toc.title", lang), parts=sections.contents(shown)),
        "colophon": Colophon(
            text=t("title.colophon", lang, version=digest[:12], region=region),
            href=f"../data/{ZIP_NAME}",
            label=t("title.fact_base", lang),
        ),
    }
    print_meta = {
        "title": briefing_title(region, lang),
        "author": meta["author"],
        "description": meta["description"],
        "keywords": [*summary["names"], t("meta.keywords", lang)],
        "as_of": as_of,
        "running_head": summary["name"],
        "print": locale(lang).typeset,
    }
    return {
        "head": render("head", meta=meta),
        "parts": {part: blocks[part].html() for part in ("title", "contents")},
        "colophon": blocks["colophon"].html(),
        "blocks": {part: b.data() for part, b in blocks.items()},
        "meta": print_meta,
    }


def document_of(nb, parts: dict) -> dict:
    """The briefing's document model: the blocks its cells handed over, the build's title, contents and
    colophon in their places, and the PDF's metadata."""
    from ..typeset import blocks_of

    return {"meta": parts["meta"], "blocks": [*blocks_of(nb, parts["blocks"]), parts["blocks"]["colophon"]]}


def kernel_peak_mb(nb) -> float:
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


def chart_file(name: str, text: str) -> bytes:
    """A chart file as published: a CSV with no cell that a spreadsheet would run (``cells.neutralise_csv``)."""
    from ..cells import neutralise_csv

    raw = text.encode("utf-8")
    return neutralise_csv(raw) if name.endswith(".csv") else raw


def briefing_title(region: str, lang: str) -> str:
    """The archived notebook's title: the region's name in the edition's language and the kicker."""
    from ..i18n import locale, t

    row = next(r for r in read_regions_light() if r["region_id"] == region)
    return f"{row[locale(lang).column('name', row)]} · {t('title.kicker', lang)}"


def render_pdf(document: dict, target: Path) -> None:
    """The document model → a tagged PDF (PDF/UA-1, PDF/A-2a) through Typst (``typeset``)."""
    start_pdf(document, target).wait()


def start_pdf(document: dict, target: Path):
    """Start ``render_pdf`` in the typesetter's own process; ``.wait()`` for it, or ``.cancel()`` it."""
    from ..typeset import start

    return start(document, target)


def warm_up() -> None:
    """Load nbconvert, compile every edition's page templates, and read the PDF's fonts and typeset a line
    of text in each, so that a worker's first briefing pays none of it."""
    import nbconvert  # noqa: F401

    from ..i18n import langs
    from ..typeset import warm_up as typeset_warm_up

    for lang in langs():
        worker_exporter(lang)
    typeset_warm_up()
