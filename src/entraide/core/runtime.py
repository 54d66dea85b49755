"""The garbage collector's policy for a long-running Entraide process.

CPython's cyclic collector, left at its defaults (700, 10, 10), runs a *full* collection every few requests of a
busy worker: it walks every object the process holds — Django, the apps, the matching engine's caches of names —
about 250,000 of them, which takes 150 to 250 ms on a 2-core machine. The request that happens to trigger it waits.
Deconflicting a matter allocates many short-lived objects (1,000 candidates' data and records), so one run in ten
paid for a full collection: p50 90 ms, p95 270 ms at 1,000,000 indexed subjects (docs/matching.md).

Two standard measures, as large Python services take them:

- ``tune()`` (at start, ``CoreConfig.ready``): the first generation is collected every ``ENTRAIDE_GC_THRESHOLD``
  allocations (default 50,000 instead of 700), so that a request's temporary objects are freed by reference
  counting before a collection can promote them, and full collections become rare. Memory held by cyclic garbage
  between collections stays within a few megabytes.
- ``settle()`` (once the application is loaded, ``wsgi.py`` / ``asgi.py``): the objects of the start — modules,
  classes, URL patterns, translations — are moved to the permanent generation (``gc.freeze``), so a full
  collection no longer walks them; under a forking server the workers also share those pages longer.
"""

from __future__ import annotations

import gc

from entraide.core.env import ConfigurationError, envlist

DEFAULT_THRESHOLD = (50_000, 20, 10)


def threshold_from_env() -> tuple[int, ...]:
    """``ENTRAIDE_GC_THRESHOLD``: one to three non-negative integers (``gc.set_threshold``), e.g. ``50000,20,10``;
    ``700,10,10`` restores CPython's defaults, ``0`` turns automatic collection off (not advised)."""
    raw = envlist("ENTRAIDE_GC_THRESHOLD", [])
    if not raw:
        return DEFAULT_THRESHOLD
    try:
        values = tuple(int(item) for item in raw)
    except ValueError as exc:
        raise ConfigurationError(f"ENTRAIDE_GC_THRESHOLD={','.join(raw)!r} is not a list of integers") from exc
    if not 1 <= len(values) <= 3 or any(not 0 <= v <= 2**31 - 1 for v in values):
        raise ConfigurationError(
            f"ENTRAIDE_GC_THRESHOLD={','.join(raw)!r}: give one to three non-negative integers, e.g. 50000,20,10"
        )
    return values


def tune(threshold: tuple[int, ...]) -> None:
    gc.set_threshold(*threshold)


def settle() -> None:
    """Collect what the start left behind, then exclude everything still alive from later collections."""
    gc.collect()
    gc.freeze()
