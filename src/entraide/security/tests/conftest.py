from __future__ import annotations

from typing import Any

import pytest

from entraide.security import crypto
from entraide.security.tests.helpers import use_keys


@pytest.fixture(autouse=True)
def _master_key(monkeypatch: Any) -> None:
    """Each test has its own master key, so none depends on a key file left in the data directory."""
    use_keys(monkeypatch, crypto.generate_key_text())
