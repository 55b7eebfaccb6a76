"""Windows at liberty around a selection date, worked by hand (docs/reporting.md)."""

from __future__ import annotations

from datetime import date, timedelta

from iom.reporting.measures.windows import person_windows
from iom.scoring.tests.factories import custody

INDEX = date(2025, 1, 1)
REPORT = date(2026, 6, 30)


def test_no_custody_gives_plain_windows():
    w = person_windows((), INDEX, REPORT, 365)
    assert w.before_start == INDEX - timedelta(days=365)
    assert w.after_end == INDEX + timedelta(days=365)
    assert (w.before_custody_days, w.after_custody_days, w.after_liberty_days) == (0, 0, 365)
    assert w.full_after


def test_custody_before_selection_lengthens_the_before_window():
    # In custody 1 Oct to 30 Nov 2024 (released 1 Dec): 61 days, so the window
    # starts 365 + 61 days before the selection date.
    w = person_windows((custody(1, date(2024, 10, 1), date(2024, 12, 1)),), INDEX, REPORT, 365)
    assert w.before_custody_days == 61
    assert w.before_start == INDEX - timedelta(days=426)


def test_custody_after_selection_lengthens_the_after_window():
    # 10 days after selection the person is remanded for 100 days (11 Jan to 20 Apr 2025).
    spell = custody(1, date(2025, 1, 11), date(2025, 4, 21))
    w = person_windows((spell,), INDEX, REPORT, 365)
    assert w.after_custody_days == 100
    assert w.after_end == INDEX + timedelta(days=465)
    assert w.full_after and w.after_liberty_days == 365


def test_a_spell_across_the_selection_date_is_split():
    # 22 Dec to 10 Jan: 22 Dec to 1 Jan (the selection day) before, 2 to 10 Jan after.
    spell = custody(1, date(2024, 12, 22), date(2025, 1, 11))
    w = person_windows((spell,), INDEX, REPORT, 365)
    assert (w.before_custody_days, w.after_custody_days) == (11, 9)


def test_someone_still_in_custody_has_less_than_the_full_window():
    spell = custody(1, date(2025, 3, 1), None)
    w = person_windows((spell,), INDEX, REPORT, 365)
    assert not w.full_after
    assert w.after_liberty_days == 58  # at liberty 2 Jan to 28 Feb 2025, in custody from 1 March


def test_a_recent_selection_has_less_than_the_full_window():
    w = person_windows((), date(2026, 3, 1), REPORT, 365)
    assert not w.full_after and w.after_liberty_days == 121


def test_custody_long_before_the_window_does_not_count():
    spell = custody(1, date(2020, 1, 1), date(2021, 1, 1))
    w = person_windows((spell,), INDEX, REPORT, 365)
    assert w.before_custody_days == 0
