"""The register's own tests exercise the lifecycle engine bare: without the steps other apps take over or guard.

Each app tests its claims and guards itself (and ``core/tests/test_extensions.py`` the mechanism), so a new claim
by an app does not turn the engine's tests of every transition into tests of that app.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from entraide.core import extensions


@pytest.fixture(autouse=True)
def bare_engine() -> Iterator[None]:
    r = extensions.registry
    saved = list(r.owners), list(r.guards), list(r.deadline_owners)
    r.owners.clear()
    r.guards.clear()
    r.deadline_owners.clear()
    yield
    r.owners[:], r.guards[:], r.deadline_owners[:] = saved
