"""The part of a notebook a briefing depends on: its cells' types, sources and tags.

Outputs, execution counts and metadata are left out, so saving a notebook in JupyterLab (which adds
outputs, widget state and kernel details) changes nothing the build keys on.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

from . import paths


class NotebookError(ValueError):
    """A notebook file cannot be read; the message names the file and what to fix."""


def _text(source: str | list[str]) -> str:
    return "".join(source) if isinstance(source, list) else source


def notebook_source(path: Path) -> list[dict[str, object]]:
    """The cells of the notebook at ``path`` as ``{"type", "source", "tags"}``, in order."""
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
        return [
            {
                "type": c["cell_type"],
                "source": _text(c.get("source", "")),
                "tags": sorted(c.get("metadata", {}).get("tags", [])),
            }
            for c in nb["cells"]
        ]
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        name = Path(path).relative_to(paths.ROOT) if Path(path).is_relative_to(paths.ROOT) else path
        raise NotebookError(
            f"{name}: not a readable notebook ({type(exc).__name__}: {exc}); "
            "restore it from git or re-save it in JupyterLab"
        ) from None


def notebooks_digest(paths: Iterable[Path]) -> str:
    """SHA-256 over the names and cell sources (types, sources, tags) of ``paths``, in the order given."""
    h = hashlib.sha256()
    for path in paths:
        h.update(Path(path).name.encode() + b"\0")
        h.update(json.dumps(notebook_source(path), ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\0")
    return h.hexdigest()
