"""The fact base as a Frictionless data package: ``data/datapackage.json``, generated from the schema.

The published package (``reports/data/``) adds the derived tables (``derived/*.csv``, ``schema_derived``).

Like ``data/README.md``, the descriptor is written by ``briefings datadict`` and a test keeps it in step;
``frictionless validate data/datapackage.json`` checks every table against it (types, required values,
patterns, enums, primary and foreign keys). :func:`export_datapackage` copies the whole package into a
folder (the build publishes it to ``reports/data/``) with a zip of it for download.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from . import paths
from .schema import LOAD_ORDER, TABLES, Column, Table

NAME = "regional-smart-manufacturing-facts"
TITLE = "China's regional smart-manufacturing and new-industrialisation policy: the fact base"
DESCRIPTION = (
    "Every number that five Chinese policy and news texts state about China's regions' smart "
    "manufacturing and new industrialisation (targets and reported results), with its verbatim quote, "
    "and the qualitative policy measures, the plans, indicators, themes, regions and sources. The quotes "
    "are short excerpts of third-party texts, quoted for analysis; the texts remain their publishers'."
)
LICENSE = {
    "name": "CC-BY-4.0",
    "title": "Creative Commons Attribution 4.0 International",
    "path": "https://creativecommons.org/licenses/by/4.0/",
}
ZIP_NAME = f"{NAME}.zip"
TYPES = {"str": "string", "float": "number", "int": "integer", "bool": "boolean"}


def portable_pattern(pattern: str) -> str:
    """A schema regex as Table Schema wants it: implicitly anchored, no ``^``/``$``, no ``(?:``."""
    if "[^" in pattern or "\\^" in pattern or "\\$" in pattern:
        raise ValueError(f"pattern {pattern!r} uses ^ or $ other than as anchors: write its portable form by hand")
    body = pattern.replace("(?:", "(").replace("^", "").replace("$", "")
    depth, top_level_or = 0, False
    for ch in body:
        depth += {"(": 1, ")": -1}.get(ch, 0)
        top_level_or |= ch == "|" and depth == 0
    return f"({body})" if top_level_or else body


def field(col: Column) -> dict[str, object]:
    """One column as a Table Schema field."""
    out: dict[str, object] = {"name": col.name, "type": TYPES[col.dtype], "description": col.description}
    if col.dtype == "bool":
        out.update(trueValues=["true"], falseValues=["false"])
    constraints: dict[str, object] = {}
    if col.required:
        constraints["required"] = True
    if col.unique:
        constraints["unique"] = True
    if col.pattern:
        constraints["pattern"] = portable_pattern(col.pattern)
    if col.isin:
        constraints["enum"] = list(col.isin)
    if constraints:
        out["constraints"] = constraints
    return out


def resource(table: Table, folder: str = "") -> dict[str, object]:
    """One CSV file of ``data/`` (or of ``folder`` in the published package) as a tabular data resource."""
    schema: dict[str, object] = {
        "fields": [field(c) for c in table.columns],
        "missingValues": [""],
        "primaryKey": [table.key],
    }
    if table.foreign_keys:
        schema["foreignKeys"] = [
            {"fields": [col], "reference": {"resource": other, "fields": [other_col]}}
            for col, other, other_col in table.foreign_keys
        ]
    return {
        "name": table.name,
        "path": f"{folder}{table.file}",
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "description": table.description,
        "schema": schema,
    }


DERIVED_DIR = "derived/"
"""Where the published package keeps the derived tables (computed by the build, not kept in ``data/``)."""


def descriptor(derived: bool = False) -> dict[str, object]:
    """The data package descriptor: every table of the schema, with keys and enums; with ``derived``, the
    derived tables too (the published package)."""
    from .schema_derived import DERIVED, DERIVED_ORDER

    resources = [resource(TABLES[name]) for name in LOAD_ORDER]
    if derived:
        resources += [resource(DERIVED[name], DERIVED_DIR) for name in DERIVED_ORDER]
    return {
        "profile": "tabular-data-package",
        "name": NAME,
        "title": TITLE,
        "description": DESCRIPTION,
        "licenses": [LICENSE],
        "resources": resources,
    }


def render(derived: bool = False) -> str:
    """``datapackage.json`` as text (``data/``'s, or with ``derived`` the published package's)."""
    return json.dumps(descriptor(derived), ensure_ascii=False, indent=2) + "\n"


def derived_csv(df) -> bytes:
    """A derived table as CSV the way ``data/`` writes its tables: booleans ``true``/``false``, no index."""
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == bool:
            out[col] = out[col].map({True: "true", False: "false"})
    return out.to_csv(index=False, lineterminator="\n", float_format="%.10g").encode("utf-8")


def derived_files(data_dir: Path | None = None) -> dict[str, bytes]:
    """The derived tables of the fact base in ``data_dir``, by their path in the published package. For the
    project's own data they are kept in ``build/cache`` under the key of everything that shapes them (the
    tables, the seeds, the code), so a build that changes nothing derives nothing."""
    import pickle

    from .factbase_key import inputs_digest

    cache = None if data_dir else paths.BUILD_DIR / "cache" / f"derived-{inputs_digest()[:16]}.pkl"
    if cache is not None and cache.exists():
        try:
            files = pickle.loads(cache.read_bytes())
            if isinstance(files, dict):
                return files
        except Exception:  # noqa: BLE001 - a damaged cache is computed again
            pass
    from . import data
    from .derive import derive
    from .schema_derived import DERIVED_ORDER

    derived = derive(data.load(data_dir) if data_dir else data.load())
    files = {f"{DERIVED_DIR}{name}.csv": derived_csv(derived.table(name)) for name in DERIVED_ORDER}
    if cache is not None:
        paths.atomic_write(cache, pickle.dumps(files))
    return files


def package_files(data_dir: Path | None = None, derived: bool = True) -> dict[str, bytes]:
    """Every file of the published package by its path inside it: descriptor, tables, dictionary, licence,
    curation notes. The descriptor is rendered from the schema, the rest read from ``data_dir``."""
    given = data_dir
    data_dir = Path(data_dir or paths.DATA_DIR)
    files = {"datapackage.json": render(derived=derived).encode("utf-8")}
    from .cells import neutralise_csv  # a cell that would run as a formula in a spreadsheet is shown as text

    files |= {TABLES[name].file: neutralise_csv((data_dir / TABLES[name].file).read_bytes()) for name in LOAD_ORDER}
    extras = [data_dir / "README.md", data_dir / "LICENSE", *sorted((data_dir / "notes").glob("*.md"))]
    files |= {p.relative_to(data_dir).as_posix(): p.read_bytes() for p in extras if p.exists()}
    return files | derived_files(given) if derived else files


def export_datapackage(target: Path, data_dir: Path | None = None, derived: bool = True) -> Path:
    """Write the fact base as a data package into ``target`` (and ``target/<name>.zip`` of the same files);
    return the path of its ``datapackage.json``. Files are replaced atomically; nothing else is removed."""
    target = Path(target)
    files = package_files(data_dir, derived)
    for name, content in files.items():
        paths.atomic_write(target / name, content)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files.items():
            info = zipfile.ZipInfo(f"{NAME}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type, info.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            zf.writestr(info, content)
    paths.atomic_write(target / ZIP_NAME, buf.getvalue())
    return target / "datapackage.json"
