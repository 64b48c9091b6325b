"""A language is data: a pseudo-locale (accented English) made here from en.toml is a third edition,
with no change to the code."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from briefings import i18n, paths

from .conftest import make_project, run_cli

_ACCENTS = str.maketrans("aceginorsuyAEGHINOSU", "åçéĝîñöŕšûýÅÉĜĤÎÑÖŜÛ")


def accent(text: str) -> str:
    """Accented English, placeholders (``{region}``, ``{n:plural:…}``) and escapes left as they are."""
    return "".join(
        p if p.startswith(("{", "\\")) else p.translate(_ACCENTS) for p in re.split(r"(\{[^}]*\}|\\.)", text)
    )


def make_pseudo_locales(folder: Path) -> Path:
    """The package's catalogues and ``xx.toml``: en.toml with every message accented and its own
    suffix, HTML language code and names."""
    folder.mkdir(parents=True, exist_ok=True)
    for f in paths.LOCALES_DIR.glob("*.toml"):
        shutil.copy(f, folder / f.name)
    table, out = "", []
    for line in (paths.LOCALES_DIR / "en.toml").read_text(encoding="utf-8").splitlines():
        table = line if line.startswith("[") else table
        m = re.match(r'^([^=#]+=\s*)"(.*)"(\s*(#.*)?)$', line)
        if m and table not in ("[locale]", "[number]"):
            line = f'{m.group(1)}"{accent(m.group(2))}"{m.group(3)}'
        out.append(line)
    text = "\n".join(out) + "\n"
    for key, value in (("name", "Ƥšéûðö"), ("link", "Ƥšéûðö éðîţîöñ"), ("html_lang", "en-XA"), ("suffix", ".xx")):
        text, n = re.subn(rf'(?m)^{key} = "[^"]*"', f'{key} = "{value}"', text, count=1)
        assert n == 1, key
    text = text.replace('"{n} billion"', f'"{{n}} {accent("billion")}"')  # number words are data too
    (folder / "xx.toml").write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def pseudo(tmp_path, monkeypatch) -> Path:
    folder = make_pseudo_locales(tmp_path / "locales")
    monkeypatch.setenv("BRIEFINGS_LOCALES", str(folder))
    return folder


def test_a_third_language_is_found_in_the_locales_folder_and_used_everywhere(pseudo):
    from briefings import publish
    from briefings.numbers import format_value

    assert i18n.langs() == ("en", "xx", "zh")
    assert i18n.check_lang("xx") == "xx" and publish.edition_suffix("xx") == ".xx"
    assert i18n.t("section.findings.title", "xx") == accent("Key findings") != "Key findings"
    # plural forms (inside the braces) keep their words; Babel's rules of the locale choose among them
    assert i18n.t("findings.role_part.target", "xx", n=2) == accent("2 adopted ") + "targets"
    assert i18n.t("findings.role_part.target", "xx", n=1) == accent("1 adopted ") + "target"
    assert format_value(8e11, "yuan", "xx") == "CNY 800 " + accent("billion")
    assert publish.edition_of("peers.xx.svg") == "xx" and publish.edition_of("peers.svg") == "en"


def test_a_broken_locale_entry_is_one_line_that_names_the_file(pseudo):
    xx = pseudo / "xx.toml"
    xx.write_text(re.sub(r"(?m)^babel = .*\n", "", xx.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(i18n.LangError, match=r"xx\.toml: the \[locale\] or \[number\] table is incomplete"):
        i18n.locale("xx")


@pytest.mark.integration
@pytest.mark.xdist_group("pseudo")
def test_the_pseudo_locale_builds_a_briefing_with_no_code_change(pseudo, tmp_path):
    root = make_project(tmp_path / "project")
    proc = run_cli(root, "build", "-r", "hebei", "--lang", "xx", "--jobs", "1")
    assert proc.returncode == 0, proc.stderr + proc.stdout
    html = (root / "reports" / "hebei" / "briefing.xx.html").read_text(encoding="utf-8")
    assert '<html lang="en-XA">' in html and (root / "reports" / "hebei" / "briefing.xx.pdf").stat().st_size > 1000
    for text in ("Key findings", "Contents", "Sources", "Data-quality notes"):
        assert f">{accent(text)}<" in html and f">{text}<" not in html, text
    assert '<a href="briefing.html" hreflang="en">English edition</a>' in html
    assert '<a href="briefing.zh.html" hreflang="zh-Hans">中文版</a>' in html
    assert 'href="briefing.xx.pdf"' in html and ">Hebei <" in html
    index = (root / "reports" / "index.html").read_text(encoding="utf-8")
    assert 'Ƥšéûðö: <a href="hebei/briefing.xx.html" hreflang="en-XA">' in index


def test_an_unknown_edition_on_the_command_line_is_one_line(tmp_path):
    proc = run_cli(make_project(tmp_path / "p"), "build", "-r", "hebei", "--lang", "fr")
    assert proc.returncode == 2 and proc.stderr == "error: unknown language 'fr': use one of en, zh\n"


def test_a_locales_folder_with_no_catalogue_says_so(tmp_path, monkeypatch):
    monkeypatch.setenv("BRIEFINGS_LOCALES", str(tmp_path))
    with pytest.raises(i18n.LangError, match="no message catalogue"):
        i18n.langs()


def test_names_come_from_the_locales_data_column_or_else_the_default_editions():
    import dataclasses

    zh = i18n.locale("zh")
    assert zh.column("name", ["name_en", "name_zh"]) == "name_zh"
    other = dataclasses.replace(zh, data="xx")  # a language the data has no names in
    assert other.column("name", ["name_en", "name_zh"]) == "name_en"
    assert i18n.join(["a", "b", "c"], "en") == "a, b and c" and i18n.join(["a", "b", "c"], "zh") == "a、b、c"
