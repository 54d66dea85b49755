"""Background work of the register (``entraide worker``): the search index's nightly upkeep."""

from __future__ import annotations

from django.db import connection
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from entraide.cases.search import optimize


@db_periodic_task(crontab(hour="3", minute="40"))
def cases_optimize_search_index() -> bool:
    """Merge the day's small segments of the SQLite full-text index (a few seconds at 100,000 matters)."""
    return optimize(connection)
