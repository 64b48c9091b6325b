"""What is published beside the briefings: ``reports/index.html`` and the data package ``reports/data/``."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Callable, Set
from pathlib import Path

from .. import paths, publish
from ..digests import Digests
from ..publish import edition_suffixes
from .common import held
from .keys import BriefingKeys, read_regions_light


def stale_briefings(
    key_of: Callable[[str, str], str], digests: Digests | None = None, fresh: Set[tuple[str, str]] = frozenset()
) -> list[tuple[str, str]]:
    """Published briefings that no longer match the current inputs (or whose files were altered); ``fresh``:
    editions the caller has just found fresh, not checked again."""
    out = []
    for d in sorted(paths.REPORTS_DIR.iterdir()) if paths.REPORTS_DIR.is_dir() else []:
        for lang, suffix in edition_suffixes().items():
            if d.is_dir() and not d.name.startswith(".") and (d / f"briefing{suffix}.html").exists():
                if (d.name, lang) not in fresh and not publish.is_fresh(d.name, lang, key_of(d.name, lang), digests):
                    out.append((d.name, lang))
    return out


def _region_order() -> dict[str, int]:
    """Each region's place in ``regions.csv``, the order of the index's rows."""
    try:
        return {r["region_id"]: i for i, r in enumerate(read_regions_light())}
    except Exception:  # noqa: BLE001 - order only; the build reports broken data elsewhere
        return {}


def write_index(keys: BriefingKeys | None = None, fresh: Set[tuple[str, str]] = frozenset()) -> set[tuple[str, str]]:
    """``reports/index.html``: every published briefing with its headline numbers (from the briefing's
    own summary, so the index never disagrees with what it links to) and a mark on any that is out of date
    (``fresh``: editions the build has just found fresh under ``keys``). Returns the out-of-date briefings."""
    target = paths.REPORTS_DIR / "index.html"
    keys = keys or BriefingKeys()
    with held("index"):
        publish_datapackage(keys.digest)
        stale = set(stale_briefings(keys, keys.digests, fresh))
        order = _region_order()
        key = _index_key(keys.digest, stale, order, keys.digests)
        keys.digests.save()
        if _index_stamp() == _stamp_of(key, target):
            return stale  # rendered from the same summaries, catalogues and templates, and not altered since
        from ..index import render_index

        html = render_index(stale, order)
        if not target.exists() or target.read_text(encoding="utf-8") != html:
            paths.atomic_write(target, html.encode("utf-8"))
        try:
            paths.atomic_write(paths.BUILD_DIR / INDEX_STAMP, _stamp_of(key, target).encode("utf-8"))
        except OSError:
            pass  # a cache only: the next build renders the index again
    return stale


INDEX_STAMP = "index.json"
"""``build/index.json``: the key the index was last rendered from, and the SHA-256 of what was written."""


def _index_key(digest: str, stale: set[tuple[str, str]], order: dict[str, int], digests: Digests) -> str:
    """What the index shows depends on: the package (code, templates, catalogues: in the inputs' ``digest``),
    which briefings are stale, the regions' order, and every published edition's files and summary."""
    h = hashlib.sha256(json.dumps([digest, sorted(stale), sorted(order.items())]).encode())
    h.update(b"data" if (paths.REPORTS_DIR / "data" / "datapackage.json").exists() else b"-")
    for d in sorted(paths.REPORTS_DIR.iterdir()) if paths.REPORTS_DIR.is_dir() else []:
        if not d.is_dir() or d.name.startswith("."):
            continue
        for suffix in edition_suffixes().values():
            h.update(f"\0{d.name}{suffix}".encode())
            for ext in ("html", "pdf"):
                h.update(b"1" if (d / f"briefing{suffix}.{ext}").is_file() else b"0")
            meta = d / f"briefing{suffix}.json"
            h.update(digests.of(meta).encode() if meta.is_file() else b"-")
    return h.hexdigest()


def _index_stamp() -> str | None:
    try:
        return (paths.BUILD_DIR / INDEX_STAMP).read_text(encoding="utf-8")
    except OSError:
        return None


def _stamp_of(key: str, target: Path) -> str:
    """The key and the SHA-256 of the index as it is now (reading it is cheap; rendering it is not)."""
    return json.dumps([key, publish.sha256_file(target) if target.is_file() else ""])


DATA_STAMP = "datapackage.json"
"""``build/datapackage.json``: the inputs' key ``reports/data/`` was last checked against, and its files'
names, sizes and modification times then."""


def _files_of(target: Path) -> list[list]:
    """Every file under ``target`` with its size and modification time (cheap: no file is read)."""
    if not target.is_dir():
        return []
    return sorted(
        [p.relative_to(target).as_posix(), st.st_size, st.st_mtime_ns]
        for p in target.rglob("*")
        if p.is_file() and (st := p.stat())
    )


def publish_datapackage(key: str | None = None) -> None:
    """The whole fact base for download, ``reports/data/``: replaced in one step, and only when it changed.
    With the inputs' ``key``, a build whose inputs and ``reports/data/`` are as when it was last checked
    reads nothing more."""
    from ..datapackage import ZIP_NAME, export_datapackage, package_files

    target = paths.REPORTS_DIR / "data"
    stamp_file = paths.BUILD_DIR / DATA_STAMP
    if key is not None:
        try:
            if json.loads(stamp_file.read_text(encoding="utf-8")) == [key, _files_of(target)]:
                return
        except (OSError, ValueError):
            pass
    files = package_files()
    on_disk = {p.relative_to(target).as_posix(): p for p in target.rglob("*") if p.is_file()} if target.is_dir() else {}
    if not (set(on_disk) == set(files) | {ZIP_NAME} and all(on_disk[n].read_bytes() == c for n, c in files.items())):
        work = paths.REPORTS_DIR / f"{publish.WORK_PREFIX}{os.getpid()}-data"
        shutil.rmtree(work, ignore_errors=True)
        export_datapackage(work)
        publish.swap_in(work, target)
        shutil.rmtree(work, ignore_errors=True)
    if key is not None:
        try:
            paths.atomic_write(stamp_file, json.dumps([key, _files_of(target)]).encode("utf-8"))
        except OSError:
            pass  # a cache only: the next build compares the files again
