"""The clocks of extradition and the judicial phase, through the actions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.models import Deadline
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.extradition import actions
from entraide.extradition.models import ClockRule, Custody, JudicialStep
from entraide.extradition.queries import case_clocks, custody_rows
from entraide.extradition.tests.helpers import extradition_case

pytestmark = pytest.mark.django_db


def _running(case, clock="provisional_arrest"):
    return list(Deadline.objects.filter(case=case, status="running", rule__clock_rule__clock=clock).order_by("due_at"))


def test_it_counts_the_formal_request_deadline_from_the_arrest_not_from_the_typing(head, officer):
    case = extradition_case(head, officer)
    arrested = timezone.now() - timedelta(days=3)
    custody = actions.record_arrest(case, actor=officer, arrested_at=arrested, subject=case.subjects.get())
    case.refresh_from_db()
    assert case.status == "provisionally_arrested"
    (clock,) = _running(case)
    assert clock.rule.code == "ext-pa-un-model"
    assert clock.starts_at == arrested
    assert timezone.localdate(clock.due_at) == timezone.localdate(arrested) + timedelta(days=40)
    # The status-update reminder (30 days) comes first; the register sorts on the nearest clock.
    assert case.next_due_at == min(d.due_at for d in case.deadlines.filter(status="running"))
    assert custody.status == "detained"
    # The register's generic clock that counted from the moment of typing was replaced, not left beside it.
    assert not case.deadlines.filter(status="running", rule__clock_rule__isnull=True, rule__code__contains="arrest")
    assert AuditRecord.objects.filter(action="extradition.arrest", case_id=case.pk).exists()
    (view,) = [v for v in case_clocks(case) if v.deadline.pk == clock.pk]
    assert view.days_left == 37
    assert view.level == "primary"


def test_the_instrument_rule_wins_over_the_general_one(head, officer):
    case = extradition_case(head, officer, instrument="ETS024")
    actions.record_arrest(case, actor=officer, arrested_at=timezone.now(), subject=case.subjects.get())
    codes = [d.rule.code for d in _running(case)]
    assert codes == ["ext-pa-ece-18", "ext-pa-ece-40"]


def test_national_law_of_the_requested_state_runs_an_outgoing_clock(head, officer):
    ClockRule.objects.create(
        code="fr-pa",
        name="French law",
        clock="provisional_arrest",
        country_code="FR",
        amount=30,
        source="Code de procédure pénale (example)",
    )
    case = extradition_case(head, officer, direction="outgoing")
    actions.record_arrest(case, actor=officer, arrested_at=timezone.now(), subject=case.subjects.get())
    case.refresh_from_db()
    assert case.status == "arrested_abroad"
    (clock,) = _running(case)
    assert clock.rule.code == "fr-pa"
    custody = Custody.objects.get(case=case)
    assert custody.abroad


def test_a_rule_in_months_and_a_rule_in_hours(head, officer):
    ClockRule.objects.create(
        code="m1",
        name="One month",
        clock="provisional_arrest",
        instrument_code="OLD",
        amount=1,
        unit="months",
        source="Old treaty",
    )
    case = extradition_case(head, officer, instrument="OLD")
    arrested = timezone.make_aware(datetime(2026, 10, 31, 22, 0))
    actions.record_arrest(case, actor=officer, arrested_at=arrested, subject=case.subjects.get())
    (clock,) = _running(case)
    assert timezone.localtime(clock.due_at).date().isoformat() == "2026-11-30"
    ClockRule.objects.filter(code="m1").update(unit="hours", amount=48)
    case2 = extradition_case(head, officer, instrument="OLD")
    actions.record_arrest(case2, actor=officer, arrested_at=arrested, subject=case2.subjects.get())
    (clock2,) = _running(case2)
    assert clock2.due_at - arrested == timedelta(hours=48)


def test_it_refuses_an_arrest_in_the_future_and_nothing_is_recorded(head, officer):
    case = extradition_case(head, officer)
    with pytest.raises(ActionError) as error:
        actions.record_arrest(
            case, actor=officer, arrested_at=timezone.now() + timedelta(hours=2), subject=case.subjects.get()
        )
    assert "arrested_at" in error.value.fields
    case.refresh_from_db()
    assert case.status == "registered"
    assert not Custody.objects.exists()


def test_a_colleague_without_need_to_know_cannot_record_an_arrest(head, officer, officer2, auditor):
    case = extradition_case(head, officer)
    for outsider in (officer2, auditor):
        with pytest.raises(Forbidden):
            actions.record_arrest(case, actor=outsider, arrested_at=timezone.now(), subject=case.subjects.get())


def test_the_formal_request_in_time_meets_the_clock(head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=5), subject=case.subjects.get()
    )
    actions.record_formal_request(case, actor=officer, at=timezone.now())
    case.refresh_from_db()
    assert case.status == "formal_request"
    assert not _running(case)
    assert Deadline.objects.filter(case=case, status="met", rule__clock_rule__clock="provisional_arrest").count() == 1


def test_a_late_formal_request_is_recorded_with_a_warning(head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=45), subject=case.subjects.get()
    )
    actions.record_formal_request(case, actor=officer, at=timezone.now())
    met = Deadline.objects.get(case=case, rule__clock_rule__clock="provisional_arrest")
    assert met.status == "met"
    assert "After the deadline" in met.note


def test_outgoing_formal_request_delivered_stops_the_alerts(head, officer):
    case = extradition_case(head, officer, direction="outgoing")
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=35), subject=case.subjects.get()
    )
    assert len(_running(case)) == 1
    assert case_clocks(case)[0].level == "danger"
    actions.record_formal_request(case, actor=officer, at=timezone.now())
    assert not _running(case)
    case.refresh_from_db()
    assert case.status == "arrested_abroad"


def test_the_judicial_phase_from_hearing_to_surrender(head, officer):
    case = extradition_case(head, officer)
    arrested = timezone.now() - timedelta(days=20)
    actions.record_arrest(case, actor=officer, arrested_at=arrested, subject=case.subjects.get())
    actions.record_formal_request(case, actor=officer, at=timezone.now() - timedelta(days=15))
    case = case_actions.transition(case, "under_review", actor=officer)
    case = case_actions.transition(case, "judicial_phase", actor=officer)
    with pytest.raises(ActionError) as error:
        actions.record_step(
            case, actor=officer, kind="hearing", at=arrested - timedelta(days=1), court="Court of appeal"
        )
    assert "before the arrest" in str(error.value.fields["at"])
    actions.record_step(
        case, actor=officer, kind="hearing", at=timezone.now() - timedelta(days=10), court="Court of appeal"
    )
    actions.record_step(case, actor=officer, kind="bail", at=timezone.now() - timedelta(days=9))
    assert Custody.objects.get(case=case).status == "bail"
    decided = timezone.now() - timedelta(days=9)
    actions.record_step(case, actor=officer, kind="eligibility", at=decided, outcome="granted", court="Court of appeal")
    (appeal_clock,) = _running(case, "appeal")
    assert appeal_clock.rule.code == "ext-appeal-national"
    # Filed after the 7-day limit: recorded, flagged, not lost.
    step = actions.record_step(case, actor=officer, kind="appeal", at=timezone.now() - timedelta(hours=1))
    assert "after the time limit" in step.warning
    assert not _running(case, "appeal")
    case = case_actions.transition(case, "granted", actor=officer, reason="Appeal dismissed")
    agreed = timezone.now() + timedelta(days=3)
    actions.record_step(case, actor=officer, kind="surrender_agreed", at=agreed)
    case.refresh_from_db()
    assert case.status == "surrender_scheduled"
    assert [d.rule.code for d in _running(case, "surrender")] == ["ext-surrender-ece-15", "ext-surrender-ece-30"]
    actions.record_step(case, actor=officer, kind="surrendered", at=timezone.now())
    case.refresh_from_db()
    assert case.status == "surrendered"
    assert Custody.objects.get(case=case).status == "surrendered"
    assert not custody_rows(head)
    assert JudicialStep.objects.filter(case=case).count() == 6


def test_a_surrender_past_its_legal_limit_is_refused(head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=90), subject=case.subjects.get()
    )
    actions.record_step(case, actor=officer, kind="surrender_agreed", at=timezone.now() - timedelta(days=40))
    with pytest.raises(ActionError) as error:
        actions.record_step(case, actor=officer, kind="surrendered", at=timezone.now())
    assert "legal limit" in str(error.value.fields["at"])
    assert Custody.objects.get(case=case).status == "detained"


def test_an_appeal_needs_a_decision_and_a_decision_needs_an_outcome(head, officer):
    case = extradition_case(head, officer)
    with pytest.raises(ActionError):
        actions.record_step(case, actor=officer, kind="appeal", at=timezone.now())
    with pytest.raises(ActionError) as error:
        actions.record_step(case, actor=officer, kind="eligibility", at=timezone.now())
    assert "outcome" in error.value.fields


def test_release_stops_the_clocks_and_takes_the_person_off_the_custody_page(head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=2), subject=case.subjects.get()
    )
    assert [r["custody"].person_name for r in custody_rows(head)] == ["Jean Dupont"]
    actions.record_step(case, actor=officer, kind="release", at=timezone.now(), note="Judge's order")
    case.refresh_from_db()
    assert case.status == "released"
    assert not _running(case)
    assert not custody_rows(head)


def test_custody_page_only_shows_what_the_user_may_see(head, officer, officer2):
    case = extradition_case(head, officer)
    actions.record_arrest(case, actor=officer, arrested_at=timezone.now(), subject=case.subjects.get())
    assert len(custody_rows(officer)) == 1
    assert custody_rows(officer2) == []


def test_assurances_and_speciality(head, officer):
    case = extradition_case(head, officer)
    today = timezone.localdate()
    assurance = actions.ask_assurance(case, actor=officer, kind="death_penalty", asked_on=today)
    with pytest.raises(ActionError):
        actions.assess_assurance(assurance, actor=officer, received_on=today, assessment="inadequate")
    actions.assess_assurance(assurance, actor=officer, received_on=today, assessment="adequate")
    assurance.refresh_from_db()
    assert assurance.assessment == "adequate"
    consent = actions.ask_speciality_consent(
        case, actor=officer, kind="re_extradition", offences="Spain: fraud", requested_on=today
    )
    with pytest.raises(ActionError):
        actions.decide_speciality_consent(
            consent, actor=officer, decision="granted", decided_on=today + timedelta(days=1)
        )
    actions.decide_speciality_consent(consent, actor=officer, decision="granted", decided_on=today)
    assert AuditRecord.objects.filter(action__startswith="extradition.speciality", case_id=case.pk).count() == 2


def test_status_update_restarts_the_reminder(head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(case, actor=officer, arrested_at=timezone.now(), subject=case.subjects.get())
    (first,) = _running(case, "status_update")
    actions.record_status_update(case, actor=officer, sent_on=timezone.localdate())
    (second,) = _running(case, "status_update")
    assert second.pk != first.pk


def test_an_mla_matter_has_no_extradition_actions(case, officer):
    with pytest.raises(Conflict):
        actions.ask_assurance(case, actor=officer, kind="other", asked_on=timezone.localdate())


def test_pause_resume_and_extend_are_the_registers_audited_actions(head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(case, actor=officer, arrested_at=timezone.now(), subject=case.subjects.get())
    (clock,) = _running(case)
    before = clock.due_at
    case_actions.extend_deadline(clock, actor=head, days=5, reason="Extended by the court")
    clock.refresh_from_db()
    assert timezone.localtime(clock.due_at).time() == timezone.localtime(before).time()
    assert (timezone.localdate(clock.due_at) - timezone.localdate(before)).days == 5
    case_actions.pause_deadline(clock, actor=officer, reason="Person hospitalised")
    assert [v.text for v in case_clocks(case) if v.deadline.pk == clock.pk] == ["Paused"]


def test_the_registers_working_days_skip_public_holidays(settings):
    settings.ENTRAIDE_COUNTRY = "MA"
    start = timezone.make_aware(datetime(2026, 11, 17, 9, 30))  # Tuesday; 18 November is Independence Day
    moved = case_actions.add_days(start, 1, "working")
    assert moved.date().isoformat() == "2026-11-19"
    assert timezone.localtime(moved).time() == timezone.localtime(start).time()


def test_extradition_clocks_in_working_days_skip_the_closure_days_an_administrator_records(head, officer, settings):
    from entraide.extradition.models import ClosureDay

    settings.ENTRAIDE_COUNTRY = "MA"
    ClockRule.objects.create(
        code="wd",
        name="Working days",
        clock="provisional_arrest",
        instrument_code="WD",
        amount=1,
        day_count="working",
        source="Test",
    )
    case = extradition_case(head, officer, instrument="WD")
    rule = ClockRule.objects.get(code="wd")
    start = timezone.make_aware(datetime(2026, 11, 17, 9, 30))
    assert timezone.localdate(actions.compute_due(case, rule, start)).isoformat() == "2026-11-19"
    ClosureDay.objects.create(day=datetime(2026, 11, 19).date(), label="Court closed")
    assert timezone.localdate(actions.compute_due(case, rule, start)).isoformat() == "2026-11-20"


def test_a_calendar_day_keeps_the_wall_clock_hour_across_a_change_of_time(settings):
    settings.TIME_ZONE = "Europe/Paris"
    from zoneinfo import ZoneInfo

    paris = ZoneInfo("Europe/Paris")
    start = datetime(2026, 10, 24, 9, 0, tzinfo=paris)  # clocks go back on 25 October 2026
    with timezone.override(paris):
        moved = case_actions.add_days(start, 2, "calendar")
    assert moved.astimezone(paris).hour == 9
    assert moved.astimezone(UTC) - start.astimezone(UTC) == timedelta(days=2, hours=1)


def test_the_review_against_the_grounds_for_refusal(head, officer):
    from entraide.extradition.queries import grounds_conclusions

    case = extradition_case(head, officer)
    with pytest.raises(ActionError) as error:
        actions.assess_grounds(case, actor=officer, findings={"political": ("applies", "")})
    assert "political" in error.value.fields
    actions.assess_grounds(
        case,
        actor=officer,
        findings={
            "national": ("applies", "Moroccan national"),
            "death_penalty": ("applies", "Art. 302 of the requesting State's code"),
            "political": ("no", ""),
        },
    )
    texts = [x.text for x in grounds_conclusions(case)]
    assert any("aut dedere aut judicare" in t for t in texts)
    assert any("ask for the assurance" in t for t in texts)
    assert "9 grounds for refusal remain to be checked." in texts
    assurance = actions.ask_assurance(case, actor=officer, kind="death_penalty", asked_on=timezone.localdate())
    actions.assess_assurance(assurance, actor=officer, received_on=timezone.localdate(), assessment="adequate")
    assert any("adequate assurance" in x.text for x in grounds_conclusions(case))
    actions.assess_grounds(case, actor=officer, findings={"torture": ("applies", "Reports of the UN rapporteur")})
    assert grounds_conclusions(case)[0].level == "danger"
    assert AuditRecord.objects.filter(action="extradition.grounds", case_id=case.pk).count() == 2


def test_logistics_arrival_and_competing_requests(head, officer):
    from entraide.testing import country

    case = extradition_case(head, officer, direction="outgoing")
    with pytest.raises(ActionError):
        actions.update_logistics(case, actor=officer, arrived_at=timezone.now() + timedelta(days=1))
    logistics = actions.update_logistics(case, actor=officer, escort="Two police officers", place="Paris CDG")
    actions.update_logistics(case, actor=officer, arrived_at=timezone.now())
    logistics.refresh_from_db()
    assert logistics.escort == "Two police officers" and logistics.arrived_at is not None
    with pytest.raises(ActionError):
        actions.record_competing_request(
            case, actor=officer, country=case.counterpart_country, received_on=timezone.localdate(), offences="x"
        )
    competing = actions.record_competing_request(
        case, actor=officer, country=country("ES"), received_on=timezone.localdate(), offences="Drug trafficking"
    )
    assert competing.country_id == "ES"


def test_the_demo_plays_through_the_actions_once(head, officer):
    from entraide.extradition import demo
    from entraide.testing import country

    for code in ("FR", "US", "ES"):
        country(code)
    users = {"head": head, "officer": officer}
    assert demo.load_demo(timezone.now(), users)
    assert demo.load_demo(timezone.now(), users) == ""
    rows = custody_rows(head)
    assert len(rows) == 4
    assert rows[0]["level"] == "danger"


def test_a_transit_through_a_third_state_is_asked_and_decided(head, officer):
    case = extradition_case(head, officer, direction="outgoing")
    today = timezone.localdate()
    transit = actions.ask_speciality_consent(
        case, actor=officer, kind="transit", offences="Transit through Spain (Madrid-Barajas)", requested_on=today
    )
    actions.decide_speciality_consent(transit, actor=officer, decision="granted", decided_on=today)
    transit.refresh_from_db()
    assert transit.get_kind_display() == "Transit of the person through a third State"
    assert transit.decision == "granted"
