"""The execution panels of a matter's page are cheap: three queries at most, however much the matter holds."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from entraide.cases import actions as case_actions
from entraide.execution import actions, views
from entraide.testing import make_case

pytestmark = pytest.mark.django_db

PANELS = (
    (views.admissibility_panel, "execution/_admissibility_panel.html"),
    (views.evidence_panel, "execution/_evidence_panel.html"),
    (views.case_panel, "execution/_tasks_panel.html"),
)


def _render_panels(officer, case, base):
    request = RequestFactory().get("/")
    request.user = officer
    html = []
    for panel, template in PANELS:
        context = panel(request, case, base)
        if context is not None:
            html.append(render_to_string(template, {"panel": context, "case": case}, request=request))
    return "".join(html)


def _base(case):
    base = {"may_work": True, "measures": case.measures.all()}
    list(base["measures"])  # the case page's own list of measures, read by its template in any case
    return base


@pytest.fixture
def busy(case, officer, executor):
    """An incoming request with everything the panels count: a review, tasks, results, questions, evidence."""
    bank = case_actions.add_measure(
        case, actor=officer, type="bank_records", details={"bank": "Bank A", "accounts": "FR76 1234"}
    )
    phone = case_actions.add_measure(
        case, actor=officer, type="subscriber_info", details={"provider": "Tel", "identifiers": "+33 6 00 00 00 00"}
    )
    case = case_actions.transition(case, "under_review", actor=officer)
    actions.save_assessments(case, actor=officer, items={"facts": ("met", ""), "dual_criminality": ("applies", "")})
    actions.save_assessments(case, actor=officer, items={"dual_criminality": ("does_not_apply", "Fraud here too")})
    actions.decide(case, actor=officer, kind="accept")
    case = type(case).objects.get(pk=case.pk)
    due = timezone.localdate() + timedelta(days=10)
    for measure in (bank, phone):
        task = actions.create_task(
            case,
            actor=officer,
            authority=executor.authority,
            measure=measure,
            title="Do it",
            instructions="Do it",
            due_on=due,
        )
        actions.ask_question(task, actor=executor, text="Which period?")
        actions.add_result(task, SimpleUploadedFile("r.txt", f"result {measure.pk}".encode()), actor=executor)
    actions.record_disclosure_duty(
        case, actor=officer, person="Bank A's customer", legal_basis="Banking Act s. 12", notify_on=due
    )
    actions.set_status_schedule(case, actor=officer, every_days=30, next_on=due, language="fr")
    return type(case).objects.get(pk=case.pk)


def test_a_busy_matter_costs_three_queries(busy, officer, django_assert_num_queries):
    base = _base(busy)
    with django_assert_num_queries(2):  # nothing flagged in the checklist: its items are not read
        html = _render_panels(officer, busy, base)
    assert "2 of 14 items assessed" in html
    assert "2 held, 0 returned in 0 packages" in html
    assert "1 notice to send" in html and "data-provider-warning" in html
    assert html.count("data-task=") == 2 and html.count("1 open question") == 2 and html.count("1 result") == 2
    assert "Status letter every 30 days" in html
    assert 'data-decision="accept"' in html
    # A checklist item flagged: the third query names it.
    actions.save_assessments(busy, actor=officer, items={"purpose": ("not_met", "Not stated")})
    base = _base(busy)
    with django_assert_num_queries(3):
        html = _render_panels(officer, busy, base)
    assert "Missing:" in html and "purpose of the evidence" in html


def test_a_new_matter_costs_one_query(case, officer, django_assert_num_queries):
    base = _base(case)
    with django_assert_num_queries(1):
        html = _render_panels(officer, case, base)
    assert "0 of 14 items assessed" in html and "No tasks" in html and "data-provider-warning" not in html


def test_no_panel_on_an_outgoing_matter_and_no_tasks_on_an_extradition(head, officer, django_assert_num_queries):
    outgoing = make_case(head, direction="outgoing")
    base = _base(outgoing)
    with django_assert_num_queries(0):
        assert _render_panels(officer, outgoing, base) == ""
    extradition = make_case(head, kind="extradition")
    request = RequestFactory().get("/")
    request.user = officer
    assert views.case_panel(request, extradition, {"may_work": True}) is None
    assert views.admissibility_panel(request, extradition, {"may_work": True}) is None


def test_the_case_page_shows_the_panels(client, busy, officer):
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[busy.pk])).content.decode()
    for panel in ('id="admissibility-panel"', 'id="evidence-panel"', 'id="execution-tasks"'):
        assert panel in page
