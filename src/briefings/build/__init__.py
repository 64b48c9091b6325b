"""Build briefings: assemble the notebooks → execute with papermill → HTML (nbconvert) and PDF (Typst: ``typeset``).

Each briefing is executed and rendered in a staging folder and published all or nothing (``publish``)
under a per-region lock, only after the whole briefing has succeeded. Inputs are hashed: a briefing is
rebuilt unless its stamp has the current inputs key and every published file is as it was published.
Heavy libraries are imported only when work is needed, an input file is hashed again only when its size or
modification time changed, and a rebuild that finds every file as the last build left it reads nothing more.

One module per job: ``keys`` (what decides a rebuild), ``assemble`` (the one notebook), ``kernel`` (warm
kernels and the papermill engine), ``render`` (page, HTML, PDF), ``worker`` (one briefing in a worker, signals,
process trees), ``pool`` (the workers and ``build``), ``site`` (the index and the data package), ``noop`` (a
rebuild with nothing to do, answered from the last build's fingerprint). The index
(``briefings.index``) is rendered from what ``site`` hands it and imports nothing of the build.
"""

from __future__ import annotations

from .assemble import BUILD_ONLY, SKIP_TAGS, assemble
from .common import DEFAULT_CELL_TIMEOUT, BuildError, Cancelled, Result
from .kernel import WarmKernel
from .keys import (
    SHARED_TABLES,
    BriefingKeys,
    briefing_key,
    buildable_regions_light,
    inputs_digest,
    output_paths,
    read_regions_light,
    scoped_tables_light,
)
from .pool import BuildPool, build, interruptible
from .render import chart_file, normalise, page_parts, render_pdf
from .site import stale_briefings, write_index
from .worker import build_one

__all__ = [
    "BUILD_ONLY",
    "DEFAULT_CELL_TIMEOUT",
    "SHARED_TABLES",
    "SKIP_TAGS",
    "BriefingKeys",
    "BuildError",
    "BuildPool",
    "Cancelled",
    "Result",
    "WarmKernel",
    "assemble",
    "briefing_key",
    "build",
    "build_one",
    "buildable_regions_light",
    "chart_file",
    "inputs_digest",
    "interruptible",
    "normalise",
    "output_paths",
    "page_parts",
    "read_regions_light",
    "render_pdf",
    "scoped_tables_light",
    "stale_briefings",
    "write_index",
]
