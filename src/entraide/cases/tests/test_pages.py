"""The case pages, driven with the test client as each persona."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.cases.models import Case, Measure, Subject
from entraide.testing import country, make_case


def login(client, user):
    client.force_login(user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def test_the_case_page_shows_the_case_to_its_officer_and_audits_the_read(client, case, officer):
    response = login(client, officer).get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 200
    assert case.reference in response.content.decode()
    assert AuditRecord.objects.filter(action="case.view", case_id=case.pk, actor=officer).exists()


@pytest.mark.parametrize("persona", ["officer2", "executor", "admin_user", "prosecutor"])
def test_the_case_does_not_exist_for_those_without_need_to_know(client, case, persona, request):
    user = request.getfixturevalue(persona)
    assert login(client, user).get(reverse("cases:detail", args=[case.pk])).status_code == 404
    response = client.get(reverse("cases:list") + f"?q={case.reference}")
    assert f'data-reference="{case.reference}"' not in response.content.decode()


def test_anonymous_users_are_sent_to_the_login_page(client, case):
    response = client.get(reverse("cases:detail", args=[case.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_clerk_registers_a_request_with_a_subject_and_two_measures(client, clerk):
    fr = country("FR")
    login(client, clerk)
    response = client.post(
        reverse("cases:create"),
        {
            "direction": "incoming",
            "kind": "mla",
            "title": "Fraud ring bank records",
            "counterpart_country": fr.pk,
            "counterpart_reference": "PNF-2026-118",
            "received_on": "2026-11-20",
            "priority": 3,
            "confidentiality": 1,
            "flags": ["corruption"],
        },
    )
    case = Case.objects.get(counterpart_reference="PNF-2026-118")
    assert response.status_code == 302 and response["Location"].startswith(reverse("cases:detail", args=[case.pk]))
    assert case.flag_corruption and case.status == "registered" and case.created_by == clerk
    response = client.post(
        reverse("cases:subject-add", args=[case.pk]),
        {
            "kind": "person",
            "role": "suspect",
            "name": "Mohamed El Amrani",
            "identifier_type": "passport",
            "identifier_value": "ab 123 456",
        },
    )
    assert response.status_code == 302
    subject = Subject.objects.get(case=case)
    assert subject.identifiers.get().normalized == "AB123456"
    client.post(
        reverse("cases:measure-add", args=[case.pk]),
        {
            "type": "bank_records",
            "d-bank": "Banque Populaire",
            "d-accounts": "MA64 0111 1000 0000 0123 4567 8901",
        },
    )
    client.post(
        reverse("cases:measure-add", args=[case.pk]),
        {
            "type": "taking_evidence",
            "d-person": "Witness A",
            "d-questions": "What did you see?",
        },
    )
    assert list(Measure.objects.filter(case=case).values_list("type", flat=True)) == [
        "bank_records",
        "taking_evidence",
    ]


def test_a_measure_missing_its_required_details_is_not_saved(client, case, officer):
    login(client, officer)
    response = client.post(reverse("cases:measure-add", args=[case.pk]), {"type": "bank_records", "d-bank": "X"})
    assert response.status_code == 200
    assert not Measure.objects.exists()
    assert "This field is required" in response.content.decode()


def test_a_bad_date_order_on_the_form_shows_the_error_and_saves_nothing(client, clerk):
    login(client, clerk)
    response = client.post(
        reverse("cases:create"),
        {
            "direction": "outgoing",
            "kind": "mla",
            "title": "X",
            "counterpart_country": country("ES").pk,
            "received_on": "2026-05-02",
            "sent_on": "2026-05-01",
            "priority": 3,
            "confidentiality": 1,
        },
    )
    assert response.status_code == 200
    assert "cannot be before the date received" in response.content.decode()
    assert not Case.objects.exists()


def test_an_unknown_country_is_a_form_error(client, clerk):
    login(client, clerk)
    response = client.post(
        reverse("cases:create"),
        {
            "direction": "incoming",
            "kind": "mla",
            "title": "X",
            "counterpart_country": "ZZ",
            "priority": 3,
            "confidentiality": 1,
        },
    )
    assert response.status_code == 200 and not Case.objects.exists()


def test_the_head_assigns_and_the_officer_moves_the_case_until_it_leaves_my_work(client, head, officer, clerk):
    case = make_case(clerk)
    actions.add_measure(case, actor=clerk, type="information", details={"information": "Records"})
    login(client, head).post(reverse("cases:assign", args=[case.pk]), {"officer": officer.pk})
    case.refresh_from_db()
    assert case.officer == officer
    login(client, officer)
    assert case.reference in client.get(reverse("cases:my-work")).content.decode()
    for state in ("under_review", "accepted", "in_execution"):
        client.post(reverse("cases:transition", args=[case.pk]), {"to": state})
    measure = case.measures.get()
    client.post(reverse("cases:measure-status", args=[case.pk, measure.pk]), {"status": "executed"})
    client.post(reverse("cases:transition", args=[case.pk]), {"to": "executed"})
    case.refresh_from_db()
    assert case.status == "executed"
    assert case.reference not in client.get(reverse("cases:my-work")).content.decode()


def test_a_forbidden_transition_on_the_page_says_why(client, case, officer):
    login(client, officer)
    response = client.post(reverse("cases:transition", args=[case.pk]), {"to": "closed"}, follow=True)
    assert "cannot move to" in response.content.decode()
    case.refresh_from_db()
    assert case.status == "registered"


def test_documents_upload_and_download_byte_for_byte(client, case, officer):
    login(client, officer)
    pdf = b"%PDF-1.4\n%demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    client.post(
        reverse("cases:document-add", args=[case.pk]),
        {
            "kind": "request",
            "title": "Request",
            "language": "fr",
            "file": SimpleUploadedFile("request.pdf", pdf),
        },
    )
    version = case.documents.get().versions.get()
    response = client.get(reverse("cases:document-download", args=[case.pk, version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    assert AuditRecord.objects.filter(action="document.download").exists()


def test_a_tampered_file_is_not_delivered(client, case, officer):
    login(client, officer)
    pdf = b"%PDF-1.4\n%demo\n%%EOF\n"
    doc = actions.add_document(case, SimpleUploadedFile("r.pdf", pdf), actor=officer, kind="request")
    version = doc.versions.get()
    with open(version.file.path, "r+b") as handle:
        handle.seek(5)
        handle.write(b"X")
    response = client.get(reverse("cases:document-download", args=[case.pk, version.pk]))
    assert response.status_code == 302


def test_the_register_filters_and_searches_subject_names_without_accents(client, case, officer, head):
    actions.add_subject(case, actor=officer, kind="person", role="suspect", name="Hélène Dubois")
    other = make_case(head, counterpart_country=country("ES"), title="Other matter")
    actions.assign(other, officer, actor=head)
    login(client, officer)
    page = client.get(reverse("cases:list") + "?q=helene").content.decode()
    assert case.reference in page and other.reference not in page
    page = client.get(reverse("cases:list") + "?country=ES").content.decode()
    assert other.reference in page and case.reference not in page
    assert AuditRecord.objects.filter(action="case.search").exists()


def test_overdue_filter(client, case, officer):
    Case.objects.filter(pk=case.pk).update(next_due_at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC))
    login(client, officer)
    assert case.reference in client.get(reverse("cases:list") + "?overdue=true").content.decode()
    assert case.reference not in client.get(reverse("cases:list") + "?overdue=false").content.decode()


def test_pages_run_right_to_left_in_arabic(client, case, officer):
    officer.language = "ar"
    officer.save()
    page = login(client, officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'dir="rtl"' in page and 'lang="ar"' in page


def test_the_language_follows_the_browser_until_the_user_chooses(client, officer):
    login(client, officer)
    page = client.get(reverse("cases:my-work"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in page
    client.post(reverse("accounts:language"), {"language": "ar", "next": "/"})
    officer.refresh_from_db()
    assert officer.language == "ar"
    page = client.get(reverse("cases:my-work"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'dir="rtl"' in page


def test_workload_is_for_the_head(client, case, head, officer):
    assert login(client, officer).get(reverse("cases:workload")).status_code == 404
    page = login(client, head).get(reverse("cases:workload")).content.decode()
    assert officer.username in page


def test_stale_edit_is_refused(client, case, officer):
    login(client, officer)
    form = {
        "title": "New title",
        "counterpart_country": case.counterpart_country_id,
        "priority": 3,
        "confidentiality": 1,
        "version": case.version,
    }
    actions.update_case(case, actor=officer, title="Changed meanwhile")
    response = client.post(reverse("cases:edit", args=[case.pk]), form)
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.title == "Changed meanwhile"
