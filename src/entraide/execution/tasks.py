"""Background work of execution, every morning: remind executing authorities of late tasks and escalate; file the
scheduled status letters."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from entraide.execution.actions import send_reminders, send_scheduled_status_letters

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_late_tasks() -> dict[str, int]:
    done = send_reminders()
    log.info("execution reminders: %s", done)
    return done


@db_periodic_task(crontab(hour="7", minute="15"))
def file_scheduled_status_letters() -> int:
    filed = send_scheduled_status_letters()
    log.info("execution status letters filed: %s", filed)
    return filed
