"""Indexes for the register's text search: references, titles, summaries and subject names, by substring.

A substring search (``icontains``) cannot use an ordinary index, and at 100,000 matters scanning every title and
summary took most of a second. Each database gets its own trigram index, and the search keeps its meaning:

- PostgreSQL: ``pg_trgm`` GIN indexes on the very expressions Django's ``icontains`` and ``contains`` compare
  (``UPPER(col::text)``, ``search_name::text``). The search asks one column per select, UNIONed
  (``filters.search_cases``): costing an OR of four LIKEs, the planner preferred scanning the table.
- SQLite: two FTS5 tables with the trigram tokenizer (``cases_case_fts`` over reference, their reference, title
  and summary; ``cases_subject_fts`` over the folded subject name), kept by triggers — so rows written by any
  path, ``entraide generate`` included, are indexed. A full-text phrase on a trigram table is a substring match;
  it folds case for all of Unicode where SQLite's ``LIKE`` folds only ASCII (as PostgreSQL's ``UPPER`` does).
  Trigrams need three characters: shorter searches scan, as before.

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
SUBJECT_FTS = "cases_subject_fts"
CASE_COLUMNS = ("reference", "counterpart_reference", "title", "summary")
MIN_LENGTH = 3  # a trigram
MIGRATION = ("cases", "0002_text_search")

# (FTS table, the table it indexes, the columns)
_SQLITE = (
    (CASE_FTS, "cases_case", CASE_COLUMNS),
    (SUBJECT_FTS, "cases_subject", ("search_name",)),
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
