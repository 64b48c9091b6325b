"""Checks on built PDFs, as a reader would see them: text drawn over other text."""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

Point = tuple[float, float]


@dataclass(frozen=True)
class Overlap:
    """Two glyphs drawn over each other, with the text around each."""

    page: int
    first: str
    second: str

    def __str__(self) -> str:
        return f"page {self.page}: {self.first!r} overprints {self.second!r}"


def glyph_core(char: dict) -> list[Point]:
    """The inner part of a glyph's cell as a quadrilateral on the page (rotated text included).

    The cell is the advance width by the font size, from the baseline, mapped through the glyph's text
    matrix; it is trimmed so that neighbours that touch, kern or sit on adjacent lines do not count.
    """
    a, b, c, d, e, f = char["matrix"]
    adv, size = char["adv"], char["size"]
    corners = [(0.3 * adv, 0.1 * size), (0.7 * adv, 0.1 * size), (0.7 * adv, 0.6 * size), (0.3 * adv, 0.6 * size)]
    return [(a * x + c * y + e, b * x + d * y + f) for x, y in corners]


def _separated(p: list[Point], q: list[Point]) -> bool:
    """Separating-axis test for two convex quadrilaterals: True when they do not intersect."""
    for poly in (p, q):
        for i in range(len(poly)):
            (x1, y1), (x2, y2) = poly[i], poly[(i + 1) % len(poly)]
            nx, ny = y2 - y1, x1 - x2
            pa = [nx * x + ny * y for x, y in p]
            pb = [nx * x + ny * y for x, y in q]
            if max(pa) <= min(pb) or max(pb) <= min(pa):
                return True
    return False


def quads_overlap(p: list[Point], q: list[Point]) -> bool:
    """True when two convex quadrilaterals share some area."""
    return not _separated(p, q)


def _context(chars: list[dict], i: int) -> str:
    """The characters drawn just before and after ``chars[i]``, for a readable message."""
    return "".join(c["text"] for c in chars[max(0, i - 6) : i + 7]).strip()


def overlaps(pdf: Path) -> list[Overlap]:
    """Every pair of glyphs on any page of ``pdf`` whose cores overlap: text printed over text."""
    import pdfplumber

    found: list[Overlap] = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            chars = [c for c in page.chars if c["text"].strip()]
            quads = [glyph_core(c) for c in chars]
            boxes = [
                (min(x for x, _ in q), min(y for _, y in q), max(x for x, _ in q), max(y for _, y in q)) for q in quads
            ]
            order = sorted(range(len(chars)), key=lambda k: boxes[k][1])
            for n, i in enumerate(order):
                for j in order[n + 1 :]:
                    if boxes[j][1] >= boxes[i][3]:
                        break
                    if boxes[j][0] < boxes[i][2] and boxes[i][0] < boxes[j][2] and quads_overlap(quads[i], quads[j]):
                        found.append(Overlap(number, _context(chars, i), _context(chars, j)))
    return found


def latin_words(text: str) -> set[str]:
    """The Latin-letter words of a text, lower-cased (digits and punctuation split words)."""
    import re

    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def broken_words(pdf: Path, source_text: str) -> list[str]:
    """Latin words the PDF breaks where the language does not allow: pieces that are not words of the source.

    A piece that ends a line with a hyphen (hyphenation) must begin a source word; a piece that continues
    one must end a source word; any other piece must be a whole word of ``source_text``. Rotated text
    (chart labels) is left out: it is drawn whole.
    """
    import re

    import pdfplumber

    words = latin_words(source_text)
    found: list[str] = []
    with pdfplumber.open(pdf) as doc:
        for number, page in enumerate(doc.pages, start=1):
            upright = page.filter(lambda obj: obj.get("object_type") != "char" or obj["matrix"][1:3] == (0, 0))
            for token in upright.extract_words(x_tolerance_ratio=0.15, keep_blank_chars=False, use_text_flow=False):
                text = token["text"].replace("\xad", "-")  # a hyphenation break, kept in the text as a soft hyphen
                for m in re.finditer(r"[A-Za-z]+", text):
                    piece = m.group().lower()
                    if piece in words:
                        continue
                    hyphenated = text[m.end() : m.end() + 1] == "-" and m.end() + 1 == len(text)
                    if hyphenated and any(w.startswith(piece) for w in words):
                        continue
                    if m.start() == 0 and any(w.endswith(piece) and w != piece for w in words):
                        continue  # the rest of a hyphenated word, on the next line
                    found.append(f"page {number}: {text!r}")
    return found


def html_links(html: str) -> list[str]:
    """Every href and src of an HTML page, as written."""
    from html.parser import HTMLParser

    links: list[str] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            links.extend(v for k, v in attrs if k in ("href", "src") and v is not None)

    Collect().feed(html)
    return links


def html_ids(html: str) -> set[str]:
    """Every id of an HTML page."""
    import re

    return set(re.findall(r'\sid="([^"]+)"', html))


def pdf_links(pdf: Path) -> list[str]:
    """Every link of a PDF that leads out of it (URI actions), as written."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        return [link["uri"] for page in doc.pages for link in page.hyperlinks if link.get("uri")]


def unresolved(links: list[str], page: Path, root: Path) -> list[str]:
    """The links of the file ``page`` that do not lead to a file inside ``root`` (or to an id that exists)."""
    from urllib.parse import unquote, urlsplit

    bad = []
    for link in links:
        parts = urlsplit(link)
        if parts.scheme == "data":
            continue
        if parts.scheme or parts.netloc or link.startswith("/"):
            bad.append(f"{page.name}: {link} is not a relative link")
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.is_relative_to(root.resolve()) or not target.is_file():
            bad.append(f"{page.name}: {link} leads to nothing in the copied folder")
        elif (
            parts.fragment
            and target.suffix == ".html"
            and parts.fragment not in html_ids(target.read_text(encoding="utf-8"))
        ):
            bad.append(f"{page.name}: {link} names an id that {target.name} lacks")
    return bad


@dataclass
class Tagged:
    """One element of a tagged PDF's structure tree, in reading order: its type and the pages it is on."""

    kind: str  # H1, H2, Caption, Table, TR, Figure, P …
    pages: tuple[int, ...]
    depth: int
    parent_table: int = -1  # for a TR: the number of its table (in reading order) …
    in_body: bool = False  # … and whether it is a body row (not the header row repeated on every page)
    marks: tuple[tuple[int, int], ...] = ()  # its marked content: (page, MCID), its descendants' included


def structure(pdf: Path) -> list[Tagged]:
    """The structure tree the PDF declares (PDF/UA), flattened in reading order, each element with the pages
    its content is drawn on (its own and its descendants' marked content)."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser
    from pdfminer.pdftypes import PDFObjRef, resolve1

    with pdf.open("rb") as fh:
        doc = PDFDocument(PDFParser(fh))
        page_of = {p.pageid: n for n, p in enumerate(PDFPage.create_pages(doc), start=1)}
        out: list[Tagged] = []
        tables = [0]

        def marks_of(node, inherited) -> set[tuple[int, int]]:
            node = resolve1(node)
            if isinstance(node, int):
                return {(inherited, node)} if inherited else set()
            if not isinstance(node, dict):
                return set()
            pg = node.get("Pg")
            here = page_of.get(pg.objid, inherited) if isinstance(pg, PDFObjRef) else inherited
            if getattr(node.get("Type"), "name", "") == "MCR":
                return {(here, resolve1(node.get("MCID")))}
            kids = resolve1(node.get("K"))
            kids = kids if isinstance(kids, list) else ([] if kids is None else [kids])
            return set().union(*(marks_of(k, here) for k in kids)) if kids else set()

        def walk(node, depth, table, body) -> None:
            node = resolve1(node)
            if not isinstance(node, dict) or node.get("S") is None:
                return
            kind = getattr(node["S"], "name", str(node["S"]))
            if kind == "Table":
                tables[0] += 1
                table = tables[0]
            body = body or kind == "TBody"
            pg = node.get("Pg")
            start = page_of.get(pg.objid, 0) if isinstance(pg, PDFObjRef) else 0
            marks = tuple(sorted(m for m in marks_of(node, start) if m[0]))
            pages = tuple(sorted({page for page, _ in marks}))
            out.append(Tagged(kind, pages, depth, table if kind == "TR" else -1, body and kind == "TR", marks))
            kids = resolve1(node.get("K"))
            for k in kids if isinstance(kids, list) else [kids]:
                walk(k, depth + 1, table, body)

        root = resolve1(doc.catalog["StructTreeRoot"])
        kids = resolve1(root["K"])
        for k in kids if isinstance(kids, list) else [kids]:
            walk(k, 0, -1, False)
        return out


def _page_boxes(pdf: Path) -> list[dict]:
    """Each page's body (between the running head and the page number): its top, bottom, how much of it is
    used, and the bottom of each marked-content sequence drawn on it (by MCID)."""
    import pdfplumber

    boxes = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            top, bottom = 0.06 * page.height, 0.94 * page.height  # the margins hold the head and the folio
            body = [o for o in page.chars + page.rects + page.curves + page.lines if top < o["bottom"] < bottom]
            first = min((o["top"] for o in body), default=top)
            last = max((o["bottom"] for o in body), default=top)
            ends: dict[int, float] = {}
            for c in page.chars:
                if c.get("mcid") is not None:
                    ends[c["mcid"]] = max(ends.get(c["mcid"], 0.0), c["bottom"])
            boxes.append({"top": top, "height": bottom - top, "used": last - first, "first": first, "ends": ends})
    return boxes


def _table_start_needs(tree: list[Tagged], page: int, boxes: list[dict]) -> float | None:
    """If ``page`` starts (after headings) with a table's first two body rows, the height they take with
    what precedes them on the page: what the page before would have needed to hold them."""
    rows = [e for e in tree if e.in_body and e.pages and e.pages[0] == page]
    if len(rows) < 2 or rows[0].parent_table != rows[1].parent_table:
        return None
    box = boxes[page - 1]
    bottom = max((box["ends"].get(mcid, 0.0) for p, mcid in rows[1].marks if p == page), default=0.0)
    return bottom - box["first"] if bottom else None


def _introduction_ends_page(tree: list[Tagged], i: int) -> str:
    """Whether the heading ``tree[i]`` and the (at most two) paragraphs after it end a page while what they
    introduce (a table, a list, a figure) starts the next: then what starts the next page."""
    heading = tree[i]
    siblings = [e for e in tree[i + 1 :] if e.depth <= heading.depth][:3]
    paragraphs = list(itertools.takewhile(lambda e: e.kind == "P", siblings))
    rest = siblings[len(paragraphs) :]
    if not paragraphs or len(paragraphs) > 2 or not rest or rest[0].kind not in ("Table", "L", "Figure"):
        return ""
    if all(p.pages[-1] == heading.pages[-1] for p in paragraphs) and rest[0].pages[0] > heading.pages[-1]:
        return f"before a {rest[0].kind}"
    return ""


def flow_problems(pdf: Path, least_fill: float = 0.5) -> list[str]:
    """Page-flow faults of a tagged PDF, read from its structure tree and its pages.

    A heading or a table caption ends a page (what it introduces starts the next); a table breaks after its
    first body row or before its last; a page is filled less than ``least_fill`` although what starts the
    next page would have fitted (a chart, or a table's header and first two rows, which never part).
    """
    tree = [e for e in structure(pdf) if e.pages]
    boxes = _page_boxes(pdf)
    fills = [(b["used"], b["height"]) for b in boxes]
    problems = []
    for i, e in enumerate(tree[:-1]):
        if e.kind in ("H1", "H2", "H3", "Caption") and tree[i + 1].pages[0] > e.pages[-1]:
            problems.append(f"page {e.pages[-1]}: a {e.kind} ends the page")
        elif e.kind in ("H1", "H2", "H3") and (lead := _introduction_ends_page(tree, i)):
            problems.append(f"page {e.pages[-1]}: a {e.kind} and its introduction end the page, {lead}")
    for table in {e.parent_table for e in tree if e.in_body}:
        rows = [e.pages[0] for e in tree if e.in_body and e.parent_table == table]
        for which, index in (("first", 0), ("last", len(rows) - 1)):
            alone = rows.count(rows[index]) == 1 and len(rows) > 2
            if alone and len(set(rows)) > 1:
                problems.append(f"page {rows[index]}: a table keeps only its {which} row")
    for number, (used, height) in enumerate(fills[:-1], start=1):
        if used < least_fill * height:
            following = next((e for e in tree if e.pages[0] == number + 1 and e.depth <= 1), None)
            need = _table_start_needs(tree, number + 1, boxes)
            if need is not None and need > height - used:
                continue  # the table's header and first two rows would not have fitted: the space is its due
            if following is None or not _starts_with_chart(tree, number + 1):
                what = following.kind if following else "nothing"
                problems.append(f"page {number} is {100 - 100 * used / height:.0f}% empty before a {what}")
    return problems


def _starts_with_chart(tree: list[Tagged], page: int) -> bool:
    """Whether the first thing on ``page`` after its headings (and a heading's introduction) holds a chart."""
    here = [e for e in tree if e.pages[0] == page]
    tops = [i for i, e in enumerate(here) if e.depth <= 1 and e.kind not in ("H1", "H2", "H3", "P")]
    if not tops:
        return False
    start = tops[0]
    end = next((i for i in range(start + 1, len(here)) if here[i].depth <= 1), len(here))
    return any(e.kind == "Figure" for e in here[start:end])


TOKEN = re.compile(r"[A-Za-z]+|\d+(?:[.,]\d+)*|[\u4e00-\u9fff]")
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def html_reading(html: str) -> str:
    """The text of a briefing's page as a reader meets it: the page's text, the charts' labels, the numbers of
    its numbered lists; not the head, styles, scripts or the entries of the contents list (whose page
    numbers only print has)."""
    from html.parser import HTMLParser

    class Reader(HTMLParser):
        def __init__(self) -> None:
            super().__init__()
            self.out: list[str] = []
            self.skip = 0
            self.lists: list[int | None] = []

        def handle_starttag(self, tag, attrs):
            classes = dict(attrs).get("class") or ""
            if tag in ("head", "style", "script", "title") or (tag == "ol" and self.lists and self.lists[-1] == -1):
                self.skip += 1  # a chart's <title> is a tooltip, not printed text
            if tag == "nav":
                self.lists.append(-1)  # the contents: its title counts, its entries do not
            if tag == "ol" and not self.skip:
                self.lists.append(None if "sources" in classes.split() else 0)  # the sources print [n] as text
            if tag == "li" and self.lists and isinstance(self.lists[-1], int) and self.lists[-1] >= 0:
                self.lists[-1] += 1
                self.out.append(f" {self.lists[-1]}. ")

        def handle_endtag(self, tag):
            if tag in ("head", "style", "script", "title") or (tag == "ol" and self.lists and self.lists[-1] == -1):
                self.skip = max(0, self.skip - 1)
            if tag == "nav" or (tag == "ol" and not self.skip and self.lists and self.lists[-1] != -1):
                self.lists.pop()

        def handle_data(self, data):
            if not self.skip:
                self.out.append(data)

    reader = Reader()
    reader.feed(html)
    return " ".join(reader.out)


def pdf_reading(pdf: Path, running_head: str) -> str:
    """The text of a PDF in the order it is drawn (``pdftotext -raw``), without the page furniture (running
    head and page numbers) and the entries of the contents list; words hyphenated at a line end are whole."""
    import subprocess

    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    kept = [
        line
        for line in text.splitlines()
        if line.strip() != running_head and not re.fullmatch(r"\s*\d+ / \d+\s*", line) and ". . . ." not in line
    ]
    text = "\n".join(kept).replace("\xad\n", "")  # a word hyphenated at a page end goes on after the furniture
    for ligature in "ﬀﬁﬂﬃﬄ":
        text = text.replace(ligature, unicodedata.normalize("NFKC", ligature))
    return text


def content_differences(html: str, pdf: Path, running_head: str) -> list[str]:
    """Where a PDF and its HTML say different things: the numbers (in order) and the words (as sets; print
    repeats a table's header on each page, and a rotated chart label comes out letter by letter)."""
    a, b = html_reading(html), pdf_reading(pdf, running_head)
    problems = []
    na, nb = NUMBER.findall(a), NUMBER.findall(b)
    if na != nb:
        import difflib

        ops = difflib.SequenceMatcher(a=na, b=nb, autojunk=False).get_opcodes()
        first = next(op for op in ops if op[0] != "equal")
        _, i1, i2, j1, j2 = first
        problems.append(f"numbers differ: html {na[max(0, i1 - 3) : i2 + 3]} pdf {nb[max(0, j1 - 3) : j2 + 3]}")

    def words(text: str) -> set[str]:
        return {w.lower() for w in TOKEN.findall(text) if len(w) > 1 or not w.isascii()}

    wa, wb = words(a), words(b)
    drawn = re.sub(r"\s+", "", b).lower()  # a rotated chart label is drawn letter by letter
    if only := sorted(w for w in wa - wb if w not in drawn):
        problems.append(f"only in the html: {only[:10]}")
    written = re.sub(r"\s+", "", a).lower()
    if only := sorted(w for w in wb - wa if w not in written):
        problems.append(f"only in the pdf: {only[:10]}")
    return problems
