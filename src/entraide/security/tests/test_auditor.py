"""The auditor's pages and API: who saw or changed what and when; exports for an inspector, themselves audited."""

from __future__ import annotations

import csv
import io
import json

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.core.choices import Confidentiality
from entraide.testing import UserFactory, make_case

AUDIT = "/security/audit/"
EXPORT = "/security/audit/export/"


def _content(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_auditor_sees_who_read_and_changed_a_matter(client, auditor, officer, case):
    doc = actions.add_document(case, SimpleUploadedFile("a.txt", b"hello"), actor=officer, kind="annex")
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.pk]))
    client.get(reverse("cases:document-download", args=[case.pk, doc.versions.get().pk]))
    client.force_login(auditor)
    page = client.get(AUDIT, {"case": case.reference, "user": "t_officer"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "document.download" in html and "document.add" in html and "case.view" in html
    assert "<td>t_head</td>" not in html  # the head registered and assigned it: filtered out
    view = AuditRecord.objects.filter(action="audit.view", actor=auditor).latest("id")
    assert view.after == {"user": "t_officer", "case": case.reference}


def test_filters_by_period_and_action(client, auditor, officer, case):
    client.force_login(auditor)
    assert "case.register" in client.get(AUDIT, {"action": "case.", "since": "2000-01-01"}).content.decode()
    assert "No record matches" in client.get(AUDIT, {"until": "2000-01-01"}).content.decode()


def test_exports_csv_and_jsonl_and_records_the_export(client, auditor, officer, case):
    client.force_login(auditor)
    response = client.get(EXPORT, {"case": case.reference, "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(_content(response))))
    assert "case.register" in {r["action"] for r in rows} and len(rows) >= 2
    assert all(r["case_reference"] == case.reference for r in rows)
    lines = _content(client.get(EXPORT, {"format": "jsonl"})).splitlines()
    assert all(json.loads(line)["hash"] for line in lines)
    exports = AuditRecord.objects.filter(action="audit.export", actor=auditor)
    assert [e.after["format"] for e in exports.order_by("id")] == ["csv", "jsonl"]


def test_the_chain_can_be_verified_from_the_page(client, auditor, case):
    client.force_login(auditor)
    assert "The chain is intact" in client.get(AUDIT, {"verify": "1"}).content.decode()


def test_nobody_else_reads_the_trail(client, officer, head, admin_user):
    for user in (officer, head, admin_user):
        client.force_login(user)
        assert client.get(AUDIT).status_code == 404
        assert client.get(EXPORT).status_code == 404


def test_an_auditor_below_a_matters_clearance_does_not_see_its_records(client, head):
    secret = make_case(head, confidentiality=Confidentiality.SECRET, title="Secret matter")
    low = UserFactory(username="t_low_auditor", role="auditor", clearance=Confidentiality.CONFIDENTIAL)
    client.force_login(low)
    assert client.get(AUDIT, {"case": secret.reference}).content.decode().count("case.register") == 0
    token = Token.objects.create(user=low)
    api = client.get("/api/v1/audit-records/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert all(r["case_id"] != secret.pk for r in api.json()["results"])


def test_the_api_gives_the_auditor_the_records_and_nothing_to_others(client, auditor, officer, case):
    token = Token.objects.create(user=auditor)
    response = client.get("/api/v1/audit-records/", {"case": case.reference}, HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert {r["action"] for r in response.json()["results"]} >= {"case.register"}
    other = Token.objects.create(user=officer)
    assert client.get("/api/v1/audit-records/", HTTP_AUTHORIZATION=f"Token {other.key}").json()["count"] == 0
    assert AuditRecord.objects.filter(action="api.call", actor=auditor).exists()


def test_the_case_page_shows_the_head_who_saw_the_matter(client, head, officer, officer2, case):
    client.force_login(officer)
    client.get(reverse("cases:detail", args=[case.pk]))
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="who-saw-panel"' not in html  # not for the officer
    client.force_login(head)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="who-saw-panel"' in html and "case.view" in html and "t_officer" in html
