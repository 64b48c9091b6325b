"""From an executed notebook to the published page: the page's parts, the HTML exporter (nbconvert), the
archived notebook, the chart files and the PDF (WeasyPrint)."""

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
    subject, keywords, language, as-of date) is what WeasyPrint writes into the PDF.
    """
    from .. import sections
    from ..datapackage import ZIP_NAME
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


def render_pdf(html: str, target: Path, base_url: Path | None = None) -> None:
    """HTML → tagged PDF (PDF/UA-1) with WeasyPrint: A4, print CSS, embedded subset CJK fonts, metadata, bookmarks.

    Links keep the relative form they have in ``html`` (relative to ``base_url``, the folder the PDF is
    published in): WeasyPrint is given no base URL, so it writes no ``file://`` path of this machine into
    the PDF. The HTML needs none: its stylesheet and charts are inline.
    """
    from ..system import require_pdf_stack

    require_pdf_stack()
    import weasyprint

    weasyprint.HTML(string=html, base_url=None).write_pdf(str(target), pdf_variant="pdf/ua-1")


WARM_UP_HTML = (
    "<html><body style='font-family: \"Noto Sans CJK SC\", sans-serif'><p>Briefing 简报 <b>1,432 ％</b></p>"
    "<p style='font-family: monospace'>data/</p></body></html>"
)
"""Laid out once per worker, so that the first briefing finds WeasyPrint's fonts loaded."""


def warm_up() -> None:
    """Load nbconvert and WeasyPrint, compile every edition's page templates and lay out a line of text in
    each font, so that a worker's first briefing pays none of it."""
    import nbconvert  # noqa: F401
    import weasyprint

    from ..i18n import langs

    for lang in langs():
        worker_exporter(lang)
    weasyprint.HTML(string=WARM_UP_HTML).write_pdf()
