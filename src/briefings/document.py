"""The document model of a briefing: what sections build, format-neutral, rendered to HTML and to PDF.

A section's function returns **blocks** (a heading, paragraphs, a list, a table, a figure, the sources…)
whose text is **rich text**: a sequence of runs, each plain text or one of the small inline kinds of
``templates/parts/inline.html.j2`` (a quote, a number, a citation …) with its arguments. Nothing in the
model is markup: HTML comes from the Jinja templates (``html()``), and the PDF from the Typst template
``templates/typst/briefing.typ``, which reads the model as JSON data (``data()``) and so never parses a
word of the text as markup.

Every block's ``data()`` is a plain dict with a ``type``; rich text is a list of runs
``[kind, *args]``. The executed notebook carries the data beside each block's HTML (``payload.DOC_MIME``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields

from .templating import Markup, inline_macro, render

INLINE_KINDS = (
    "text",
    "quote",
    "glossed",
    "chinese",
    "english",
    "num",
    "flagged",
    "cite",
    "id",
    "status",
    "words",
    "br",
    "strong",
    "translated",
    "link",
)
"""The kinds of run; each but ``text`` is a macro of ``inline.html.j2`` and a function of the Typst template."""

Run = tuple
"""``(kind, *args)``: args are strings, numbers or booleans."""


class Rich:
    """Rich text: an immutable sequence of runs. Joins with ``+`` (plain strings become text runs) and
    ``join``; renders to HTML through the inline macros (``__html__``, so templates place it unescaped
    once); ``str()`` is its plain text."""

    __slots__ = ("runs",)

    def __init__(self, runs: Iterable[Run] = ()) -> None:
        self.runs: tuple[Run, ...] = tuple(r for r in runs if r[0] != "text" or r[1])

    @classmethod
    def of(cls, value: object) -> Rich:
        """Any value as rich text: rich text as it is, a string as one text run, nothing as nothing."""
        if isinstance(value, Rich):
            return value
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return cls()
        if isinstance(value, Markup):
            raise TypeError("markup cannot enter the document model: build it from runs")
        return cls([("text", str(value))])

    def __add__(self, other: object) -> Rich:
        return Rich(self.runs + Rich.of(other).runs)

    def __radd__(self, other: object) -> Rich:
        return Rich(Rich.of(other).runs + self.runs)

    def join(self, items: Iterable[object]) -> Rich:
        """The items with this text between them, as ``str.join``."""
        runs: list[Run] = []
        for i, item in enumerate(items):
            if i:
                runs += self.runs
            runs += Rich.of(item).runs
        return Rich(runs)

    @classmethod
    def format(cls, template: str, /, **values: object) -> Rich:
        """A message (``{name}`` placeholders) filled with text or rich text, as ``str.format`` fills
        strings: the message's own words become text runs, each value keeps its runs."""
        from string import Formatter

        out = cls()
        for literal, name, spec, _ in Formatter().parse(template):
            out += literal
            if name is not None:
                value = values[name]
                out += format(value, spec) if spec and not isinstance(value, Rich) else value
        return out

    def __bool__(self) -> bool:
        return bool(self.runs)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Rich) and self.runs == other.runs

    def __hash__(self) -> int:
        return hash(self.runs)

    def __repr__(self) -> str:
        return f"Rich({list(self.runs)!r})"

    def __str__(self) -> str:
        return "".join(_plain(r) for r in self.runs)

    def __html__(self) -> str:
        return "".join(Markup.escape(r[1]) if r[0] == "text" else inline_macro(r[0], *r[1:]) for r in self.runs)

    def data(self) -> list[list]:
        return [list(r) for r in self.runs]


def _plain(run: Run) -> str:
    kind, args = run[0], run[1:]
    if kind == "br":
        return "\n"
    if kind == "cite":
        return f"[{args[1]}]"
    if kind == "glossed":  # the quote, and the gloss where the edition shows it
        return args[0] + (f" {args[1] or args[4]}" if args[2] else "")
    if kind == "flagged":
        return f"{args[0]} {args[1]}"
    if kind == "translated":
        return f"{args[0]} ({args[1]})"
    if kind == "status":
        return args[1]
    if kind == "words":
        return args[1]
    if kind == "link":
        return args[1]
    return str(args[0])


def run(kind: str, *args: object) -> Rich:
    """One run of an inline kind (``quote``, ``num``, ``cite`` …) as rich text."""
    if kind not in INLINE_KINDS:
        raise ValueError(f"unknown inline kind {kind!r}: declare it in document.INLINE_KINDS")
    return Rich([(kind, *args)])


def rich(value: object) -> Rich:
    return Rich.of(value)


def _data(value: object) -> object:
    if isinstance(value, Rich):
        return value.data()
    if isinstance(value, Block):
        return value.data()
    if isinstance(value, dict):
        return {k: _data(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_data(v) for v in value]
    return value


class Block:
    """A block of the document. ``template`` names its HTML template in ``templates/parts/``."""

    template = ""

    def fields(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self)}  # type: ignore[arg-type]

    def html(self) -> Markup:
        return render(self.template, **self.fields())

    def data(self) -> dict[str, object]:
        return {"type": self.template, **{k: _data(v) for k, v in self.fields().items()}}

    def __html__(self) -> str:
        return str(self.html())


def _rich_list(items: Iterable[object]) -> list[Rich]:
    return [Rich.of(i) for i in items]


@dataclass
class Heading(Block):
    """A declared section's heading (level 2: a part, 3: a sub-section) and its one-paragraph introduction."""

    level: int
    id: str
    title: str
    intro: str = ""
    template = "heading"


@dataclass
class Paragraphs(Block):
    """Paragraphs; ``css`` names their kind (``note``, ``empty``, ``intro``; none: body text)."""

    paragraphs: list[Rich]
    css: str = ""
    template = "paragraphs"

    def __post_init__(self) -> None:
        self.paragraphs = _rich_list(self.paragraphs)


@dataclass
class ItemList(Block):
    """A bulleted or numbered list; ``css`` names it (``findings``, ``rules`` …)."""

    items: list[Rich]
    css: str = ""
    ordered: bool = False
    template = "list"

    def __post_init__(self) -> None:
        self.items = _rich_list(self.items)


TABLE_ROLES = ("text", "quote", "number", "period", "citation", "status")
"""The roles a table's column can have: they set its width and alignment in both formats."""


@dataclass
class Table(Block):
    """A captioned table. ``classes`` name each column (``quote``, ``value``, ``source`` …) for the
    stylesheet; ``roles`` (``TABLE_ROLES``) say what it holds; ``note`` is a line under it."""

    caption: str
    columns: list[str]
    rows: list[list[Rich]]
    classes: list[str] = field(default_factory=list)
    roles: list[str] = field(default_factory=list)
    css: str = ""
    widths: list[int] = field(default_factory=list)
    note: str = ""
    template = "table"

    def __post_init__(self) -> None:
        self.rows = [_rich_list(r) for r in self.rows]
        bad = [r for r in self.roles if r not in TABLE_ROLES]
        if bad or (self.roles and len(self.roles) != len(self.columns)):
            raise ValueError(f"table {self.caption!r}: one role of {TABLE_ROLES} per column, got {self.roles}")


@dataclass
class Figure(Block):
    """A chart: its SVG, alt text, caption with the sources it draws on, and a link to the data it plots."""

    fid: str
    svg: str
    alt: str
    credit: Rich  # the caption and the sources it draws on, in the edition's words and punctuation
    href: str
    data_label: str
    template = "figure"

    def __post_init__(self) -> None:
        self.credit = Rich.of(self.credit)


@dataclass
class DataNote(Block):
    """A line with a link to the data behind the block before it (a table's whole CSV)."""

    text: str
    href: str
    label: str
    template = "data_note"


@dataclass
class Sources(Block):
    """The numbered list of the sources a briefing cites; each item: id, number, title, publisher,
    published, basis, file."""

    intro: str
    sources: list[dict]
    show_ids: bool
    template = "sources"


@dataclass
class Title(Block):
    """The title block: the region's names, what the briefing is, the as-of date, version and links."""

    kicker: str
    name: str
    alt_name: str
    alt_lang: str
    subtitle: str
    as_of: str
    as_of_text: str
    version: str = ""
    links: list[dict] = field(default_factory=list)
    template = "title"


@dataclass
class Contents(Block):
    """The contents list: the declared sections the briefing shows (``sections.contents``)."""

    title: str
    parts: list[dict]
    template = "contents"


@dataclass
class Colophon(Block):
    """The line at the foot: version and a link to the fact base."""

    text: str
    href: str
    label: str
    template = "colophon"


def document(blocks: Sequence[Block], meta: dict[str, object]) -> dict[str, object]:
    """The whole document as data: its metadata (title, author, description, keywords, language, as-of
    date, labels of the page furniture) and its blocks in reading order."""
    return {"meta": meta, "blocks": [b if isinstance(b, dict) else b.data() for b in blocks]}
