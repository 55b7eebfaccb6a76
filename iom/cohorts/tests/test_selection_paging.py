"""One page of a candidate list or comparison: the same people and reasons as the whole list,
totals for everyone, and access-log entries for exactly the people returned."""

from __future__ import annotations

from datetime import date

import pytest

from iom.audit.models import AccessLogEntry
from iom.cohorts.candidates import candidates_for, compare_policies
from iom.cohorts.tests.factories import AS_AT, Scores, event, mappa, person, store_scores

RECENT = date(2025, 4, 1)


@pytest.fixture
def mixed(world):
    """People who meet, nearly meet, are excluded or change between policies."""
    scored = {}
    for ogrs3, code, excluded in [(95, "46", False), (92, "28E", True), (85, "46", False),
                                  (78, "28E", False), (60, "34A", False), (52, "46", True),
                                  (91, "46", False), (40, "28E", False)]:
        someone = person(world)
        event(world, someone, RECENT, code)
        event(world, someone, date(2024, 9, 2), "28E")
        if excluded:
            mappa(world, someone, 2)
        scored[someone] = Scores(ogrs3=ogrs3, risk=800, iom_matrix=ogrs3)
    store_scores(world, scored)
    return world


def _logged_since(last: int) -> list[int]:
    ids = AccessLogEntry.objects.filter(id__gt=last).values_list("nominal_id", flat=True)
    return sorted(i for i in ids if i is not None)


def _last_entry() -> int:
    return AccessLogEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


@pytest.mark.parametrize("policy", ["derbyshire-2015", "derbyshire-2021", "london",
                                    "west-yorkshire"])
def test_a_page_is_a_slice_of_the_whole_list_with_whole_list_totals(mixed, policy):
    user = mixed.users["police"]
    whole = candidates_for(user, policy, AS_AT)
    assert whole.total == len(whole.candidates) > 2
    by_type: dict[str, int] = {}
    for c in whole.candidates:
        key = c.suggested_cohort_type[0] if c.suggested_cohort_type else ""
        by_type[key] = by_type.get(key, 0) + 1
    assert list(whole.counts.items()) == list(by_type.items())
    before = _last_entry()
    page = candidates_for(user, policy, AS_AT, limit=2, offset=1)
    assert page.candidates == whole.candidates[1:3]
    assert (page.total, page.counts) == (whole.total, whole.counts)
    assert _logged_since(before) == sorted(c.nominal_id for c in page.candidates)


def test_a_page_past_the_end_returns_and_logs_no_one(mixed):
    before = _last_entry()
    page = candidates_for(mixed.users["police"], "london", AS_AT, limit=5, offset=1000)
    assert page.candidates == []
    assert page.total > 0
    assert _logged_since(before) == []


def test_a_negative_page_is_refused(mixed):
    with pytest.raises(ValueError, match="negative"):
        candidates_for(mixed.users["police"], "london", AS_AT, limit=-1)


@pytest.mark.parametrize(("first", "second"), [("derbyshire-2021", "london"),
                                               ("derbyshire-2015", "west-yorkshire"),
                                               ("london@1", "derbyshire-2015")])
def test_comparison_counts_cover_everyone_and_a_page_logs_only_its_rows(mixed, first, second):
    user = mixed.users["police"]
    whole = compare_policies(user, first, second, AS_AT)
    outcomes = dict.fromkeys(["in_in", "in_out", "out_in", "out_out"], 0)
    for row in whole.rows:
        key = ("in" if row.first.included else "out") + "_" + (
            "in" if row.second.included else "out")
        outcomes[key] += 1
    assert whole.outcomes == outcomes
    assert whole.changed == sum(1 for r in whole.rows if r.changed)
    assert whole.total == len(whole.rows)
    before = _last_entry()
    page = compare_policies(user, first, second, AS_AT, limit=3, offset=2)
    assert page.rows == whole.rows[2:5]
    assert (page.total, page.outcomes, page.changed) == (whole.total, whole.outcomes,
                                                         whole.changed)
    assert _logged_since(before) == sorted(r.nominal_id for r in page.rows)
