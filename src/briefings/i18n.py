"""Every piece of text a reader sees comes from one message catalogue per language (``locales/*.toml``)."""

from __future__ import annotations

import tomllib
from functools import lru_cache

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


@lru_cache(maxsize=None)
def catalogue(lang: str) -> dict[str, str]:
    """All messages of one language, keyed by dotted name."""
    with (paths.LOCALES_DIR / f"{check_lang(lang)}.toml").open("rb") as fh:
        return _flatten(tomllib.load(fh))


def t(key: str, lang: str = "en", **values: object) -> str:
    """The message ``key`` in ``lang``, with ``{placeholders}`` filled from ``values``."""
    text = catalogue(lang)[key]
    return text.format(**values) if values else text
