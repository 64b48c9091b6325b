"""Saving a notebook never breaks the build: the inputs key reads cell sources only; notebooks are stripped."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from briefings import build, paths
from briefings.notebooks_hash import NotebookError, notebook_source, notebooks_digest

from ..conftest import ROOT, make_project, run_cli

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def _write(path: Path, nb) -> Path:
    nbformat.write(nb, path)
    return path


def _tiny():
    params = new_code_cell('region = "shanghai"', metadata={"tags": ["parameters"]})
    return new_notebook(cells=[new_markdown_cell("# Part"), params, new_code_cell("bn.facts(ctx)")])


def _as_saved_in_jupyterlab(nb):
    """What a run and Ctrl+S in JupyterLab add: outputs, counts, widget state, kernel and cell metadata."""
    for i, cell in enumerate(c for c in nb.cells if c.cell_type == "code"):
        cell.execution_count = i + 1
        cell.outputs = [new_output("display_data", data={"text/html": "<p>shown</p>"})]
        cell.metadata["execution"] = {"iopub.status.busy": "2026-11-23T10:00:00Z"}
        cell.metadata["scrolled"] = True
    nb.metadata["language_info"] = {"name": "python", "version": "3.11.7", "mimetype": "text/x-python"}
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}
    return nb


def test_outputs_and_metadata_do_not_change_the_digest(tmp_path):
    clean = _write(tmp_path / "a.ipynb", _tiny())
    digest = notebooks_digest([clean])
    (tmp_path / "saved").mkdir()
    saved = _write(tmp_path / "saved" / "a.ipynb", _as_saved_in_jupyterlab(_tiny()))
    assert saved.read_bytes() != clean.read_bytes()
    assert notebooks_digest([saved]) == digest


@pytest.mark.parametrize("change", ["source", "type", "tags", "order", "new cell"])
def test_sources_types_tags_and_order_change_the_digest(tmp_path, change):
    before = notebooks_digest([_write(tmp_path / "a.ipynb", _tiny())])
    nb = _tiny()
    if change == "source":
        nb.cells[2].source = "bn.facts(ctx, 'target')"
    elif change == "type":
        nb.cells[0] = new_code_cell("# Part")
    elif change == "tags":
        nb.cells[2].metadata["tags"] = ["analyst-note"]
    elif change == "order":
        nb.cells[1], nb.cells[2] = nb.cells[2], nb.cells[1]
    else:
        nb.cells.append(new_code_cell("bn.plans(ctx)"))
    assert notebooks_digest([_write(tmp_path / "a.ipynb", nb)]) != before


def test_source_lines_or_one_string_read_the_same(tmp_path):
    nb = {"cells": [{"cell_type": "code", "metadata": {}, "source": ["a = 1\n", "b = 2"]}]}
    (tmp_path / "a.ipynb").write_text(json.dumps(nb))
    assert notebook_source(tmp_path / "a.ipynb") == [{"type": "code", "source": "a = 1\nb = 2", "tags": []}]


def test_saving_a_briefing_notebook_in_jupyterlab_keeps_the_inputs_key(tmp_path, monkeypatch):
    nbs = tmp_path / "notebooks"
    shutil.copytree(ROOT / "notebooks", nbs)
    monkeypatch.setattr(paths, "NOTEBOOKS_DIR", nbs)
    key = build.inputs_digest()
    target = nbs / paths.BRIEFING_NOTEBOOKS[0]
    _write(target, _as_saved_in_jupyterlab(nbformat.read(target, as_version=4)))
    assert build.inputs_digest() == key
    nb = nbformat.read(target, as_version=4)
    nb.cells[-1].source += "\n"
    _write(target, nb)
    assert build.inputs_digest() != key


def test_unreadable_notebook_is_one_line(tmp_path):
    nbs = tmp_path / "nbs"
    shutil.copytree(ROOT / "notebooks", nbs)
    (nbs / paths.BRIEFING_NOTEBOOKS[1]).write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(NotebookError, match="not a readable notebook"):
        notebooks_digest([nbs / paths.BRIEFING_NOTEBOOKS[1]])
    proc = run_cli(make_project(tmp_path / "p", notebooks=nbs), "build", "-r", "hebei")
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"error: notebooks/{paths.BRIEFING_NOTEBOOKS[1]}: not a readable notebook")
    assert len(proc.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_committed_notebooks_carry_no_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, f"cell {i + 1}: run nbstripout"
    assert "widgets" not in nb["metadata"], "widget state saved: run nbstripout"


def test_every_notebook_is_checked():
    assert {p.name for p in NOTEBOOKS} >= {*paths.BRIEFING_NOTEBOOKS, "explore.ipynb"}
