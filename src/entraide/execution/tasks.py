"""Background work of execution: every morning, remind executing authorities of late tasks and escalate."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from entraide.execution.actions import send_reminders

log = logging.getLogger(__name__)


@db_periodic_task(crontab(hour="7", minute="0"))
def remind_late_tasks() -> dict[str, int]:
    done = send_reminders()
    log.info("execution reminders: %s", done)
    return done
