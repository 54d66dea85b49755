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
    saved = list(extensions.registry.owners), list(extensions.registry.guards)
    extensions.registry.owners.clear()
    extensions.registry.guards.clear()
    yield
    extensions.registry.owners[:], extensions.registry.guards[:] = saved
