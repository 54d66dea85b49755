"""The shipped deadline rules: loading them, and the clocks they start, meet and renew through the actions."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from entraide.cases import actions
from entraide.cases.choices import DayCount, DeadlineStatus, Direction, Kind
from entraide.cases.lifecycles import LIFECYCLES
from entraide.cases.loaders import DEADLINE_RULES_FILE, load_deadline_rules, validate_rule
from entraide.cases.models import DeadlineRule
from entraide.directory.models import Instrument
from entraide.testing import country, make_case

pytestmark = pytest.mark.django_db

SHIPPED = json.loads(DEADLINE_RULES_FILE.read_text(encoding="utf-8"))["rules"]


def test_every_shipped_rule_is_sound_and_names_its_source() -> None:
    for item in SHIPPED:
        assert validate_rule(item) == [], item["code"]
        assert len(item["source"]) > 20
        assert item["name_fr"] and item["name_ar"]
    codes = {item["code"] for item in SHIPPED}
    assert {
        "incoming-acknowledge",
        "incoming-admissibility-decision",
        "outgoing-follow-up",
        "outgoing-draft-review",
        "incoming-preservation-period",
        "incoming-provisional-arrest-un-model",
        "incoming-provisional-arrest-ece",
        "outgoing-formal-request-after-arrest",
        "incoming-execution",
    } <= codes


def test_it_names_only_states_of_the_lifecycles() -> None:
    states = {s for lc in LIFECYCLES.values() for s in lc.states}
    for item in SHIPPED:
        if item["trigger"] != "registered":
            assert item["trigger"].removeprefix("status:") in states
        assert set(item["stop_statuses"]) <= states


def test_validation_reports_what_is_wrong() -> None:
    bad = {
        "code": "x",
        "name": "X",
        "trigger": "status:nowhere",
        "days": 0,
        "source": "s",
        "kinds": ["mla", "nope"],
        "stop_statuses": ["sent", "limbo"],
        "direction": "incoming",
        "anchor": "moon",
        "day_count": "lunar",
    }
    problems = "\n".join(validate_rule(bad))
    for word in ("trigger", "days", "kinds", "limbo", "anchor", "day count"):
        assert word in problems
    assert "unknown stop statuses ['limbo', 'sent']" in problems  # 'sent' is a state of outgoing matters only
    assert validate_rule({"code": "y"}) == ["y: missing name, trigger, days, source"]


def test_a_broken_file_loads_nothing(tmp_path: Path) -> None:
    broken = tmp_path / "rules.json"
    broken.write_text(json.dumps({"rules": [SHIPPED[0], {**SHIPPED[1], "trigger": "status:limbo"}, SHIPPED[0]]}))
    with pytest.raises(ValueError, match="limbo") as exc:
        load_deadline_rules(broken)
    assert "appears twice" in str(exc.value)
    assert not DeadlineRule.objects.exists()


def test_loading_is_idempotent_and_keeps_an_administrators_edits() -> None:
    first = load_deadline_rules()
    assert first.created == len(SHIPPED)
    rule = DeadlineRule.objects.get(code="incoming-acknowledge")
    assert (rule.days, rule.day_count, rule.anchor) == (5, DayCount.WORKING, "received_on")
    rule.days, rule.active = 3, False
    rule.save()
    again = load_deadline_rules()
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(SHIPPED))
    rule.refresh_from_db()
    assert (rule.days, rule.active) == (3, False)
    load_deadline_rules(update=True)
    rule.refresh_from_db()
    assert (rule.days, rule.active) == (5, False)  # back to the file, but still switched off


def test_a_treaty_clock_is_off_where_this_country_is_not_a_party(settings: Any) -> None:
    settings.ENTRAIDE_COUNTRY = "MA"
    load_deadline_rules()  # before the directory is loaded: no instrument yet
    ece = DeadlineRule.objects.get(code="incoming-provisional-arrest-ece")
    assert ece.instrument is None and ece.active
    instrument = Instrument.objects.create(
        code="ETS024",
        title="European Convention on Extradition",
        kind="multilateral",
        scope="extradition",
        parties_known=True,
    )
    instrument.parties.set([country("FR"), country("ES")])
    load_deadline_rules()
    ece.refresh_from_db()
    assert ece.instrument == instrument and not ece.active
    instrument.parties.add(country("MA"))
    DeadlineRule.objects.all().delete()
    load_deadline_rules()
    assert DeadlineRule.objects.get(code="incoming-provisional-arrest-ece").active


def _running(case: Any) -> dict[str, Any]:
    return {d.rule.code: d for d in case.deadlines.filter(status=DeadlineStatus.RUNNING).select_related("rule")}


def test_an_incoming_request_must_be_acknowledged_within_five_working_days(head: Any, officer: Any) -> None:
    load_deadline_rules()
    friday = date(2026, 11, 20)
    case = make_case(head, received_on=friday)
    running = _running(case)
    ack = running["incoming-acknowledge"]
    assert ack.due_at.date() == date(2026, 11, 27)  # five working days after a Friday: the next Friday
    assert running["incoming-admissibility-decision"].due_at.date() == friday + timedelta(days=30)
    assert "Internal service level" in ack.rule.source
    case = actions.assign(case, officer, actor=head)
    case = actions.transition(case, "under_review", actor=officer)
    ack.refresh_from_db()
    assert ack.status == DeadlineStatus.MET
    assert case.next_due_at == _running(case)["incoming-admissibility-decision"].due_at


def test_a_provisional_arrest_starts_the_forty_day_clock_until_the_formal_request(head: Any, officer: Any) -> None:
    load_deadline_rules()
    case = make_case(
        head,
        kind=Kind.EXTRADITION,
        title="Extradition of X",
        subjects=[{"kind": "person", "role": "person_sought", "name": "Karim Benali"}],
    )
    case = actions.assign(case, officer, actor=head)
    case = actions.transition(case, "provisionally_arrested", actor=officer)
    clock = _running(case)["incoming-provisional-arrest-un-model"]
    assert clock.due_at - clock.starts_at == timedelta(days=40)
    assert "art. 9(4)" in clock.rule.source
    actions.transition(case, "formal_request", actor=officer)
    clock.refresh_from_db()
    assert clock.status == DeadlineStatus.MET


def test_following_up_an_outgoing_request_starts_the_next_follow_up(head: Any) -> None:
    load_deadline_rules()
    case = make_case(
        head,
        direction=Direction.OUTGOING,
        measures=[{"type": "information", "details": {"information": "Criminal record"}}],
    )
    case = actions.transition(case, "under_review", actor=head)
    review = _running(case)["outgoing-draft-review"]
    case = actions.transition(case, "approved", actor=head)
    review.refresh_from_db()
    assert review.status == DeadlineStatus.MET
    case = actions.transition(case, "sent", actor=head)
    follow_up = _running(case)["outgoing-follow-up"]
    assert follow_up.due_at - follow_up.starts_at == timedelta(days=60)
    actions.meet_deadline(follow_up, actor=head, note="Status enquiry sent.")
    nxt = _running(case)["outgoing-follow-up"]
    assert nxt.pk != follow_up.pk and nxt.due_at > timezone.now() + timedelta(days=59)
