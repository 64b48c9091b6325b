"""The Chinese edition reads the data's Chinese columns: a source's publisher in Chinese where the data has it."""

from __future__ import annotations

import re

from briefings import notebook as bn
from briefings.report import Context


def _sources_html(fb, lang: str, tmp_path) -> str:
    ctx = Context(fb, "shanghai", lang, tmp_path, "../../figures/shanghai")
    return "".join(str(b.html()) for b in bn.sources(ctx))


def test_every_source_has_its_publisher_in_chinese(fb):
    assert fb.sources.publisher_zh.notna().all()
    assert not fb.sources.publisher_zh.map(lambda p: bool(re.search(r"[A-Za-z]{3,}", p))).any()


def test_the_chinese_edition_names_publishers_in_chinese_and_the_english_edition_in_english(fb, tmp_path):
    zh, en = _sources_html(fb, "zh", tmp_path), _sources_html(fb, "en", tmp_path)
    for s in fb.sources.itertuples():
        if f'id="src-{s.source_id}"' in zh:
            assert s.publisher_zh in zh and s.publisher not in zh
            assert s.publisher in en.replace("&#39;", "'")
            assert s.publisher_zh in s.publisher or s.publisher_zh not in en


def test_a_source_without_a_chinese_publisher_shows_the_english_marked_as_such(fb, tmp_path):
    sources = fb.sources.copy()
    first = sources.index[0]
    sources.loc[first, "publisher_zh"] = None
    fb2 = type(fb)(**{**fb.__dict__, "sources": sources})
    html = _sources_html(fb2, "zh", tmp_path)
    assert f'<span lang="en">{sources.loc[first, "publisher"]}' in html
