"""Background work of the security app (``entraide worker``): daily housekeeping and the retention reminder."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from entraide.security.lockout import purge_old
from entraide.security.retention import remind_heads_of_due_purges


@db_periodic_task(crontab(hour="3", minute="20"))
def security_forget_old_login_failures() -> int:
    return purge_old()


@db_periodic_task(crontab(day_of_week="1", hour="6", minute="30"))
def security_retention_reminder() -> int:
    return remind_heads_of_due_purges()
