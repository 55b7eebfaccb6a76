"""The words crawl's checker finds what it must, and leaves what a reader should see."""

from __future__ import annotations

import pytest

from .visible_text import problems_in, raw_enum_values, visible_chunks

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("html", [
    "<p>Consent: not_needed</p>",
    "<dd>standard</dd>",
    "<p>OGRS 3 0.598556 (below_indicator)</p>",
    "<td>2026-12-03</td>",
    "<li>event 3829</li>",
    "<td>GET /people/106/ (people:profile)</td>",
])
def test_codes_in_visible_text_are_found(html):
    assert problems_in(html, raw_enum_values())


@pytest.mark.parametrize("html", [
    '<p title="2026-12-03">3 December 2026</p>',
    "<script>var when = '2026-12-03', kind = 'not_needed';</script><p>Not needed</p>",
    '<td translate="no">police_om</td><td>PNC ID 2012/0012345A, HO code 28A</td>',
    "<p>Named like pnc-2025-06-02.csv</p><p><code>ogrs3_band</code></p>",
    "<p>OGRS 3 60% (high)</p><td>0.4631</td>",
])
def test_words_and_marked_codes_pass(html):
    assert problems_in(html, raw_enum_values()) == []


def test_text_after_a_marked_element_is_still_read():
    assert visible_chunks('<p><span translate="no">a_b</span><br> then c_d</p>') == ["then c_d"]
