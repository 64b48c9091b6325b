"""The drafted rows and what they are made of."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    """A region a name in a text may stand for."""

    region_id: str
    name_en: str
    name_zh: str
    level: str
    known: bool  # already in data/regions.csv
    is_base: bool = False  # the country or the world


@dataclass
class Candidate:
    """One drafted observation, positions in the text as written."""

    start: int
    end: int
    value: float
    value_as_written: str
    unit: str
    qualifier: str
    role: str = "result"
    period: str = ""
    is_period_inferred: bool = False
    region_id: str = ""
    quote: str = ""
    quote_start: int = 0
    indicator_id: str = ""
    indicator_name_zh: str = ""
    indicator_name_en: str = ""
    indicator_is_new: bool = False
    indicator_tier: str = ""
    indicator_level: str = ""
    theme: str = ""
    plan: str = ""
    notes: str = ""
    confidence: float = 0.9
    reasons: list[str] = field(default_factory=list)
    line: int = 0
    heading: bool = False

    def doubt(self, by: float, reason: str) -> None:
        self.confidence -= by
        self.reasons.append(reason)


@dataclass
class Skip:
    """A number left out, and why."""

    start: int
    end: int
    text: str
    reason: str
    context: str
    line: int = 0


@dataclass
class PlanDraft:
    """A plan or document named in the text."""

    plan_id: str
    region_id: str
    title_zh: str
    start_year: int | None
    end_year: int | None
    issued: str
    quote: str
    start: int
    aliases: list[str] = field(default_factory=list)
    line: int = 0
    how: str = "named"  # issued (by this text), own (the text itself), cited (only referred to), named
    reasons: list[str] = field(default_factory=list)


@dataclass
class MeasureDraft:
    """A qualitative policy measure."""

    region_id: str
    theme: str
    quote: str
    start: int
    is_adopted: bool
    confidence: float
    reasons: list[str]
    line: int = 0
    summary_en: str = ""


@dataclass
class Draft:
    """Everything drafted from one text."""

    observations: list[Candidate]
    measures: list[MeasureDraft]
    plans: list[PlanDraft]
    skipped: list[Skip]
    places: dict[str, Place]


@dataclass
class Reading:
    """A number as read: value, unit, qualifier and the words around it that decided them."""

    start: int
    end: int  # end of value_as_written
    written: str
    value: float
    unit: str
    qualifier: str
    unit_end: int
    role_hint: str = ""
    reasons: list[str] = field(default_factory=list)
    notes: str = ""
