"""Background work of extradition (``entraide worker``): clock alerts every quarter of an hour, the daily digest."""

from __future__ import annotations

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from entraide.extradition.alerts import send_clock_alerts, send_daily_digest

DIGEST_HOUR = str(getattr(settings, "ENTRAIDE_EXTRADITION_DIGEST_HOUR", 7))


@db_periodic_task(crontab(minute="*/15"))
def extradition_clock_alerts() -> int:
    return send_clock_alerts()


@db_periodic_task(crontab(hour=DIGEST_HOUR, minute="5"))
def extradition_daily_digest() -> int:
    return send_daily_digest()
