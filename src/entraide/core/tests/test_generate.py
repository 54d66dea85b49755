"""``entraide generate``: matters at scale that agree with the lifecycles, deadline rules and references.

Generating takes a few seconds, so one test generates 500 matters and checks each property in turn.
"""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count

from entraide.audit import log as audit
from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.cases import choices as c
from entraide.cases.lifecycles import lifecycle_for
from entraide.cases.models import Case, Deadline, Event, Identifier, Measure, ReferenceCounter, Subject
from entraide.core.text import fold, normalize_identifier
from entraide.testing import country

pytestmark = pytest.mark.django_db


def test_500_generated_matters_agree_with_lifecycles_deadline_rules_and_references(settings: Any) -> None:
    settings.ENTRAIDE_COUNTRY = "MA"
    out = StringIO()
    call_command("generate", cases=500, seed=3, batch=200, stdout=out)
    assert re.search(r"500 / 500 matters .* matters/s", out.getvalue())
    assert "Generated 500 matters" in out.getvalue()
    references_are_unique_follow_the_pattern_and_the_counters()
    statuses_and_dates_agree_with_the_lifecycles()
    next_due_is_the_earliest_running_deadline()
    the_content_is_complete_and_searchable()
    one_audit_record_per_batch_and_the_chain_holds()


def references_are_unique_follow_the_pattern_and_the_counters() -> None:
    references = list(Case.objects.values_list("reference", "kind", "direction"))
    assert len(references) == 500 == len({r for r, _k, _d in references})
    last: Counter[str] = Counter()
    for reference, kind, direction in references:
        match = re.fullmatch(r"([A-Z]+)/(IN|OUT)/(\d{4})/(\d{5})", reference)
        assert match, reference
        assert match[1] == c.KIND_CODES[c.Kind(kind)] and match[2] == c.DIRECTION_CODES[c.Direction(direction)]
        prefix = reference.rsplit("/", 1)[0] + "/"
        last[prefix] = max(last[prefix], int(match[4]))
    assert dict(ReferenceCounter.objects.values_list("prefix", "last_value")) == dict(last)
    # The actions carry on after the generated numbers.
    prefix = next(iter(last))
    kind = next(k for k, code in c.KIND_CODES.items() if code == prefix.split("/")[0])
    direction = "incoming" if "/IN/" in prefix else "outgoing"
    fresh = actions.next_reference(kind, direction, int(prefix.split("/")[2]))
    assert int(fresh.rsplit("/", 1)[1]) == last[prefix] + 1


def statuses_and_dates_agree_with_the_lifecycles() -> None:
    seen: dict[str, set[str]] = {}
    for case in Case.objects.all():
        lc = lifecycle_for(case.kind, case.direction)
        assert case.status in lc.states
        assert case.is_open == lc.is_active(case.status)
        assert (case.closed_at is None) == case.is_open
        assert case.created_at <= case.updated_at
        if case.received_on and case.sent_on:
            assert case.sent_on >= case.received_on
        if case.status in {"sent", "acknowledged", "executed"} and case.direction == c.Direction.OUTGOING:
            assert case.sent_on is not None
        seen.setdefault(lc.code, set()).add(case.status)
        steps = list(case.events.filter(verb="transition").order_by("at", "id").values_list("params", flat=True))
        assert all(lc.get(p["source"], p["target"]) for p in steps)
        assert (steps[-1]["target"] if steps else lc.initial) == case.status
    assert {(d, k) for d, k in Case.objects.values_list("direction", "kind")} == {
        (d, k) for d in c.Direction.values for k in c.Kind.values
    }
    assert all(len(states) >= 6 for states in seen.values())


def next_due_is_the_earliest_running_deadline() -> None:
    running: dict[int, Any] = {}
    for case_id, due in Deadline.objects.filter(status=c.DeadlineStatus.RUNNING).values_list("case_id", "due_at"):
        running[case_id] = min(due, running.get(case_id, due))
    for case_id, next_due, is_open in Case.objects.values_list("id", "next_due_at", "is_open"):
        assert next_due == running.get(case_id)
        if not is_open:
            assert case_id not in running
    assert Case.objects.filter(is_open=True, next_due_at__isnull=False).exists()
    assert Deadline.objects.filter(status=c.DeadlineStatus.MET).exists()
    assert Deadline.objects.filter(status=c.DeadlineStatus.CANCELLED).exists()


def the_content_is_complete_and_searchable() -> None:
    subjects = Subject.objects.count()
    assert 1.8 * 500 <= subjects <= 3.2 * 500
    assert Measure.objects.count() >= 500
    for subject in Subject.objects.all()[:200]:
        assert subject.search_name == fold(subject.name + " " + subject.original_script_name)
    for ident in Identifier.objects.all()[:300]:
        assert ident.normalized == normalize_identifier(ident.type, ident.value)
    assert Subject.objects.exclude(original_script_name="").exists()
    assert Case.objects.filter(officer__isnull=False).values("officer").distinct().count() >= 15
    executed = Case.objects.filter(status="executed")
    assert not Measure.objects.filter(case__in=executed).exclude(status__in=c.MEASURE_DONE).exists()
    assert Case.objects.annotate(n=Count("events")).filter(n=0).count() == 0
    assert Event.objects.filter(verb="deadline_started").exists()
    # Nobody registers or leads a matter above their clearance.
    for case in Case.objects.select_related("created_by", "officer"):
        assert case.created_by.clearance >= case.confidentiality
        assert case.officer is None or case.officer.clearance >= case.confidentiality


def one_audit_record_per_batch_and_the_chain_holds() -> None:
    batches = AuditRecord.objects.filter(action="generate.batch")
    assert batches.count() == 3  # 200 + 200 + 100
    assert sum(b.after["matters"] for b in batches) == 500
    assert audit.verify().ok


def test_the_actions_work_on_top_of_generated_data(settings: Any, head: Any) -> None:
    """Ids and sequences continue after the generated rows (PostgreSQL's sequences were moved on)."""
    settings.ENTRAIDE_COUNTRY = "MA"
    call_command("generate", cases=50, seed=5, stdout=StringIO())
    case = actions.register_case(
        actor=head,
        direction="incoming",
        kind="mla",
        title="After the generator",
        counterpart_country=country("FR"),
        subjects=[
            {
                "kind": "person",
                "role": "suspect",
                "name": "Jean Martin",
                "identifiers": [{"type": "phone", "value": "+33 6 39 98 00 00"}],
            }
        ],
        measures=[{"type": "information", "details": {"information": "Records"}}],
    )
    assert case.pk > max(Case.objects.exclude(pk=case.pk).values_list("pk", flat=True))
    call_command("generate", cases=20, seed=4, stdout=StringIO())
    assert Case.objects.count() == 71
    assert len(set(Case.objects.values_list("reference", flat=True))) == 71
