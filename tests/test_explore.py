from briefings.explore import ALL, facts_html, filter_facts


def test_filters_combine(fb):
    rows = filter_facts(fb, "zhejiang", ALL, "little_giant_firms_count", "result")
    assert rows.value.tolist() == [1432]
    assert set(filter_facts(fb, ALL, "smart_factories", ALL, "target").theme) == {"smart_factories"}
    assert filter_facts(fb, "hebei").empty


def test_rows_show_whole_escaped_quotes(fb):
    rows = filter_facts(fb, "shanghai", ALL, "municipal_demo_smart_factories_count", ALL)
    html = facts_html(rows)
    assert all(q in html for q in rows.quote) and "4 matching facts" in html
