"""The index page: every briefing with headline numbers and links to both editions, HTML and PDF."""

from __future__ import annotations

from . import data, paths
from .build import output_paths
from .datapackage import ZIP_NAME
from .i18n import t
from .report import buildable_regions, esc, headlines


def render_index() -> str:
    """HTML of ``reports/index.html`` for the briefings that exist on disk."""
    fb = data.load()
    css = (paths.TEMPLATES_DIR / "briefing" / "static" / "briefing.css").read_text(encoding="utf-8")
    rows = []
    for region in buildable_regions(fb):
        outs = {lang: output_paths(region, lang) for lang in ("en", "zh")}
        if not outs["en"]["html"].exists() and not outs["zh"]["html"].exists():
            continue
        r = fb.regions.loc[region]
        links = []
        for lang, label in (("en", "English"), ("zh", "中文")):
            if outs[lang]["html"].exists():
                h, p = (o.relative_to(paths.REPORTS_DIR).as_posix() for o in (outs[lang]["html"], outs[lang]["pdf"]))
                links.append(f'{label}: <a href="{esc(h)}" hreflang="{"zh-Hans" if lang == "zh" else "en"}">HTML</a> · '
                             f'<a href="{esc(p)}">PDF</a>')
        nums = "".join(f"<li>{esc(label)}: <strong>{esc(value)}</strong></li>" for label, value in headlines(fb, region, "en"))
        rows.append(f'<tr><th scope="row">{esc(r.name_en)} <span lang="zh-Hans">{esc(r.name_zh)}</span></th>'
                    f'<td><ul class="headlines">{nums}</ul></td><td>{"<br>".join(links)}</td></tr>')
    data_links = f'<a href="data/datapackage.json">datapackage.json</a> · <a href="data/{esc(ZIP_NAME)}">zip</a>'
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(t("index.title", "en"))}</title><style>{css}</style></head>
<body class="briefing"><main>
<h1 id="title">{esc(t("index.title", "en"))} <span class="alt-name" lang="zh-Hans">{esc(t("index.title", "zh"))}</span></h1>
<p>{esc(t("index.intro", "en"))}</p><p lang="zh-Hans">{esc(t("index.intro", "zh"))}</p>
<p>{esc(t("index.data", "en"))} {data_links}</p><p lang="zh-Hans">{esc(t("index.data", "zh"))} {data_links}</p>
<table class="facts index"><caption>{esc(t("index.built", "en", n=len(fb.observations), m=len(fb.measures)))}</caption>
<thead><tr><th scope="col">{esc(t("col.region", "en"))}</th><th scope="col">{esc(t("col.headlines", "en"))}</th>
<th scope="col">{esc(t("col.briefing", "en"))}</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
</main></body></html>
"""
