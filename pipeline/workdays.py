"""Working days ("ngày làm việc") as Vietnam's offices count them, for dossier deadlines.

Saturdays, Sundays and public holidays do not count. The holidays, Tết by the lunar calendar
included, come from the `holidays` library's Vietnam calendar, which also carries the government's
yearly swaps: a Monday given off before 30 April is paid back by working a Saturday, and that
Saturday counts as a working day here (`weekend_workdays`). An office's own days off are added on top.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

import holidays

OPENING = time(8, 0)  # a dossier received on a day off counts from the next working day's opening


class WorkCalendar:
    """Which days are working days, and the deadline a number of working days gives."""

    def __init__(self, extra_days_off: Iterable[date] = ()) -> None:
        self._holidays = holidays.country_holidays("VN")  # years are filled in as they are asked about
        self._extra = frozenset(extra_days_off)

    def is_working_day(self, day: date) -> bool:
        return day not in self._extra and self._holidays.is_working_day(day)

    def add_working_days(self, start: date, days: int) -> date:
        """The day `days` working days after `start` (`start` itself when `days` is 0 and it is a working day)."""
        day = start
        for _ in range(days):
            day = self._next_working_day(day)
        return day if days or self.is_working_day(day) else self._next_working_day(day)

    def due(self, received: datetime, days: int) -> datetime:
        """When a dossier received at `received` with `days` working days to resolve is due: the same time of
        day, `days` working days later (received on a day off: from the next working day's opening)."""
        if not self.is_working_day(received.date()):
            received = datetime.combine(self._next_working_day(received.date()), OPENING, received.tzinfo)
        return datetime.combine(self.add_working_days(received.date(), days), received.timetz())

    def _next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day
