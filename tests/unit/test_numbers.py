import pytest

from briefings.numbers import WrittenNumberError, format_value, parse_written


@pytest.mark.parametrize(
    "written, unit, value",
    [
        ("6.9万", "count", 69000),
        ("8000亿", "yuan", 8e11),
        ("4万亿", "yuan", 4e12),
        ("28.7", "%", 28.7),
        ("1,432", "count", 1432),
        ("两", "count", 2),
        ("二十", "count", 20),
        ("十五", "count", 15),
        ("一百二十", "count", 120),
        ("八成", "%", 80),
        ("9成", "%", 90),
        ("1/4", "%", 25),
        ("1.2万亿", "yuan", 1.2e12),
        ("2000万", "yuan", 2e7),
        ("四", "count", 4),
        ("6.9萬", "count", 69000),
        ("3億", "yuan", 3e8),
        ("兩", "count", 2),
        ("第一", "rank", 1),
        ("第12", "rank", 12),
        ("首位", "rank", 1),
        ("最多", "rank", 1),
    ],
)
def test_parse_written(written, unit, value):
    assert parse_written(written, unit) == pytest.approx(value)


@pytest.mark.parametrize("bad", ["", "abc", "六点五", "万", "第", "第X"])
def test_parse_written_rejects(bad):
    with pytest.raises(WrittenNumberError):
        parse_written(bad)


@pytest.mark.parametrize(
    "value, unit, en, zh",
    [
        (69000, "count", "69,000", "6.9万"),
        (8e11, "yuan", "CNY 800 billion", "8000亿元"),
        (4e12, "yuan", "CNY 4 trillion", "4万亿元"),
        (1.9, "pp", "1.9 pp", "1.9个百分点"),
        (260, "robots per 10k workers", "260 per 10,000 workers", "260台/万人"),
        (12.0, "%", "12%", "12%"),
        (1e7, "m2", "10,000,000 m²", "1000万平方米"),
        (1, "rank", "No. 1", "第1"),
    ],
)
def test_format_value(value, unit, en, zh):
    assert format_value(value, unit, "en") == en
    assert format_value(value, unit, "zh") == zh


@pytest.mark.parametrize("n, text", [(1, "1 adopted target"), (2, "2 adopted targets"), (0, "0 adopted targets")])
def test_messages_follow_the_languages_plural_rules(n, text):
    from briefings.i18n import catalogue, t

    assert t("findings.role_part.target", "en", n=n) == text
    assert not any("(s)" in m for m in catalogue("en").values())
    assert t("findings.role_part.target", "zh", n=n) == f"已采纳目标{n}个"  # Chinese has one form
