"""Publishing a briefing all or nothing, and deciding freshness from what is published.

A briefing (one region, one edition) is published as a whole: its HTML, PDF, archived notebook, summary
and charts. The files of a region live in two folders, ``reports/<region>/`` (the briefing with its own
``figures/``, self-contained) and ``figures/<region>/`` (the charts for analysts). Each folder is replaced
in one step: a complete new folder is assembled beside it (the other editions' files are carried over by
hard link) and swapped in by an atomic exchange of directories (``renameat2(RENAME_EXCHANGE)``, or two
renames where that is not supported, so a reader sees the previous folder, or for an instant none, never
a mix). A journal records each swap; a publish that is interrupted is rolled back by the next build.

The stamp of a briefing, written last, records the inputs key and the SHA-256 of every published file.
A briefing is fresh only when its stamp's key is current and every file it lists is there, unaltered.
"""

from __future__ import annotations

import ctypes
import errno
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from . import paths

if TYPE_CHECKING:
    from .digests import Digests


def edition_suffix(lang: str) -> str:
    """File-name suffix of an edition (``briefing.zh.html``, ``peers.zh.svg``), from its locale entry."""
    from .i18n import locale

    return locale(lang).suffix


def edition_suffixes() -> dict[str, str]:
    """Every edition's file-name suffix, the default edition (no suffix) first."""
    from .i18n import langs

    return {lang: edition_suffix(lang) for lang in langs()}


BRIEFING_FILES = ("html", "pdf", "ipynb", "json")


class PublishError(RuntimeError):
    """A briefing could not be published; the previous one stays in place."""


def edition_of(filename: str, suffixes: dict[str, str] | None = None) -> str:
    """The edition a published file belongs to, from its name (``peers.zh.svg`` → ``zh``); ``suffixes`` are
    ``edition_suffixes()``, given by a caller that asks about many files."""
    stem = filename.split(".")
    middle = stem[1:-1]
    suffixes = suffixes or edition_suffixes()
    for lang, suffix in suffixes.items():
        if suffix and suffix.lstrip(".") in middle:
            return lang
    return next(lang for lang, suffix in suffixes.items() if not suffix)


def region_dirs(region: str) -> tuple[Path, Path]:
    """The two published folders of a region: its reports folder and its analysts' figures folder."""
    return paths.REPORTS_DIR / region, paths.FIGURES_DIR / region


# --- Stamps: freshness decided by the outputs ---------------------------------------------------------


def stamp_path(region: str, lang: str) -> Path:
    return paths.BUILD_DIR / "stamps" / f"{region}.{lang}.json"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def edition_files(region: str, lang: str) -> list[Path]:
    """Every published file of one edition of a region's briefing, in both folders."""
    out = []
    suffixes = edition_suffixes()
    for folder in region_dirs(region):  # os.walk: this is asked of every edition on every build
        for top, _, names in os.walk(folder):
            out += [
                Path(top, n) for n in names if edition_of(n, suffixes) == lang and os.path.isfile(os.path.join(top, n))
            ]
    return sorted(out)


def read_stamp(region: str, lang: str) -> dict | None:
    try:
        stamp = json.loads(stamp_path(region, lang).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):  # unreadable, not JSON, or nested too deep: no valid stamp
        return None
    return stamp if isinstance(stamp, dict) and isinstance(stamp.get("files"), dict) else None


def is_fresh(region: str, lang: str, key: str, digests: Digests | None = None) -> bool:
    """True when the published briefing came from these inputs and every file is as it was published.

    With ``digests``, a file whose size and modification time are those of its last reading is not read
    again (``digests.Digests``); the caller saves them."""
    stamp = read_stamp(region, lang)
    if not stamp or stamp.get("key") != key:
        return False
    listed = stamp["files"]
    on_disk = {_rel(p): p for p in edition_files(region, lang)}
    if set(on_disk) != set(listed):
        return False
    digest_of = digests.of if digests is not None else sha256_file
    return all(digest_of(on_disk[name]) == digest for name, digest in listed.items())


def _rel(path: Path) -> str:
    return path.relative_to(paths.ROOT).as_posix()


def write_stamp(region: str, lang: str, key: str) -> None:
    files = {_rel(p): sha256_file(p) for p in edition_files(region, lang)}
    body = {"key": key, "region": region, "lang": lang, "files": files}
    paths.atomic_write(stamp_path(region, lang), json.dumps(body, ensure_ascii=False, indent=1).encode("utf-8"))


# --- Swapping folders ---------------------------------------------------------------------------------

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _renameat2_exchange(a: Path, b: Path) -> bool:
    """Exchange two paths atomically; False where the system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    fn.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def swap_in(new: Path, target: Path) -> None:
    """Put folder ``new`` at ``target``; afterwards the previous ``target`` (if any) is at ``new``."""
    if not target.exists():
        new.rename(target)
        return
    if _renameat2_exchange(new, target):
        return
    aside = new.with_name(new.name + ".old")
    target.rename(aside)
    new.rename(target)
    aside.rename(new)


# --- Publishing ---------------------------------------------------------------------------------------


def _journal_dir() -> Path:
    return paths.BUILD_DIR / "journal"


def _carry_over(source: Path, dest: Path, lang: str) -> None:
    """Hard-link (or copy) into ``dest`` every file of ``source`` that belongs to another edition."""
    if not source.is_dir():
        return
    suffixes = edition_suffixes()
    for p in source.rglob("*"):
        if p.is_file() and edition_of(p.name, suffixes) != lang:
            q = dest / p.relative_to(source)
            q.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(p, q)
            except OSError:
                shutil.copy2(p, q)


WORK_PREFIX = ".publishing-"
"""Folders being assembled beside the published ones (same file system, so the swap is one rename)."""


def _work_dir(target: Path, region: str, lang: str) -> Path:
    return target.parent / f"{WORK_PREFIX}{os.getpid()}-{region}-{lang}"


def _assemble(stage: Path, region: str, lang: str) -> tuple[Path, Path]:
    """Complete new reports and figures folders for the region, each beside the folder it replaces."""
    reports_dir, figures_dir = region_dirs(region)
    new_reports, new_figures = _work_dir(reports_dir, region, lang), _work_dir(figures_dir, region, lang)
    for d in (new_reports, new_figures):
        clear(d)
        d.mkdir(parents=True)
    _carry_over(reports_dir, new_reports, lang)
    _carry_over(figures_dir, new_figures, lang)
    for name in BRIEFING_FILES:
        f = stage / f"briefing{edition_suffix(lang)}.{name}"
        shutil.copyfile(f, new_reports / f.name)
    charts = sorted((stage / "figures").glob("*"))
    if charts:
        (new_reports / "figures").mkdir(exist_ok=True)
    for f in charts:
        shutil.copyfile(f, new_reports / "figures" / f.name)
        shutil.copyfile(f, new_figures / f.name)
    return new_reports, new_figures


def publish(stage: Path, region: str, lang: str, key: str) -> None:
    """Replace one edition of a region's briefing by the finished one in ``stage``, all or nothing.

    The caller holds the region's lock. The stamp is removed first and written last, so a publish that
    does not finish leaves no valid stamp and the next build rebuilds the briefing.
    """
    journal = _journal_dir() / f"{os.getpid()}-{region}-{lang}.json"
    journal.parent.mkdir(parents=True, exist_ok=True)
    entries: list[dict] = []
    try:
        new_reports, new_figures = _assemble(stage, region, lang)
        stamp_path(region, lang).unlink(missing_ok=True)
        for new, target in zip((new_figures, new_reports), reversed(region_dirs(region))):
            entries.append(
                {"new": str(new), "target": str(target), "new_ino": new.stat().st_ino, "existed": target.exists()}
            )
            _write_journal(journal, entries)
            swap_in(new, target)
    except OSError as exc:
        _write_journal(journal, entries)
        rollback(journal)
        for folder in region_dirs(region):
            shutil.rmtree(_work_dir(folder, region, lang), ignore_errors=True)
        where = " and ".join(_display(d) for d in region_dirs(region))
        raise PublishError(
            f"{region} ({lang}): cannot publish into {where}: {exc.strerror or exc}; make "
            "reports/ and figures/ writable and free disk space (the previous briefing is "
            "unchanged)"
        ) from None
    journal.unlink(missing_ok=True)
    for folder in region_dirs(region):
        shutil.rmtree(_work_dir(folder, region, lang), ignore_errors=True)
    write_stamp(region, lang, key)


def _display(p: Path) -> str:
    try:
        return p.relative_to(paths.ROOT).as_posix() + "/"
    except ValueError:
        return str(p)


def _write_journal(journal: Path, entries: list) -> None:
    paths.atomic_write(journal, json.dumps(entries).encode("utf-8"))


def _ino(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def rollback(journal: Path) -> None:
    """Undo the swaps a journal records, newest first, so the previous folders are back in place.

    Whether a swap happened is read from the file system: the new folder's inode is recorded before it.
    """
    try:
        entries = json.loads(journal.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        entries = []
    for e in reversed(entries):
        new, target = Path(e["new"]), Path(e["target"])
        aside = new.with_name(new.name + ".old")
        if _ino(target) == e["new_ino"]:  # the new folder is in place: put the previous one back
            if not e["existed"]:
                target.rename(new)
            elif aside.exists():
                target.rename(new)
                aside.rename(target)
            else:
                swap_in(new, target)
        elif not target.exists() and aside.exists():  # stopped between the two renames of the fallback
            aside.rename(target)
        shutil.rmtree(new, ignore_errors=True)
    journal.unlink(missing_ok=True)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def recover() -> list[str]:
    """Roll back publishes and remove work and staging folders left by builds that were killed."""
    done = []
    journals = sorted(_journal_dir().glob("*.json")) if _journal_dir().is_dir() else []
    for journal in journals:
        pid = _owner(journal.name)
        if pid is not None and _pid_alive(pid) and pid != os.getpid():
            continue
        rollback(journal)
        done.append(f"rolled back an interrupted publish ({journal.stem.split('-', 1)[-1]})")
    stage = paths.BUILD_DIR / "stage"
    if stage.exists() and not stage.is_dir():  # a file where the staging folder belongs
        clear(stage)
    leftovers = [
        *(
            d
            for folder in (paths.REPORTS_DIR, paths.FIGURES_DIR)
            if folder.is_dir()
            for d in folder.glob(f"{WORK_PREFIX}*")
        ),
        *(stage.glob("*") if stage.is_dir() else []),
    ]
    for d in leftovers:  # folders, and files named like them: anything no running build owns
        pid = _owner(d.name.removeprefix(WORK_PREFIX))
        if pid is None or not _pid_alive(pid) or pid == os.getpid():
            clear(d)
    return done


def clear(path: Path) -> None:
    """Remove whatever is at ``path``: a folder, a file or a link (a decoy where a folder is wanted)."""
    if path.is_symlink() or (path.exists() and not path.is_dir()):
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _owner(name: str) -> int | None:
    """The process id a work folder or journal is named after (``1234-…`` or ``1234.…``)."""
    head = name.split("-", 1)[0].split(".", 1)[0]
    return int(head) if head.isdigit() else None
