"""Queries of a fixed shape, compiled once per process and database, then run with new values.

Building and compiling a query with the ORM costs far more than SQLite takes to run it: a matter's row with seven
counts as subqueries took about 9 ms of Python to build and compile, and 0.1 ms to run. A page that runs such a
query on every request (the case page's panels) prepares it once: ``prepared(key, build)`` calls ``build(SLOT)``,
compiles the query, remembers its SQL and where the value ``SLOT`` went among its parameters, and each later
call runs that SQL with the value asked for, its rows converted by the same converters the ORM would apply.

Only the value passed in changes between calls: ``build`` must not read the clock, the user or anything else
that varies (those would be frozen into the first compilation). The cache is per database alias and vendor.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connections
from django.db.models import QuerySet

SLOT = -7_654_321_987  # stands for the value in the compiled parameters; never a real id


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    positions: tuple[int, ...]
    names: tuple[str, ...]
    compiler: Any
    converters: Any


_cache: dict[tuple[str, str, str], _Compiled] = {}


def _compile(queryset: QuerySet[Any]) -> _Compiled:
    query = queryset.query
    compiler = query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()
    positions = tuple(i for i, value in enumerate(params) if value == SLOT)
    if not positions:
        raise ValueError("The prepared query does not use its value (SLOT).")
    # As ``QuerySet.values()`` names the columns (``ValuesIterable``).
    selected = getattr(query, "selected", None)
    names = tuple(selected) if selected else (*query.extra_select, *query.values_select, *query.annotation_select)
    fields = [selected[0] for selected in compiler.select[: compiler.col_count]]
    return _Compiled(sql, tuple(params), positions, tuple(names), compiler, compiler.get_converters(fields))


def prepared(
    key: str, build: Callable[[Any], QuerySet[Any]], value: Any, *, using: str = "default"
) -> list[dict[str, Any]]:
    """The rows of ``build(value)`` as dicts (``build`` returns a ``.values(...)`` queryset), compiled once."""
    connection = connections[using]
    cache_key = (key, using, connection.vendor)
    compiled = _cache.get(cache_key)
    if compiled is None:
        compiled = _cache[cache_key] = _compile(build(SLOT))
    params = list(compiled.params)
    for position in compiled.positions:
        params[position] = value
    with connection.cursor() as cursor:
        cursor.execute(compiled.sql, params)
        rows: Any = cursor.fetchall()
    if compiled.converters:
        rows = compiled.compiler.apply_converters(rows, compiled.converters)
    return [dict(zip(compiled.names, row, strict=True)) for row in rows]
