"""What an executed briefing hands to the build besides its HTML: chart files, the sections shown and the
briefing's summary.

A notebook cell displays these as extra MIME types beside its HTML. Readers and nbconvert see only the
HTML; the build takes the charts and the summary from the executed notebook itself, so nothing a
notebook run writes to disk can end up in a published briefing.
"""

from __future__ import annotations

FIGURE_MIME = "application/vnd.briefings.figure+json"
SUMMARY_MIME = "application/vnd.briefings.summary+json"
SECTION_MIME = "application/vnd.briefings.section+json"
"""Beside a section's heading: its id and heading text, from which the build makes the contents list."""
DOC_MIME = "application/vnd.briefings.block+json"
"""Beside every block's HTML: the block as data (``document.py``), from which the build typesets the PDF."""
PRIVATE = (FIGURE_MIME, SUMMARY_MIME, SECTION_MIME, DOC_MIME)


def outputs_of(nb, mime: str) -> list[dict]:
    """Every payload of type ``mime`` in an executed notebook, in cell order."""
    return [
        o["data"][mime]
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("output_type") in ("display_data", "execute_result") and mime in o.get("data", {})
    ]


def strip(nb) -> None:
    """Remove the build's payloads from a notebook (they are published as files of their own)."""
    for c in nb.cells:
        kept = []
        for o in c.get("outputs", []):
            data = o.get("data", {})
            private = [m for m in PRIVATE if m in data]
            for mime in private:
                data.pop(mime)
            if private and not any(v for v in data.values()):
                continue  # nothing left for a reader
            kept.append(o)
        if "outputs" in c:
            c.outputs = kept
