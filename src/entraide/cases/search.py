"""Indexes for the register's text search: references, titles, summaries and subject names, by substring.

A substring search (``icontains``) cannot use an ordinary index, and at 100,000 matters scanning every title and
summary took most of a second. Each database gets its own trigram index, and the search keeps its meaning:

- PostgreSQL: ``pg_trgm`` GIN indexes on the very expressions Django's ``icontains`` and ``contains`` compare
  (``UPPER(col::text)``, ``search_name::text``). The search asks one column per select, UNIONed
  (``filters.search_cases``): costing an OR of four LIKEs, the planner preferred scanning the table.
- SQLite: one FTS5 table with the trigram tokenizer, ``cases_case_search_fts``, a row a matter (its rowid the
  matter's id): its reference, their reference, title and summary, and the folded names of all its subjects, one
  a line. Triggers on matters and subjects write a matter's row again whenever one of these changes — so rows
  written by any path, ``entraide generate`` included, are indexed. A search is one full-text query whose rowids
  are the matters found: through an index of subjects, a surname on 5,000 matters meant 5,000 look-ups from
  subject to matter, and two indexes (text, names) meant two lookups and a union, twice the time of one.
  A full-text phrase on a trigram table is a substring match; it folds case for all of Unicode where SQLite's
  ``LIKE`` folds only ASCII (as PostgreSQL's ``UPPER`` does). Trigrams need three characters: a search of one
  or two (Li, Wu, Ng) finds the subjects with a name part that is exactly it — each name is indexed with a space
  at both ends, so " li " is a phrase of four — instead of a substring of every text, which matched most of the
  register and scanned it (315 ms at 100,000 matters). PostgreSQL does the same with a trigram index on the
  name with its spaces.

Django rebuilds a SQLite table to alter it, which drops that table's triggers: ``install`` runs after every
``migrate`` (``post_migrate``) and rebuilds the index if a trigger had gone.

Every name in the SQL below is a constant of this module, never input.
"""

# ruff: noqa: S608
from __future__ import annotations

import logging
import re
from typing import Any

from django.db import transaction

log = logging.getLogger(__name__)

SEARCH_FTS = "cases_case_search_fts"
# Earlier layouts, dropped by ``install``: an external-content index of the matters' text, one of subjects' names
# by matter (until 2026-11-28), and one row a subject before that.
LEGACY_FTS = (
    ("cases_case_fts", "cases_case"),
    ("cases_case_names_fts", "cases_subject"),
    ("cases_subject_fts", "cases_subject"),
)
CASE_COLUMNS = ("reference", "counterpart_reference", "title", "summary")
NAMES_COLUMN = "names"
MIN_LENGTH = 3  # a trigram
MIGRATION = ("cases", "0002_text_search")


# Name parts are also cut at these (LI, Wei; Jean-Li; O'Li), for searches of one or two letters.
PART_SEPARATORS = ",-'.\u2019()/_"


def _name_line(column: str) -> str:
    """SQL (SQLite): one subject's line of the index: the folded name with a space at both ends, then, when it holds
    punctuation, the same with the punctuation as spaces on a line of its own (a substring search still meets the
    name as written; a search of one or two letters meets each part between spaces)."""
    parts = column
    for char in PART_SEPARATORS:
        parts = f"replace({parts}, '{char.replace(chr(39), chr(39) * 2)}', ' ')"
    return f"' ' || {column} || ' ' || CASE WHEN {parts} = {column} THEN '' ELSE char(10) || ' ' || {parts} || ' ' END"


def _row_of(case_id: str) -> str:
    """SQL: write matter ``case_id``'s row (an SQL expression) again: its text and its subjects' names."""
    cols = ", ".join(CASE_COLUMNS)
    return (
        f"DELETE FROM {SEARCH_FTS} WHERE rowid = {case_id}; "
        f"INSERT INTO {SEARCH_FTS}(rowid, {cols}, {NAMES_COLUMN}) SELECT c.id, "
        + ", ".join(f"c.{col}" for col in CASE_COLUMNS)
        + f", (SELECT group_concat({_name_line('s.search_name')}, char(10)) FROM cases_subject s "
        "WHERE s.case_id = c.id) "
        f"FROM cases_case c WHERE c.id = {case_id};"
    )


_TRIGGERS = {
    f"{SEARCH_FTS}_case_ai": f"AFTER INSERT ON cases_case BEGIN {_row_of('new.id')} END",
    f"{SEARCH_FTS}_case_ad": f"AFTER DELETE ON cases_case BEGIN DELETE FROM {SEARCH_FTS} WHERE rowid = old.id; END",
    f"{SEARCH_FTS}_case_au": (f"AFTER UPDATE OF {', '.join(CASE_COLUMNS)} ON cases_case BEGIN {_row_of('new.id')} END"),
    f"{SEARCH_FTS}_subject_ai": f"AFTER INSERT ON cases_subject BEGIN {_row_of('new.case_id')} END",
    f"{SEARCH_FTS}_subject_ad": f"AFTER DELETE ON cases_subject BEGIN {_row_of('old.case_id')} END",
    f"{SEARCH_FTS}_subject_au": (
        f"AFTER UPDATE OF search_name, case_id ON cases_subject BEGIN {_row_of('old.case_id')} "
        f"{_row_of('new.case_id')} END"
    ),
}
_REBUILD = (
    f"INSERT INTO {SEARCH_FTS}(rowid, {', '.join(CASE_COLUMNS)}, {NAMES_COLUMN}) SELECT c.id, "
    + ", ".join(f"c.{col}" for col in CASE_COLUMNS)
    + ", n.names FROM cases_case c LEFT JOIN (SELECT case_id, "
    f"group_concat({_name_line('search_name')}, char(10)) AS names FROM cases_subject GROUP BY case_id) n "
    "ON n.case_id = c.id"
)
# PostgreSQL: each subject's name with its punctuation as spaces and a space at both ends (``PART_SEPARATORS``).
_NAME_PARTS_PG = (
    "' ' || translate(search_name, '"
    + PART_SEPARATORS.replace("'", "''")
    + "', '"
    + " " * len(PART_SEPARATORS)
    + "') || ' '"
)
_POSTGRES_INDEXES = {
    "cases_case_reference_trgm": "cases_case USING gin ((UPPER(reference::text)) gin_trgm_ops)",
    "cases_case_their_ref_trgm": "cases_case USING gin ((UPPER(counterpart_reference::text)) gin_trgm_ops)",
    "cases_case_title_trgm": "cases_case USING gin ((UPPER(title::text)) gin_trgm_ops)",
    "cases_case_summary_trgm": "cases_case USING gin ((UPPER(summary::text)) gin_trgm_ops)",
    "cases_subject_search_name_trgm": "cases_subject USING gin ((search_name::text) gin_trgm_ops)",
    # Whole name parts, for searches too short for a trigram of their own (``short_name_pattern``).
    "cases_subject_name_parts_trgm": f"cases_subject USING gin (({_NAME_PARTS_PG}) gin_trgm_ops)",
}
# The subjects whose name has a part that is exactly the (folded) search (PostgreSQL; the index above serves it).
SHORT_NAME_SQL = f"SELECT case_id FROM cases_subject WHERE ({_NAME_PARTS_PG}) LIKE %s"


def install(connection: Any) -> None:
    """Create what is missing (idempotent)."""
    if connection.vendor == "sqlite":
        _install_sqlite(connection)
    elif connection.vendor == "postgresql":
        _install_postgresql(connection)


def uninstall(connection: Any) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in _TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
            cursor.execute(f"DROP TABLE IF EXISTS {SEARCH_FTS}")
            _drop_legacy(cursor)
        elif connection.vendor == "postgresql":
            for name in _POSTGRES_INDEXES:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")


def _install_sqlite(connection: Any) -> None:
    with connection.cursor() as cursor:
        _drop_legacy(cursor)
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('cases_case', 'cases_subject')"
        )
        present = dict(cursor.fetchall())
        if all(body in (present.get(name) or "") for name, body in _TRIGGERS.items()):
            return
        # A trigger is missing, or was written by an earlier version (its row had another layout).
        for name in _TRIGGERS:
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_FTS} USING fts5({', '.join(CASE_COLUMNS)}, "
            f"{NAMES_COLUMN}, tokenize='trigram')"
        )
        for name, body in _TRIGGERS.items():
            cursor.execute(f"CREATE TRIGGER IF NOT EXISTS {name} {body}")
        # Rows written while a trigger was missing are indexed again.
        cursor.execute(f"DELETE FROM {SEARCH_FTS}")
        cursor.execute(_REBUILD)
    optimize(connection)


def optimize(connection: Any) -> bool:
    """Merge the SQLite full-text index's segments into one (FTS5 ``optimize``). Every write through the triggers
    adds a small segment, which FTS5 merges only partly as it goes; a search then reads each trigram's postings
    from many segments. At 100,000 matters, after a bulk load, merging took 4 s and halved the searches' time
    (a surname on 5,000 matters 5.9 -> 3.0 ms). Run after a bulk load (``entraide generate``), after a rebuild,
    and every night by the worker (``cases.tasks``). PostgreSQL's trigram indexes need nothing: False."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [SEARCH_FTS])
        if cursor.fetchone() is None:
            return False
        cursor.execute(f"INSERT INTO {SEARCH_FTS}({SEARCH_FTS}) VALUES ('optimize')")
    return True


def _drop_legacy(cursor: Any) -> None:
    for fts, table in LEGACY_FTS:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s AND name LIKE %s",
            [table, f"{fts}_%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        cursor.execute(f"DROP TABLE IF EXISTS {fts}")


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


def sqlite_query(text: str, folded: str) -> str | None:
    """The FTS5 query for ``text``: a substring of the matters' text, or of their subjects' folded names; None if
    too short for a trigram. The trigram index ignores case for all of Unicode, so when folding changes nothing
    but case (most searches), one phrase over every column does; else the names are asked for the folded text."""
    phrase, folded_phrase = sqlite_phrase(text), sqlite_phrase(folded)
    if phrase is None or folded_phrase is None:
        return None
    if text.casefold() == folded.casefold():
        return phrase
    return f"{{{' '.join(CASE_COLUMNS)}}} : {phrase} OR {NAMES_COLUMN} : {folded_phrase}"


# Scripts written without spaces between words (Chinese, Japanese and Korean names; Thai, Lao, Khmer, Myanmar): one
# or two of their characters are a piece of a name, not a name part, and are searched as a substring (a scan).
_UNSPACED = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003ffff]"
)


def by_name_part(folded: str) -> bool:
    """Whether a (folded) search looks for a whole name part: one or two characters, of a script written with
    spaces between words (Li, Wu, Ng, علي is three). 李 or 李伟 stay a substring of the names and texts."""
    return len(folded) < MIN_LENGTH and _UNSPACED.search(folded) is None


def sqlite_short_query(folded: str) -> str:
    """The FTS5 query for a search too short for a trigram (one or two characters, Li, Wu, Ng): subjects with a
    name part that is exactly it. Each name is written with a space at both ends, so the part with its spaces is
    a phrase of three or four characters. A substring that short would match most of the register."""
    return f'{NAMES_COLUMN} : "{" " + folded.replace(chr(34), chr(34) * 2) + " "}"'


def short_name_pattern(folded: str) -> str:
    """The ``LIKE`` pattern of ``SHORT_NAME_SQL`` for a name part that is exactly ``folded``."""
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"% {escaped} %"


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
