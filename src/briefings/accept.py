"""Merge the accepted rows of a review sheet into data/: validated together, ids assigned, written atomically."""

from __future__ import annotations

TARGET_ROLES = ("target", "recommendation")


def kind_of(role: str) -> str:
    """The ``kind`` of a schema that has no ``role``: targets and recommendations are targets, the rest actuals."""
    return "target" if role in TARGET_ROLES else "actual"
