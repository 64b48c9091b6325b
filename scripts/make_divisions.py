"""Write src/briefings/reference/divisions.csv: China's provinces and prefecture-level divisions.

Names, codes and the hierarchy come from the `cpca` package's table of administrative codes; English
names of provinces are the conventional ones written out below, English names of prefectures are
their pinyin (`pypinyin`). Run with both packages available:

    uv run --with cpca python scripts/make_divisions.py
"""

from __future__ import annotations

import csv
import io
import re
import sys
from importlib.metadata import distribution
from pathlib import Path

from pypinyin import lazy_pinyin

OUT = Path(__file__).resolve().parents[1] / "src" / "briefings" / "reference" / "divisions.csv"

# Province-level divisions: conventional English name and level, by the first two digits of the code.
PROVINCES = {
    "11": ("Beijing", "municipality"),
    "12": ("Tianjin", "municipality"),
    "13": ("Hebei", "province"),
    "14": ("Shanxi", "province"),
    "15": ("Inner Mongolia", "autonomous region"),
    "21": ("Liaoning", "province"),
    "22": ("Jilin", "province"),
    "23": ("Heilongjiang", "province"),
    "31": ("Shanghai", "municipality"),
    "32": ("Jiangsu", "province"),
    "33": ("Zhejiang", "province"),
    "34": ("Anhui", "province"),
    "35": ("Fujian", "province"),
    "36": ("Jiangxi", "province"),
    "37": ("Shandong", "province"),
    "41": ("Henan", "province"),
    "42": ("Hubei", "province"),
    "43": ("Hunan", "province"),
    "44": ("Guangdong", "province"),
    "45": ("Guangxi", "autonomous region"),
    "46": ("Hainan", "province"),
    "50": ("Chongqing", "municipality"),
    "51": ("Sichuan", "province"),
    "52": ("Guizhou", "province"),
    "53": ("Yunnan", "province"),
    "54": ("Tibet", "autonomous region"),
    "61": ("Shaanxi", "province"),
    "62": ("Gansu", "province"),
    "63": ("Qinghai", "province"),
    "64": ("Ningxia", "autonomous region"),
    "65": ("Xinjiang", "autonomous region"),
    "71": ("Taiwan", "province"),
    "81": ("Hong Kong", "special administrative region"),
    "82": ("Macao", "special administrative region"),
}
# English for the kind of prefecture-level division, by the end of its Chinese name.
KINDS = (("自治州", " Autonomous Prefecture"), ("地区", " Prefecture"), ("盟", " League"), ("市", ""))
NOT_PREFECTURES = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def _rows(dist: str, name: str) -> list[dict[str, str]]:
    text = distribution(dist).locate_file(f"cpca/resources/{name}").read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def short_name(name: str, peoples: list[str]) -> str:
    """上海市 → 上海, 广西壮族自治区 → 广西, 巴音郭楞蒙古自治州 → 巴音郭楞, 喀什地区 → 喀什."""
    for suffix in ("特别行政区", "自治区", "自治州", "地区", "省", "市", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    changed = True
    while changed:
        changed = False
        for p in peoples:
            for form in (p, p.removesuffix("族")):
                if len(form) > 1 and name.endswith(form) and len(name) > len(form) + 1:
                    name, changed = name[: -len(form)], True
    return name


def main() -> None:
    codes = _rows("cpca", "adcodes.csv")
    peoples = sorted({r[k] for r in _rows("cpca", "56_nations.csv") for k in r if r[k]}, key=len, reverse=True)
    by_code = {r["adcode"]: r["name"] for r in codes}
    out, used = [], set()
    for code, (en, level) in PROVINCES.items():
        zh = by_code[f"{code}0000000000"]
        out.append(
            {
                "region_id": en.lower().replace(" ", "-"),
                "name_en": en,
                "name_zh": zh,
                "short_zh": short_name(zh, peoples),
                "level": level,
                "parent_zh": "",
                "adcode": code + "0000",
            }
        )
    used = {r["region_id"] for r in out} | {r["name_en"] for r in out}
    for r in sorted(codes, key=lambda r: r["adcode"]):
        code, zh = r["adcode"], r["name"]
        if not re.fullmatch(r"\d{4}0{8}", code) or code[2:4] == "00" or zh in NOT_PREFECTURES:
            continue
        short = short_name(zh, peoples)
        kind = next(e for s, e in KINDS if zh.endswith(s))
        en = "".join(w.capitalize() if i == 0 else w for i, w in enumerate(lazy_pinyin(short)))
        en = en[0].upper() + en[1:]
        name_en = en + kind
        if name_en in used:
            name_en = f"{en} City" if not kind else f"{en}{kind} ({PROVINCES[code[:2]][0]})"
        slug = re.sub(r"[^a-z0-9]+", "-", name_en.lower()).strip("-")
        used |= {name_en, slug}
        out.append(
            {
                "region_id": slug,
                "name_en": name_en,
                "name_zh": zh,
                "short_zh": short,
                "level": "prefecture",
                "parent_zh": by_code[f"{code[:2]}0000000000"],
                "adcode": code[:6],
            }
        )
    # A short name shared by two divisions names the province (海南 is 海南省, not 海南藏族自治州), or neither.
    provincial = {r["short_zh"] for r in out if not r["parent_zh"]}
    shorts = [r["short_zh"] for r in out]
    for r in out:
        if len(r["short_zh"]) < 2 or (
            r["parent_zh"] and (r["short_zh"] in provincial or shorts.count(r["short_zh"]) > 1)
        ):
            r["short_zh"] = ""
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(out[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(out)
    OUT.write_text(buf.getvalue(), encoding="utf-8")
    print(f"wrote {OUT.relative_to(OUT.parents[3])}: {len(out)} divisions", file=sys.stderr)


if __name__ == "__main__":
    main()
