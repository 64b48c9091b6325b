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
    return "".join(str(b) for b in blocks)


@pytest.mark.parametrize("region", ["shanghai", "zhejiang", "xinjiang"])
def test_the_english_edition_shows_each_gloss_under_its_quote(fb, tmp_path, region):
    from briefings.report import esc

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
