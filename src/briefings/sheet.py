"""Add a source text: copy it into ``seeds/``, register it in ``data/sources.csv`` and write its review sheet.

The review sheet is a CSV for a spreadsheet: UTF-8 *with* a byte-order mark (without one, Excel reads
Chinese as mojibake) and CRLF-free. ``data/`` CSVs stay UTF-8 without BOM; ``accept`` reads either.
One row per drafted plan, observation and measure, then one per skipped number; the ``accept`` column
is left blank for the analyst to fill with ``yes`` or ``no``.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import shutil
import tempfile
from pathlib import Path

from . import paths
from .cells import neutralise, refuse_formula, strip_formula
from .csvtext import header
from .drafting import Draft, draft, read_table, to_simplified
from .drafting.intake import IntakeError, decode, guess_published, remove_pinyin, title_of
from .drafting.plans import title_en as plan_title_en
from .gloss import draft_gloss

COLUMNS = (
    "accept",
    "record",
    "confidence",
    "reasons",
    "source_id",
    "region_id",
    "region_name_zh",
    "indicator_id",
    "indicator_name_zh",
    "indicator_name_en",
    "unit",
    "theme",
    "role",
    "period",
    "is_period_inferred",
    "value",
    "qualifier",
    "value_as_written",
    "quote",
    "quote_en",
    "plan",
    "notes",
    "plan_title_zh",
    "plan_title_en",
    "start_year",
    "end_year",
    "issued",
    "summary_en",
    "is_adopted",
    "line",
    "indicator_tier",
    "indicator_level",
)
RECORDS = ("plan", "observation", "measure", "skipped")
BOM = "\ufeff"


class SheetError(ValueError):
    """Bad input to add-source or accept; the message names what to fix."""

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else problems
        more = f" (and {len(self.problems) - 1} more problem(s))" if len(self.problems) > 1 else ""
        super().__init__(self.problems[0] + more)


def number_text(value: float) -> str:
    """A value as the fact base writes it: no exponent, no trailing zeros."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def rows_of(d: Draft, source_id: str) -> list[dict[str, str]]:
    """The review sheet's rows for one draft."""
    rows = []
    names = {rid: p.name_zh for rid, p in d.places.items()}
    for p in d.plans:
        rows.append(
            {
                "record": "plan",
                "confidence": "0.6" if p.how in ("issued", "named") else "0.4",
                "reasons": "; ".join(p.reasons) or "document named in 《》 and issued or put forward",
                "source_id": source_id,
                "region_id": p.region_id,
                "region_name_zh": names.get(p.region_id, ""),
                "plan": p.plan_id,
                "plan_title_zh": p.title_zh,
                "plan_title_en": plan_title_en(p.title_zh),
                "start_year": str(p.start_year or ""),
                "end_year": str(p.end_year or ""),
                "issued": p.issued,
                "quote": p.quote,
                "line": str(p.line),
                "notes": "plan_title_en is a [draft]: write the English title",
            }
        )
    for c in d.observations:
        rows.append(
            {
                "record": "observation",
                "confidence": f"{c.confidence:.2f}",
                "reasons": "; ".join(c.reasons),
                "source_id": source_id,
                "region_id": c.region_id,
                "region_name_zh": names.get(c.region_id, ""),
                "indicator_id": c.indicator_id,
                "indicator_name_zh": c.indicator_name_zh,
                "indicator_name_en": c.indicator_name_en,
                "unit": c.unit,
                "theme": c.theme,
                "role": c.role,
                "period": c.period,
                "is_period_inferred": "true" if c.is_period_inferred else "false",
                "value": number_text(c.value),
                "qualifier": c.qualifier,
                "value_as_written": c.value_as_written,
                "quote": c.quote,
                "quote_en": draft_gloss(c.indicator_name_en, c.value, c.unit, c.qualifier, c.period),
                "plan": c.plan,
                "notes": c.notes,
                "line": str(c.line),
                "indicator_tier": c.indicator_tier if c.indicator_is_new else "",
                "indicator_level": c.indicator_level if c.indicator_is_new else "",
            }
        )
    for m in d.measures:
        rows.append(
            {
                "record": "measure",
                "confidence": f"{m.confidence:.2f}",
                "reasons": "; ".join(m.reasons),
                "source_id": source_id,
                "region_id": m.region_id,
                "region_name_zh": names.get(m.region_id, ""),
                "theme": m.theme,
                "quote": m.quote,
                "summary_en": m.summary_en or m.quote,
                "is_adopted": "true" if m.is_adopted else "false",
                "line": str(m.line),
                "notes": "summary_en is a [draft] from the sentence's verb and theme: write a one-sentence summary",
            }
        )
    for s in d.skipped:
        rows.append(
            {
                "record": "skipped",
                "reasons": s.reason,
                "source_id": source_id,
                "value_as_written": s.text,
                "quote": s.context,
                "line": str(s.line),
            }
        )
    return [{k: r.get(k, "") for k in COLUMNS} for r in rows]


def write_sheet(path: Path, rows: list[dict[str, str]]) -> None:
    """Write the sheet for a spreadsheet: UTF-8 with BOM, every field quoted, LF line endings, and no cell
    that a spreadsheet would run as a formula (``cells.neutralise``)."""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=COLUMNS, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: neutralise(v) for k, v in r.items()} for r in rows)
    paths.atomic_write(path, (BOM + buf.getvalue()).encode("utf-8"))


def check_date(text: str) -> str:
    """A publication date YYYY-MM or YYYY-MM-DD that exists, or SheetError."""
    try:
        if re.fullmatch(r"\d{4}-\d{2}", text or ""):
            dt.date(int(text[:4]), int(text[5:7]), 1)
            return text
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text or ""):
            dt.date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise SheetError(f"--published {text!r} is not a date: give YYYY-MM or YYYY-MM-DD (e.g. 2024-05 or 2024-05-17)")


def read_text(file: Path, force: bool = False) -> tuple[str, bytes, str]:
    """The text of a new source, its bytes as they will be stored (UTF-8), and a note on any conversion."""
    if not file.is_file():
        raise SheetError(f"{file}: no such file; give the path of a text file")
    raw = file.read_bytes()
    try:
        got = decode(raw, force)
    except IntakeError as exc:
        raise SheetError(f"{file}: {exc}") from None
    text, pinyin_note = remove_pinyin(got.text, raw)
    return text, text.encode("utf-8"), "; ".join(n for n in (got.note, pinyin_note) if n)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def check_sheet_path(sheet: Path, force: bool = False) -> Path:
    """Where a review sheet may be written: never inside data/, seeds/, reports/ or figures/, never a folder,
    and not over an existing file unless ``force``; SheetError says why."""
    sheet = Path(sheet)
    target = sheet.resolve()
    for folder in (paths.DATA_DIR, paths.SEEDS_DIR, paths.REPORTS_DIR, paths.FIGURES_DIR):
        if target == folder.resolve() or target.is_relative_to(folder.resolve()):
            raise SheetError(
                f"--sheet {sheet}: is inside {folder.name}/, which only the project writes; give a path "
                "elsewhere (default: drafts/<source_id>.csv)"
            )
    if target.is_dir() or str(sheet).endswith(("/", os.sep)):
        raise SheetError(f"--sheet {sheet}: is a folder; give the path of a CSV file to write, e.g. {sheet}/x.csv")
    if target.exists() and not force:
        raise SheetError(f"--sheet {sheet}: exists already; give another path, or add --force to replace it")
    if target.parent.exists() and not target.parent.is_dir():
        raise SheetError(f"--sheet {sheet}: {target.parent} is a file, not a folder; give another path")
    return sheet


def add_source(
    file: Path,
    published: str | None,
    title: str | None = None,
    title_en: str | None = None,
    publisher: str | None = None,
    source_id: str | None = None,
    sheet: Path | None = None,
    force: bool = False,
    guessed: bool = False,
    echo=None,
) -> dict:
    """Copy ``file`` into seeds/, register it, draft its facts and write the review sheet; return a summary.

    ``published`` None: the date the text gives, recorded as guessed; ``guessed``: the date given is a guess.
    ``force``: take a text that reads as nonsense or has no number (and write over an existing sheet).

    One transaction (``transaction.edit``): the seed and the source row are validated with the whole fact
    base, the review sheet is written, and only then is the source registered. A failure at any step leaves
    data/ and seeds/ as they were (and removes the sheet it wrote).
    """
    from .transaction import checkpoint, edit

    for option, value in (("--title", title), ("--title-en", title_en), ("--publisher", publisher)):
        refuse_formula(option, value)
    if sheet is not None:
        sheet = check_sheet_path(sheet, force)
    text, stored, note = read_text(Path(file), force)
    published, basis = _published(file, text, published, guessed)
    digest = hashlib.sha256(stored).hexdigest()
    with edit(f"add-source {Path(file).name}", echo) as tx:
        sources = read_table(tx.data / "sources.csv")
        for s in sources:
            if s["sha256"] in (digest, hashlib.sha256(Path(file).read_bytes()).hexdigest()):
                raise SheetError(f"{file} is already source {s['source_id']} (seeds/{s['file']}); nothing added")
        regions = read_table(tx.data / "regions.csv")
        indicators = read_table(tx.data / "indicators.csv")
        plans = {p["plan_id"] for p in read_table(tx.data / "plans.csv")}
        d = draft(text, published, regions, indicators, plans)
        if not d.observations and not force:
            raise SheetError(
                f"{file}: no number drafted ({len(d.skipped)} skipped); check the file is the text meant, "
                "or give --force to add it anyway"
            )
        source_id = _source_id(d, published, source_id, {s["source_id"] for s in sources})
        index = max([int(s["file"][:3]) for s in sources] + [-1]) + 1
        seed_name = f"{index:03d}_{digest[:16]}.txt"
        title = title or strip_formula(title_of(text) or Path(file).stem)
        notes = (
            f"Added with `briefings add-source`; {len(d.observations)} numbers drafted, {len(d.skipped)} skipped"
            f"{'; ' + note if note else ''}."
        )
        row = {"source_id": source_id, "file": seed_name, "sha256": digest, "title_zh": title}
        row |= {"title_en": title_en or title, "publisher": publisher or "not stated", "published": published}
        row |= {"published_basis": basis, "notes": notes}
        row["published_basis_zh"] = (
            "" if basis == "stated" else ("据文中日期推测" if "text" in basis else "添加来源时估计的日期")
        )
        # the curator changes the facts date where the content dates the facts otherwise
        row |= {"facts_date": published, "facts_date_basis": "published"}
        new_sources = append_rows(tx.data / "sources.csv", [row])
        _check_sources(new_sources, seed_name, stored)
        sheet = check_sheet_path(sheet or paths.ROOT / "drafts" / f"{source_id}.csv", force)
        tx.add_seed(seed_name, stored)
        tx.write("sources.csv", new_sources)
        tx.validate()
        tx.owns(sheet)  # removed again if the source is not registered
        try:
            write_sheet(sheet, rows_of(d, source_id))
        except OSError as exc:
            raise SheetError(f"--sheet {sheet}: cannot be written ({exc.strerror}); nothing was added") from None
        checkpoint("sheet")
        tx.commit()
    return {
        "source_id": source_id,
        "seed": seed_name,
        "sheet": Path(sheet),
        "observations": len(d.observations),
        "measures": len(d.measures),
        "plans": len(d.plans),
        "skipped": len(d.skipped),
        "note": note,
        "script": "Traditional" if to_simplified(text) != text else "Simplified",
    }


def _published(file: Path, text: str, published: str | None, guessed: bool) -> tuple[str, str]:
    """The publication date and its basis: stated, or inferred (a guess, or read from the text)."""
    if published:
        return check_date(
            published
        ), "inferred: date given as a guess when the source was added" if guessed else "stated"
    found = guess_published(text)
    if found is None:
        raise SheetError(f"{file}: the text gives no publication date; give --published YYYY-MM[-DD]")
    return check_date(found[0]), f"inferred: guessed from “{found[1]}” in the text"


def redraft(source_id: str, sheet: Path | None = None) -> dict:
    """Draft a registered source again into a review sheet (its seed and row in sources.csv stay as they are)."""
    sources = read_table(paths.DATA_DIR / "sources.csv")
    src = next((s for s in sources if s["source_id"] == source_id), None)
    if src is None:
        known = ", ".join(s["source_id"] for s in sources[:8])
        raise SheetError(f"--redraft {source_id!r} is not a source in data/sources.csv (e.g. {known})")
    text = (paths.SEEDS_DIR / src["file"]).read_text(encoding="utf-8")
    regions = read_table(paths.DATA_DIR / "regions.csv")
    indicators = read_table(paths.DATA_DIR / "indicators.csv")
    plans = {p["plan_id"] for p in read_table(paths.DATA_DIR / "plans.csv")}
    d = draft(text, src["published"], regions, indicators, plans)
    sheet = check_sheet_path(sheet or paths.ROOT / "drafts" / f"{source_id}.csv", True)
    write_sheet(sheet, rows_of(d, source_id))
    return {
        "source_id": source_id,
        "seed": src["file"],
        "sheet": sheet,
        "observations": len(d.observations),
        "measures": len(d.measures),
        "plans": len(d.plans),
        "skipped": len(d.skipped),
        "note": "drafted again",
        "script": "Traditional" if to_simplified(text) != text else "Simplified",
    }


def _source_id(d: Draft, published: str, given: str | None, taken: set[str]) -> str:
    """The slug given (checked), else ``<region with most numbers>-<year>``; made unique with ``-2``, ``-3`` …"""
    if given is None:
        counts: dict[str, int] = {}
        for c in d.observations:
            counts[c.region_id] = counts.get(c.region_id, 0) + 1
        top = max(counts, key=counts.get) if counts else "source"
        given = f"{top}-{published[:4]}"
    if not re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)*", given):
        raise SheetError(f"--id {given!r} is not a slug: use lowercase letters, digits and hyphens")
    source_id, k = given, 2
    while source_id in taken:
        source_id, k = f"{given}-{k}", k + 1
    return source_id


def append_rows(path: Path, rows: list[dict[str, str]]) -> str:
    """The text of a data/ CSV with ``rows`` appended, existing lines kept byte for byte."""
    text = path.read_text(encoding="utf-8")
    columns = header(text)
    if text and not text.endswith("\n"):
        text += "\n"
    buf = io.StringIO()
    csv.DictWriter(buf, fieldnames=columns, lineterminator="\n", extrasaction="ignore").writerows(rows)
    return text + buf.getvalue()


def _check_sources(sources_text: str, seed_name: str, stored: bytes) -> None:
    """Validate sources.csv with the new row before anything is written."""
    from .data import DataError, _coerce, _schema_problems
    from .data import read_table as read_strict
    from .schema import SOURCES

    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "sources.csv").write_text(sources_text, encoding="utf-8")
        try:
            df, problems = _coerce(SOURCES, read_strict(SOURCES, Path(tmp)), "data/sources.csv")
            problems = problems or _schema_problems(SOURCES, df, "data/sources.csv")
        except DataError as exc:
            problems = exc.problems
    if problems:
        raise SheetError(problems)


def copy_data(target: Path) -> Path:
    """A scratch copy of data/ (CSV files) to validate a merge before writing it."""
    target.mkdir(parents=True, exist_ok=True)
    for f in paths.DATA_DIR.glob("*.csv"):
        shutil.copy2(f, target / f.name)
    return target
