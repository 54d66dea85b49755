"""The execution demo content: added once, on accepted incoming requests."""

from __future__ import annotations

import pytest
from django.utils import timezone

from entraide.cases import actions as case_actions
from entraide.execution.demo import load_demo
from entraide.execution.models import ExecutionTask

pytestmark = pytest.mark.django_db


def test_load_demo_once(case, officer, head, executor, settings):
    from entraide.testing import country

    country(settings.ENTRAIDE_COUNTRY)
    case_actions.add_measure(case, actor=officer, type="information", details={"information": "Bank records"})
    case_actions.add_measure(case, actor=officer, type="information", details={"information": "Phone records"})
    case_actions.transition(case, "under_review", actor=officer)
    case_actions.transition(case, "accepted", actor=officer, owner="execution")
    users = {"head": head, "officer": officer, "executor": executor}
    assert load_demo(timezone.now(), users).startswith("2 execution tasks")
    assert ExecutionTask.objects.filter(authority=executor.authority).count() == 1
    assert ExecutionTask.objects.get(authority=executor.authority).results.count() == 1
    assert load_demo(timezone.now(), users) == ""
