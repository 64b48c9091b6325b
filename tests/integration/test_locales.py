"""A language is data: a pseudo-locale (accented English, ``conftest.make_pseudo_locales``) is a third
edition, with no change to the code."""

from __future__ import annotations

import pytest

from ..conftest import accent, make_project, run_cli


@pytest.mark.xdist_group("pseudo")
def test_the_pseudo_locale_builds_a_briefing_with_no_code_change(pseudo, tmp_path):
    root = make_project(tmp_path / "project")
    proc = run_cli(root, "build", "-r", "hebei", "--lang", "xx", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    html = (root / "reports" / "hebei" / "briefing.xx.html").read_text(encoding="utf-8")
    assert '<html lang="en-XA">' in html and (root / "reports" / "hebei" / "briefing.xx.pdf").stat().st_size > 1000
    for text in ("Key messages", "Contents", "Sources", "Data-quality notes"):
        assert f">{accent(text)}<" in html and f">{text}<" not in html, text
    assert '<a href="briefing.html" hreflang="en">English edition</a>' in html
    assert '<a href="briefing.zh.html" hreflang="zh-Hans">中文版</a>' in html
    assert 'href="briefing.xx.pdf"' in html and '<span class="region-name">Hebei</span>' in html
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'Ƥšéûðö: <a href="hebei/briefing.xx.html" hreflang="en-XA">' in index


def test_an_unknown_edition_on_the_command_line_is_one_line(tmp_path):
    proc = run_cli(make_project(tmp_path / "p"), "build", "-r", "hebei", "--lang", "fr")
    assert proc.returncode == 2 and proc.stderr == "error: unknown language 'fr': use one of en, zh\n"
