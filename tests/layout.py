"""Checks on built PDFs, as a reader would see them: text drawn over other text."""

from __future__ import annotations

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
                text = token["text"]
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
class Leaf:
    """One unbreakable piece of a laid-out page: a line of text, a table row or a chart."""

    kind: str  # line, row, chart
    tag: str  # the element that holds it: h2, p, li, caption, tr …
    top: float
    bottom: float
    within: tuple  # the ids of the boxes it sits in (tables, figures), outermost first
    row_index: int = -1  # for rows: the row's number in its table body (from 0)
    rows_in_table: int = 0


def _leaves(box, chain=()) -> list[Leaf]:
    from weasyprint.formatting_structure import boxes as B

    out: list[Leaf] = []
    for child in getattr(box, "children", []):
        if isinstance(child, B.MarginBox) or not child.is_in_normal_flow():
            continue
        here = chain + ((child.element_tag, id(child.element)),) if child.element is not None else chain
        if isinstance(child, B.TableRowGroupBox):
            body = list(child.element) if child.element_tag == "tbody" else []
            for row in child.children:
                index = next((i for i, r in enumerate(body) if r is row.element), -1)
                out.append(
                    Leaf("row", "tr", row.position_y, row.position_y + row.margin_height(), here, index, len(body))
                )
        elif isinstance(child, B.LineBox):
            tags = [t for t, _ in here]
            tag = next((t for t in reversed(tags) if t in ("h1", "h2", "h3", "caption", "figcaption", "p", "li")), "")
            out.append(Leaf("line", tag, child.position_y, child.position_y + child.margin_height(), here))
        elif isinstance(child, B.ReplacedBox) or child.element_tag == "svg":
            out.append(
                Leaf("chart", child.element_tag, child.position_y, child.position_y + child.margin_height(), here)
            )
        else:
            out.extend(_leaves(child, here))
    return out


def _unit_end(leaves: list[Leaf]) -> float:
    """Where the first piece that cannot be split ends: headings travel with what follows them; a table needs
    its first two rows; a figure is whole; a paragraph needs three lines."""
    lines = 0
    for i, leaf in enumerate(leaves):
        if leaf.tag in ("h1", "h2", "h3", "caption"):
            continue
        figure = next((key for key in leaf.within if key[0] == "figure"), None)
        if figure:
            return max(x.bottom for x in leaves if figure in x.within)
        if leaf.kind == "row":
            if leaf.row_index >= min(1, leaf.rows_in_table - 1):
                return leaf.bottom
            continue
        lines += 1
        if lines == 3 or i == len(leaves) - 1:
            return leaf.bottom
    return leaves[-1].bottom if leaves else 0.0


def flow_problems(html: str, least_fill: float = 0.5) -> list[str]:
    """Page-flow faults of ``html`` laid out by WeasyPrint as the build does.

    A heading or caption ends a page; a table breaks after its first row or before its last; a page is
    filled less than ``least_fill`` although what starts the next page would have fitted.
    """
    import weasyprint

    doc = weasyprint.HTML(string=html, base_url=None).render()
    problems = []
    pages = []
    for page in doc.pages:
        box = page._page_box
        pages.append((box.content_box_y(), box.height, _leaves(box)))
    for number, (top, height, leaves) in enumerate(pages, start=1):
        if not leaves:
            continue
        last = max(leaves, key=lambda x: x.bottom)
        if number < len(pages) and last.kind == "line" and last.tag in ("h1", "h2", "h3", "caption"):
            problems.append(f"page {number}: a {last.tag} ends the page")
        rows = [x for x in leaves if x.kind == "row" and x.row_index >= 0]
        for table in {x.within[-2] for x in rows}:
            here = [x.row_index for x in rows if x.within[-2] == table]
            total = next(x.rows_in_table for x in rows if x.within[-2] == table)
            if len(here) == 1 and total > 2 and here[0] in (0, total - 1):
                problems.append(f"page {number}: a table keeps only its {'first' if here[0] == 0 else 'last'} row")
        if number < len(pages):
            used = last.bottom - top
            following = sorted(pages[number][2], key=lambda x: x.top)
            need = _unit_end(following) - pages[number][0] if following else 0
            if used < least_fill * height and need <= height - used:
                problems.append(
                    f"page {number} is {100 - 100 * used / height:.0f}% empty, yet the "
                    f"{following[0].tag or following[0].kind} that starts page {number + 1} would fit"
                )
    return problems
