"""The policy theme a phrase suggests (the keywords of ``cues.toml``)."""

from __future__ import annotations

from .base import cues


def theme_of(text: str) -> str:
    """The first theme whose keywords the text contains, else industrial growth."""
    for theme, words in cues()["themes"].items():
        if any(w in text for w in words):
            return theme
    return "industrial_growth"
