"""Registration, references, validation and deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.cases.choices import DeadlineStatus, Direction, Kind, Priority
from entraide.cases.models import (
    Case,
    Deadline,
    DeadlineRule,
    Document,
    DocumentVersion,
    Measure,
    ReferenceCounter,
    Subject,
)
from entraide.core.errors import ActionError, Forbidden
from entraide.testing import country, make_case


def test_references_follow_the_pattern_and_never_repeat(head, settings):
    settings.ENTRAIDE_REFERENCE_PATTERN = "{kind}/{direction}/{year}/{seq:05d}"
    first = make_case(head, direction=Direction.OUTGOING, received_on=dt.date(2026, 3, 1))
    second = make_case(head, direction=Direction.OUTGOING, received_on=dt.date(2026, 3, 2))
    assert first.reference == "MLA/OUT/2026/00001"
    assert second.reference == "MLA/OUT/2026/00002"
    ext = make_case(head, kind=Kind.EXTRADITION, received_on=dt.date(2026, 3, 2))
    assert ext.reference == "EXT/IN/2026/00001"


def test_a_reference_already_held_is_skipped(head, settings):
    settings.ENTRAIDE_REFERENCE_PATTERN = "{kind}/{direction}/{year}/{seq:05d}"
    first = make_case(head, direction=Direction.OUTGOING, received_on=dt.date(2026, 3, 1))
    # A matter brought in from the old register already holds the next number.
    Case.objects.filter(pk=first.pk).update(reference="MLA/OUT/2026/00002")
    assert make_case(head, direction=Direction.OUTGOING, received_on=dt.date(2026, 3, 2)).reference == (
        "MLA/OUT/2026/00003"
    )
    assert ReferenceCounter.objects.get(prefix="MLA/OUT/2026/").last_value == 3


def test_a_custom_pattern_is_used(head, settings):
    settings.ENTRAIDE_REFERENCE_PATTERN = "CA-{year}-{direction}-{seq:04d}"
    assert make_case(head, received_on=dt.date(2025, 1, 5)).reference == "CA-2025-IN-0001"


def test_sent_before_received_is_refused_and_nothing_is_saved(head):
    with pytest.raises(ActionError) as info:
        make_case(head, received_on=dt.date(2026, 5, 2), sent_on=dt.date(2026, 5, 1))
    assert "sent_on" in info.value.fields
    assert not Case.objects.exists()


def test_a_duplicate_counterpart_reference_is_refused(head):
    make_case(head, counterpart_reference="PARQUET/2026/77")
    with pytest.raises(ActionError) as info:
        make_case(head, counterpart_reference="PARQUET/2026/77")
    assert "counterpart_reference" in info.value.fields
    assert Case.objects.count() == 1


def test_urgent_needs_a_reason(head):
    with pytest.raises(ActionError) as info:
        make_case(head, priority=Priority.URGENT)
    assert "priority_reason" in info.value.fields


def test_registration_is_all_or_nothing(head):
    with pytest.raises(ActionError):
        make_case(
            head,
            subjects=[{"kind": "person", "role": "suspect", "name": "Karim B."}],
            measures=[
                {"type": "information", "details": {"information": "Criminal record"}},
                {"type": "bank_records", "details": {"bank": "BMCE"}},  # accounts missing
            ],
        )
    assert not Case.objects.exists()
    assert not Subject.objects.exists()
    assert not Measure.objects.exists()


def test_registration_is_audited_and_the_chain_verifies(head):
    case = make_case(head)
    record = AuditRecord.objects.get(action="case.register")
    assert record.case_id == case.pk and record.actor == head
    assert verify().ok


def test_a_requesting_authority_only_prepares_outgoing_requests(prosecutor):
    with pytest.raises(Forbidden):
        make_case(prosecutor, direction=Direction.INCOMING)
    case = make_case(prosecutor, direction=Direction.OUTGOING)
    assert case.national_authority == prosecutor.authority
    assert case.status == "draft"


def test_the_auditor_cannot_register(auditor):
    with pytest.raises(Forbidden):
        make_case(auditor)


def _rule(**kw):
    defaults = {
        "code": "ack",
        "name": "Acknowledge",
        "trigger": "registered",
        "days": 5,
        "source": "Internal SLA",
        "stop_statuses": ["under_review"],
        "direction": Direction.INCOMING,
    }
    defaults.update(kw)
    return DeadlineRule.objects.create(**defaults)


def test_deadlines_start_from_their_rule_and_are_met_by_the_lifecycle(head, officer):
    _rule()
    case = actions.assign(make_case(head), officer, actor=head)
    deadline = Deadline.objects.get(case=case)
    assert (deadline.due_at - deadline.starts_at) == dt.timedelta(days=5)
    case.refresh_from_db()
    assert case.next_due_at == deadline.due_at
    actions.transition(case, "under_review", actor=officer)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.MET
    case.refresh_from_db()
    assert case.next_due_at is None


def test_pause_resume_and_extend_move_the_due_date(head, officer):
    _rule(days=10)
    case = actions.assign(make_case(head), officer, actor=head)
    deadline = Deadline.objects.get(case=case)
    original = deadline.due_at
    actions.extend_deadline(deadline, actor=officer, days=3, reason="Translation pending")
    deadline.refresh_from_db()
    assert deadline.due_at == original + dt.timedelta(days=3)
    actions.pause_deadline(deadline, actor=officer, reason="Waiting for the requesting state")
    Deadline.objects.filter(pk=deadline.pk).update(paused_at=timezone.now() - dt.timedelta(days=2))
    deadline.refresh_from_db()
    actions.resume_deadline(deadline, actor=officer)
    deadline.refresh_from_db()
    assert deadline.status == DeadlineStatus.RUNNING
    assert abs((deadline.due_at - original) - dt.timedelta(days=5)) < dt.timedelta(seconds=5)


def test_working_days_skip_weekends():
    friday = timezone.make_aware(dt.datetime(2026, 11, 27, 9, 0))
    assert actions.add_days(friday, 1, "working").weekday() == 0
    assert actions.add_days(friday, 5, "working").date() == dt.date(2026, 12, 4)


def test_an_anchor_on_the_date_received_counts_from_that_date(head):
    _rule(anchor="received_on", days=30, code="decide")
    case = make_case(head, received_on=dt.date(2026, 1, 10))
    deadline = Deadline.objects.get(case=case)
    assert timezone.localtime(deadline.due_at).date() == dt.date(2026, 2, 9)
    assert case.is_overdue or Case.objects.get(pk=case.pk).is_overdue


def test_an_executable_named_pdf_is_refused_and_nothing_is_kept(case, officer, settings):
    fake = SimpleUploadedFile("request.pdf", b"MZ\x90\x00" + b"\x00" * 200, content_type="application/pdf")
    with pytest.raises(ActionError, match="program"):
        actions.add_document(case, fake, actor=officer, kind="request")
    assert not Document.objects.exists()
    media = settings.MEDIA_ROOT
    assert not any(p.is_file() for p in media.rglob("*")) if media.exists() else True


def test_a_text_file_pretending_to_be_a_pdf_is_refused(case, officer):
    fake = SimpleUploadedFile("request.pdf", b"hello, not a pdf", content_type="application/pdf")
    with pytest.raises(ActionError, match="does not match"):
        actions.add_document(case, fake, actor=officer, kind="request")


def test_documents_keep_versions_with_their_fingerprint(case, officer, settings):
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    doc = actions.add_document(
        case,
        SimpleUploadedFile("req.pdf", pdf),
        actor=officer,
        kind="request",
        title="Request",
        language="fr",
    )
    v2 = actions.add_document_version(doc, SimpleUploadedFile("req-v2.pdf", pdf + b"%v2\n"), actor=officer)
    assert v2.number == 2
    import hashlib

    assert DocumentVersion.objects.get(document=doc, number=1).sha256 == hashlib.sha256(pdf).hexdigest()
    assert doc.current == v2


def test_too_large_uploads_are_refused(case, officer, settings):
    settings.ENTRAIDE_MAX_UPLOAD_MB = 1
    big = SimpleUploadedFile("big.txt", b"a" * (1024 * 1024 + 1))
    with pytest.raises(ActionError) as info:
        actions.add_document(case, big, actor=officer, kind="annex")
    assert info.value.status == 413


def test_assignment_needs_the_head_and_clearance(case, officer, officer2, head):
    with pytest.raises(Forbidden):
        actions.assign(case, officer2, actor=officer)
    Case.objects.filter(pk=case.pk).update(confidentiality=3)
    case.refresh_from_db()
    with pytest.raises(ActionError, match="cleared"):
        actions.assign(case, officer2, actor=head)


def test_links_need_both_matters_visible(case, officer, head):
    other = make_case(head, counterpart_country=country("ES"))
    with pytest.raises(ActionError) as info:
        actions.link_cases(case, other, actor=officer, kind="related")
    assert info.value.status == 404
    actions.assign(other, officer, actor=head)
    link = actions.link_cases(case, other, actor=officer, kind="supplementary")
    assert link.target == other


def test_a_treaty_clock_runs_only_on_matters_based_on_that_treaty(head):
    from entraide.directory.models import Instrument

    budapest = Instrument.objects.create(code="CETS185", title="Budapest", kind="multilateral", scope="mla")
    _rule(code="preserve", trigger="registered", days=60, instrument=budapest, direction="", stop_statuses=[])
    on_treaty = make_case(head, kind=Kind.PRESERVATION, legal_basis=budapest, counterpart_reference="A")
    on_reciprocity = make_case(head, kind=Kind.PRESERVATION, counterpart_reference="B")
    assert on_treaty.deadlines.count() == 1
    assert on_reciprocity.deadlines.count() == 0


def test_reentering_a_state_does_not_start_a_second_clock(case, officer):
    _rule(code="exec", trigger="status:in_execution", days=90, stop_statuses=["executed"])
    actions.add_measure(case, actor=officer, type="information", details={"information": "Records"})
    for state in ("under_review", "accepted", "in_execution", "postponed", "in_execution"):
        actions.transition(case, state, actor=officer, reason="r")
    assert case.deadlines.filter(rule__code="exec").count() == 1
