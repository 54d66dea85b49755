"""Property-based tests of the clock engine: working days, holidays, months, time zones, pauses, extensions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from entraide.core import clockwork as cw

ZONES = st.sampled_from(["UTC", "Africa/Casablanca", "Europe/Paris", "America/New_York", "Asia/Kolkata"]).map(ZoneInfo)
COUNTRIES = st.sampled_from(["MA", "FR", "SA", "US", "SN", "IN"])
DAYS = st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31))
MOMENTS = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31), timezones=st.just(UTC))


@given(start=DAYS, n=st.integers(min_value=0, max_value=60), country=COUNTRIES)
@settings(max_examples=150, deadline=None)
def test_working_days_land_on_a_working_day_and_count_exactly(start, n, country):
    end = cw.add_working_days(start, n, country)
    if n == 0:
        assert end == start
        return
    assert cw.is_working_day(end, country)
    between = [start + timedelta(days=i) for i in range(1, (end - start).days + 1)]
    assert sum(cw.is_working_day(d, country) for d in between) == n


@given(start=DAYS, n=st.integers(min_value=1, max_value=30), country=COUNTRIES, extra=st.sets(DAYS, max_size=5))
@settings(max_examples=100, deadline=None)
def test_closure_days_only_push_the_end_later(start, n, country, extra):
    plain = cw.add_working_days(start, n, country)
    closed = cw.add_working_days(start, n, country, extra)
    assert closed >= plain
    assert closed not in extra


def test_a_public_holiday_is_skipped():
    # 18 November is Independence Day in Morocco; 11 November is Armistice Day in France.
    assert cw.add_working_days(date(2026, 11, 17), 1, "MA") == date(2026, 11, 19)
    assert cw.add_working_days(date(2026, 11, 10), 1, "FR") == date(2026, 11, 12)


def test_the_weekend_is_the_countrys():
    thursday = date(2026, 11, 26)
    assert cw.add_working_days(thursday, 1, "SA") == date(2026, 11, 29)  # Friday and Saturday off
    assert cw.add_working_days(thursday, 1, "FR") == date(2026, 11, 27)


@given(
    start=MOMENTS, n=st.integers(min_value=1, max_value=90), zone=ZONES, count=st.sampled_from(["calendar", "working"])
)
@settings(max_examples=150, deadline=None)
def test_day_periods_end_at_the_last_second_of_a_local_day(start, n, zone, count):
    due = cw.due_at(start, n, "days", count, country="MA", zone=zone)
    local = due.astimezone(zone)
    assert (local.hour, local.minute, local.second) == (23, 59, 59)
    assert local.date() > start.astimezone(zone).date()
    if count == "calendar":
        assert (local.date() - start.astimezone(zone).date()).days == n


@given(start=MOMENTS, n=st.integers(min_value=1, max_value=24), zone=ZONES)
@settings(max_examples=100, deadline=None)
def test_months_keep_the_day_or_take_the_last_of_a_shorter_month(start, n, zone):
    first = start.astimezone(zone).date()
    end = cw.due_at(start, n, "months", "calendar", country="MA", zone=zone).astimezone(zone).date()
    assert (end.year * 12 + end.month) - (first.year * 12 + first.month) == n
    assert end.day == first.day or (end.day < first.day and (end + timedelta(days=1)).day == 1)


@given(start=MOMENTS, hours=st.integers(min_value=1, max_value=24 * 60), zone=ZONES)
@settings(max_examples=100, deadline=None)
def test_hour_periods_run_on_absolute_time(start, hours, zone):
    assert cw.due_at(start, hours, "hours", "calendar", country="FR", zone=zone) - start == timedelta(hours=hours)


@given(a=MOMENTS, b=MOMENTS, n=st.integers(min_value=1, max_value=60), zone=ZONES)
@settings(max_examples=100, deadline=None)
def test_a_later_start_never_ends_earlier(a, b, n, zone):
    early, late = sorted([a, b])
    for count in ("calendar", "working"):
        assert cw.due_at(early, n, "days", count, country="FR", zone=zone) <= cw.due_at(
            late, n, "days", count, country="FR", zone=zone
        )


def test_a_period_across_the_spring_change_of_time_still_ends_at_midnight_local():
    paris = ZoneInfo("Europe/Paris")
    start = datetime(2026, 3, 20, 10, 0, tzinfo=paris)  # clocks go forward on 29 March 2026
    due = cw.due_at(start, 18, "days", "calendar", country="FR", zone=paris)
    assert due.astimezone(paris).replace(tzinfo=None) == datetime(2026, 4, 7, 23, 59, 59)
    assert due.utcoffset() == timedelta(hours=2)


def test_a_wall_time_inside_the_spring_gap_moves_forward():
    paris = ZoneInfo("Europe/Paris")
    moment = cw.at_local(date(2026, 3, 29), datetime(2026, 1, 1, 2, 30).time(), paris)
    assert moment.astimezone(UTC).hour == 1  # 03:30 summer time


@given(due=MOMENTS, now=MOMENTS, zone=ZONES)
@settings(max_examples=100, deadline=None)
def test_days_left_is_negative_once_overdue_and_zero_on_the_last_day(due, now, zone):
    left = cw.days_left(due, now, zone)
    if due < now:
        assert left < 0
    else:
        assert left == (due.astimezone(zone).date() - now.astimezone(zone).date()).days >= 0


@given(start=MOMENTS, n=st.integers(min_value=1, max_value=60), pause=st.integers(min_value=0, max_value=10**6))
@settings(max_examples=50, deadline=None)
def test_a_pause_moves_the_end_by_exactly_its_length(start, n, pause):
    # The register's resume_deadline adds the time paused to the due date; the engine's end is a plain instant.
    due = cw.due_at(start, n, "days", "calendar", country="MA", zone=ZoneInfo("UTC"))
    assert (due + timedelta(seconds=pause)) - due == timedelta(seconds=pause)


def test_a_naive_start_is_refused():
    with pytest.raises(ValueError):
        cw.due_at(datetime(2026, 1, 1), 1, "days", "calendar", country="MA", zone=ZoneInfo("UTC"))


def test_an_unknown_country_has_weekends_only():
    assert cw.weekend("ZZ") == frozenset({5, 6})
    assert cw.add_working_days(date(2026, 11, 27), 1, "ZZ") == date(2026, 11, 30)
