"""Assemble the one notebook a briefing runs: parameters, set-up, title, sections and the notebooks' parts."""

from __future__ import annotations

from .. import paths
from .common import BuildError

SKIP_TAGS = {"parameters", "setup", "standalone", "analyst-note"}
"""Cells of the notebooks left out of the assembled briefing."""
BUILD_ONLY = "build-only"
"""The tag of cells read by the build and left out of the archived notebook."""


def assemble():
    """One notebook for the whole briefing: parameters, set-up, title, the front sections, the contents,
    the parts of the notebooks, the back sections (``sections.py``)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell

    from .. import sections

    nbs = [(name, nbformat.read(paths.NOTEBOOKS_DIR / name, as_version=4)) for name in paths.BRIEFING_NOTEBOOKS]
    first = nbs[0][1]

    def tagged(nb, tag):
        return [c for c in nb.cells if tag in c.metadata.get("tags", [])]

    def mark(cell, source, index, part=""):
        cell = nbformat.from_dict(dict(cell))
        cell.metadata = {**cell.metadata, "briefings": {"notebook": source, "cell": index}}
        if part:  # shown by the page template (templates/briefing) with what only the build knows
            cell.metadata["briefings"]["part"] = part
        return cell

    def declared(where: str) -> list:
        return [
            mark(new_code_cell(f'bn.section(ctx, "{s.id}")'), f"{where} matter (briefings.sections: {s.id})", 0)
            for s in sections.in_notebook(where)
        ]

    params, setup = tagged(first, "parameters"), tagged(first, "setup")
    if len(params) != 1 or len(setup) != 1:
        raise BuildError(f"notebooks/{nbs[0][0]}: needs exactly one cell tagged 'parameters' and one tagged 'setup'")
    cells = [
        mark(params[0], nbs[0][0], first.cells.index(params[0])),
        mark(setup[0], nbs[0][0], first.cells.index(setup[0])),
        mark(new_code_cell("bn.title(ctx)"), "title (briefings.notebook.title)", 0, part="title"),
        *declared(sections.FRONT),
        mark(new_markdown_cell(""), "contents (templates/parts/contents.html.j2)", 0, part="contents"),
    ]
    for name, nb in nbs:
        if len(tagged(nb, "parameters")) != 1:
            raise BuildError(f"notebooks/{name}: needs exactly one cell tagged 'parameters'")
        for i, cell in enumerate(nb.cells):
            if cell.cell_type == "code" and not SKIP_TAGS & set(cell.metadata.get("tags", [])):
                cells.append(mark(cell, name, i))
    cells += declared(sections.BACK)
    for call, label in (
        ("bn.record_summary(ctx)", "summary (briefings.notebook.record_summary)"),
        ("bn.record_metrics()", "metrics (briefings.notebook.record_metrics)"),
    ):
        cell = mark(new_code_cell(call), label, 0)
        cell.metadata["tags"] = [BUILD_ONLY]  # read by the build, left out of the archived notebook
        cells.append(cell)
    for i, c in enumerate(cells):
        if c.cell_type == "code":
            c.outputs, c.execution_count = [], None
        c.id = f"cell-{i}"
    return nbformat.v4.new_notebook(cells=cells, metadata=first.metadata)
