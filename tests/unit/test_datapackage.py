"""The fact base as a Frictionless data package, its licences and its citation."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml

from briefings import datapackage
from briefings.datadict import generated
from briefings.schema import DATE, PERIOD, SLUG, TABLES, Column

from ..conftest import ROOT


@pytest.mark.parametrize(
    "pattern, good, bad",
    [
        (
            PERIOD,
            ["2023", "2023-01..10", "2024..2027", "2024-02"],
            ["2023-1", "20234", "2023..24", " 2023", "2023-01..1"],
        ),
        (SLUG, ["shanghai", "yangtze-river-delta", "sme_cultivation"], ["Shanghai", "-a", "a--b", "a b", ""]),
        (DATE, ["2024-05", "2024-05-17"], ["2024", "2024-5-17", "2024-05-17T00"]),
        (r"^(stated|inferred: .+)$", ["stated", "inferred: from the dateline"], ["stated.", "inferred:"]),
    ],
)
def test_portable_patterns_accept_what_the_schema_accepts(pattern, good, bad):
    portable = re.compile(f"^{datapackage.portable_pattern(pattern)}$")  # how Table Schema anchors a pattern
    assert "^" not in datapackage.portable_pattern(pattern) and "(?:" not in datapackage.portable_pattern(pattern)
    for value in good:
        assert re.match(pattern, value) and portable.match(value), value
    for value in bad:
        assert not re.match(pattern, value) and not portable.match(value), value


def test_top_level_alternatives_are_grouped():
    assert datapackage.portable_pattern(r"^a$|^b(?:c)$") == "(a|b(c))"
    with pytest.raises(ValueError, match="by hand"):
        datapackage.portable_pattern(r"^[^a]$")


def test_fields_carry_types_constraints_and_enums():
    flag = datapackage.field(Column("is_x", "bool", "d."))
    assert flag["type"] == "boolean" and flag["trueValues"] == ["true"] and flag["falseValues"] == ["false"]
    kind = datapackage.field(Column("kind", "str", "d.", isin=("target", "actual")))
    assert kind["constraints"] == {"required": True, "enum": ["target", "actual"]}
    year = datapackage.field(Column("end_year", "int", "d.", required=False))
    assert year["type"] == "integer" and "constraints" not in year


def test_every_table_with_its_keys():
    package = datapackage.descriptor()
    resources = {r["name"]: r for r in package["resources"]}
    assert set(resources) == set(TABLES)
    for name, table in TABLES.items():
        schema = resources[name]["schema"]
        assert resources[name]["path"] == table.file and schema["primaryKey"] == [table.key]
        assert [f["name"] for f in schema["fields"]] == [c.name for c in table.columns]
        refs = {
            (fk["fields"][0], fk["reference"]["resource"], fk["reference"]["fields"][0])
            for fk in schema.get("foreignKeys", [])
        }
        assert refs == set(table.foreign_keys)


def test_datapackage_json_is_generated_from_the_schema():
    assert (ROOT / "data" / "datapackage.json").read_text(encoding="utf-8") == generated()["datapackage.json"], (
        "run `briefings datadict`"
    )


def test_licences_and_citation_agree_with_the_project():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["title"] and cff["authors"]
    assert cff["version"] == project["version"] and cff["license"] == project["license"]
    assert (ROOT / "LICENSE").read_text().startswith(f"{project['license']} License")
    data_licence = cff["references"][0]["license"]
    assert data_licence == datapackage.LICENSE["name"] == "CC-BY-4.0"
    assert (
        "CC BY 4.0" in (ROOT / "data" / "LICENSE").read_text()
        and "third-party" in (ROOT / "data" / "LICENSE").read_text()
    )
    for doc in (ROOT / "README.md", ROOT / "data" / "README.md"):
        assert "third-party texts" in doc.read_text(encoding="utf-8"), doc
