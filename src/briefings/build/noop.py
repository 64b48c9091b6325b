"""A rebuild with nothing to do, answered from the last build's fingerprint: no table read, no file hashed.

At the end of a build that failed nowhere, ``remember`` records the size and modification time of every file
that decides what is fresh: the inputs (``data/``, ``seeds/``, the package's code, templates and catalogues,
the notebooks, the Python environment), taken before the build read them, and the outputs (``reports/``,
``figures/``, the stamps). With them it records which editions the build left fresh and which out of date.
The next build asks ``answer`` first: when every one of those files is as recorded and every edition asked
for was left fresh, nothing can have changed, and it answers at once. Any difference, and the build decides
as always: keys, stamps and the published files' digests (``keys``, ``publish.is_fresh``).

Only settled times are recorded (``digests.settled``): a file written again within the same clock tick would
keep its size and time. The outputs are recorded once their newest time has settled, which costs a build
at most ``FINE_RACY_NS`` on file systems with nanosecond times; where times are whole seconds, and for an
input still unsettled when the build read it, nothing is recorded.
"""

from __future__ import annotations

import json
import os
import sys
import sysconfig
import time
from collections.abc import Callable, Iterable

from .. import paths
from ..digests import FINE_RACY_NS, racy_ns, settled
from .common import Result

NAME = "nothing-changed.json"
"""``build/nothing-changed.json``: the fingerprint of the last build and the editions it left fresh."""
Stats = dict[str, list[int]]


def _walk(folder: os.PathLike | str, keep: Callable[[str], bool] = lambda name: True) -> Iterable[str]:
    for top, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        yield from (os.path.join(top, n) for n in sorted(names) if keep(n))


def _stats(files: Iterable[str]) -> Stats:
    out: Stats = {}
    for f in files:
        try:
            st = os.stat(f)
        except OSError:
            continue
        out[f] = [st.st_size, st.st_mtime_ns]
    return out


def inputs_now() -> tuple[Stats, int]:
    """The inputs' sizes and times (what ``keys`` hashes), and when they were read (ns)."""
    from .keys import CODE_SUFFIXES

    site = sysconfig.get_paths()["purelib"]
    files = [
        *_walk(paths.DATA_DIR),
        *_walk(paths.SEEDS_DIR),
        *_walk(paths.PACKAGE_DIR, lambda n: os.path.splitext(n)[1] in CODE_SUFFIXES),
        *(str(paths.NOTEBOOKS_DIR / n) for n in paths.BRIEFING_NOTEBOOKS),
        *_walk(paths.locales_dir(), lambda n: n.endswith(".toml")),
        site,  # an install or an upgrade adds or renames a folder there (``system.library_versions``)
    ]
    stats = _stats(files)
    stats[f"python:{sys.version}|{sys.prefix}"] = []
    return stats, time.time_ns()


def outputs_now() -> Stats:
    """The published files' sizes and times, and the build's records of them."""
    records = [str(paths.BUILD_DIR / n) for n in ("index.json", "datapackage.json")]
    return _stats([*_walk(paths.REPORTS_DIR), *_walk(paths.FIGURES_DIR), *_walk(paths.BUILD_DIR / "stamps"), *records])


def _settled(stats: Stats, now_ns: int) -> bool:
    return all(settled(s[1], now_ns) for s in stats.values() if s)


def forget() -> None:
    """Before a build does anything: no answer from the last build's fingerprint until this one records."""
    try:
        (paths.BUILD_DIR / NAME).unlink(missing_ok=True)
    except OSError:
        pass


def remember(inputs: tuple[Stats, int], results: list[Result], every: list[str] | None) -> None:
    """After a build: record its fingerprint and the editions it left fresh, unless an edition failed or a
    file's time has not settled (then the next build decides as always). ``every``: the regions a build that
    names none builds (every region with facts); None when this build named its regions."""
    stats, read_at = inputs
    if any(r.status == "failed" for r in results) or not _settled(stats, read_at):
        return
    outputs = outputs_now()
    newest = max((s[1] for s in outputs.values()), default=0)
    wait = racy_ns(newest) - (time.time_ns() - newest)
    if 0 < wait <= FINE_RACY_NS:  # nanosecond times: wait out the clock tick, then look again
        time.sleep(wait / 1e9)
        outputs = outputs_now()
    if not _settled(outputs, time.time_ns()):
        return
    stale = sorted((r.region, r.lang) for r in results if r.status == "stale")
    fresh = sorted({(r.region, r.lang) for r in results if r.status in ("built", "unchanged")} - set(stale))
    body = {"inputs": stats, "outputs": outputs, "every": every, "fresh": fresh, "stale": stale}
    try:
        paths.atomic_write(paths.BUILD_DIR / NAME, json.dumps(body, ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass  # a shortcut only: the next build decides as always


def answer(regions: list[str] | None, langs: Iterable[str]) -> list[Result] | None:
    """The results of building ``regions`` (None: every region with facts) in ``langs`` when nothing has
    changed since the last build recorded its fingerprint; None when anything may have."""
    try:
        last = json.loads((paths.BUILD_DIR / NAME).read_text(encoding="utf-8"))
        fresh = {tuple(e) for e in last["fresh"]}
        stale = [tuple(e) for e in last["stale"]]
        asked = [(r, lang) for lang in langs for r in (regions or last["every"])]
    except (OSError, ValueError, RecursionError, KeyError, TypeError):
        return None
    if not set(asked) <= fresh or last["inputs"] != inputs_now()[0] or last["outputs"] != outputs_now():
        return None
    return [Result(region=r, lang=lang, status="unchanged") for r, lang in asked] + [
        Result(region=r, lang=lang, status="stale") for r, lang in stale
    ]
