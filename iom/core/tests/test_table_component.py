"""The one table component writes GOV.UK table markup from a short description."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError

TABLE = ('{% load tables %}{% table rows as r caption="People" columns="Name:ascending|'
         'Count:numeric|Actions:hidden" empty="Nobody yet." %}'
         '{% cell header sort=r.0 %}{{ r.0 }}{% endcell %}{% cell numeric %}{{ r.1 }}{% endcell %}'
         '{% cell %}<a href="#">Change</a>{% endcell %}{% endtable %}')


def _render(source: str, **context: object) -> str:
    return Template(source).render(Context(context))


def test_headers_caption_numeric_sorting_and_row_headers():
    html = _render(TABLE, rows=[("Ann <b>", 3)])
    assert '<caption class="govuk-table__caption govuk-table__caption--m">People</caption>' in html
    assert 'data-module="moj-sortable-table"' in html
    assert '<th scope="col" class="govuk-table__header" aria-sort="ascending">Name</th>' in html
    assert 'class="govuk-table__header govuk-table__header--numeric">Count</th>' in html
    assert '<span class="govuk-visually-hidden">Actions</span>' in html
    assert '<th scope="row" class="govuk-table__header" data-sort-value="Ann &lt;b&gt;">' in html
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in html
    assert "<b>" not in html  # values are escaped


def test_no_rows_shows_the_empty_message_instead():
    assert _render(TABLE, rows=[]) == '<p class="govuk-body">Nobody yet.</p>'


def test_a_wide_table_scrolls_in_a_focusable_box():
    html = _render('{% load tables %}{% table rows as r wide caption="Counts" columns="A|B" %}'
                   "{% cell %}{{ r }}{% endcell %}{% cell %}x{% endcell %}{% endtable %}", rows=[1])
    assert '<div class="iom-table-wrap" tabindex="0" role="region" aria-label="Counts">' in html


def test_an_unknown_column_flag_is_refused():
    with pytest.raises(TemplateSyntaxError, match="numerik"):
        _render('{% load tables %}{% table rows as r columns="A:numerik" %}{% endtable %}',
                rows=[1])


def test_dates_and_times_in_govuk_style():
    from datetime import date, time

    html = _render("{% load iom %}{{ d|govuk_date }}; {{ d|govuk_short_date }}; "
                   "{{ t|govuk_time }}; {{ noon|govuk_time }}; {{ nine|govuk_time }}",
                   d=date(2026, 12, 3), t=time(14, 30), noon=time(12, 0), nine=time(9, 0))
    assert html == "3 December 2026; 3 Dec 2026; 2:30pm; midday; 9am"


def test_columns_from_data_keep_colons_and_bars_in_their_labels():
    from iom.core.templatetags.tables import Column

    html = _render('{% load tables %}{% table rows as r columns=cols %}'
                   "{% cell %}{{ r }}{% endcell %}{% cell %}x{% endcell %}{% endtable %}", rows=[1],
                   cols=[Column("Policy: v2 | draft", sort="none"), "Count:numeric"])
    assert ('<th scope="col" class="govuk-table__header" aria-sort="none">'
            "Policy: v2 | draft</th>") in html
    assert "govuk-table__header--numeric" in html


def test_no_template_writes_table_markup_by_hand():
    """Every table is drawn by the one component (iom/core/templatetags/tables.py)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "templates"
    by_hand = sorted(str(p.relative_to(root)) for p in root.rglob("*.html")
                     if "<table" in p.read_text(encoding="utf-8").lower())
    assert by_hand == []


def test_numeric_columns_from_headings_that_hold_colons():
    html = _render('{% load tables %}{% table rows as r columns=heads|numeric_columns:"Group" %}'
                   "{% cell header %}{{ r }}{% endcell %}{% cell numeric %}1{% endcell %}"
                   "{% endtable %}", rows=["All"], heads=["On the cohort: London"])
    assert '<th scope="col" class="govuk-table__header">Group</th>' in html
    assert ('<th scope="col" class="govuk-table__header govuk-table__header--numeric">'
            "On the cohort: London</th>") in html


def test_count_of_writes_thousands_with_a_comma_as_gov_uk_style_does() -> None:
    from iom.core.templatetags.iom import count_of

    assert count_of(1, "fix,fixes") == "1 fix"
    assert count_of(999, "district") == "999 districts"
    assert count_of(1440, "fix,fixes") == "1,440 fixes"
    assert count_of(list(range(12000)), "person,people") == "12,000 people"
