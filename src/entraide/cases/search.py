"""Indexes for the register's text search: references, titles, summaries and subject names, by substring.

A substring search (``icontains``) cannot use an ordinary index, and at 100,000 matters scanning every title and
summary took most of a second. Each database gets its own trigram index, and the search keeps its meaning:

- PostgreSQL: ``pg_trgm`` GIN indexes on the very expressions Django's ``icontains`` and ``contains`` compare
  (``UPPER(col::text)``, ``search_name::text``). The search asks one column per select, UNIONed
  (``filters.search_cases``): costing an OR of four LIKEs, the planner preferred scanning the table.
- SQLite: two FTS5 tables with the trigram tokenizer, kept by triggers — so rows written by any path,
  ``entraide generate`` included, are indexed:
  ``cases_case_fts`` over each matter's reference, their reference, title and summary (external content: the
  matters' own table), and ``cases_case_names_fts``, one row a matter (its rowid the matter's id) holding the folded
  names of all its subjects, one a line. The search for a name thus finds matters directly: through an index of
  subjects, a surname on 5,000 matters meant 5,000 look-ups from subject to matter, two to three times the time
  of the full-text search itself. A subject's insert, change or deletion rewrites its matter's row.
  A full-text phrase on a trigram table is a substring match; it folds case for all of Unicode where SQLite's
  ``LIKE`` folds only ASCII (as PostgreSQL's ``UPPER`` does). Trigrams need three characters: shorter searches
  scan, as before.

Django rebuilds a SQLite table to alter it, which drops that table's triggers: ``install`` runs after every
``migrate`` (``post_migrate``) and rebuilds the index if a trigger had gone.

Every name in the SQL below is a constant of this module, never input.
"""

# ruff: noqa: S608
from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

CASE_FTS = "cases_case_fts"
NAMES_FTS = "cases_case_names_fts"
LEGACY_SUBJECT_FTS = "cases_subject_fts"  # one row a subject, until 2026-11; dropped by ``install``
CASE_COLUMNS = ("reference", "counterpart_reference", "title", "summary")
MIN_LENGTH = 3  # a trigram
MIGRATION = ("cases", "0002_text_search")

# (FTS table, the table it indexes, the columns)
_SQLITE = ((CASE_FTS, "cases_case", CASE_COLUMNS),)


def _names_of(case_id: str) -> str:
    """SQL: write the names row of matter ``case_id`` (an SQL expression) again, or leave none if it has no subject."""
    return (
        f"DELETE FROM {NAMES_FTS} WHERE rowid = {case_id}; "
        f"INSERT INTO {NAMES_FTS}(rowid, names) SELECT {case_id}, group_concat(search_name, char(10)) "
        f"FROM cases_subject WHERE case_id = {case_id} GROUP BY case_id;"
    )


_NAMES_TRIGGERS = {
    f"{NAMES_FTS}_ai": f"AFTER INSERT ON cases_subject BEGIN {_names_of('new.case_id')} END",
    f"{NAMES_FTS}_ad": f"AFTER DELETE ON cases_subject BEGIN {_names_of('old.case_id')} END",
    f"{NAMES_FTS}_au": (
        f"AFTER UPDATE OF search_name, case_id ON cases_subject BEGIN {_names_of('old.case_id')} "
        f"{_names_of('new.case_id')} END"
    ),
}
_NAMES_REBUILD = (
    f"INSERT INTO {NAMES_FTS}(rowid, names) SELECT case_id, group_concat(search_name, char(10)) "
    "FROM cases_subject GROUP BY case_id"
)
_POSTGRES_INDEXES = {
    "cases_case_reference_trgm": "cases_case USING gin ((UPPER(reference::text)) gin_trgm_ops)",
    "cases_case_their_ref_trgm": "cases_case USING gin ((UPPER(counterpart_reference::text)) gin_trgm_ops)",
    "cases_case_title_trgm": "cases_case USING gin ((UPPER(title::text)) gin_trgm_ops)",
    "cases_case_summary_trgm": "cases_case USING gin ((UPPER(summary::text)) gin_trgm_ops)",
    "cases_subject_search_name_trgm": "cases_subject USING gin ((search_name::text) gin_trgm_ops)",
}


def _sqlite_triggers(fts: str, table: str, columns: tuple[str, ...]) -> dict[str, str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return {
        f"{fts}_ai": f"AFTER INSERT ON {table} BEGIN {insert} END",
        f"{fts}_ad": f"AFTER DELETE ON {table} BEGIN {delete} END",
        f"{fts}_au": f"AFTER UPDATE OF {cols} ON {table} BEGIN {delete} {insert} END",
    }


def install(connection: Any) -> None:
    """Create what is missing (idempotent)."""
    if connection.vendor == "sqlite":
        _install_sqlite(connection)
    elif connection.vendor == "postgresql":
        _install_postgresql(connection)


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for fts, table, columns in _SQLITE:
                for name in _sqlite_triggers(fts, table, columns):
                    cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
                cursor.execute(f"DROP TABLE IF EXISTS {fts}")
            for name in _NAMES_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {NAMES_FTS}")
            _drop_legacy(cursor)
        elif connection.vendor == "postgresql":
            for name in _POSTGRES_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")


def _install_sqlite(connection: Any) -> None:
    with connection.cursor() as cursor:
        for fts, table, columns in _SQLITE:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [table])
            present = {row[0] for row in cursor.fetchall()}
            triggers = _sqlite_triggers(fts, table, columns)
            if set(triggers) <= present:
                continue
            cursor.execute(
                f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({', '.join(columns)}, "
                f"content='{table}', content_rowid='id', tokenize='trigram')"
            )
            for name, body in triggers.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            # Rows written while a trigger was missing are indexed again.
            cursor.execute(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        _drop_legacy(cursor)
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'cases_subject'")
        if not set(_NAMES_TRIGGERS) <= {row[0] for row in cursor.fetchall()}:
            cursor.execute(f"CREATE VIRTUAL TABLE IF NOT EXISTS {NAMES_FTS} USING fts5(names, tokenize='trigram')")
            for name, body in _NAMES_TRIGGERS.items():
                cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
            cursor.execute(f"DELETE FROM {NAMES_FTS}")
            cursor.execute(_NAMES_REBUILD)


def _drop_legacy(cursor: Any) -> None:
    for name in _sqlite_triggers(LEGACY_SUBJECT_FTS, "cases_subject", ("search_name",)):
        cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
    cursor.execute(f"DROP TABLE IF EXISTS {LEGACY_SUBJECT_FTS}")


def _install_postgresql(connection: Any) -> None:
    with connection.cursor() as cursor:
        try:
            # pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it.
            with transaction.atomic(using=connection.alias):
                cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        except Exception as exc:  # noqa: BLE001 - the search works without the indexes, only slower
            log.warning("pg_trgm is not available (%s): the register's text search will not be indexed.", exc)
            return
        for name, target in _POSTGRES_INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {target}")


def sqlite_phrase(text: str) -> str | None:
    """``text`` as an FTS5 phrase (a substring on a trigram table), or None if too short for a trigram."""
    if len(text) < MIN_LENGTH:
        return None
    return '"' + text.replace('"', '""') + '"'


def after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    from django.db import connections
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor == "sqlite" and MIGRATION in MigrationRecorder(connection).applied_migrations():
        install(connection)
