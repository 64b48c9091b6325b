"""Every piece of text a reader sees comes from one message catalogue per language (``locales/*.toml``).

A language is data: its file in the locales folder holds a ``[locale]`` table (HTML language code, file
suffix, Babel locale for numbers and plural rules, list joiners, which columns of ``data/`` name things)
and the messages. The editions are the files found there; nothing in the code names a language.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import paths
from .digests import settled
from .periods import is_filled, period_bounds


class LangError(ValueError):
    """The language parameter is not one of the editions."""


@dataclass(frozen=True)
class Locale:
    """How one edition writes: read from the ``[locale]`` table of its catalogue."""

    code: str
    name: str
    link: str
    html_lang: str
    suffix: str
    babel: str
    data: str
    alt_name: str
    alt_name_lang: str
    translations: bool
    source_ids: bool  # print the sources' ids and seed file names (for readers who work with the data)
    lower_in_sentence: bool
    list_separator: str
    list_last_separator: str
    label_width: float
    numbers: dict
    scales: tuple
    typeset: dict  # [locale.typeset]: the PDF's language, region, hyphenation and fonts

    def column(self, base: str, columns) -> str:
        """The column among ``columns`` that holds ``base`` (``name``, ``title`` …) in this edition's
        language, falling back to the default edition's when the data has no such column."""
        col = f"{base}_{self.data}"
        return col if col in columns else f"{base}_{locale(langs()[0]).data}"

    def pick(self, table, key: str, base: str = "name") -> str:
        """``table.loc[key, <base in this language>]``: a name from ``data/`` in this edition's language."""
        return table.loc[key, self.column(base, table.columns)]


def _locales_dir() -> Path:
    return paths.locales_dir()


@cache
def _langs(folder: Path) -> tuple[str, ...]:
    found = sorted(p.stem for p in folder.glob("*.toml"))
    if not found:
        raise LangError(f"no message catalogue (*.toml) in {folder}: set BRIEFINGS_LOCALES to a folder of catalogues")
    # the edition with no file suffix (briefing.html) is the default, listed first
    return tuple(sorted(found, key=lambda code: (_read(folder, code).get("locale", {}).get("suffix", "") != "", code)))


def langs() -> tuple[str, ...]:
    """The editions: one per catalogue in the locales folder, the default (no file suffix) first."""
    return _langs(_locales_dir())


def check_lang(lang: object) -> str:
    """Return ``lang`` if it is an edition we build, else raise a one-line error."""
    if lang not in langs():
        raise LangError(f"unknown language {lang!r}: use one of {', '.join(langs())}")
    return str(lang)


@cache
def _read(folder: Path, lang: str) -> dict:
    """A catalogue as parsed: from its copy in ``build/cache/catalogues/`` while the file's size and
    modification time are those it was parsed at (JSON reads in a millisecond what TOML parses in twenty:
    a rebuild with nothing changed asks for every edition's file suffix)."""
    path = folder / f"{lang}.toml"
    st = path.stat()
    kept = paths.BUILD_DIR / "cache" / "catalogues" / f"{lang}.json"
    stamp = [str(path), st.st_size, st.st_mtime_ns]
    try:
        copy = json.loads(kept.read_text(encoding="utf-8"))
        if isinstance(copy, dict) and copy.get("stamp") == stamp and isinstance(copy.get("toml"), dict):
            return copy["toml"]
    except (OSError, ValueError, RecursionError):
        pass
    import tomllib

    try:
        with path.open("rb") as fh:
            parsed = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise LangError(f"{path}: not valid TOML ({exc}); fix the catalogue") from None
    if settled(st.st_mtime_ns, time.time_ns()):
        try:
            paths.atomic_write(kept, json.dumps({"stamp": stamp, "toml": parsed}, ensure_ascii=False).encode())
        except (OSError, TypeError, ValueError):
            pass  # a cache only (and a catalogue holding dates is not JSON): parsed again next time
    return parsed


def locale(lang: str) -> Locale:
    """The ``[locale]`` entry of one edition (default: the default edition's)."""
    return _locale(_locales_dir(), check_lang(lang or langs()[0]))


@cache
def _locale(folder: Path, lang: str) -> Locale:
    entry = _read(folder, lang)
    try:
        loc = dict(entry["locale"])
        numbers = dict(entry["number"])
        scales = tuple((float(f), p) for f, p in numbers.pop("scales", []))
        return Locale(code=lang, numbers=numbers, scales=scales, **loc)
    except (KeyError, TypeError) as exc:
        raise LangError(
            f"{folder / lang}.toml: the [locale] or [number] table is incomplete ({exc}); "
            "see the default catalogue for every key"
        ) from None


def _flatten(d: dict, prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in d.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(_flatten(v, key + "."))
        else:
            out[key] = v
    return out


def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed by dotted name (the ``[locale]`` and ``[number]`` tables aside)."""
    return _catalogue(_locales_dir(), check_lang(lang))


@cache
def _catalogue(folder: Path, lang: str) -> dict[str, str]:
    entry = {k: v for k, v in _read(folder, lang).items() if k not in ("locale", "number")}
    return _flatten(entry)


def join(items: list[str], lang: str) -> str:
    """A list in running text, with the edition's separators ('a, b and c')."""
    items = [i for i in items if i]
    loc = locale(lang)
    if len(items) <= 2:
        return loc.list_last_separator.join(items)
    return loc.list_separator.join(items[:-1]) + loc.list_last_separator + items[-1]


def in_sentence(text: str, lang: str) -> str:
    """A name as it reads inside a sentence: lower case first letter where the edition's language does so."""
    return text[:1].lower() + text[1:] if locale(lang).lower_in_sentence else text


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
            category = _plural_rule(locale(self.lang).babel)(self.value)
        except (TypeError, ValueError):  # not a number (a placeholder in a pattern): the general form
            category = "other"
        return forms.get(category, forms["other"])

    def __str__(self) -> str:
        return str(self.value)


@cache
def _plural_rule(babel_locale: str):
    import babel

    return babel.Locale.parse(babel_locale).plural_form


def t(key: str, lang: str = "", **values: object) -> str:
    """The message ``key`` in ``lang`` (default: the default edition's), with ``{placeholders}`` filled from
    ``values`` (plural-aware)."""
    lang = lang or langs()[0]
    text = catalogue(lang)[key]
    return text.format(**{k: _Value(v, lang) for k, v in values.items()}) if values else text


def format_period(period: str | None, lang: str) -> str:
    """A period as a reader writes it: ``2024-01..02`` → 'Jan–Feb 2024' / '2024年1—2月'; empty: no deadline stated."""
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


def format_date(value: str | None, lang: str) -> str:
    """A date from ``data/`` as the edition writes dates: ``2019-06-27`` → 'June 27, 2019' / '2019年6月27日',
    ``2023-02`` → 'Feb 2023' / '2023年2月'; anything else (empty, a bare year) as it is."""
    import re
    from datetime import date

    text = "" if value is None or not is_filled(value) else str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        from babel.dates import format_date as babel_date

        return babel_date(date.fromisoformat(text), format="long", locale=locale(lang).babel)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        return format_period(text, lang)
    return text
