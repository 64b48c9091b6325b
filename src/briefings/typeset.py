"""The PDF of a briefing: its document model (``document.py``), collected from the executed notebook,
typeset by the Typst template ``templates/typst/briefing.typ`` through the ``typst`` package.

The document goes to Typst as JSON data (a ``sys.inputs`` string), never as markup: whatever a quote or a
summary holds (``#``, ``$``, ``*``, ``[``, ``\\``, ``@``, ``<``, ``"``) prints as written and runs nothing.
The fonts are the installed Noto files (``system.print_fonts``) and no others, and the PDF's date is the
briefing's as-of date, so the same document gives the same bytes.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from functools import cache
from pathlib import Path

from . import paths
from .payload import DOC_MIME

TEMPLATE = paths.TEMPLATES_DIR / "typst" / "briefing.typ"
PDF_STANDARDS = ["ua-1", "a-2a"]
"""PDF/UA-1 (tagged, with a title, alt text for every chart, headings in order) and PDF/A-2a (for archives)."""


class TypesetError(RuntimeError):
    """Typst could not typeset a document."""


def blocks_of(nb, parts: dict[str, dict]) -> list[dict]:
    """The blocks of an executed briefing in reading order: each cell's block outputs, and for a cell the
    build fills (``metadata.briefings.part``: the title, the contents) the build's own block."""
    blocks = []
    for cell in nb.cells:
        part = cell.metadata.get("briefings", {}).get("part")
        if part:
            blocks.append(parts[part])
            continue
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if out.get("output_type") in ("display_data", "execute_result") and DOC_MIME in data:
                blocks.append(data[DOC_MIME])
    return blocks


_FONT_FOLDER: dict[Path, str] = {}


def _font_folder() -> str:
    """A folder holding links to the PDF's font files and nothing else, so Typst scans six files, not the
    hundreds beside them: ``build/fonts/<digest of their paths>/``, made once and shared by every process
    (a temporary folder, removed when the process ends, where ``build/`` cannot be written). Made again if
    it has gone since (``build/`` cleaned while a worker lives)."""
    import hashlib
    import shutil
    import tempfile

    from .system import print_fonts

    known = _FONT_FOLDER.get(paths.BUILD_DIR)
    if known and os.path.isdir(known):
        return known
    files = print_fonts()
    folder = paths.BUILD_DIR / "fonts" / hashlib.sha256("\0".join(files).encode()).hexdigest()[:16]
    if folder.is_dir():
        _FONT_FOLDER[paths.BUILD_DIR] = str(folder)
        return str(folder)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=".fonts-", dir=folder.parent))
    except OSError:
        import atexit

        work = folder = Path(tempfile.mkdtemp(prefix="briefings-fonts-"))
        atexit.register(shutil.rmtree, folder, True)
    for i, file in enumerate(files):
        os.symlink(file, work / f"{i}-{Path(file).name}")
    if work != folder:
        try:
            work.rename(folder)  # whole or not at all; another process may have made it meanwhile
        except OSError:
            shutil.rmtree(work, ignore_errors=True)
    _FONT_FOLDER[paths.BUILD_DIR] = str(folder)
    return str(folder)


@cache
def _fonts(folder: str):
    """The PDF's fonts (the links in ``folder``: ``_font_folder``) as Typst reads them, once per process: no
    system font and none of Typst's own, so nothing else can ever stand in."""
    import typst

    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[folder])


def _compiler(inputs: dict[str, str], fonts: str):
    """A Typst compiler for one layout of a document: the template and the fonts in the folder ``fonts``."""
    import typst

    return typst.Compiler(str(TEMPLATE), root=str(TEMPLATE.parent), font_paths=_fonts(fonts), sys_inputs=inputs)


BODY_WIDTH_PT = (210 - 2 * 15) / 25.4 * 72
"""The width of the page's text (A4 less the margins of the template), in points."""
MONTHS = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
CLOSERS = "，、。；：！？）》」』"
CHINESE_UNITS = "|".join(
    ("个百分点", "台/万人", "万亿元", "亿元", "万元", "平方米", "个月", "万人")
    + tuple("个家台项条名所人元亿万倍年月日次座套种位户成")
)
FULL_MONTHS = "(?:January|February|March|April|May|June|July|August|September|October|November|December)"
NUMBER_UNIT = (
    r"(?:超过|超|近|约|逾)?(?:(?:CNY|RMB|USD)\s)?[+−-]?\b\d[\d,.]*(?:(?:[–—+-]|年)\d[\d,.]*)*\b"
    r"(?:\s(?:or more|to \d[\d,.]*))?"  # 30 or more, 2 to 3
    r"(?:\s?(?:%|pp|percentage points?|m²|ms))?(?:[\s-](?:thousand|million|billion|trillion))?(?:[\s-]yuan)?"
    r"(?:\s(?:years?|months?|km|square metres|units?|workers|people|firms))?"
    r"(?:\sper\s\d[\d,.]*)?"  # 426 per 10,000 (workers may go to the next line)
    rf"(?:余|多)?(?:{CHINESE_UNITS})*\*?[{CLOSERS}]{{0,2}}"  # 15000余家；
    rf"|[十百千]+[万亿]+(?:{CHINESE_UNITS})*"  # 千亿
    rf"|{MONTHS}(?:–{MONTHS})?\s\d{{4}}\*?"  # Jan–Oct 2023*
    rf"|{FULL_MONTHS}\s\d{{1,2}},?"  # August 11,
    rf"|十[一二三四五六七八九]五[’”{CLOSERS}]{{0,3}}"  # 十三五
)
"""A number that no line may part from its unit, its range, its date parts, its asterisk, its currency or the
Chinese closing marks after it (5.5个百分点, 超1300个, 15000余家；, 千亿, 2024年1—2月*, CNY 67.4 billion, 30 or
more, 3.6 years, 426 per 10,000, August 11,), and 十三五. A number and the noun it counts (19 firms, 10,000
workers) may part: glued, they would make pieces too long for a table's columns. Written once for the
template's ``number-unit`` rule (``number_unit("rust")``, handed to Typst in the document) and for the column
widths here (``number_unit("python")``): ``\b`` is a word boundary in ASCII terms, so that 2021年 has one after
its digits and 5G, IPv6 and o0041 have none before theirs."""


def number_unit(dialect: str) -> str:
    """``NUMBER_UNIT`` in the dialect of Typst's regular expressions (Rust's ``regex``) or of Python's ``re``."""
    return NUMBER_UNIT.replace(r"\b", {"rust": r"(?-u:\b)", "python": r"(?a:\b)"}[dialect])


UNBREAKABLE = re.compile(
    number_unit("python") + r"|[A-Za-z]+\d+"  # a record id: o0041
    r"|[A-Za-z][A-Za-z'’]*"  # a word (a compound breaks at its hyphens)
    r"|[\u4e00-\u9fff]{1,6}(?=$|[\s，。；：、（）“”])"  # a short Chinese label: 工业增长
)
"""What no line may break, as the template keeps it whole (a number with its unit, ``NUMBER_UNIT``), and a
word, a short label: a table column is at least as wide as its widest piece."""
CJK = re.compile(r"[\u4e00-\u9fff]")
SHORT_PT = 9 * 8.0
"""A cell whose text fits in this width (nine Chinese characters, some fifteen letters) is kept on one line
where the table has the room: 报告建议，未采纳 rather than 报告建议，未采 / 纳."""
PROSE_SHARE = 0.25
"""Short cells are kept whole only if that leaves this share of the table's width to the columns of prose."""
PAD_PT = {"status": 14.0}
"""A cell's padding (left and right) and more: a status is a badge with its own padding."""
SMALL_TABLES, SMALL_PT = ("progress", "scorecard"), 7.4
"""The tables set smaller (``table-style`` in the template), and their size in points."""


WIDE = re.compile("[\u2e80-\uffef]")
"""A character set an em wide: Chinese, Japanese and Korean characters, and full-width forms."""


def _width_pt(text: str, size: float = 8.0) -> float:
    """The width of ``text`` on one line, roughly: a Chinese character is an em, other characters about half."""
    return size * (0.6 * len(text) + 0.4 * len(WIDE.findall(text)))


def _longest_piece(texts, size: float, whole_below: float = 0.0) -> float:
    """The widest piece of ``texts`` that no line may break: a number with its unit, a period, a word, a
    short label; a Chinese cell whole if it is narrower than ``whole_below`` (Chinese breaks between any two
    characters; English only at its spaces and hyphens)."""
    widest = 0.0
    for text in texts:
        whole = max((_width_pt(line, size) for line in text.splitlines() or [""]), default=0)
        pieces = (
            [whole]
            if whole <= whole_below and CJK.search(text)
            else [_width_pt(m.group(), size) for m in UNBREAKABLE.finditer(text)]
        )
        widest = max(widest, *pieces) if pieces else widest
    return widest


def _share(least: list[float], most: list[float], room: float) -> list[float]:
    """Widths that give each column at least ``least`` and share the rest by what more it would take."""
    if sum(least) >= room:
        return [w * room / sum(least) for w in least]
    if sum(most) <= room:
        return [w * room / sum(most) for w in most]
    spare, extra = room - sum(least), [m - n for m, n in zip(most, least, strict=True)]
    return [n + spare * e / sum(extra) for n, e in zip(least, extra, strict=True)]


def column_layout(block: dict) -> tuple[list[float], list[bool]]:
    """A table's column widths (percent of the text width) from its content, as a browser sizes an automatic
    table, and which columns may hyphenate. Each column gets at least its widest unbreakable piece (a number
    with its unit, a period, a word, its header) and, where the table has the room, its short cells whole
    (``SHORT_PT``); it shares what is left by how long its text runs. A column is hyphenated only where the
    table is too narrow for its longest word."""
    from .document import Rich

    columns = list(zip(*[[str(Rich([tuple(r) for r in cell])) for cell in row] for row in block["rows"]], strict=True))
    if not columns:
        return [], []
    roles = block.get("roles") or ["text"] * len(columns)
    size = SMALL_PT if block.get("css") in SMALL_TABLES else 8.0
    hard, soft, most = [], [], []
    for header, cells, role in zip(block["columns"], columns, roles, strict=True):
        pad = 8.0 + PAD_PT.get(role, 0.0)
        head = 1.15 * _longest_piece((header,), size, SHORT_PT)  # bold; a short header is never broken
        hard.append(max(head, _longest_piece(cells, size)) + pad)
        soft.append(max(head, _longest_piece(cells, size, SHORT_PT)) + pad)
        natural = max(_width_pt(line, size) for text in cells for line in text.splitlines() or [""])
        most.append(max(natural + pad, soft[-1]))
    room = BODY_WIDTH_PT
    wanted = sum(m - n for m, n in zip(most, soft, strict=True))
    least = soft if sum(soft) + min(wanted, PROSE_SHARE * room) <= room else hard  # prose keeps its room
    widths = _share(least, most, room)
    hyphenate = [w < n - 0.5 for w, n in zip(widths, hard, strict=True)]
    return [round(100 * w / room, 2) for w in widths], hyphenate


def with_column_widths(document: dict) -> dict:
    """The document with each table's print widths (``print_widths``) set from its content, the columns too
    narrow for their longest word marked to hyphenate (``print_hyphenate``), and ``NUMBER_UNIT`` for the
    template."""
    meta = {**document["meta"], "print": {**document["meta"]["print"], "number_unit": number_unit("rust")}}
    blocks = []
    for b in document["blocks"]:
        if b.get("type") == "table":
            widths, hyphenate = column_layout(b)
            b = {**b, "print_hyphenate": hyphenate, **({} if b.get("widths") else {"print_widths": widths})}
        blocks.append(b)
    return {**document, "meta": meta, "blocks": blocks}


MAX_PASSES = 6
"""Layouts at most per document: each after the first mends one table whose first or last row stood alone."""


def lone_rows(rows: list[dict], breaks: dict[str, dict]) -> dict[str, dict]:
    """The breaks to typeset with next, or ``{}`` when no table's first or last body row stands alone.

    ``rows``: the template's ``<row>`` markers in reading order, each with its table, its row number, its
    page and the table's number of rows (``rows``; the template marks only the first two and the last two).
    The first table with a lone row is mended: it starts on a new page (``before``), or it breaks before its
    second-to-last row (``split``); each mend is tried once. The mends of tables before it stay; those after
    it go, since moving it moves them.
    """
    pages: dict[str, dict[int, int]] = {}
    counts: dict[str, int] = {}
    for r in rows:
        pages.setdefault(r["table"], {})[r["row"]] = r["page"]
        counts[r["table"]] = r.get("rows", 0)
    kept: dict[str, dict] = {}
    for table, on in pages.items():  # in reading order
        n = counts[table] or len(on)
        done = breaks.get(table, {})
        mend = {}
        if n > 2 and on[0] != on[n - 1]:
            last_alone = on[n - 1] != on[n - 2] and "split" not in done
            if (on[0] != on[1] or last_alone and n < 4) and "before" not in done:
                mend = {**done, "before": True}  # a short table moves whole rather than split after one row
            elif last_alone and n >= 4:
                mend = {**done, "split": n - 2}
        if mend:
            return {**kept, table: mend}
        if done:
            kept[table] = done
    return {}


@cache
def _covered() -> frozenset[int]:
    """Every character the fonts of the PDF can draw (their cmaps, read once per process)."""
    from fontTools.ttLib import TTCollection, TTFont

    from .system import CJK_FAMILY, print_fonts

    covered: set[int] = set()
    for file in print_fonts():
        if file.endswith(".ttc"):
            faces = TTCollection(file, lazy=True).fonts
            faces = [f for f in faces if f["name"].getDebugName(1) == CJK_FAMILY] or faces[:1]
        else:
            faces = [TTFont(file, lazy=True)]
        for face in faces:
            covered |= set(face.getBestCmap())
    return frozenset(covered)


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, v in value.items():
            if key != "svg":  # a chart's text is drawn by matplotlib with the same fonts, which warns itself
                yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def missing_glyphs(document: dict) -> list[str]:
    """The characters of ``document`` that no font of the PDF has (a blank box in print: a bug)."""
    covered = _covered()
    chars = {c for s in _strings(document["blocks"]) for c in s if ord(c) not in covered and not c.isspace()}
    return sorted(chars)


def typeset(document: dict, target: Path) -> None:
    """Write the PDF of ``document`` (``{"meta": …, "blocks": […]}``) to ``target``."""
    start(document, target).wait()


def start(document: dict, target: Path) -> Typesetting:
    """Start typesetting ``document`` into ``target`` in a process of its own and return at once: the
    caller does other work (the HTML) meanwhile, then ``wait()``s. A document that cannot be printed (a
    character no font has) raises ``TypesetError`` here."""
    if missing := missing_glyphs(document):
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing[:5])
        raise TypesetError(f"no font of the PDF has {shown}: change the text or add a font to system.PRINT_FONTS")
    document = with_column_widths(document)
    inputs = {"document": json.dumps(document, ensure_ascii=False)}
    if keep := os.environ.get("BRIEFINGS_DOCUMENT_DIR"):  # the document model as JSON, for whoever inspects it
        Path(keep).mkdir(parents=True, exist_ok=True)
        (Path(keep) / f"{document['meta']['title']}.json").write_text(inputs["document"], encoding="utf-8")
    return Typesetting(inputs, target)


def _typeset_here(inputs: dict[str, str], target: Path, fonts: str) -> None:
    """Lay the document out with the fonts in the folder ``fonts``, mend lone table rows (``lone_rows``),
    write the PDF."""
    try:
        breaks: dict[str, dict] = {}
        for _ in range(MAX_PASSES):
            compiler = _compiler({**inputs, "breaks": json.dumps(breaks)}, fonts)
            mended = lone_rows(json.loads(compiler.query("<row>", field="value")), breaks)
            if not mended:
                break
            breaks = mended
        pdf = compiler.compile(pdf_standards=PDF_STANDARDS)
    except Exception as exc:  # typst raises its own error types, one per kind of failure
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TypesetError(f"the PDF could not be typeset: {first}") from None
    target.write_bytes(pdf)


CHILD = (sys.executable, "-m", "briefings.typeset")
"""The typesetter: a process of its own (``Typesetting``), given the font folder."""
RETIRE_MB = 200
"""A typesetter that has grown to this size (MB resident) takes no further document and ends; the next one
starts afresh. Typst keeps what it has laid out in a cache that nothing clears: a typesetter that kept
every briefing would grow to 550 MB."""

_standby: subprocess.Popen | None = None
"""A typesetter started ahead, or one that has typeset documents and can take more (``keep_standby``),
its imports and fonts loaded, waiting for a document."""
_keep_standby = False


def _spawn() -> subprocess.Popen:
    return subprocess.Popen([*CHILD, _font_folder(), str(RETIRE_MB)], stdin=subprocess.PIPE, stdout=subprocess.PIPE)


def keep_standby() -> None:
    """From now on keep one typesetter waiting in this process (a build worker): a document goes to a
    process that has already loaded Typst and the fonts (0.2–0.4 s), and has laid out pages in the same
    fonts before (a small briefing's PDF in 0.04 s rather than 0.15 s). If this process ends, the standby
    reads nothing and ends."""
    global _keep_standby
    _keep_standby = True
    _start_standby()


def _start_standby() -> None:
    global _standby
    if _keep_standby and (_standby is None or _standby.poll() is not None):
        _standby = _spawn()


def _take() -> subprocess.Popen:
    """The standby typesetter if one is waiting and alive, else a new one."""
    global _standby
    proc, _standby = _standby, None
    if proc is not None and proc.poll() is None:
        return proc
    if proc is not None:
        _close(proc)
    return _spawn()


def _close(proc: subprocess.Popen) -> None:
    """Let a typesetter go: it reads the end of its input and leaves (or is already gone)."""
    for pipe in (proc.stdin, proc.stdout):
        try:
            pipe.close()
        except OSError:  # a pipe to a process that died
            pass
    proc.wait()


class Typesetting:
    """One document being typeset in a process of its own (``CHILD``: one document per line on its stdin,
    one line of answer on its stdout).

    Typst's memory stays out of the build worker, and a typesetter serves one document after another until
    it has grown to ``RETIRE_MB``. It is a plain subprocess, not a fork: a fork of a process with threads
    can hang, and a child of multiprocessing would bring a resource tracker that outlives a stopped build.
    """

    def __init__(self, inputs: dict[str, str], target: Path) -> None:
        import threading

        self.inputs, self.target = inputs, target
        self._proc = _take()
        body = json.dumps({"inputs": inputs, "target": str(target)}).encode("utf-8") + b"\n"
        self._feeder = threading.Thread(target=self._feed, args=(body,), daemon=True)  # a pipe holds 64 KiB
        self._feeder.start()

    def _feed(self, body: bytes) -> None:
        try:
            self._proc.stdin.write(body)
            self._proc.stdin.flush()
        except OSError:  # the child died or was stopped: ``wait`` says so
            pass

    def wait(self) -> None:
        """Wait for the PDF; a failure is one ``TypesetError`` line, and the document is kept for the
        analyst who reads the log."""
        answer = self._proc.stdout.readline()
        self._feeder.join()
        said = json.loads(answer) if answer else {"error": "the PDF typesetter died (out of memory, or killed)"}
        self._done(keep=bool(answer) and not said["retire"])
        if said["error"] is None:
            return
        exc = TypesetError(said["error"])
        kept = paths.BUILD_DIR / "logs" / f"document-{self.target.stem}.json"
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_text(self.inputs["document"], encoding="utf-8")
        print(f"typst: {exc} (the document: {kept})", file=sys.stderr)
        raise exc

    def cancel(self) -> None:
        """Stop the typesetter (the briefing failed elsewhere); nothing is left behind."""
        self._proc.kill()
        self._feeder.join()
        self._done(keep=False)

    def _done(self, keep: bool) -> None:
        """Keep the typesetter for the next document, or let it go and start the next one."""
        global _standby
        if keep and _keep_standby and _standby is None:
            _standby = self._proc
        else:
            _close(self._proc)
        _start_standby()


def _main() -> None:
    """The typesetter's own entry: given the font folder and its ``RETIRE_MB``, it loads Typst and the fonts,
    then typesets one document per line of stdin (the inputs and the PDF's path, as JSON), answering each
    with one line: the error (or null) and whether it retires, having grown to that size. The end of its
    stdin (the parent stopped, or let it go) ends it quietly."""
    import psutil

    answers = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever else writes to stdout goes to the log, not into the answers
    _fonts(sys.argv[1])
    _warm(sys.argv[1])
    for line in sys.stdin.buffer:
        payload = json.loads(line)
        try:
            _typeset_here(payload["inputs"], Path(payload["target"]), sys.argv[1])
            error = None
        except TypesetError as exc:
            error = str(exc)
        # its own size now (a new process's peak, getrusage's, starts from its parent's)
        retire = psutil.Process().memory_info().rss / 2**20 >= float(sys.argv[2])
        try:
            answers.write(json.dumps({"error": error, "retire": retire}) + "\n")
            answers.flush()
        except BrokenPipeError:  # the parent has gone
            return
        if retire:
            return


WARM_UP = {
    "meta": {
        "title": "Briefing",
        "author": "",
        "description": "",
        "keywords": [],
        "as_of": "2024-01-01",
        "running_head": "",
        "print": {"lang": "en", "region": "", "hyphenate": True, "fonts": ["Noto Sans", "Noto Sans CJK SC"]},
    },
    "blocks": [{"type": "paragraphs", "css": "", "paragraphs": [[["text", "Briefing 简报 "], ["num", "1,432 ％"]]]}],
}
"""Laid out by every typesetter before its first document (``_warm``), and checked against the fonts' cmaps once
per build worker (``warm_up``)."""


def _warm(fonts: str) -> None:
    """Lay ``WARM_UP`` out in a typesetter that waits for its first document (0.05 s): Typst reads the fonts'
    tables on first use, 0.2–0.3 s of a first long document's time otherwise. A failure here is left to
    the first document to report."""
    inputs = {"document": json.dumps(with_column_widths(WARM_UP), ensure_ascii=False), "breaks": "{}"}
    try:
        _compiler(inputs, fonts).compile(pdf_standards=PDF_STANDARDS)
    except Exception:  # noqa: BLE001 - typst raises its own error types; the document's own run says what
        pass


def warm_up() -> None:
    """Read the fonts' cmaps, link the font files for the typesetters and start the first of them, once,
    before the first briefing."""
    missing_glyphs(WARM_UP)
    keep_standby()


if __name__ == "__main__":
    _main()
