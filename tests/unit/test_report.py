"""HTML pieces: escaping, periods, system-dependency messages."""

from __future__ import annotations

import re

import pytest
from markupsafe import escape as esc

from briefings import notebook as bn
from briefings import progress, scorecard, system
from briefings.i18n import format_period, t
from briefings.report import Context, buildable_regions, facts_table, measures_table

from ..conftest import page_one


def _ctx(fb, region="shanghai", lang="en", tmp_path=None):
    return Context(fb, region, lang, tmp_path, "../../figures/" + region)


def test_quotes_from_data_are_escaped(fb, tmp_path):
    evil = fb.observations.copy()
    i = evil.index[(evil.region_id == "shanghai") & (evil.role == "result")][0]
    evil.loc[i, "quote"] = '<script>alert("x")</script>'
    fb2 = type(fb)(**{**fb.__dict__, "observations": evil})
    html = _html(facts_table, _ctx(fb2, tmp_path=tmp_path), "result")
    assert "<script>" not in html and re.search(r"&lt;script&gt;alert\((&quot;|&#34;)x\1\)&lt;/script&gt;", html)


def test_measure_summaries_are_escaped(fb, tmp_path):
    m = fb.measures.copy()
    m.loc[m.index[m.region_id == "hebei"][0], "summary_en"] = "<img src=x onerror=alert(1)>"
    fb2 = type(fb)(**{**fb.__dict__, "measures": m})
    html = _html(measures_table, _ctx(fb2, "hebei", tmp_path=tmp_path))
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_tables_show_whole_quotes(fb, tmp_path):
    html = _html(facts_table, _ctx(fb, tmp_path=tmp_path), "target")
    longest = max(
        fb.observations[(fb.observations.region_id == "shanghai") & (fb.observations.role == "target")].quote, key=len
    )
    assert esc(longest) in html


@pytest.mark.parametrize(
    "period, en, zh",
    [
        ("2024-01..02", "Jan–Feb 2024", "2024年1—2月"),
        ("2023", "2023", "2023年"),
        ("2024..2027", "2024–2027", "2024—2027年"),
    ],
)
def test_periods_read_naturally(period, en, zh):
    assert format_period(period, "en") == en and format_period(period, "zh") == zh


def test_the_method_says_what_the_sources_hold(fb, tmp_path):
    note = bn.sources_note(_ctx(fb, tmp_path=tmp_path))
    n = (fb.observations.region_id == "shanghai").sum()
    assert note[0].startswith(f"The sources hold {n} numbers about Shanghai")
    method = _blocks(bn.method(_ctx(fb, tmp_path=tmp_path)))
    assert note[0].replace("'", "&#39;") in method


def _html(piece, *args) -> str:
    """A piece of a briefing as plain text of HTML (``in`` on ``Markup`` would escape the needle)."""
    return str(piece(*args).html())


def _blocks(blocks) -> str:
    """The HTML of a section's blocks (a chart's payload left aside)."""
    return "".join(str((b[0] if isinstance(b, tuple) else b).html()) for b in blocks)


def _count_plural(message, html: str) -> int:
    """The count of a plural-aware message: its singular form (written with 1) or its general form."""
    return _count(message(1).replace("1", "§", 1), html) or _count(message("§"), html)


def _count(pattern_text: str, html: str) -> int:
    """The {n} of a catalogue message found in ``html`` (0 when the message is absent); a message that
    appears more than once (a table's caption is also its scroll region's label) must say the same each time."""
    pattern = re.escape(pattern_text).replace("§", r"(\d+)")
    found = set(re.findall(pattern, html))
    assert len(found) <= 1, (pattern_text, found)
    return int(found.pop()) if found else 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_count_of_targets_agrees_across_sections(fb, tmp_path, monkeypatch, lang):
    """Page one, the targets table and part 3 count the same adopted targets, in every briefing."""
    import html as html_lib

    for region in buildable_regions(fb):
        ctx = _ctx(fb, region, lang, tmp_path / region)
        name = ctx.name
        n = len(progress.targets(fb, region))
        counts_sentence, *findings = bn.sources_note(ctx)
        findings = " ".join(findings)
        page_one_text = html_lib.unescape(page_one(ctx))
        card = len(scorecard.scorecard(ctx))
        table = html_lib.unescape(_html(facts_table, ctx, "target"))
        part3 = html_lib.unescape(_blocks(bn.progress_table(ctx)) + _blocks(bn.no_baseline(ctx)))
        counted = {
            "findings": _count_plural(lambda k: t("findings.role_part.target", lang, n=k), counts_sentence),
            "status": _count_plural(lambda k: t("findings.status", lang, n=k, parts="@").split("@")[0], findings),
            "table": _count(t("curated.caption.target", lang, region=name, n="§"), table),
            "scorecard": _count(t("scorecard.caption", lang, region=name, n=card, total="§"), page_one_text)
            if card
            else n,
            "part 3": _count(t("progress.caption", lang, region=name, n="§"), part3)
            + _count(t("progress.no_baseline.caption", lang, region=name, n="§"), part3),
        }
        assert set(counted.values()) == {n}, (region, counted)


def test_shanghai_targets_table_holds_only_adopted_targets(fb, tmp_path):
    ctx = _ctx(fb, tmp_path=tmp_path)
    shown = set(re.findall(r'<span class="id">(o\d{4})</span>', _html(facts_table, ctx, "target")))
    roles = fb.observations.loc[sorted(shown), "role"]
    assert len(shown) > 20 and set(roles) == {"target"}
    caps = fb.observations[
        (fb.observations.region_id == "shanghai")
        & fb.observations.quote.str.contains("最高")
        & fb.observations.quote.str.contains("元支持")
    ]
    assert len(caps) >= 2 and not set(caps.obs_id) & shown


def test_money_and_instruments_only_where_there_are_some(fb, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(bn, "show", lambda block, payload=None: shown.append(str(block.html())))
    for region in buildable_regions(fb):
        shown.clear()
        bn.section(_ctx(fb, region, tmp_path=tmp_path), "money")
        instruments = fb.observations[(fb.observations.region_id == region) & (fb.observations.role == "instrument")]
        ids = set(re.findall(r'<span class="id">(o\d{4})</span>', "".join(shown)))
        assert ids == set(instruments.obs_id), region
        assert ('id="money"' in "".join(shown)) == (not instruments.empty), region


@pytest.mark.parametrize("family", ["Noto Sans", "Noto Sans CJK SC"])
def test_a_missing_font_gives_the_fixing_command(monkeypatch, family):
    system.print_fonts.cache_clear()
    real = system._font_file
    monkeypatch.setattr(system, "_font_file", lambda f, s: None if f == family else real(f, s))
    with pytest.raises(system.MissingDependency) as exc:
        system.require_pdf_stack()
    package = "fonts-noto-cjk" if "CJK" in family else "fonts-noto-core"
    assert f"font {family} " in str(exc.value) and f"(Debian package {package})" in str(exc.value)
    assert "apt-get install -y fonts-noto-core fonts-noto-cjk" in str(exc.value)
    system.print_fonts.cache_clear()


def test_missing_poppler_gives_the_fixing_command(monkeypatch):
    monkeypatch.setattr(system.shutil, "which", lambda tool: None)
    with pytest.raises(system.MissingDependency, match="poppler-utils"):
        system.require_poppler()


@pytest.mark.parametrize("family, package", [("Noto Sans CJK SC", "fonts-noto-cjk"), ("Noto Sans", "fonts-noto-core")])
def test_a_missing_font_stops_charts(monkeypatch, family, package):
    from matplotlib import font_manager

    from briefings import charts

    real = font_manager.findfont

    def without(name, *a, **k):
        if name == family:
            raise ValueError("no font")
        return real(name, *a, **k)

    monkeypatch.setattr(font_manager, "findfont", without)
    with pytest.raises(charts.GlyphMissingError, match=f"font '{family}' not found: .*apt-get install {package}"):
        charts.setup_matplotlib()


def test_citations_are_short_numbered_marks_linked_to_the_sources(fb, tmp_path):
    ctx = _ctx(fb, tmp_path=tmp_path)
    html = _html(facts_table, ctx, "target")
    marks = re.findall(r'<a class="cite" href="#src-([^"]+)" title="\1">\[(\d+)\]</a>', html)
    cited = list(ctx.cited_sources.source_id)
    assert marks and all(cited.index(sid) + 1 == int(n) for sid, n in marks)
    assert len(marks) == html.count("<tr>") - 1  # one per row
    assert not re.search(r">sh-[a-z-]+-\d{4}</a>", html), "no long source id as link text"


def test_svg_made_ready_for_a_page_of_many_charts():
    import io

    import matplotlib.pyplot as plt

    from briefings.charts import setup_matplotlib, tip
    from briefings.report import prepare_svg

    setup_matplotlib()
    fig, ax = plt.subplots(figsize=(2, 1.5))
    tip(ax.plot([1], [2], "o")[0], "Robot density: 426 <per> 10,000, 2023 (source: sh-whitepaper-2024)")
    ax.plot([0, 1], [0, 1])
    buf = io.StringIO()
    fig.savefig(buf, format="svg")
    plt.close(fig)
    raw = buf.getvalue()
    assert re.search(r'clip-path="url\(#(\w+)\)"', raw) and "<metadata>" in raw and "<style" in raw
    svg = prepare_svg(raw, "fig-x", "A dot & a line")
    assert svg.startswith("<svg ") and 'role="img"' in svg and 'aria-label="A dot &amp; a line"' in svg
    assert "<title>Robot density: 426 &lt;per&gt; 10,000, 2023 (source: sh-whitepaper-2024)</title>" in svg
    assert "<metadata" not in svg and "<style" not in svg and "tip-" not in svg
    ids = re.findall(r'\sid="([^"]+)"', svg)
    refs = re.findall(r'url\(#([^)]+)\)|href="#([^"]+)"', svg)
    assert ids and all(i.startswith("fig-x-") for i in ids)
    assert refs and all((a or b) in ids for a, b in refs)


def test_a_region_without_plans_gets_a_none_line_that_the_briefing_leaves_out(fb, tmp_path):
    from briefings.report import plans_table

    without = [
        r for r in fb.regions.index if (fb.observations.region_id == r).any() and not (fb.plans.region_id == r).any()
    ]
    assert without
    ctx = _ctx(fb, without[0], tmp_path=tmp_path)
    html = _html(plans_table, ctx)
    assert html.startswith('<p class="empty">') and ctx.name in html
    assert "<table" in _html(plans_table, _ctx(fb, tmp_path=tmp_path))


def test_a_part_with_nothing_to_show_is_left_out_heading_and_all(fb, tmp_path, monkeypatch):
    shown: list[str] = []
    monkeypatch.setattr(bn, "show", lambda block, payload=None: shown.append(str(block.html())))
    ctx = _ctx(fb, "hebei", tmp_path=tmp_path)
    for name in ("growth", "clusters", "progress_table"):
        bn.section(ctx, name)
    assert not shown  # neither heading nor 'No growth rate …' line
    bn.section(ctx, "measures")
    assert shown[0].startswith('<h3 id="measures">') and "<table" in shown[-1]
    shown.clear()
    bn.section(ctx, "progress")  # part 3 keeps one line when no target can be assessed
    assert len(shown) == 2 and ctx.tr("progress.none", region=ctx.name) in shown[-1]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_each_edition_speaks_its_language_in_notes_and_plan_names(fb, tmp_path, monkeypatch, lang):
    shown: list[str] = []
    monkeypatch.setattr(bn, "show", lambda block, payload=None: shown.append(str(block.html())))
    ctx = _ctx(fb, "shanghai", lang, tmp_path)
    bn.section(ctx, "quality")
    bn.section(ctx, "succession")
    page = "".join(shown)
    for s in ctx.cited_sources.itertuples():
        assert esc(s.notes_zh if lang == "zh" else s.notes) in page
    plans = fb.plans.loc[progress.plan_succession(fb, "shanghai").plan.unique()]
    for p in plans.itertuples():
        assert esc(p.title_zh) in page and (lang == "zh" or esc(p.title_en) in page)
