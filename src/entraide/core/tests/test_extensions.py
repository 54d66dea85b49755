"""The extension points apps use to take over lifecycle steps, forbid steps and mark rows of the register."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from rest_framework.test import APIClient

from entraide.cases import actions
from entraide.cases.models import Case
from entraide.core import extensions
from entraide.core.errors import Conflict
from entraide.testing import PASSWORD, make_case


@pytest.fixture
def registry() -> Iterator[extensions.Registry]:
    """The registry with this test's additions, restored afterwards."""
    saved = (list(extensions.registry.owners), list(extensions.registry.guards), list(extensions.registry.marks))
    extensions.registry.owners.clear()
    extensions.registry.guards.clear()
    extensions.registry.marks.clear()
    yield extensions.registry
    extensions.registry.owners[:], extensions.registry.guards[:], extensions.registry.marks[:] = saved


def _review_owner() -> extensions.TransitionOwner:
    return extensions.TransitionOwner(
        key="review",
        label="Admissibility review",
        claims=lambda case, target: case.direction == "incoming" and target == "accepted",
        url=lambda case: f"/review/{case.pk}/",
    )


def test_a_step_taken_over_by_an_app_is_refused_elsewhere_and_offered_as_a_link(registry, head, officer, client):
    extensions.register_transition_owner(_review_owner())
    case = actions.assign(make_case(head), officer, actor=head)
    case = actions.transition(case, "under_review", actor=officer)  # not claimed: taken directly
    with pytest.raises(Conflict) as refused:
        actions.transition(case, "accepted", actor=officer)
    assert refused.value.code == "step_owned" and "Admissibility review" in str(refused.value)
    assert Case.objects.get(pk=case.pk).status == "under_review"

    client.login(username=officer.username, password=PASSWORD)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-step="accepted"' not in page and 'data-step="postponed"' in page
    assert f'href="/review/{case.pk}/"' in page and "data-taken-from" in page

    api = APIClient()
    api.force_authenticate(officer)
    options = {o["to"]: o for o in api.get(f"/api/v1/cases/{case.pk}/transitions/").json()}
    assert options["accepted"]["available"] is False
    assert options["accepted"]["taken_from"] == f"/review/{case.pk}/"
    assert options["postponed"]["taken_from"] is None
    moved = api.post(f"/api/v1/cases/{case.pk}/transition/", {"to": "accepted"}, format="json")
    assert moved.status_code == 409 and moved.json()["code"] == "step_owned"

    # The app itself takes the step.
    assert actions.transition(case, "accepted", actor=officer, owner="review").status == "accepted"


def test_a_guard_forbids_a_step_with_its_reason(registry, head, officer, client):
    extensions.register_transition_guard(
        lambda case, target: "A mandatory refusal ground is established." if target == "under_review" else None
    )
    case = actions.assign(make_case(head), officer, actor=head)
    with pytest.raises(Conflict) as refused:
        actions.transition(case, "under_review", actor=officer)
    assert "mandatory refusal ground" in str(refused.value)
    assert Case.objects.get(pk=case.pk).status == "registered"
    # The case page shows the step disabled, with the reason beside it.
    client.login(username=officer.username, password=PASSWORD)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    step = page.split('data-step="under_review"')[1].split("</form>")[0]
    assert "disabled" in step and 'data-blocked="under_review"' in step and "mandatory refusal ground" in step


def test_marks_colour_the_rows_of_the_register_and_of_my_work(registry, head, officer, client):
    marked = actions.assign(make_case(head, title="Held on a provisional arrest"), officer, actor=head)
    plain = actions.assign(make_case(head, title="Bank records"), officer, actor=head)
    calls: list[list[Any]] = []

    def red(rows: list[Any]) -> dict[Any, list[extensions.CaseMark]]:
        calls.append(rows)
        return {marked.pk: [extensions.CaseMark(label="8 days <left>", title="Formal request due")]}

    extensions.register_case_marks(red)
    client.login(username=officer.username, password=PASSWORD)
    for url in ("/cases/", "/cases/my-work/"):
        page = client.get(url).content.decode()
        row = page.split(f'data-reference="{marked.reference}"')[1].split("</tr>")[0]
        assert 'data-mark="danger"' in row and "8 days &lt;left&gt;" in row and "Formal request due" in row
        other = page.split(f'data-reference="{plain.reference}"')[1].split("</tr>")[0]
        assert "data-mark" not in other
    assert len(calls) == 2  # once a page, however many sections it has
