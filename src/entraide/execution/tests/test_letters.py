"""Letters to the requesting State, in its language, filed on the matter as DOCX and PDF."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from entraide.cases import actions as case_actions
from entraide.cases.models import Case, DeadlineRule, Document
from entraide.directory.models import Authority, AuthorityKind
from entraide.execution import actions
from entraide.execution.letters import counterpart_language, generate_letter
from entraide.testing import country, make_case

pytestmark = pytest.mark.django_db


def _docx_text(document: Document) -> str:
    with document.current.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        return archive.read("word/document.xml").decode()


def _pdf_text(document: Document) -> str:
    with document.current.file.open("rb") as handle:
        reader = PdfReader(io.BytesIO(handle.read()))
        return " ".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def french_case(head, officer):
    paris = Authority.objects.create(
        name="Bureau de l'entraide pénale internationale",
        kind=AuthorityKind.CENTRAL_AUTHORITY,
        country=country("FR"),
        languages=["fr"],
    )
    DeadlineRule.objects.create(
        code="incoming-acknowledge", name="Acknowledge", trigger="registered", days=5, source="SLA"
    )
    case = make_case(head, counterpart_authority=paris, counterpart_reference="BEPI-2026-12")
    return case_actions.assign(case, officer, actor=head)


def test_counterpart_language(french_case):
    assert counterpart_language(french_case) == "fr"
    french_case.counterpart_authority = None
    assert counterpart_language(french_case) == "en"


def test_acknowledgement_in_french_meets_the_clock(french_case, officer):
    documents = generate_letter(french_case, actor=officer, kind="acknowledgement")
    assert sorted(d.title.rsplit(" ", 1)[-1] for d in documents) == ["(DOCX)", "(PDF)"]
    assert all(d.language == "fr" for d in documents)
    docx = next(d for d in documents if d.title.endswith("(DOCX)"))
    pdf = next(d for d in documents if d.title.endswith("(PDF)"))
    text = _docx_text(docx)
    assert "Nous accusons réception" in text
    assert french_case.reference in text and "BEPI-2026-12" in text
    assert "Nous accusons" in _pdf_text(pdf)
    assert french_case.deadlines.get(rule__code="incoming-acknowledge").status == "met"


def test_acknowledgement_in_arabic_and_english(french_case, officer):
    arabic = generate_letter(french_case, actor=officer, kind="acknowledgement", language="ar")
    text = _docx_text(next(d for d in arabic if d.title.endswith("(DOCX)")))
    assert "نؤكد تسلمنا" in text
    assert "<w:bidi/>" in text
    english = generate_letter(french_case, actor=officer, kind="acknowledgement", language="en")
    assert "We acknowledge receipt" in _docx_text(next(d for d in english if d.title.endswith("(DOCX)")))


def test_refusal_letter_gives_the_grounds(french_case, officer, head):
    case = case_actions.transition(french_case, "under_review", actor=officer)
    consultation = actions.record_consultation(
        case,
        actor=officer,
        at=timezone.now() - timedelta(hours=2),
        channel="phone",
        counterpart="BEPI",
        summary="Consulted",
    )
    decision = actions.decide(
        case,
        actor=head,
        kind="refuse",
        reasons="Les faits relèvent d'une procédure nationale close.",
        grounds=["essential_interests"],
        consultation=consultation,
    )
    documents = generate_letter(Case.objects.get(pk=case.pk), actor=head, kind="decision", decision=decision)
    text = _docx_text(next(d for d in documents if d.title.endswith("(DOCX)")))
    assert "ne peut être accueillie" in text
    assert "ordre public" in text  # the ground, in French
    assert "procédure nationale close" in text


def test_supplementary_information_letter_lists_what_is_missing(french_case, officer):
    case = case_actions.transition(french_case, "under_review", actor=officer)
    actions.save_assessments(case, actor=officer, items={"purpose": ("not_met", "Aucun but indiqué")})
    decision = actions.decide(case, actor=officer, kind="ask_information", reasons="Précisez le but de la demande.")
    documents = generate_letter(Case.objects.get(pk=case.pk), actor=officer, kind="decision", decision=decision)
    text = _docx_text(next(d for d in documents if d.title.endswith("(DOCX)")))
    assert "complément d'information" in text or "informations complémentaires" in text
    assert "Aucun but indiqué" in text


def test_decision_page_files_its_letter(client, french_case, officer):
    case = case_actions.transition(french_case, "under_review", actor=officer)
    client.force_login(officer)
    response = client.post(reverse("execution:decide", args=[case.pk]), {"kind": "accept", "letter": "on"})
    assert response.status_code == 302
    assert Case.objects.get(pk=case.pk).status == "accepted"
    assert case.documents.filter(language="fr").count() == 2


def test_letter_page(client, french_case, officer, officer2):
    client.force_login(officer)
    url = reverse("execution:letter", args=[french_case.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "acknowledgement", "language": "fr"})
    assert response.status_code == 302
    assert french_case.documents.count() == 2
    client.force_login(officer2)
    assert client.post(url, {"kind": "acknowledgement", "language": "fr"}).status_code == 404


def test_status_letter_lists_measures_and_expected_dates(french_case, officer, executor):
    measure = case_actions.add_measure(
        french_case, actor=officer, type="information", details={"information": "Relevés"}, description="Relevés"
    )
    case = case_actions.transition(french_case, "under_review", actor=officer)
    case = case_actions.transition(case, "accepted", actor=officer, owner="execution")
    due = timezone.localdate() + timedelta(days=40)
    actions.create_task(
        case, actor=officer, authority=executor.authority, measure=measure, title="T", instructions="I", due_on=due
    )
    documents = generate_letter(Case.objects.get(pk=case.pk), actor=officer, kind="status", language="en")
    text = _docx_text(next(d for d in documents if d.title.endswith("(DOCX)")))
    assert "state of execution" in text
    assert "In progress" in text and "Relevés" in text
    assert due.strftime("%Y") in text


def test_scheduled_status_letters(client, french_case, officer):
    case = case_actions.transition(french_case, "under_review", actor=officer)
    case = case_actions.transition(case, "accepted", actor=officer, owner="execution")
    client.force_login(officer)
    today = timezone.localdate()
    response = client.post(
        reverse("execution:status-schedule", args=[case.pk]),
        {"every_days": "30", "next_on": today.isoformat(), "language": "fr", "active": "on"},
    )
    assert response.status_code == 302
    assert actions.send_scheduled_status_letters(today) == 1
    assert case.documents.filter(title__contains="état d'exécution").count() == 2
    schedule = Case.objects.get(pk=case.pk).status_schedule
    assert schedule.next_on == today + timedelta(days=30) and schedule.last_sent_on == today
    assert actions.send_scheduled_status_letters(today) == 0
    from entraide.notifications.models import Notification

    assert Notification.objects.filter(user=officer, kind="execution.status_letter").exists()
