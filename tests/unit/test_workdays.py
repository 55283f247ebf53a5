"""Working days as Vietnam's offices count them: weekends, public holidays (Tết by the lunar calendar, with the
government's yearly swaps) and an office's own days off excluded.

The Tết dates are the government's decisions for civil servants: Giáp Thìn 2024 from Thursday 8 to Wednesday 14
February; Ất Tỵ 2025 from Saturday 25 January to Sunday 2 February; Bính Ngọ 2026 from Saturday 14 to Sunday 22
February. The `holidays` library lists only the weekdays of the 2025 and 2026 breaks (27-31 January, 16-20
February) and a Saturday here and there, which comes to the same working days.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from pipeline.workdays import WorkCalendar

TET = {
    2024: (date(2024, 2, 8), date(2024, 2, 14)),
    2025: (date(2025, 1, 25), date(2025, 2, 2)),
    2026: (date(2026, 2, 14), date(2026, 2, 22)),
}


def days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


@pytest.mark.parametrize("year", sorted(TET))
def test_tet_is_off_and_the_days_around_it_are_worked(year: int) -> None:
    calendar = WorkCalendar()
    first, last = TET[year]
    assert [day for day in days(first, last) if calendar.is_working_day(day)] == []
    assert calendar.is_working_day(first - timedelta(days=1))
    assert calendar.is_working_day(last + timedelta(days=1))


@pytest.mark.parametrize(
    ("received", "processing_days", "due"),
    [
        (datetime(2024, 2, 7, 10, 0), 1, datetime(2024, 2, 15, 10, 0)),  # the day before Tết 2024: after it
        (datetime(2025, 1, 24, 9, 0), 5, datetime(2025, 2, 7, 9, 0)),  # Friday before Tết 2025
        (datetime(2026, 2, 13, 14, 30), 3, datetime(2026, 2, 25, 14, 30)),  # Friday before Tết 2026
        (datetime(2026, 2, 14, 10, 0), 1, datetime(2026, 2, 24, 8, 0)),  # received during Tết: from the opening after
        (datetime(2025, 4, 25, 8, 0), 1, datetime(2025, 4, 26, 8, 0)),  # Saturday 26 April 2025 was worked
        (datetime(2025, 4, 29, 8, 0), 1, datetime(2025, 5, 5, 8, 0)),  # 30 April, 1 May, 2 May given off
        (datetime(2026, 4, 24, 8, 0), 1, datetime(2026, 4, 28, 8, 0)),  # Hùng Kings on Sunday 26: Monday 27 off
        (datetime(2026, 3, 2, 8, 0), 0, datetime(2026, 3, 2, 8, 0)),
    ],
)
def test_due_counts_working_days(received: datetime, processing_days: int, due: datetime) -> None:
    assert WorkCalendar().due(received, processing_days) == due


def test_swapped_days_off_and_the_saturdays_that_pay_them_back() -> None:
    calendar = WorkCalendar()
    assert not calendar.is_working_day(date(2024, 4, 29))  # Monday off before 30 April 2024 ...
    assert calendar.is_working_day(date(2024, 5, 4))  # ... worked back on Saturday 4 May
    assert not calendar.is_working_day(date(2025, 5, 2))
    assert calendar.is_working_day(date(2025, 4, 26))
    assert not calendar.is_working_day(date(2025, 9, 1))  # National Day 2025: Monday 1 and Tuesday 2 September


def test_an_offices_extra_days_off_are_skipped() -> None:
    extra = WorkCalendar([date(2026, 12, 24)])
    assert not extra.is_working_day(date(2026, 12, 24))
    assert extra.due(datetime(2026, 12, 23, 9, 0), 1) == datetime(2026, 12, 25, 9, 0)
    assert WorkCalendar().due(datetime(2026, 12, 23, 9, 0), 1) == datetime(2026, 12, 24, 9, 0)


def test_zero_days_from_a_day_off_is_the_next_working_day() -> None:
    assert WorkCalendar().add_working_days(date(2025, 1, 25), 0) == date(2025, 2, 3)
