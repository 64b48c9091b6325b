"""The index page: one row per region, comparing them — the date its data stand at, its adopted targets and
what they come to, its top finding — with links to both editions in both formats; sortable.

The index reads each briefing's own summary (``reports/<region>/briefing*.json``, written by the build
from the same run as the briefing), never the current fact base, so it cannot show a number that
differs from the briefing it links to. Briefings that are out of date are marked as such.
"""

from __future__ import annotations

import json

import markupsafe

from . import paths
from .datapackage import ZIP_NAME
from .i18n import format_period, langs, locale, t
from .publish import edition_suffixes


def published_entries(stale: set[tuple[str, str]], order: dict[str, int]) -> list[dict]:
    """One entry per region with a published briefing: names, data date, targets by status, top finding and
    each edition's links, in ``order`` (region → place; others after, by name)."""
    rows = []
    dirs = sorted(
        (d for d in paths.REPORTS_DIR.iterdir() if d.is_dir() and not d.name.startswith("."))
        if paths.REPORTS_DIR.is_dir()
        else [],
        key=lambda d: (order.get(d.name, len(order)), d.name),
    )
    for d in dirs:
        editions, summaries = [], {}
        for lang, suffix in edition_suffixes().items():
            html, pdf, meta = (d / f"briefing{suffix}.{ext}" for ext in ("html", "pdf", "json"))
            if not (html.exists() and pdf.exists() and meta.exists()):
                continue
            try:
                summaries[lang] = json.loads(meta.read_text(encoding="utf-8"))
            except ValueError:
                continue
            editions.append(
                {
                    "label": locale(lang).name,
                    "hreflang": locale(lang).html_lang,
                    "html": f"{d.name}/{html.name}",
                    "pdf": f"{d.name}/{pdf.name}",
                    "stale": (d.name, lang) in stale,
                }
            )
        if not editions:
            continue
        summary = summaries.get(langs()[0]) or next(iter(summaries.values()))
        rows.append(
            {
                "region": d.name,
                "name": summary.get("name", d.name),
                "alt_name": summary.get("alt_name", ""),
                "as_of": summary.get("as_of", ""),
                "as_of_text": format_period(summary.get("as_of", "")[:7], langs()[0]) if summary.get("as_of") else "",
                "is_note": bool(summary.get("is_note")),
                "targets": summary.get("targets", {}),
                "top_finding": summary.get("top_finding", ""),  # plain text, escaped by the template
                "editions": editions,
            }
        )
    return rows


def render_index(stale: set[tuple[str, str]], order: dict[str, int]) -> str:
    """HTML of ``reports/index.html``: the published briefings, ``stale`` marked out of date, in ``order``."""
    from .templating import environment

    css = (paths.TEMPLATES_DIR / "briefing" / "static" / "briefing.css").read_text(encoding="utf-8")
    rows = published_entries(stale, order)
    return (
        environment()
        .get_template("site/index.html.j2")
        .render(
            t=t,
            locales=[locale(lang) for lang in langs()],
            css=markupsafe.Markup(css),
            rows=rows,
            zip_name=ZIP_NAME,
            has_data=(paths.REPORTS_DIR / "data" / "datapackage.json").exists(),
            n_regions=len(rows),
            n_notes=sum(r["is_note"] for r in rows),
            groups=("met", "on_track", "behind", "unknown"),
            any_stale=any(e["stale"] for r in rows for e in r["editions"]),
        )
    )
