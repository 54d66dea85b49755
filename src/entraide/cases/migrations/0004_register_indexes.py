"""Indexes for the register at scale (see docs/performance.md).

Written as SQL that both databases accept rather than as ``AddIndex``, so that the model state is unchanged (the
indexes are not declared on ``Case.Meta``, which this change does not touch); ``ANALYZE`` gives the planners
their statistics at once.

- ``case_officer_created``: an officer's matters in the register's order (newest first) and their count, read
  from the index alone; the register filters on need-to-know with ``officer = me`` (``visible_cases(now=True)``).
- ``case_country_status``: the register filtered by country and status (and overdue, open, confidentiality,
  officer), counted from the index alone.
"""

from django.db import migrations

INDEXES = {
    "case_officer_created": "cases_case (officer_id, created_at, confidentiality)",
    "case_country_status": (
        "cases_case (counterpart_country_id, status, is_open, next_due_at, confidentiality, officer_id)"
    ),
}


class Migration(migrations.Migration):
    dependencies = [("cases", "0003_my_work_indexes")]

    operations = [
        *(
            migrations.RunSQL(
                f"CREATE INDEX IF NOT EXISTS {name} ON {target}",
                f"DROP INDEX IF EXISTS {name}",
                elidable=False,
            )
            for name, target in INDEXES.items()
        ),
        migrations.RunSQL("ANALYZE cases_case", migrations.RunSQL.noop),
    ]
