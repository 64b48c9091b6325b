"""``data/README.md``, the data dictionary, generated from the schema (``briefings datadict``)."""

from __future__ import annotations

from .schema import LOAD_ORDER, QUALIFIERS, ROLES, TABLES, THEMES, UNITS

INTRO = """# Data dictionary

The fact base behind every briefing: UTF-8 CSV files (no byte-order mark, LF line endings), one per
table below. Every number shown in a briefing is a row of `observations.csv`, and every row carries the
verbatim quote of the seed text (`seeds/`, never edited) that states it. `make validate` (or
`briefings validate`) checks the tables; `make test` runs the same checks.

This file and `datapackage.json` are generated from the schema in `src/briefings/schema.py` by
`briefings datadict`; a test fails when either is out of date.

`datapackage.json` describes the same tables as a Frictionless data package (types, required values,
patterns, enums, primary and foreign keys), so other tools can load and check them:
`frictionless validate data/datapackage.json`. The build publishes the package, with a zip of it, in
`reports/data/`, beside the briefings.

## Licence and sources

The tables of this folder are licensed under CC BY 4.0 (see `LICENSE`); the code under MIT. The seed
texts in `seeds/` are third-party texts (news articles and official documents), kept unchanged and
quoted here for analysis: they remain their publishers' and are covered by neither licence. The `quote`
columns hold short verbatim excerpts of them, each with the source it comes from (`sources.csv`).

## Conventions

- **Values are in the indicator's unit.** Money is in yuan (8000亿元 → `800000000000`); counts are plain
  (6.9万个 → `69000`); percent is 0–100 (28.7% → `28.7`); `pp` is percentage points; robot density is per
  10,000 workers (260台/万人 → `260`: the 万 belongs to the unit). Each indicator has exactly one unit.
- **`value_as_written`** is the number exactly as the quote writes it (`6.9万`, `8000亿`, `八成`, `1/4`).
  Tests read it (Arabic and Chinese numerals; 万 = 10⁴, 亿 = 10⁸, 万亿 = 10¹²; 成 = tenths, as percent;
  a fraction as percent for `%` indicators) and require it to equal `value`.
- **Qualifiers** ({qualifiers}): `>` for 超/超过/突破/逾/…多/…余, `>=` for 以上/不低于/至少, `~` for
  约/左右/近/接近, `<=` for 以下/不超过, `<` for 不足/低于, `=` otherwise.
- **Roles** (`observations.role`): what each number is, so that a briefing counts and shows each apart.
{roles}
  Only `target` rows are assessed, counted and compared as targets. The same kind of statement gets the
  same role in every region and source; the rules, with examples, are in `notes/curation-rules.md` and a
  test per rule enforces them.
- **Periods**: `2023` a year; `2023-01..10` January–October 2023; `2024..2027` a cumulative span; for a
  target or recommendation, its deadline (target year). When a text gives no year (目前, 近日, a bare
  1—2月), the period is inferred from the publication date in `sources.csv` (or, for a deadline, from the
  plan named beside it), `is_period_inferred` is `true` and `notes` says why. A target or recommendation
  whose text states no year and names no dated plan has **no deadline stated**: `period` is empty, never
  the publication year. An instrument's or structure count's period is when the text states it.
- **Measures** say whether a government adopted them (`is_adopted` = `true`) or a report only recommends
  them (`false`: the white paper's 建议一/二/三).
- **One fact, one row per source.** A fact stated in two seeds is kept once per source; a fact repeated
  inside one seed (duplicated paragraphs, summary bullets) is one row. Disagreements between sources are
  kept, never merged (Shanghai's 5G outdoor base stations: over 69,000 in one text, over 77,000 in another).
- **Ids**: `*_id` are lowercase slugs; indicator ids end in their unit (`_count`, `_pct`, `_pp`, `_yuan`,
  `_per_10k_workers`…); growth rates end `_growth_pct`, changes of growth `_growth_change_pp`,
  contributions `_contribution_pp`. Booleans are `true`/`false` and named `is_*` (or `higher_is_better`).
- **Units**: {units}.
- **Themes**: {themes}.

## What was left out, and why

- **Page furniture**: navigation, share buttons, copyright and disclaimer notices, telephone numbers
  (010-81025111, 400-162-2002…), licence and registration numbers (ICP, public security), bylines,
  dateline times. None states a fact about a region.
- **Names and labels whose digits are not quantities**: the "20035" project (its parts — 200, 20, 3, 5 —
  are rows), "415X", "(2+2)+(3+6)+(4+5)", "8+4", "1358", "十百千", "百千万", "三省一市", "一核一带",
  Industry 4.0, 5G/6G, Web3.0; such names appear in `measures.csv` where they name a policy.
- **List numbering and ordinals**: 一是/二是, 建议一, 第二批, 首批, 第四届, section numbers. Counts that
  describe a document's own parts (five actions, ten task areas, six fields) are rows with the role
  `structure`.
- **Names of industry groupings** (三大先导产业, 六大重点产业, 五大主导产业, “八大产业集群”): names of
  sets of industries, not quantities; the members appear in the rows and measures that name them.
- **Dates used only as periods or plan spans** (they are in `period` and in `plans.csv`).
- **Firsts that are not ranks** (全国首个, 率先): a claim to be first to do something is a measure, not a
  rank. Ranks (位列全国第一, 居全国第一, 位于全国城市首位, 除北京以外…最多) are rows with the role
  `ranking` and the unit `rank`.
- **Numbers implied but not stated** (Henan's industrial-investment growth is 7.8 points above the
  national rate; the national rate itself is not stated and is not derived).
- **Vague amounts** (数十款, 若干, 一批).

Curators' notes for each source, with every judgement call, are in `notes/<source_id>.md`.

## Tables
"""


DERIVED_INTRO = """
## Derived tables

Computed by the build from the validated tables above (`briefings.derive`: load → validate → derive →
render), validated against the declarations in `src/briefings/schema_derived.py`, and published with the
data package in `reports/data/derived/` (they are not kept in this folder). The notebooks only render them.
"""


def generated() -> dict[str, str]:
    """The files of ``data/`` generated from the schema, by name: the dictionary and the data package."""
    from .datapackage import render as render_package

    return {"README.md": render(), "datapackage.json": render_package()}


def render() -> str:
    """The data dictionary as Markdown."""
    out = [
        INTRO.format(
            roles="\n".join(f"  - `{r}`: {d}." for r, d in ROLES.items()),
            qualifiers=", ".join(f"`{q}`" for q in QUALIFIERS),
            units=", ".join(f"`{u}`" for u in UNITS),
            themes=", ".join(f"`{t}`" for t in THEMES),
        )
    ]
    from .schema_derived import DERIVED, DERIVED_ORDER

    tables = [TABLES[name] for name in LOAD_ORDER]
    for i, table in enumerate([*tables, *(DERIVED[name] for name in DERIVED_ORDER)]):
        if i == len(tables):
            out.append(DERIVED_INTRO)
        out.append(f"\n### `{table.file}`\n\n{table.description} Key: `{table.key}`.\n")
        if table.foreign_keys:
            refs = "; ".join(f"`{c}` → `{o}.{oc}`" for c, o, oc in table.foreign_keys)
            out.append(f"References: {refs}.\n")
        out.append("\n| column | type | required | rule | description |\n|---|---|---|---|---|\n")
        for col in table.columns:
            rule = []
            if col.unique:
                rule.append("unique")
            if col.pattern:
                rule.append(f"matches `{col.pattern}`".replace("|", "\\|"))
            if col.isin:
                rule.append("one of " + ", ".join(f"`{v}`" for v in col.isin))
            out.append(
                f"| `{col.name}` | {col.dtype} | {'yes' if col.required else 'no'} | "
                f"{'; '.join(rule) or '–'} | {col.description.replace('|', '/')} |\n"
            )
    return "".join(out)
