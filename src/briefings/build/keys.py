"""What decides whether a briefing is rebuilt: the inputs' digest, each briefing's key, where it is published,
and the light readers of ``data/`` (standard library only) that the no-op path uses."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .. import paths, publish
from ..digests import Digests
from ..publish import edition_suffix

SHARED_TABLES = ("indicators.csv", "themes.csv")
"""Tables every briefing uses whole; of the others a briefing draws only on the rows of its scope."""
CODE_SUFFIXES = {".py", ".toml", ".j2", ".typ", ".css", ".json"}
"""The package's files that shape a briefing: code, templates (HTML and Typst), styles, catalogues."""


def _files_digest(files: set[Path], digests: Digests) -> str:
    from ..csvtext import display_name  # data/x.csv, also in a build's snapshot

    h = hashlib.sha256()
    for f in sorted(files):
        h.update(display_name(f).encode() + b"\0" + digests.of(f).encode() + b"\0")
    return h.hexdigest()


def _notebooks_digest(digests: Digests) -> str:
    """The briefing notebooks' cell sources only: saving in JupyterLab changes nothing."""
    from ..notebooks_hash import notebooks_digest

    one = [
        digests.of(paths.NOTEBOOKS_DIR / name, "cells", lambda p: notebooks_digest([p]))
        for name in paths.BRIEFING_NOTEBOOKS
    ]
    return hashlib.sha256("\0".join(one).encode()).hexdigest()


def inputs_digest(digests: Digests | None = None) -> str:
    """Hash of what every briefing depends on: the shared tables, notebooks, templates, catalogues, package
    code and the versions of the libraries that shape its content. ``BriefingKeys`` adds each briefing's rows.

    A file is read only when its size or modification time differs from the last build's (``digests``)."""
    from ..csvtext import decode_table
    from ..system import library_versions

    for name in SHARED_TABLES:  # a missing or unreadable shared table is one line (DataError), not a traceback
        decode_table(paths.DATA_DIR / name)
    own = digests is None
    digests = digests or Digests()
    files = {
        *(paths.DATA_DIR / name for name in SHARED_TABLES),
        *(p for p in paths.PACKAGE_DIR.rglob("*") if p.is_file() and p.suffix in CODE_SUFFIXES),
        *paths.locales_dir().glob("*.toml"),  # the editions' catalogues, wherever BRIEFINGS_LOCALES puts them
    }
    parts = _files_digest(files, digests) + _notebooks_digest(digests) + library_versions()
    if own:
        digests.save()
    return hashlib.sha256(parts.encode()).hexdigest()


def scoped_tables_light() -> dict[str, list[dict[str, str]]]:
    """The tables of which a briefing uses some rows, read with the standard library only."""
    from ..scope import KEYS, SCOPED

    need = {"observations": ("region_id", "plan", "source_id"), "plans": ("region_id", "source_id")}
    need["measures"], need["sources"] = ("region_id", "source_id"), ("file", "facts_date")
    return {name: _read_csv_light(f"{name}.csv", (KEYS[name], *need.get(name, ()))) for name in SCOPED}


class BriefingKeys:
    """The key of each briefing: the shared digest, the rows of its scope (``scope.select``) and the seed texts
    those rows quote. A change to one region's rows changes the keys of that region and its peers only."""

    def __init__(self, digest: str | None = None) -> None:
        from ..dates import latest_date
        from ..scope import KEYS, Scopes

        tables = scoped_tables_light()
        self.digests = digests = Digests()
        """Digests of files by size and modification time: the inputs', and the published files' that
        ``publish.is_fresh`` checks (saved by whoever checks them)."""
        # every briefing judges its region's sources against the latest date of the whole fact base
        latest = latest_date([row["facts_date"] for row in tables["sources"]])
        self.digest = hashlib.sha256(f"{digest or inputs_digest(digests)}\0{latest}".encode()).hexdigest()
        self._scopes = Scopes(tables)
        self._lines = {
            name: {
                row[KEYS[name]]: json.dumps([name, *row.values()], ensure_ascii=False).encode() + b"\n" for row in rows
            }
            for name, rows in tables.items()
        }
        self._seeds = {row["source_id"]: _seed_digest(row["file"], digests) for row in tables["sources"]}
        digests.save()
        self._regions: dict[str, str] = {}

    def version(self, region: str) -> str:
        """Digest of everything a briefing of ``region`` shows, in either language (its version)."""
        if region not in self._regions:
            h = hashlib.sha256(self.digest.encode())
            for name, keys in self._scopes.select(region).items():
                for key in keys:
                    h.update(self._lines[name][key])
                    if name == "sources":
                        h.update(self._seeds[key].encode())
            self._regions[region] = h.hexdigest()
        return self._regions[region]

    def __call__(self, region: str, lang: str) -> str:
        return briefing_key(self.version(region), region, lang)


def _seed_digest(file: str, digests: Digests) -> str:
    path = paths.SEEDS_DIR / file
    return digests.of(path) if path.is_file() else "\0missing"


def briefing_key(digest: str, region: str, lang: str) -> str:
    """The key of one edition of a region's briefing, from the region's version ``digest``."""
    return hashlib.sha256(f"{digest}\0{region}\0{lang}".encode()).hexdigest()


def output_paths(region: str, lang: str) -> dict[str, Path]:
    """Where one edition's briefing files are published."""
    d = paths.REPORTS_DIR / region
    s = edition_suffix(lang)
    return {kind: d / f"briefing{s}.{kind}" for kind in publish.BRIEFING_FILES}


def _read_csv_light(name: str, columns: tuple[str, ...]) -> list[dict[str, str]]:
    """A table of ``data/`` with the standard library only (no pandas): for the fast no-op path.

    Encoding, byte-order mark and line endings are checked as the full loader checks them.
    """
    from ..csvtext import read_rows

    rows = read_rows(paths.DATA_DIR / name)
    missing = [c for c in columns if rows and c not in rows[0]]
    if missing:
        from ..data import DataError

        raise DataError([f"data/{name}, row 1: missing column(s) {', '.join(missing)}"])
    return rows


def read_regions_light() -> list[dict[str, str]]:
    """regions.csv with the standard library only (no pandas)."""
    return _read_csv_light("regions.csv", ("region_id", "name_en", "name_zh"))


def buildable_regions_light() -> list[str]:
    """Regions with any observation or measure, read with the standard library only."""
    used: set[str] = set()
    for name in ("observations.csv", "measures.csv"):
        used |= {row["region_id"] for row in _read_csv_light(name, ("region_id",))}
    return [r["region_id"] for r in read_regions_light() if r["region_id"] in used]
