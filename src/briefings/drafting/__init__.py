"""Draft every number of a Chinese policy or news text as a candidate fact, for a person to review.

Read the text (Simplified or Traditional: cue words and place names are matched on a Simplified copy of
the same length, quotes are cut from the text as written) → find every number with its unit → skip page
furniture, dates, names and list numbering (``skip``) → for each remaining number decide the role
(``role``), the period (``period``), the region (``region``), the indicator (``indicator``), the quote and the
plan (``plans``); then the measures (``measures``). Each decision is one ordered list of named rules, each
with the reason it gives; every guess carries its reasons and a confidence. The rules are the cue words of
``cues.toml``, the indicator vocabulary and the grammar of these modules, never a list of facts.
"""

from __future__ import annotations

from .base import divisions, read_table, to_simplified
from .drafter import draft
from .model import Candidate, Draft, MeasureDraft, PlanDraft, Skip

__all__ = [
    "Candidate",
    "Draft",
    "MeasureDraft",
    "PlanDraft",
    "Skip",
    "divisions",
    "draft",
    "read_table",
    "to_simplified",
]
