"""English glosses of the quotes (``quote_en`` of observations and plans): how a drafted one is marked."""

from __future__ import annotations

DRAFT_MARK = "[draft] "
"""The start of a gloss the drafter wrote and no reviewer has yet checked against the seed."""
