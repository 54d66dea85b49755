"""Throttling and lockout against password guessing, counted in the database (shared by every server process).

A user name is locked after ``ENTRAIDE_LOGIN_MAX_FAILURES`` failures within ``ENTRAIDE_LOGIN_LOCKOUT_MINUTES``;
an address after ``ENTRAIDE_LOGIN_MAX_FAILURES_PER_ADDRESS`` failures, whatever names it tries. The lock lifts
by itself when the failures age out of the window; a successful sign-in clears the user name's failures.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from entraide.security import conf
from entraide.security.models import LoginFailure


def _window_start() -> datetime:
    return timezone.now() - timedelta(minutes=conf.lockout_minutes())


def locked_minutes(username: str, address: str = "") -> int:
    """0 when sign-in may be tried, else the minutes until it may (at least 1)."""
    since = _window_start()
    by_name = LoginFailure.objects.filter(username__iexact=username or "", at__gte=since)
    limit = conf.login_failures_before_lockout()
    candidates = []
    if username and by_name.count() >= limit:
        candidates.append(by_name.order_by("-at").values_list("at", flat=True)[limit - 1])
    if address:
        by_address = LoginFailure.objects.filter(address=address, at__gte=since)
        address_limit = conf.address_failures_per_window()
        if by_address.count() >= address_limit:
            candidates.append(by_address.order_by("-at").values_list("at", flat=True)[address_limit - 1])
    if not candidates:
        return 0
    lifts_at = max(candidates) + timedelta(minutes=conf.lockout_minutes())
    return max(1, int((lifts_at - timezone.now()).total_seconds() // 60) + 1)


def record_failure(username: str, address: str) -> None:
    LoginFailure.objects.create(username=(username or "")[:150], address=address[:64])


def clear(username: str) -> None:
    LoginFailure.objects.filter(username__iexact=username).delete()


def purge_old() -> int:
    deleted, _ = LoginFailure.objects.filter(at__lt=timezone.now() - timedelta(days=1)).delete()
    return deleted
