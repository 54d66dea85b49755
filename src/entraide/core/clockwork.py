"""The clock engine: when a statutory period that starts at a given moment ends.

Pure functions of their arguments (the closure days an administrator records are passed in), so they can be
tested with generated data. Periods in days or months are counted on the local calendar of the time zone given
(the day of the starting event is not counted) and end at the last second of their last day, local time, which
keeps them right across daylight-saving changes; periods in hours run on absolute time. Working days skip the
weekend of the country (Friday and Saturday in some, Saturday and Sunday in most), its public holidays (the
``holidays`` library) and the closure days an administrator records.
"""

from __future__ import annotations

import calendar
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from math import ceil

import holidays

END_OF_DAY = time(23, 59, 59)
DEFAULT_WEEKEND = frozenset({5, 6})


@lru_cache(maxsize=64)
def _calendar(country: str) -> holidays.HolidayBase | None:
    try:
        return holidays.country_holidays(country)
    except NotImplementedError:  # a country the library does not know: weekends only
        return None


def weekend(country: str) -> frozenset[int]:
    cal = _calendar(country)
    return frozenset(getattr(cal, "weekend", DEFAULT_WEEKEND)) if cal is not None else DEFAULT_WEEKEND


def is_public_holiday(day: date, country: str) -> bool:
    cal = _calendar(country)
    return cal is not None and day in cal


def is_working_day(day: date, country: str, closures: Collection[date] = ()) -> bool:
    return day.weekday() not in weekend(country) and not is_public_holiday(day, country) and day not in closures


def add_working_days(start: date, days: int, country: str, closures: Collection[date] = ()) -> date:
    """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current, country, closures):
            remaining -= 1
    return current


def add_months(start: date, months: int) -> date:
    """The same day ``months`` later, or the last day of a shorter month (31 January + 1 month: 28 or 29 February)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def local_day(moment: datetime, zone: tzinfo) -> date:
    return moment.astimezone(zone).date()


def at_local(day: date, moment: time, zone: tzinfo) -> datetime:
    """``day`` at the wall-clock time ``moment`` in ``zone`` (a time skipped by a DST change resolves forward)."""
    aware = datetime.combine(day, moment, tzinfo=zone)
    # A wall time inside a spring-forward gap does not exist: the round trip through UTC moves it forward.
    return aware.astimezone(UTC).astimezone(zone)


def end_of_day(day: date, zone: tzinfo) -> datetime:
    return at_local(day, END_OF_DAY, zone)


def period_end_day(
    start_day: date, amount: int, unit: str, day_count: str, country: str, closures: Collection[date] = ()
) -> date:
    if unit == "months":
        end = add_months(start_day, amount)
        if day_count == "working":
            # A month that ends on a day the offices are closed runs to the next working day.
            while not is_working_day(end, country, closures):
                end += timedelta(days=1)
        return end
    if day_count == "working":
        return add_working_days(start_day, amount, country, closures)
    return start_day + timedelta(days=amount)


def due_at(
    start: datetime,
    amount: int,
    unit: str,
    day_count: str,
    *,
    country: str,
    zone: tzinfo,
    closures: Collection[date] = (),
) -> datetime:
    """When a period of ``amount`` ``unit`` that starts at ``start`` (aware) ends."""
    if start.tzinfo is None:
        raise ValueError("start must be an aware datetime")
    if amount < 0:
        raise ValueError("amount must not be negative")
    if unit == "hours":
        return start + timedelta(hours=amount)
    end = period_end_day(local_day(start, zone), amount, unit, day_count, country, closures)
    return end_of_day(end, zone)


def days_left(due: datetime, now: datetime, zone: tzinfo) -> int:
    """Calendar days from today to the due day, local time: 0 on the last day, negative once overdue."""
    if due < now:
        return -max(1, (local_day(now, zone) - local_day(due, zone)).days)
    return (local_day(due, zone) - local_day(now, zone)).days


def hours_left(due: datetime, now: datetime) -> int:
    return ceil((due - now).total_seconds() / 3600)
