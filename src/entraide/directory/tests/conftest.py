from __future__ import annotations

from typing import Any

import pytest

from entraide.directory.loaders import load_reference


@pytest.fixture
def reference(db: Any) -> None:
    """Countries, instruments, profiles and demo authorities, as `load_reference --demo` loads them."""
    load_reference(demo=True)
