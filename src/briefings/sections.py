"""The sections of a briefing, declared once: the notebooks, the assembled document, the contents list
and the tests follow this list.

Each section has an anchor (its heading's ``id``), a heading (a key of the message catalogue, filled with
``region``), the notebook whose cell shows it (or ``FRONT``/``BACK``: the build adds it before or after the
notebooks' parts, and a notebook run on its own shows the back matter), a level (2: a part of the briefing,
3: a sub-section of the part before it), the function of ``briefings.notebook`` that builds its body (with
its arguments), an optional introduction under the heading, and whether it is left out, heading and all,
when it has nothing to show (every sub-section is: a briefing is as long as its content). A region with
no number and one or two measures gets a one-page note: only the sections marked ``in_note``
(``NOTE_SECTIONS``). Adding a section: a line here, and the function (and template) that builds it.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import paths

FRONT, BACK = "front", "back"
"""Sections the build places before the notebooks' parts (after the title) and after them."""


@dataclass(frozen=True)
class Section:
    """One section of a briefing."""

    id: str
    heading: str
    notebook: str
    level: int
    builds: str
    args: tuple[str, ...] = ()
    intro: str = ""
    optional: bool = False
    in_note: bool = False


def _part(id_: str, notebook: str, builds: str = "part_intro") -> Section:
    return Section(id_, f"section.{id_}.title", notebook, 2, builds, intro=f"section.{id_}.intro")


def _sub(id_: str, notebook: str, builds: str, *args: str, heading: str = "", intro: str = "") -> Section:
    return Section(id_, heading or f"sub.{id_}", notebook, 3, builds, tuple(args), intro, optional=True)


CURATED, COMPARISON, PROGRESS = paths.BRIEFING_NOTEBOOKS

SECTIONS: tuple[Section, ...] = (
    Section("findings", "section.findings.title", FRONT, 2, "findings"),
    _sub("scorecard", FRONT, "scorecard"),
    _part("curated", CURATED),
    _sub("targets", CURATED, "facts", "target"),
    _sub(
        "not-adopted",
        CURATED,
        "facts",
        "recommendation",
        heading="sub.recommendation",
        intro="curated.intro.recommendation",
    ),
    _sub("actuals", CURATED, "facts", "result"),
    _sub(
        "rankings",
        CURATED,
        "facts",
        "ranking",
        heading="sub.ranking",
        intro="curated.intro.ranking",
    ),
    _sub("money", CURATED, "money", intro="curated.intro.instrument"),
    _sub(
        "document-parts",
        CURATED,
        "facts",
        "structure",
        heading="sub.structure",
        intro="curated.intro.structure",
    ),
    _sub("plans", CURATED, "plans"),
    _sub("measures", CURATED, "measures"),
    _part("comparison", COMPARISON),
    _sub("peers", COMPARISON, "peer_context"),
    _sub("side_by_side", COMPARISON, "side_by_side"),
    _sub("growth", COMPARISON, "growth"),
    _sub("clusters", COMPARISON, "clusters"),
    _sub("themes", COMPARISON, "themes"),
    _part("progress", PROGRESS, "progress_intro"),
    _sub("progress_table", PROGRESS, "progress_table"),
    _sub("trajectories", PROGRESS, "trajectories"),
    _sub("succession", PROGRESS, "plan_succession"),
    _sub("no_baseline", PROGRESS, "no_baseline"),
    Section("sources", "section.sources.title", BACK, 2, "sources"),
    Section("method", "section.method.title", BACK, 2, "method"),
    Section("quality", "section.quality.title", BACK, 2, "quality"),
)

NOTE_SECTIONS = ("findings", "curated", "measures", "sources", "quality")
"""What a one-page note shows: its findings, its measures with their quotes, the sources and their flaws."""
SECTIONS = tuple(Section(**{**s.__dict__, "in_note": s.id in NOTE_SECTIONS}) for s in SECTIONS)
BY_ID: dict[str, Section] = {s.id: s for s in SECTIONS}


def in_notebook(notebook: str) -> list[Section]:
    """The sections one notebook (or ``FRONT``/``BACK``) shows, in reading order."""
    return [s for s in SECTIONS if s.notebook == notebook]


def contents(shown: dict[str, str]) -> list[dict]:
    """The contents list: the declared parts and sub-sections that were shown (``shown``: id → heading
    text as rendered), in declared order, each sub-section under the part before it."""
    parts: list[dict] = []
    for s in SECTIONS:
        if s.id not in shown:
            continue
        entry = {"id": s.id, "title": shown[s.id], "children": []}
        if s.level == 2 or not parts:
            parts.append(entry)
        else:
            parts[-1]["children"].append(entry)
    return parts
