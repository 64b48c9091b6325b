"""A language is data: a pseudo-locale (accented English, ``conftest.make_pseudo_locales``) is a third
edition, with no change to the code."""

from __future__ import annotations

import re

import pytest

from briefings import i18n

from ..conftest import accent


def test_a_third_language_is_found_in_the_locales_folder_and_used_everywhere(pseudo):
    from briefings import publish
    from briefings.numbers import format_value

    assert i18n.langs() == ("en", "xx", "zh")
    assert i18n.check_lang("xx") == "xx" and publish.edition_suffix("xx") == ".xx"
    assert i18n.t("section.findings.title", "xx") == accent("Key messages") != "Key messages"
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
