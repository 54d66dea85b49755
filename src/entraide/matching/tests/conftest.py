"""Fixtures the matching tests share."""

from __future__ import annotations

from typing import Any

import pytest

from entraide.cases import actions as case_actions
from entraide.testing import make_case


@pytest.fixture
def other_case(officer2: Any, head: Any) -> Any:
    return case_actions.assign(make_case(head, title="Other fraud"), officer2, actor=head)
