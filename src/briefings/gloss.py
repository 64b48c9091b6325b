"""English glosses of the quotes (``quote_en`` of observations and plans): how the drafter of add-source
drafts one and marks it for review.

A curated gloss is a translator's: the sentence of the seed, its number, unit and qualifier as the Chinese
has them, nothing added. The drafter cannot translate; it writes what it knows in English (the indicator's
English name, the value and the period) and marks it with :data:`DRAFT_MARK` for the reviewer to replace.
"""

from __future__ import annotations

import re

from .i18n import format_period, langs, locale
from .numbers import format_number

DRAFT_MARK = "[draft] "
"""The start of a gloss the drafter wrote and no reviewer has yet checked against the seed."""
DATA_SUFFIX = "en"
"""``quote_en`` is English, like every ``*_en`` column of the schema."""
_HAN = re.compile(r"[\u3400-\u9fff]")


def _edition() -> str:
    """The edition whose data columns are the gloss's (``data = "en"`` in its catalogue): it writes the
    numbers and periods of a drafted gloss."""
    return next((lang for lang in langs() if locale(lang).data == DATA_SUFFIX), langs()[0])


def draft_gloss(name_en: str, value: float, unit: str, qualifier: str, period: str) -> str:
    """A drafted gloss: '[draft] Industrial robot density: 260 per 10,000 workers (2024)'; empty when the
    indicator has no English name yet (a new indicator is drafted with its Chinese name)."""
    if not name_en or _HAN.search(name_en):
        return ""
    lang = _edition()
    number = format_number(value, unit, lang, qualifier)
    when = f" ({format_period(period, lang)})" if period else ""
    return f"{DRAFT_MARK}{name_en}: {number}{when}"


def is_draft(gloss: str) -> bool:
    """Whether a gloss is still the drafter's."""
    return isinstance(gloss, str) and gloss.startswith(DRAFT_MARK)
