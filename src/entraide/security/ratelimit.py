"""Counting requests in fixed windows in Django's cache, shared by every server process.

``settings.CACHES["default"]`` is Redis (``ENTRAIDE_REDIS_URL``: every process of every machine, ``INCR`` is
atomic) or files in ``ENTRAIDE_CACHE_DIR`` (every process of one machine). The file cache's increment is a read
then a write, so it is made atomic across processes with an exclusive ``flock`` on a lock file beside the entries.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from typing import Any

from django.core.cache import caches
from django.core.cache.backends.filebased import FileBasedCache

LOCK_NAME = ".entraide-rate.lock"  # not a cache entry (those end in .djcache): clear() and culling leave it


@contextlib.contextmanager
def _exclusive(cache: Any) -> Iterator[None]:
    if not isinstance(cache, FileBasedCache):
        yield
        return
    directory = str(cache._dir)  # type: ignore[attr-defined]
    os.makedirs(directory, exist_ok=True)
    fd = os.open(os.path.join(directory, LOCK_NAME), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def hit(key: str, *, timeout: int = 120, alias: str = "default") -> int:
    """Count one more request under ``key``; returns the count so far (1 for the first)."""
    cache = caches[alias]
    with _exclusive(cache):
        cache.add(key, 0, timeout=timeout)
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=timeout)
            return 1
