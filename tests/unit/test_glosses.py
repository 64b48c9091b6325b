"""The English glosses of the quotes (``quote_en``): every row has one, and each observation's gloss carries
its own value written the English way, so that a gloss cannot sit on the wrong row."""

from __future__ import annotations

import re

import pytest

from briefings import progress
from briefings.gloss import DRAFT_MARK

SCALES = ((1e12, "trillion"), (1e9, "billion"), (1e6, "million"))
WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
QUALIFIER_WORDS = {
    ">": ("more than", "over", "exceed", "above", "passed", "surpass"),
    ">=": ("or more", "at least", "or above", "and above"),
    "~": ("about", "around", "nearly", "approximately", "some", "roughly", "almost"),
    "<=": ("or less", "at most", "up to", "or below", "no more than"),
    "<": ("less than", "fewer than", "under", "below"),
}
HAN = re.compile(r"[\u3400-\u9fff]")


def _decimals(as_written: str) -> int | None:
    """Decimals the quote writes the number with (``65.0`` → 1), or None when it is not in Arabic digits."""
    m = re.fullmatch(r"[0-9]+(?:\.([0-9]+))?", as_written)
    return None if m is None else len(m.group(1) or "")


def _plain(n: float, decimals: int | None) -> str:
    """1432 → '1,432'; 65.0 with one decimal written → '65.0'; 8.29 → '8.29'."""
    if decimals is None:
        decimals = 0 if n == int(n) else len(repr(n).split(".")[1])
    return f"{n:,.{decimals}f}"


def english_forms(value: float, unit: str, as_written: str) -> list[str]:
    """The ways an English gloss may write an observation's value: 60000000000 yuan → '60 billion',
    1432 → '1,432', 5.6 % → '5.6%', 5 → '5' or 'five', rank 1 → 'first' or 'most'."""
    if unit == "rank":
        return ["first", "most", "top"] if value == 1 else [f"No. {value:g}"]
    scaled = next((f"{_plain(round(value / f, 6), None)} {word}" for f, word in SCALES if value >= f), None)
    number = scaled or _plain(value, _decimals(as_written))
    forms = [number + "%"] if unit == "%" else [number]
    if unit == "%" and re.fullmatch(r"\d+/\d+", as_written):  # 1/4 stays a fraction
        forms.append(as_written)
    if unit != "%" and value == int(value) and 0 <= value < len(WORDS):
        forms.append(WORDS[int(value)])
    if unit == "ratio" and value == 2:
        forms.append("twice")
    return forms


def _found(form: str, gloss: str) -> list[re.Match]:
    if form[0].isdigit():  # a number stands alone: 1 is not found in 10, 1.4 or 1,432
        return list(re.finditer(rf"(?<![\d.,]){re.escape(form)}(?!\d|[.,]\d)", gloss))
    return list(re.finditer(rf"\b{re.escape(form)}\b", gloss, re.IGNORECASE))


def _qualified(qualifier: str, gloss: str, hits: list[re.Match]) -> bool:
    """The qualifier's words stand near the number (up to 60 characters before it, 20 after), or, for ``>=``,
    the number opens a range ('2 to 3')."""
    words = QUALIFIER_WORDS.get(qualifier)
    if not words:
        return True
    for m in hits:
        near = gloss[max(0, m.start() - 60) : m.end() + 20].lower()
        if any(re.search(rf"\b{re.escape(w)}", near) for w in words):
            return True
        if qualifier == ">=" and re.match(r" to \d", gloss[m.end() :]):
            return True
    return False


@pytest.mark.parametrize(
    ("value", "unit", "as_written", "expected"),
    [
        (60000000000, "yuan", "600亿", "60 billion"),
        (8290000000, "yuan", "82.9亿", "8.29 billion"),
        (1200000000000, "yuan", "1.2万亿", "1.2 trillion"),
        (1432, "count", "1432", "1,432"),
        (69000, "count", "6.9万", "69,000"),
        (140000000, "count", "1.4亿", "140 million"),
        (5.6, "%", "5.6", "5.6%"),
        (65.0, "%", "65.0", "65.0%"),
        (90, "%", "9成", "90%"),
        (227.8, "km", "227.8", "227.8"),
    ],
)
def test_values_are_written_the_english_way(value, unit, as_written, expected):
    assert english_forms(value, unit, as_written)[0] == expected


@pytest.mark.parametrize(
    ("form", "gloss", "found"),
    [
        ("1", "1 ms, Shaoguan to Guangzhou 3 ms", True),
        ("1", "10 smart factories and 1.4 pp", False),
        ("1,432", "1,432 'little giant' firms", True),
        ("5.6%", "grew 15.6%", False),
        ("five", "all five types", True),
    ],
)
def test_a_number_is_found_only_standing_alone(form, gloss, found):
    assert bool(_found(form, gloss)) is found


def test_every_observation_gloss_carries_its_value(fb):
    units = fb.indicators.unit
    problems = []
    for r in fb.observations.itertuples():
        gloss = r.quote_en
        if not isinstance(gloss, str) or not gloss.strip():
            problems.append(f"{r.obs_id}: no gloss")
            continue
        forms = english_forms(r.value, units[r.indicator_id], r.value_as_written)
        hits = [m for f in forms for m in _found(f, gloss)]
        if not hits:
            problems.append(f"{r.obs_id}: {' or '.join(forms)!r} not in {gloss!r}")
        elif not _qualified(r.qualifier, gloss, hits):
            problems.append(f"{r.obs_id}: the qualifier {r.qualifier!r} is not rendered near the number in {gloss!r}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("table", ["observations", "plans"])
def test_every_curated_gloss_is_english_and_no_draft(fb, table):
    glosses = fb.table(table).quote_en
    assert glosses.notna().all() and (glosses.str.strip() != "").all()
    assert not glosses.str.startswith(DRAFT_MARK).any(), "a drafted gloss was accepted without being checked"
    assert not glosses.map(lambda g: bool(HAN.search(g))).any(), "a gloss holds Chinese characters"


def _ctx(fb, region: str, lang: str, tmp_path):
    from briefings.report import Context

    return Context(fb, region, lang, tmp_path, "../../figures/" + region)


def _section_one(ctx) -> str:
    """The HTML of every table that quotes an observation or a plan: the facts of each role, money, plans and the
    targets that are not assessed."""
    from briefings import notebook as bn
    from briefings.schema import ROLES

    blocks = [b for role in ROLES if role != "instrument" for b in bn.facts(ctx, role)]  # instruments: money
    blocks += bn.money(ctx) + bn.plans(ctx) + bn.no_baseline(ctx)
    return "".join(str((b[0] if isinstance(b, tuple) else b).html()) for b in blocks)


@pytest.mark.parametrize("region", ["shanghai", "zhejiang", "xinjiang"])
def test_the_english_edition_shows_each_gloss_under_its_quote(fb, tmp_path, region):
    from markupsafe import escape as esc

    html = _section_one(_ctx(fb, region, "en", tmp_path))
    obs = fb.observations[fb.observations.region_id == region]
    plans = fb.plans[fb.plans.region_id == region]
    for quote, gloss in [*zip(obs.quote, obs.quote_en), *zip(plans.quote, plans.quote_en)]:
        assert f'{esc(quote)}</q><span class="gloss" lang="en">{esc(gloss)}</span>' in html
    a = progress.assess_region(fb, region)
    not_assessed = a.status.isin(progress.NOT_ASSESSED).sum()  # listed again, quote and all, in section 3
    assert html.count('class="gloss"') == len(obs) + len(plans) + not_assessed


def test_the_chinese_edition_shows_no_gloss(fb, tmp_path):
    html = _section_one(_ctx(fb, "shanghai", "zh", tmp_path))
    assert "<q" in html and 'class="gloss' not in html
    assert not any(g in html for g in fb.observations.quote_en)


def test_a_row_without_a_gloss_says_so(fb, tmp_path):
    from briefings.i18n import t

    obs = fb.observations.copy()
    first = obs.index[(obs.region_id == "zhejiang") & (obs.role == "result")][0]
    obs.loc[first, "quote_en"] = None
    fb2 = type(fb)(**{**fb.__dict__, "observations": obs})
    html = _section_one(_ctx(fb2, "zhejiang", "en", tmp_path))
    missing = t("gloss.missing", "en")
    assert html.count(f'<span class="gloss gloss-missing" lang="en">{missing}</span>') == 1
    assert fb.observations.loc[first, "quote_en"] not in html or (obs.quote == obs.loc[first, "quote"]).sum() > 1


# --- add-source drafts the gloss, accept carries it ---------------------------------------------------


@pytest.fixture
def project(tmp_path, monkeypatch):
    import shutil

    from briefings import paths

    from ..conftest import ROOT

    for name in ("data", "seeds"):
        shutil.copytree(ROOT / name, tmp_path / name)
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.setattr(paths, "DATA_DIR", tmp_path / "data")
    monkeypatch.setattr(paths, "SEEDS_DIR", tmp_path / "seeds")
    return tmp_path


NEW_TEXT = (
    "## 江苏力争到2026年建成智能工厂600家\n\n近日，江苏省印发《江苏省智能工厂培育行动方案(2024—2026年)》，"
    "提出到2026年建成智能工厂600家。2023年，江苏累计建成智能工厂420家。\n"
)


def _sheet_rows(sheet):
    import csv

    with sheet.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_sheet(sheet, rows):
    import csv

    with sheet.open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)


def test_add_source_drafts_glosses_and_accept_carries_them(project, tmp_path):
    from click.testing import CliRunner

    from briefings.cli import main
    from briefings.drafting import read_table

    src = tmp_path / "new.txt"
    src.write_text(NEW_TEXT, encoding="utf-8")
    res = CliRunner().invoke(main, ["add-source", str(src), "--published", "2024-05"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    sheet = project / "drafts" / "jiangsu-2024.csv"
    rows = _sheet_rows(sheet)
    obs = [r for r in rows if r["record"] == "observation"]
    assert obs and all("quote_en" in r for r in rows)
    for r in obs:  # a draft in English where the indicator has an English name: name, value, period
        gloss = r["quote_en"]
        if HAN.search(r["indicator_name_en"]):
            assert gloss == ""
        else:
            assert gloss.startswith(DRAFT_MARK) and r["indicator_name_en"] in gloss and r["value"] in gloss
            assert r["period"][:4] in gloss and not HAN.search(gloss)
    reviewed = "By 2026, 600 smart factories are to be built"
    for r in rows:
        r["accept"] = "" if r["record"] == "skipped" else "yes"
        if r["record"] == "observation" and r["value"] == "600":
            r["quote_en"] = reviewed
    _write_sheet(sheet, rows)
    res = CliRunner().invoke(main, ["accept", str(sheet)], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    merged = {
        o["value"]: o["quote_en"]
        for o in read_table(project / "data" / "observations.csv")
        if o["source_id"] == "jiangsu-2024"
    }
    assert merged["600"] == reviewed
    drafted = next(r["quote_en"] for r in obs if r["value"] == "420")
    assert merged["420"] == drafted
    assert drafted, "the drafter glosses a number of a known indicator"
    assert "column quote_en: still the drafted gloss" in res.output


# --- the Chinese fragments that the English data-quality notes quote ------------------------------------

FRAGMENT = re.compile(r"'([^'\n]*[\u3400-\u9fff][^'\n]*)'((?:\s*/\s*'[^']*')?)")  # '…' or a split pair '…' / '…'
GLOSSED = re.compile(r"\s*(?:\(|,\s*)'[^'\u3400-\u9fff]*[A-Za-z]")  # followed by ('gloss') or , 'gloss'


def test_every_chinese_fragment_in_the_english_notes_is_glossed(fb):
    missing = [
        f"{s.source_id}: {m.group(0)[:40]}"
        for s in fb.sources.itertuples()
        for m in FRAGMENT.finditer(s.notes)
        if not GLOSSED.match(s.notes, m.end())
    ]
    assert not missing, "\n".join(missing)


def test_the_explorer_shows_the_gloss_under_each_quote(fb):
    from markupsafe import escape as esc

    from briefings import api, explore

    rows = api.facts("zhejiang", fb)
    html = explore.facts_html(rows)
    assert html.count('class="gloss"') == len(rows) and all(str(esc(g)) in html for g in rows.quote_en)
