"""Every change to ``data/`` and ``seeds/`` is one transaction: locked, validated beside the old state, swapped
in whole, and rolled back or completed by the next command if it was killed.

``with edit("accept drafts/x.csv") as tx:`` takes the fact base's lock (a second writer waits for it, then is
refused with one line), copies ``data/`` to a staging folder beside it, lets the caller write the new tables
there (``tx.write``) and new seed texts (``tx.add_seed``), validates the whole new state with the same
``data.validate`` as ``briefings validate``, and then puts the staging folder in place of ``data/`` with one
atomic exchange of directories (as ``publish`` does for a briefing). Seeds are only ever added, under new
names; a seed added by a transaction that does not commit is removed again.

A journal beside ``data/`` records what the transaction has done. A command that finds a journal left by a
process that died (the lock is free) finishes the job: if the new folder is already in place, the old one is
removed; otherwise the staging folder and any seed added are removed and ``data/`` is as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import stat
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from . import paths
from .csvtext import DataError

LOCK_WAIT = float(os.environ.get("BRIEFINGS_LOCK_WAIT", "60"))
"""Seconds a second writer waits for the lock before it is refused."""


class EditError(RuntimeError):
    """A change to the fact base could not be made; ``data/`` and ``seeds/`` are as they were."""


def _data_dir() -> Path:
    return paths.DATA_DIR.resolve()


def _seeds_dir() -> Path:
    return paths.SEEDS_DIR.resolve()


def _journal() -> Path:
    d = _data_dir()
    return d.parent / f".{d.name}.journal.json"


def _lock_file() -> Path:
    d = _data_dir()
    return d.parent / f".{d.name}.lock"


def _staging() -> Path:
    d = _data_dir()
    return d.parent / f".{d.name}.{os.getpid()}.new"


def _remove(path: Path) -> None:
    """Remove a file, a link or a folder, whichever ``path`` is."""
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def _shown(path: Path) -> str:
    for base in (paths.ROOT, paths.ROOT.resolve()):
        try:
            return path.relative_to(base).as_posix()
        except ValueError:
            continue
    return str(path)


# --- The lock -----------------------------------------------------------------------------------------


@contextmanager
def locked(
    what: str, echo: Callable[[str], None] | None = None, wait: float | None = None, reader: bool = False
) -> Iterator[None]:
    """Hold the fact base's lock. A held lock is waited for (one line says who holds it) for ``wait`` seconds,
    then ``EditError``. The lock is an ``flock``: it is released when its holder exits, even when killed.
    A ``reader`` (a build taking its snapshot) goes ahead unlocked where no lock can be made (a read-only
    checkout, which no one can edit either)."""
    path = _lock_file()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        if reader:
            yield
            return
        raise EditError(f"cannot create the lock {_shown(path)}: {exc.strerror}; make its folder writable") from None
    try:
        deadline = time.monotonic() + (LOCK_WAIT if wait is None else wait)
        told = False
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                holder = _holder(fd)
                if time.monotonic() >= deadline:
                    raise EditError(
                        f"data/ is being changed by another command ({holder}); nothing was changed: "
                        "run this again when it has finished"
                    ) from None
                if not told and echo is not None:
                    echo(f"waiting for another command that is changing data/ ({holder}) …")
                    told = True
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}: {what}".encode(), 0)
        try:
            yield
        finally:
            os.ftruncate(fd, 0)
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _holder(fd: int) -> str:
    try:
        return os.pread(fd, 500, 0).decode("utf-8", "replace").strip() or "unknown"
    except OSError:
        return "unknown"


# --- Recovery -----------------------------------------------------------------------------------------


def _ino(path: Path) -> int | None:
    try:
        return path.stat().st_ino
    except OSError:
        return None


def _recover_locked() -> str | None:
    """Finish a transaction whose process died (the caller holds the lock); say what was done."""
    journal = _journal()
    if not journal.exists():
        for d in _data_dir().parent.glob(f".{_data_dir().name}.*.new*"):  # staged before a journal was written
            _remove(d)
        return None
    try:
        entry = json.loads(journal.read_text(encoding="utf-8"))
        if not isinstance(entry, dict):
            raise ValueError
    except (OSError, ValueError, RecursionError):
        entry = {}
    data, staged = _data_dir(), Path(entry.get("staged", _staging()))
    aside = staged.with_name(staged.name + ".old")
    if entry.get("new_ino") is not None and _ino(data) == entry["new_ino"]:
        _remove(staged)  # the new data/ is in place: the old one is what is left to remove
        done = "completed"
    else:
        if not data.exists() and aside.exists():  # stopped between the two renames of the fallback swap
            aside.rename(data)
        _remove(staged)
        for name in entry.get("seeds", []):
            _remove(_seeds_dir() / name)
        for name in entry.get("files", []):
            _remove(Path(name))
        done = "rolled back"
    _remove(aside)
    journal.unlink(missing_ok=True)
    return f"{done} an interrupted change to data/ ({entry.get('what', 'unknown command')})"


def recover(echo: Callable[[str], None] | None = None) -> str | None:
    """Roll back or complete a change to the fact base left by a killed command, if there is one and no
    other command is changing it now; say what was done. Cheap when there is nothing to do."""
    d = _data_dir()
    if not _journal().exists() and not any(d.parent.glob(f".{d.name}.*.new*")):
        return None
    try:
        with locked("recovery", wait=0):
            line = _recover_locked()
    except EditError:  # another command is changing data/ now: it is not interrupted
        return None
    if line and echo is not None:
        echo(f"note: {line}")
    return line


# --- The transaction ----------------------------------------------------------------------------------


class Transaction:
    """The new state of the fact base while it is prepared: ``data`` is the staging folder."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.data = _staging()
        self.seeds: list[str] = []
        self.files: list[str] = []
        self._valid = False
        self.committed = False
        self.changed = False

    def _journal(self, **more) -> None:
        body = {"what": self.what, "pid": os.getpid(), "staged": str(self.data), "seeds": self.seeds}
        body |= {"files": self.files, **more}
        paths.atomic_write(_journal(), json.dumps(body, ensure_ascii=False).encode("utf-8"))

    def begin(self) -> None:
        self._journal()
        _remove(self.data)
        shutil.copytree(_data_dir(), self.data, symlinks=True)
        checkpoint("begun")

    def write(self, name: str, content: bytes | str) -> None:
        """Replace (or add) the table ``name`` of ``data/`` in the new state."""
        live = _data_dir() / name
        if live.exists() and not _writable(live):
            raise EditError(f"data/{name} is read-only; make it writable (chmod u+w) and run this again")
        raw = content.encode("utf-8") if isinstance(content, str) else content
        paths.atomic_write(self.data / name, raw)
        self.changed = True
        if live.exists():
            os.chmod(self.data / name, stat.S_IMODE(live.stat().st_mode))
        self._valid = False

    def add_seed(self, name: str, content: bytes) -> None:
        """Add a seed text under a new name (seeds are never replaced)."""
        target = _seeds_dir() / name
        if target.exists():
            raise EditError(f"seeds/{name} exists already; seeds are never replaced")
        self.seeds.append(name)
        self.changed = True
        self._journal()  # listed before it is written, so that a kill leaves nothing unaccounted for
        paths.atomic_write(target, content)
        checkpoint("seeded")
        self._valid = False

    def owns(self, path: Path) -> None:
        """A file outside data/ written for this change (a review sheet): removed if the change is undone."""
        self.files.append(str(Path(path).resolve()))
        self._journal()

    def validate(self):
        """The new state, validated as ``briefings validate`` does (``DataError`` names every problem)."""
        from .data import validate

        try:
            fb = validate(self.data, _seeds_dir())
        except DataError as exc:  # name the files as the user knows them
            staged = _shown(self.data)
            raise DataError([p.replace(f"{staged}/", "data/") for p in exc.problems]) from None
        self._valid = True
        return fb

    def commit(self) -> None:
        """Validate the new state (unless done) and swap it in place of data/."""
        if self.committed:
            return
        if not self.changed:  # nothing to swap in
            self.rollback()
            return
        if not self._valid:
            self.validate()
        data = _data_dir()
        if not os.access(data.parent, os.W_OK):
            raise EditError(f"cannot replace {_shown(data)}/: its folder is read-only; make it writable")
        self._journal(new_ino=self.data.stat().st_ino)
        from .publish import swap_in

        checkpoint("swap")
        swap_in(self.data, data)
        self.committed = True
        try:  # committed: what is left is tidying up, which the next command also does
            checkpoint("swapped")
            _remove(self.data)  # the previous data/
            _journal().unlink(missing_ok=True)
        except OSError:
            pass

    def rollback(self) -> None:
        """Put the old state back (or, once the new folder is in place, keep it): as after a kill."""
        _recover_locked()


def _writable(path: Path) -> bool:
    return bool(path.stat().st_mode & stat.S_IWUSR) and os.access(path, os.W_OK)


def checkpoint(moment: str) -> None:
    """For the tests: ``BRIEFINGS_FAULT=<moment>`` fails the transaction there, ``kill:<moment>`` kills it,
    ``sleep:<moment>`` holds it there for two seconds."""
    wanted = os.environ.get("BRIEFINGS_FAULT", "")
    if wanted == f"sleep:{moment}":
        time.sleep(2)
    if wanted == moment:
        raise OSError(5, "injected fault", moment)
    if wanted == f"kill:{moment}":
        os.kill(os.getpid(), 9)


@contextmanager
def edit(what: str, echo: Callable[[str], None] | None = None) -> Iterator[Transaction]:
    """One change to ``data/`` and ``seeds/``, all or nothing (see the module's docstring).

    Leaving the block normally validates the new state and swaps it in; any exception leaves the old state
    and is raised again (``OSError`` as ``EditError`` with one line saying why).
    """
    with locked(what, echo):
        line = _recover_locked()
        if line and echo is not None:
            echo(f"note: {line}")
        tx = Transaction(what)
        try:
            tx.begin()
            yield tx
            tx.commit()
        except OSError as exc:
            tx.rollback()
            where = f" ({_shown(Path(exc.filename))})" if getattr(exc, "filename", None) else ""
            raise EditError(
                f"cannot change data/: {exc.strerror or exc}{where}; nothing was changed (free disk space or "
                "make data/ and seeds/ writable)"
            ) from None
        except BaseException:
            tx.rollback()
            raise


__all__ = ["DataError", "EditError", "Transaction", "edit", "locked", "recover"]
