"""Every piece of text a reader sees comes from one message catalogue per language (``locales/*.toml``)."""

from __future__ import annotations

import tomllib
from functools import cache

from . import paths

LANGS = ("en", "zh")


class LangError(ValueError):
    """The language parameter is not one of the editions."""


def check_lang(lang: object) -> str:
    """Return ``lang`` if it is an edition we build, else raise a one-line error."""
    if lang not in LANGS:
        raise LangError(f"unknown language {lang!r}: use one of {', '.join(LANGS)}")
    return str(lang)


def _flatten(d: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


@cache
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed by dotted name."""
    with (paths.LOCALES_DIR / f"{check_lang(lang)}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


class _Value:
    """A message value that can also choose a word by the language's plural rules (CLDR, through Babel).

    In a catalogue, ``{n:plural:one=number|other=numbers}`` writes the form for ``n``'s plural category.
    """

    def __init__(self, value: object, lang: str):
        self.value, self.lang = value, lang

    def __format__(self, spec: str) -> str:
        if not spec.startswith("plural:"):
            return format(self.value, spec)
        forms = dict(part.split("=", 1) for part in spec.removeprefix("plural:").split("|"))
        try:
            category = _plural_rule(self.lang)(self.value)
        except (TypeError, ValueError):  # not a number (a placeholder in a pattern): the general form
            category = "other"
        return forms.get(category, forms["other"])

    def __str__(self) -> str:
        return str(self.value)


@cache
def _plural_rule(lang: str):
    from babel import Locale

    return Locale.parse(lang).plural_form


def t(key: str, lang: str = "en", **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values`` (plural-aware)."""
    text = catalogue(lang)[key]
    return text.format(**{k: _Value(v, lang) for k, v in values.items()}) if values else text


def format_period(period: str | None, lang: str) -> str:
    """A period as a reader writes it: ``2024-01..02`` → 'Jan–Feb 2024' / '2024年1—2月'; empty: no deadline stated."""
    from .data import is_filled, period_bounds

    if not is_filled(period):
        return t("period.none", lang)
    y0, m0, y1, m1 = period_bounds(period)
    months = t("months", lang).split(",")
    if ".." in period and "-" not in period:
        return t("period.span", lang, start=y0, end=y1)
    if "-" in period and ".." in period:
        return t("period.months", lang, year=y0, m0=months[m0 - 1], m1=months[m1 - 1], n0=m0, n1=m1)
    if "-" in period:
        return t("period.month", lang, year=y0, m=months[m0 - 1], n=m0)
    return t("period.year", lang, year=y0)
