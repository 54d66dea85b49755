"""Extradition in the register: red rows under 10 days, the steps it takes over, the guard of mandatory grounds,
and a cheap case panel."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.cases import actions as case_actions
from entraide.cases.models import Case
from entraide.cases.queries import case_rows
from entraide.core.errors import Conflict
from entraide.directory.models import Country
from entraide.extradition import actions
from entraide.extradition.models import JudicialStep
from entraide.extradition.queries import red_marks
from entraide.extradition.tests.helpers import extradition_case
from entraide.testing import country, make_case

pytestmark = pytest.mark.django_db


def _arrested(head, officer, *, days_ago: float, direction: str = "incoming", **extra) -> Case:
    case = extradition_case(head, officer, direction=direction, **extra)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=days_ago), subject=case.subjects.get()
    )
    return Case.objects.get(pk=case.pk)


def _row(page: str, reference: str) -> str:
    return page.split(f'data-reference="{reference}"')[1].split("</tr>")[0]


# --- 1. red on every list with less than 10 days left ----------------------------------------------------------


def test_a_matter_under_ten_days_is_red_on_the_register_and_on_my_work(client, head, officer):
    red = _arrested(head, officer, days_ago=31, title="Held for 31 days")  # 40 days (UN Model Treaty): 9 left
    calm = _arrested(head, officer, days_ago=2, title="Held for 2 days")
    outgoing = _arrested(head, officer, days_ago=35, direction="outgoing", title="Held abroad")  # 5 days left
    mla = case_actions.assign(make_case(head, title="Bank records"), officer, actor=head)
    client.force_login(officer)
    for url in (reverse("cases:list"), reverse("cases:my-work")):
        page = client.get(url).content.decode()
        row = _row(page, red.reference)
        assert 'data-mark="danger"' in row and "9 days left" in row
        # The title names the clock and its due date; the overdue status-update reminder does not turn it red.
        badge = row.split('class="badge text-bg-danger"')[1].split("</span>")[0]
        assert 'title="Provisional arrest' in badge and ": due " in badge and "9 days left" in badge
        assert "5 days left" in _row(page, outgoing.reference)
        assert "data-mark" not in _row(page, calm.reference)
        assert "data-mark" not in _row(page, mla.reference)


def test_marks_cost_one_query_a_page_and_none_without_extradition(head, officer, django_assert_num_queries):
    red = _arrested(head, officer, days_ago=31)
    _arrested(head, officer, days_ago=25)  # 15 days left: amber on its panel, not red on the list
    mla = case_actions.assign(make_case(head), officer, actor=head)
    rows = case_rows(Case.objects.order_by("id"))
    with django_assert_num_queries(1):
        marks = red_marks(rows)
    assert set(marks) == {red.pk}
    assert marks[red.pk][0].level == "danger" and marks[red.pk][0].label == "9 days left"
    with django_assert_num_queries(0):
        assert red_marks([row for row in rows if row.pk == mla.pk]) == {}
    # An extradition matter without a running deadline near enough to be red costs nothing either.
    quiet = extradition_case(head, officer)
    Case.objects.filter(pk=quiet.pk).update(next_due_at=timezone.now() + timedelta(days=30))
    rows = case_rows(Case.objects.filter(pk__in=[quiet.pk, mla.pk]))
    with django_assert_num_queries(0):
        assert red_marks(rows) == {}


def test_a_paused_or_met_clock_does_not_turn_the_matter_red(head, officer):
    case = _arrested(head, officer, days_ago=31)
    clock = case.deadlines.get(rule__code="ext-pa-un-model")
    case_actions.pause_deadline(clock, actor=officer, reason="Person in hospital")
    assert red_marks(case_rows(Case.objects.filter(pk=case.pk))) == {}
    case_actions.resume_deadline(clock, actor=officer)
    assert red_marks(case_rows(Case.objects.filter(pk=case.pk)))
    actions.record_formal_request(case, actor=officer, at=timezone.now() - timedelta(hours=1))
    assert red_marks(case_rows(Case.objects.filter(pk=case.pk))) == {}


def test_the_calendar_flags_the_hearings_of_a_red_matter(client, head, officer):
    case = _arrested(head, officer, days_ago=31)
    actions.record_step(case, actor=officer, kind="hearing", at=timezone.now() + timedelta(hours=2), court="Rabat")
    client.force_login(officer)
    month = timezone.localtime(timezone.now() + timedelta(hours=2)).strftime("%Y-%m")
    page = client.get(reverse("extradition:calendar") + f"?month={month}").content.decode()
    hearing = page.split('data-kind="hearing"')[1].split("</li>")[0]
    assert 'data-mark="danger"' in hearing and "9 days left" in hearing


# --- 2. a mandatory ground for refusal blocks the grant and the surrender --------------------------------------


def _in_judicial_phase(head, officer) -> Case:
    case = _arrested(head, officer, days_ago=3)
    actions.record_formal_request(case, actor=officer, at=timezone.now() - timedelta(days=1))
    for target in ("under_review", "judicial_phase"):
        case = case_actions.transition(case, target, actor=officer)
    return case


def _political(case: Case, officer, finding: str = "applies") -> None:
    note = "Offence of opinion" if finding == "applies" else ""
    actions.assess_grounds(case, actor=officer, findings={"political": (finding, note)})


def test_the_engine_refuses_to_grant_while_a_mandatory_ground_is_established(head, officer):
    case = _in_judicial_phase(head, officer)
    _political(case, officer)
    with pytest.raises(Conflict) as refused:
        case_actions.transition(case, "granted", actor=head, reason="Decree signed")
    assert refused.value.code == "guard"
    assert "mandatory ground for refusal is established" in str(refused.value)
    assert "Political offence" in str(refused.value)
    assert Case.objects.get(pk=case.pk).status == "judicial_phase"
    # Refusing stays open.
    assert case_actions.transition(case, "refused", actor=officer, reason="Political offence").status == "refused"


def test_the_executive_decision_grants_unless_a_mandatory_ground_is_established(head, officer):
    case = _in_judicial_phase(head, officer)
    _political(case, officer)
    with pytest.raises(Conflict) as refused:
        actions.record_step(case, actor=officer, kind="executive_decision", at=timezone.now(), outcome="granted")
    assert "mandatory ground" in str(refused.value)
    assert not JudicialStep.objects.filter(case=case, kind="executive_decision").exists()  # nothing half-saved
    # The review is corrected: the decision is recorded and grants the extradition.
    _political(case, officer, finding="no")
    actions.record_step(case, actor=officer, kind="executive_decision", at=timezone.now(), outcome="granted")
    assert Case.objects.get(pk=case.pk).status == "granted"


def test_a_ground_found_after_the_grant_blocks_the_surrender(head, officer):
    case = _in_judicial_phase(head, officer)
    actions.record_step(case, actor=officer, kind="executive_decision", at=timezone.now(), outcome="granted")
    _political(case, officer)
    with pytest.raises(Conflict):
        actions.record_step(case, actor=officer, kind="surrender_agreed", at=timezone.now() + timedelta(days=2))
    assert Case.objects.get(pk=case.pk).status == "granted"


def test_the_case_page_and_the_api_say_why_the_grant_is_blocked(client, head, officer):
    case = _in_judicial_phase(head, officer)
    _political(case, officer)
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "Granting it and surrendering the person are blocked" in page
    response = client.post(
        reverse("cases:transition", args=[case.pk]), {"to": "granted", "reason": "Decree"}, follow=True
    )
    assert "mandatory ground for refusal is established" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "judicial_phase"

    api = APIClient()
    api.force_authenticate(officer)
    options = {o["to"]: o for o in api.get(f"/api/v1/cases/{case.pk}/transitions/").json()}
    assert options["granted"]["available"] is False
    assert "mandatory ground for refusal is established" in options["granted"]["blocked_by"]
    assert options["refused"]["available"] is True
    moved = api.post(f"/api/v1/cases/{case.pk}/transition/", {"to": "granted", "reason": "x"}, format="json")
    assert moved.status_code == 409 and moved.json()["code"] == "guard"


def test_an_optional_ground_or_an_outgoing_matter_is_not_blocked(head, officer):
    case = _in_judicial_phase(head, officer)
    actions.assess_grounds(case, actor=officer, findings={"national": ("applies", "National")})
    assert case_actions.transition(case, "granted", actor=officer, reason="Decree").status == "granted"
    # The requested State weighs the grounds of an outgoing request: nothing of ours blocks its grant.
    from entraide.extradition.models import GroundAssessment
    from entraide.extradition.queries import transition_guard

    abroad = _arrested(head, officer, days_ago=3, direction="outgoing")
    GroundAssessment.objects.create(case=abroad, ground="political", finding="applies", assessed_by=officer)
    assert transition_guard(abroad, "granted") is None
    assert transition_guard(case, "closed") is None


# --- 3. the steps that need the extradition app's records go through it ---------------------------------------


def test_the_arrest_and_the_formal_request_are_taken_from_the_panel(client, head, officer):
    case = extradition_case(head, officer)
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    status = page.split('id="status"')[1].split("</section>")[0]
    assert 'data-step="provisionally_arrested"' not in status and 'data-step="formal_request"' not in status
    assert f'href="/cases/{case.pk}/#extradition"' in status and "data-taken-from" in status
    with pytest.raises(Conflict) as refused:
        case_actions.transition(case, "provisionally_arrested", actor=officer)
    assert refused.value.code == "step_owned"
    api = APIClient()
    api.force_authenticate(officer)
    options = {o["to"]: o for o in api.get(f"/api/v1/cases/{case.pk}/transitions/").json()}
    assert options["provisionally_arrested"]["taken_from"] == f"/cases/{case.pk}/#extradition"
    assert options["withdrawn"]["taken_from"] is None
    moved = api.post(f"/api/v1/cases/{case.pk}/transition/", {"to": "formal_request"}, format="json")
    assert moved.status_code == 409 and moved.json()["code"] == "step_owned"
    # Through the panel: the arrest with its date and time, and the matter moves.
    actions.record_arrest(case, actor=officer, arrested_at=timezone.now(), subject=case.subjects.get())
    assert Case.objects.get(pk=case.pk).status == "provisionally_arrested"


def test_surrender_and_release_follow_the_judicial_steps_in_both_directions(head, officer):
    case = _in_judicial_phase(head, officer)
    actions.record_step(case, actor=officer, kind="executive_decision", at=timezone.now(), outcome="granted")
    with pytest.raises(Conflict):
        case_actions.transition(case, "surrender_scheduled", actor=officer)
    actions.record_step(case, actor=officer, kind="surrender_agreed", at=timezone.now() + timedelta(days=2))
    assert Case.objects.get(pk=case.pk).status == "surrender_scheduled"
    actions.record_step(case, actor=officer, kind="surrendered", at=timezone.now())
    case = Case.objects.get(pk=case.pk)
    assert case.status == "surrendered" and case.custodies.get().status == "surrendered"

    abroad = _arrested(head, officer, days_ago=3, direction="outgoing")
    assert abroad.status == "arrested_abroad"
    with pytest.raises(Conflict):
        case_actions.transition(abroad, "released_abroad", actor=officer, reason="Released")
    actions.record_step(abroad, actor=officer, kind="release", at=timezone.now(), note="Bail")
    abroad = Case.objects.get(pk=abroad.pk)
    assert abroad.status == "released_abroad" and abroad.custodies.get().status == "released"
    assert not abroad.deadlines.filter(status="running", rule__trigger="extradition:provisional_arrest").exists()


def test_an_executive_refusal_by_an_officer_where_only_the_head_refuses_is_still_recorded(head, officer):
    case = _arrested(head, officer, days_ago=3)
    actions.record_formal_request(case, actor=officer, at=timezone.now() - timedelta(days=1))
    case = case_actions.transition(case, "under_review", actor=officer)
    # under review -> refused is the head's step: the decision is recorded, the matter stays where it is.
    actions.record_step(case, actor=officer, kind="executive_decision", at=timezone.now(), outcome="refused")
    assert Case.objects.get(pk=case.pk).status == "under_review"
    assert JudicialStep.objects.filter(case=case, kind="executive_decision").exists()


def test_steps_of_other_matters_are_not_claimed(head, officer):
    mla = make_case(head)
    assert actions.claims_step(mla, "released") is False
    assert actions.claims_step(extradition_case(head, officer), "under_review") is False


# --- 5. a cheap case panel -----------------------------------------------------------------------------------


def _base(case: Case) -> dict:
    """What the case page hands the panels (its own deadlines, timeline and right to work)."""
    return {
        "deadlines": list(case.deadlines.select_related("rule").order_by("status", "due_at")),
        "events": list(case.events.select_related("actor")[:200]),
        "may_work": True,
    }


def _full(head, officer) -> Case:
    case = _in_judicial_phase(head, officer)
    today = timezone.localdate()
    actions.record_step(case, actor=officer, kind="hearing", at=timezone.now(), court="Rabat")
    actions.assess_grounds(case, actor=officer, findings={"death_penalty": ("applies", "Capital offence")})
    assurance = actions.ask_assurance(case, actor=officer, kind="death_penalty", asked_on=today)
    actions.assess_assurance(assurance, actor=officer, received_on=today, assessment="adequate")
    actions.ask_speciality_consent(case, actor=officer, kind="transit", offences="Through Spain", requested_on=today)
    actions.record_competing_request(case, actor=officer, country=country("ES"), received_on=today, offences="Robbery")
    actions.update_logistics(case, actor=officer, place="Rabat airport", property_handed_over="Passport")
    return Case.objects.select_related("legal_basis").get(pk=case.pk)


def test_the_panel_reads_at_most_four_queries(rf, head, officer, django_assert_num_queries):
    from entraide.extradition.views import panel_context

    case = _full(head, officer)
    request = rf.get("/")
    request.user = officer
    base = _base(case)
    with django_assert_num_queries(4):
        panel = panel_context(request, case, base)
        assert panel is not None
    assert [x.person_name for x in panel["custodies"]] == ["Jean Dupont"]
    assert {s.kind for s in panel["steps"]} >= {"hearing"}
    assert [a.kind for a in panel["assurances"]] == ["death_penalty"]
    assert panel["assurances"][0].assessment == "adequate"
    assert [x.kind for x in panel["consents"]] == ["transit"]
    assert str(panel["competing"][0].country) == str(Country.objects.get(code="ES"))
    assert panel["logistics"].property_handed_over == "Passport"
    texts = [x.text for x in panel["conclusions"]]
    assert any("adequate assurance" in t for t in texts)
    assert panel["clocks"] and all(v.deadline.rule.trigger.startswith("extradition:") for v in panel["clocks"])
    # Without the case page's timeline (or with only its latest part), one query finds which registers to read.
    with django_assert_num_queries(5):
        panel_context(request, case, {**base, "events": base["events"][:3]})


def test_the_panel_reads_nothing_for_a_matter_without_records(rf, head, officer, django_assert_num_queries):
    from entraide.extradition.views import panel_context

    case = extradition_case(head, officer)
    mla = make_case(head)
    request = rf.get("/")
    request.user = officer
    base, mla_base = _base(case), _base(mla)
    with django_assert_num_queries(0):
        assert panel_context(request, case, base) is not None
        assert panel_context(request, mla, mla_base) is None


def test_the_case_page_shows_the_full_panel(client, head, officer):
    case = _full(head, officer)
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for text in ("Jean Dupont", "Rabat airport", "Through Spain", "Robbery", "Passport", "Hearing"):
        assert text in page


def test_the_formal_request_clock_is_met_only_by_recording_the_formal_request(client, head, officer):
    """ "Mark as met" elsewhere would stop the clock with no formal request on record."""
    case = _arrested(head, officer, days_ago=3)
    clock = case.deadlines.get(rule__trigger="extradition:provisional_arrest", status="running")
    with pytest.raises(Conflict) as refused:
        case_actions.meet_deadline(clock, actor=officer, note="Arrived")
    assert refused.value.code == "deadline_owned"
    api = APIClient()
    api.force_authenticate(officer)
    response = api.post(f"/api/v1/deadlines/{clock.pk}/met/", {"note": "Arrived"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "deadline_owned"
    clock.refresh_from_db()
    assert clock.status == "running"
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    item = page.split(f'data-deadline="{clock.rule.code}"')[1].split("</li>")[0]
    assert "data-met-from" in item and f'href="/cases/{case.pk}/#extradition"' in item
    assert f"/deadlines/{clock.pk}/met/" not in item and "Pause" in item
    # Recording the formal request meets it.
    actions.record_formal_request(case, actor=officer, at=timezone.now())
    clock.refresh_from_db()
    assert clock.status == "met"
