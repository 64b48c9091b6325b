"""Frictionless, the real checker, validates the fact base and the published data package."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from briefings import datapackage
from briefings.schema import TABLES
from briefings.schema_derived import DERIVED

from ..conftest import ROOT


def test_frictionless_validates_the_fact_base():
    frictionless = Path(sys.executable).parent / "frictionless"
    proc = subprocess.run(
        [str(frictionless), "validate", "--json", "datapackage.json"],
        cwd=ROOT / "data",
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(proc.stdout)
    errors = [e["note"] for task in report["tasks"] for e in task["errors"]]
    assert proc.returncode == 0 and report["valid"], errors[:5]
    assert {task["name"] for task in report["tasks"]} == set(TABLES)


def test_exported_package_is_whole_and_frictionless_finds_broken_keys_and_enums(tmp_path):
    from frictionless import validate

    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    out = datapackage.export_datapackage(tmp_path / "published", data)
    published = out.parent
    for name in ("README.md", "LICENSE", *(t.file for t in TABLES.values())):
        assert (published / name).read_bytes() == (data / name).read_bytes(), name
    # the published package adds the derived tables, declared and valid like the others
    report = validate(str(out))
    assert report.valid, [e.note for task in report.tasks for e in task.errors][:5]
    assert {task.name for task in report.tasks} == set(TABLES) | set(DERIVED)
    for name in DERIVED:
        assert (published / "derived" / f"{name}.csv").is_file(), name
    assert (published / "notes").is_dir()
    with zipfile.ZipFile(published / datapackage.ZIP_NAME) as zf:
        names = set(zf.namelist())
        assert f"{datapackage.NAME}/observations.csv" in names and f"{datapackage.NAME}/datapackage.json" in names
    obs = published / "observations.csv"
    rows = list(csv.DictReader(obs.open(encoding="utf-8", newline="")))
    rows[0]["qualifier"], rows[1]["region_id"] = "about", "atlantis"
    with obs.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    report = validate(str(out))
    kinds = {(e.type, getattr(e, "field_name", None)) for task in report.tasks for e in task.errors}
    assert not report.valid
    assert ("constraint-error", "qualifier") in kinds and any(t == "foreign-key" for t, _ in kinds), kinds
