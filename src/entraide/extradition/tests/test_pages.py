"""Extradition pages and API, end to end through the client."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.extradition import actions
from entraide.extradition.models import Custody
from entraide.extradition.tests.helpers import extradition_case

pytestmark = pytest.mark.django_db


def _local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_the_officer_records_the_arrest_and_the_case_page_counts_down(client, head, officer):
    case = extradition_case(head, officer)
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert b'id="extradition"' in page.content
    response = client.post(
        reverse("extradition:arrest", args=[case.pk]),
        {
            "subject": case.subjects.get().pk,
            "arrested_at": _local(timezone.now() - timedelta(days=2)),
            "place": "Tanger",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk]))
    text = page.content.decode()
    assert "38 days left" in text
    assert "UN Model Treaty on Extradition" in text
    assert "Jean Dupont" in text


def test_a_future_arrest_is_refused_on_the_page_with_its_reason(client, head, officer):
    case = extradition_case(head, officer)
    client.force_login(officer)
    response = client.post(
        reverse("extradition:arrest", args=[case.pk]),
        {"subject": case.subjects.get().pk, "arrested_at": _local(timezone.now() + timedelta(days=1))},
    )
    assert response.status_code == 200
    assert "The arrest cannot be in the future." in response.content.decode()
    assert not Custody.objects.exists()


def test_custody_page_is_red_under_ten_days(client, head, officer, officer2):
    case = extradition_case(head, officer, direction="outgoing")
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=33), subject=case.subjects.get()
    )
    client.force_login(head)
    page = client.get(reverse("extradition:custody"))
    text = page.content.decode()
    assert case.reference in text
    assert 'data-level="danger"' in text
    assert "Persons in custody" in text
    client.force_login(officer2)
    assert case.reference not in client.get(reverse("extradition:custody")).content.decode()


def test_a_step_recorded_through_the_page(client, head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=2), subject=case.subjects.get()
    )
    client.force_login(officer)
    response = client.post(
        reverse("extradition:step-add", args=[case.pk]),
        {"kind": "hearing", "at": _local(timezone.now() + timedelta(days=3)), "court": "Cour d'appel de Rabat"},
    )
    assert response.status_code == 302
    assert "Cour d&#x27;appel de Rabat" in client.get(reverse("cases:detail", args=[case.pk])).content.decode()


def test_the_auditor_reads_but_may_not_act(client, head, officer, auditor):
    case = extradition_case(head, officer)
    client.force_login(auditor)
    assert client.get(reverse("extradition:arrest", args=[case.pk])).status_code == 403
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="record-arrest"' not in page


def test_the_api_records_an_arrest_and_returns_the_countdown(client, head, officer, officer2):
    case = extradition_case(head, officer, instrument="ETS024")
    token = Token.objects.create(user=officer)
    url = reverse("extradition-arrest", args=[case.pk])
    body = {"subject": case.subjects.get().pk, "arrested_at": (timezone.now() - timedelta(days=1)).isoformat()}
    response = client.post(url, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200, response.content
    clocks = {c["rule"]: c for c in response.json()["clocks"]}
    assert clocks["ext-pa-ece-18"]["days_left"] == 17
    assert clocks["ext-pa-ece-40"]["source"].startswith("European Convention on Extradition (ETS 024) art. 16(4)")
    future = {"subject": case.subjects.get().pk, "arrested_at": (timezone.now() + timedelta(days=1)).isoformat()}
    refused = client.post(url, future, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert refused.status_code in {400, 409}
    assert refused.json()["code"]
    other = Token.objects.create(user=officer2)
    assert (
        client.get(reverse("extradition-detail", args=[case.pk]), HTTP_AUTHORIZATION=f"Token {other.key}").status_code
        == 404
    )
    custody = client.get(reverse("extradition-custody-list"), HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert custody[0]["person_name"] == "Jean Dupont"
    assert custody[0]["clocks"][0]["level"] in {"primary", "warning", "danger"}


def test_the_api_records_steps_and_refuses_a_hearing_before_the_arrest(client, head, officer):
    case = extradition_case(head, officer)
    arrested = timezone.now() - timedelta(days=3)
    actions.record_arrest(case, actor=officer, arrested_at=arrested, subject=case.subjects.get())
    token = Token.objects.create(user=officer)
    url = reverse("extradition-steps", args=[case.pk])
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    bad = client.post(
        url,
        {"kind": "hearing", "at": (arrested - timedelta(days=1)).isoformat()},
        content_type="application/json",
        **auth,
    )
    assert bad.status_code == 400
    assert "at" in bad.json()["fields"]
    good = client.post(
        url,
        {"kind": "hearing", "at": timezone.now().isoformat(), "court": "Rabat"},
        content_type="application/json",
        **auth,
    )
    assert good.status_code == 201
    assert client.get(reverse("extradition-step-list"), **auth).json()["count"] == 1


def test_the_status_letter_is_generated_in_the_counterparts_language_and_filed(client, head, officer):
    from io import BytesIO

    from pypdf import PdfReader

    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=2), subject=case.subjects.get()
    )
    actions.record_step(case, actor=officer, kind="hearing", at=timezone.now(), court="Cour d'appel de Rabat")
    client.force_login(officer)
    response = client.post(reverse("extradition:status-letter", args=[case.pk]), {"language": "fr"})
    assert response.status_code == 302
    documents = {d.title: d for d in case.documents.all()}
    assert set(documents) == {"Point de situation — extradition (DOCX)", "Point de situation — extradition (PDF)"}
    pdf = documents["Point de situation — extradition (PDF)"].current
    text = "".join(page.extract_text() for page in PdfReader(BytesIO(pdf.file.read())).pages)
    assert "Phase judiciaire" in text
    assert "Rabat" in text
    assert case.reference in text


def test_the_status_letter_in_arabic_through_the_api(client, head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=2), subject=case.subjects.get()
    )
    token = Token.objects.create(user=officer)
    response = client.post(
        reverse("extradition-status-letter", args=[case.pk]),
        {"language": "ar"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Token {token.key}",
    )
    assert response.status_code == 201, response.content
    assert {d["language"] for d in response.json()} == {"ar"}


def test_the_grounds_review_page(client, head, officer):
    case = extradition_case(head, officer)
    client.force_login(officer)
    url = reverse("extradition:grounds", args=[case.pk])
    assert "Political offence (art. 3(a))" in client.get(url).content.decode()
    data = {f"finding_{g}": "no" for g in ("political", "persecution", "military", "final_judgment")}
    data |= {"finding_national": "applies", "note_national": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Give the reasons why this ground applies." in response.content.decode()
    data["note_national"] = "National of this State"
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "aut dedere aut judicare" in page
    token = Token.objects.create(user=officer)
    api = client.get(reverse("extradition-grounds", args=[case.pk]), HTTP_AUTHORIZATION=f"Token {token.key}").json()
    assert {g["ground"]: g["finding"] for g in api["grounds"]}["national"] == "applies"


def test_a_clock_is_paused_and_resumed_from_the_panel(client, head, officer):
    from entraide.cases.models import Deadline

    case = extradition_case(head, officer)
    actions.record_arrest(case, actor=officer, arrested_at=timezone.now(), subject=case.subjects.get())
    clock = Deadline.objects.get(case=case, rule__code="ext-pa-un-model")
    client.force_login(officer)
    pause = reverse("cases:deadline-action", args=[case.pk, clock.pk, "pause"])
    assert pause in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert client.post(pause, {"reason": "Person in hospital"}).status_code == 302
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("cases:deadline-action", args=[case.pk, clock.pk, "resume"]) in page
    assert ">Paused<" in page


def test_the_custody_page_in_arabic_runs_right_to_left(client, head, officer):
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=1), subject=case.subjects.get()
    )
    head.language = "ar"
    head.save()
    client.force_login(head)
    text = client.get(reverse("extradition:custody")).content.decode()
    assert 'dir="rtl"' in text
    assert "الأشخاص المحتجزون" in text
    assert "يبقى 39 يوما" in text
