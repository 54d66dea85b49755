"""Letters to the requesting State, in its language, filed on the matter as DOCX and PDF."""

from __future__ import annotations

import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation
from pypdf import PdfReader

from entraide.cases import actions as case_actions
from entraide.cases.models import Case, DeadlineRule, Document
from entraide.directory.models import Authority, AuthorityKind
from entraide.execution import actions
from entraide.execution.letters import counterpart_language, generate_letter
from entraide.execution.models import Decision
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


def _accepted_with_a_task(french_case, officer, executor):
    """The French request accepted, with one measure given to the executing authority: (the matter, its deadline)."""
    measure = case_actions.add_measure(
        french_case, actor=officer, type="information", details={"information": "Relevés"}, description="Relevés"
    )
    case = case_actions.transition(french_case, "under_review", actor=officer)
    case = case_actions.transition(case, "accepted", actor=officer, owner="execution")
    due = timezone.localdate() + timedelta(days=40)
    actions.create_task(
        case, actor=officer, authority=executor.authority, measure=measure, title="T", instructions="I", due_on=due
    )
    return case, due


def test_status_letter_lists_measures_and_expected_dates(french_case, officer, executor):
    case, due = _accepted_with_a_task(french_case, officer, executor)
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


# --- Spanish and Portuguese; other languages in English, with a note ---------------------------------------


@pytest.fixture
def spanish_case(head, officer):
    """A request from Spain, whose requirement profile says Spanish; no authority of its own on the matter."""
    from entraide.directory.models import CountryProfile

    spain = country("ES")
    CountryProfile.objects.create(country=spain, languages=["es"])
    case = make_case(head, counterpart_country=spain, counterpart_reference="AJI-2026-77", counterpart_authority=None)
    case = case_actions.assign(case, officer, actor=head)
    case_actions.add_measure(
        case, actor=officer, type="bank_records", details={"bank": "Banco A", "accounts": "ES91 2100 0418"}
    )
    case_actions.add_measure(
        case, actor=officer, type="subscriber_info", details={"provider": "Tel", "identifiers": "+34 600 000 000"}
    )
    return Case.objects.get(pk=case.pk)


def _docx(documents):
    return _docx_text(next(d for d in documents if d.title.endswith("(DOCX)")))


def test_a_spanish_speaking_counterpart_gets_its_letters_in_spanish(spanish_case, officer, head):
    assert counterpart_language(spanish_case) == "es"
    documents = generate_letter(spanish_case, actor=officer, kind="acknowledgement")
    assert all(d.language == "es" for d in documents)
    text = _docx(documents)
    assert "Acusamos recibo" in text and "su solicitud de asistencia judicial recíproca" in text
    assert "Nuestra referencia" in text and "Su referencia: AJI-2026-77" in text
    assert "Asunto: Acuse de recibo" in text and "por la Autoridad Central" in text
    assert "de 20" in text  # the date in Spanish ("28 de noviembre de 2026")
    assert "Autoridad Central de España" in text and "Spain" not in text  # the country in Spanish (CLDR)
    assert "acknowledge" not in text.lower() and "request" not in text
    assert "Acusamos recibo" in _pdf_text(next(d for d in documents if d.title.endswith("(PDF)")))
    # A refusal: the grounds of the checklist in Spanish, the officer's reasons as written.
    case = case_actions.transition(spanish_case, "under_review", actor=officer)
    consultation = actions.record_consultation(
        case, actor=officer, at=timezone.now() - timedelta(hours=1), channel="phone", counterpart="AJI", summary="-"
    )
    decision = actions.decide(
        case,
        actor=head,
        kind="refuse",
        reasons="The national proceedings are closed.",
        grounds=["essential_interests", "dual_criminality"],
        consultation=consultation,
    )
    text = _docx(generate_letter(Case.objects.get(pk=case.pk), actor=head, kind="decision", decision=decision))
    assert "lamentamos informarles" in text and "Su solicitud de asistencia judicial recíproca: denegada" in text
    assert "orden público" in text and "Los hechos no constituyen delito" in text
    assert "The national proceedings are closed." in text  # user-entered text stays as entered


def test_a_portuguese_status_letter_and_transmittal(spanish_case, officer, executor):
    case = case_actions.transition(spanish_case, "under_review", actor=officer)
    actions.decide(case, actor=officer, kind="accept")
    case = Case.objects.get(pk=case.pk)
    bank = case.measures.get(type="bank_records")
    actions.create_task(
        case,
        actor=officer,
        authority=executor.authority,
        measure=bank,
        title="T",
        instructions="I",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    text = _docx(generate_letter(case, actor=officer, kind="status", language="pt"))
    assert "ponto de situação da execução do seu pedido de auxílio judiciário mútuo" in text
    assert "Documentação bancária e financeira" in text and "Em curso" in text and "Solicitada" in text
    assert "Situação" in text and "Data prevista" in text
    physical = actions.add_physical_item(
        case, actor=officer, description="Extratos", seal_number="S-1", received_from="Banco", holder="AC"
    )
    package = actions.return_evidence(case, actor=officer, items=[physical], channel="diplomatic", language="pt")
    transmittal = case.documents.get(pk=package.documents[0])
    text = _docx_text(transmittal)
    assert "remessa parcial n.º 1" in text and "Junto remetemos" in text and "S-1" in text
    assert "consentimento prévio" in text


@pytest.mark.parametrize("language", ["es", "pt"])
def test_every_sentence_of_every_letter_is_written_in_spanish_and_portuguese(spanish_case, officer, head, language):
    """A sentence missing from ``letter_text`` would come out in English: build every letter and catch any."""
    from entraide.execution import letter_text
    from entraide.execution import letters as module

    missing: set[str] = set()
    texts = letter_text.TEXTS[language]

    class Recording(dict):
        def get(self, key, default=None):
            if key not in texts:
                missing.add(key)
            return texts.get(key, default)

    letter_text.TEXTS[language] = Recording(texts)
    try:
        case = case_actions.transition(spanish_case, "under_review", actor=officer)
        actions.save_assessments(case, actor=officer, items={"purpose": ("not_met", "—")})
        consultation = actions.record_consultation(
            case, actor=officer, at=timezone.now() - timedelta(hours=1), channel="phone", counterpart="X", summary="-"
        )
        decisions = [
            Decision(case=case, kind=kind, reasons="R", grounds=["conformity"], refused_measures=[], decided_by=head)
            for kind in ("accept", "accept_in_part", "ask_information", "postpone", "refuse")
        ]
        for decision in decisions:
            module.build_letter(case, kind="decision", actor=officer, language=language, decision=decision)
        for kind in ("acknowledgement", "status"):
            module.build_letter(case, kind=kind, actor=officer, language=language)
        actions.decide(case, actor=officer, kind="postpone", reasons="R", consultation=consultation)
        item = actions.add_physical_item(
            case, actor=officer, description="D", seal_number="S", received_from="F", holder="H"
        )
        for partial in (True, False):
            package = actions.return_evidence(case, actor=officer, items=[item], channel="post", letter=False)
            package.partial = partial
            module.file_transmittal(case, package, actor=officer, language=language)
            item = actions.add_physical_item(
                case, actor=officer, description="D", seal_number="S", received_from="F", holder="H"
            )
    finally:
        letter_text.TEXTS[language] = texts
    assert not missing
    for table in (letter_text.MEASURE_STATUSES, letter_text.CHECKLIST):
        assert set(table["es"]) == set(table["pt"])
    from entraide.cases.catalogue import MeasureType
    from entraide.execution.checklist import BY_CODE
    from entraide.letters.lexicon import TERMS, english

    # The kinds of measure come from the lexicon the request documents use.
    assert {english(m.label) for m in MeasureType} <= set(TERMS[language])
    assert set(letter_text.CHECKLIST[language]) == set(BY_CODE)


def test_a_counterpart_in_another_language_gets_english_and_the_officer_is_told(client, head, officer):
    from entraide.directory.models import CountryProfile

    profile_country = country("US")
    CountryProfile.objects.create(country=profile_country, languages=["ru"])
    case = make_case(head, counterpart_country=profile_country, counterpart_authority=None)
    case = case_actions.assign(case, officer, actor=head)
    assert counterpart_language(case) == "en"
    client.force_login(officer)
    page = client.get(reverse("execution:letter", args=[case.pk])).content.decode()
    assert "Entraide has no letter text in that language" in page and "Russian" in page
    # Asked in Russian anyway (the API, an older schedule): written in English, and the record says so.
    documents = generate_letter(case, actor=officer, kind="acknowledgement", language="ru")
    assert all(d.language == "en" for d in documents)
    assert "We acknowledge receipt" in _docx(documents)
    event = case.events.get(verb="execution_letter")
    assert event.params["asked"] == "ru" and event.params["language"] == "en"
    timeline = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "no letter text in ru" in timeline


def test_an_acknowledgement_sent_is_logged_as_a_communication(client, french_case, officer):
    from entraide.cases.models import Communication

    client.force_login(officer)
    url = reverse("execution:letter", args=[french_case.pk])
    sent_at = (timezone.localtime() - timedelta(minutes=10)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(url, {"kind": "acknowledgement", "language": "fr", "sent_by": "email", "sent_at": sent_at})
    assert response.status_code == 302
    sent = Communication.objects.get(case=french_case, direction="sent")
    title = french_case.documents.first().title.rsplit(" (", 1)[0]  # the letter's subject, in French
    assert sent.channel == "email" and sent.summary == f"Letter sent: {title}"
    assert french_case.deadlines.get(rule__code="incoming-acknowledge").status == "met"
    # Filed only: no communication.
    client.post(url, {"kind": "acknowledgement", "language": "en"})
    assert Communication.objects.filter(case=french_case).count() == 1


@pytest.mark.parametrize(("language", "on_hold"), [("en", "On hold (postponed)"), ("es", "En suspenso (aplazamiento)")])
def test_a_status_letter_promises_no_date_for_a_measure_on_hold(french_case, officer, executor, language, on_hold):
    case, due = _accepted_with_a_task(french_case, officer, executor)
    consultation = actions.record_consultation(
        case,
        actor=officer,
        at=timezone.now() - timedelta(hours=1),
        channel="phone",
        counterpart="Their Central Authority",
        summary="They agree to wait.",
    )
    actions.decide(case, actor=officer, kind="postpone", reasons="Our own investigation", consultation=consultation)
    documents = generate_letter(Case.objects.get(pk=case.pk), actor=officer, kind="status", language=language)
    text = _docx_text(next(d for d in documents if d.title.endswith("(DOCX)")))
    # Its deadline moves by the time on hold when the execution resumes: the letter gives no date yet.
    with translation.override(language):
        promised = formats.date_format(due, "DATE_FORMAT")
    assert on_hold in text and promised not in text
