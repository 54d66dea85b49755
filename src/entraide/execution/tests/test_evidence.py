"""Evidence gathered in execution, its chain of custody, and its return to the requesting State."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.core.errors import ActionError, Conflict, Forbidden
from entraide.execution import actions
from entraide.execution.models import EvidenceItem

pytestmark = pytest.mark.django_db


@pytest.fixture
def task(case, officer, executor):
    case_actions.add_measure(case, actor=officer, type="information", details={"information": "Records"})
    case_actions.transition(case, "under_review", actor=officer)
    accepted = case_actions.transition(case, "accepted", actor=officer, owner="execution")
    return actions.create_task(
        accepted,
        actor=officer,
        authority=executor.authority,
        title="Records",
        instructions="Obtain",
        due_on=timezone.localdate() + timedelta(days=10),
    )


def test_an_uploaded_result_enters_the_chain_of_custody(task, executor):
    result = actions.add_result(task, SimpleUploadedFile("r.txt", b"records"), actor=executor)
    item = result.evidence_item
    assert item.sha256 == result.sha256 and item.kind == "file"
    (event,) = item.custody.all()
    assert str(task.authority) in event.from_party and task.reference in event.note


def test_physical_item_handed_over_and_returned_with_a_transmittal_letter(task, officer, executor):
    case = task.case
    result = actions.add_result(task, SimpleUploadedFile("r.txt", b"records"), actor=executor)
    seized = actions.add_physical_item(
        case,
        actor=officer,
        description="Laptop seized at the suspect's office",
        seal_number="SC-2026-118",
        received_from="Judicial police, economic unit",
        holder="Court registry, exhibits room",
        task=task,
    )
    actions.record_custody(seized, actor=officer, to_party="Central Authority", at=timezone.now())
    seized.refresh_from_db()
    assert seized.holder == "Central Authority"
    assert seized.custody.count() == 2

    first = actions.return_evidence(case, actor=officer, items=[result.evidence_item], channel="diplomatic")
    assert first.number == 1 and first.partial  # the laptop is still held
    assert len(first.documents) == 2  # DOCX and PDF
    second = actions.return_evidence(case, actor=officer, items=[seized], channel="post", letter=False)
    assert second.number == 2
    seized.refresh_from_db()
    assert seized.returned_in == second
    assert seized.custody.last().to_party == str(case.counterpart_country)
    with pytest.raises(Conflict):
        actions.return_evidence(case, actor=officer, items=[seized], channel="post", letter=False)
    with pytest.raises(Conflict):
        actions.record_custody(seized, actor=officer, to_party="Someone", at=timezone.now())
    assert AuditRecord.objects.filter(action="execution.evidence.return", case_id=case.pk).count() == 2


def test_transmittal_letter_lists_fingerprints(task, officer, executor):
    import io
    import zipfile

    result = actions.add_result(task, SimpleUploadedFile("r.txt", b"records"), actor=executor)
    package = actions.return_evidence(
        task.case, actor=officer, items=[result.evidence_item], channel="email", language="en"
    )
    document = task.case.documents.get(pk=package.documents[0])
    with document.current.file.open("rb") as handle, zipfile.ZipFile(io.BytesIO(handle.read())) as archive:
        xml = archive.read("word/document.xml").decode()
    assert result.sha256 in xml
    assert "partial return" in xml  # a measure is still being executed
    assert "18(19)" in xml


def test_bad_input(task, officer, officer2, executor):
    with pytest.raises(ActionError):
        actions.add_physical_item(
            task.case, actor=officer, description="x", seal_number="", received_from="a", holder="b"
        )
    with pytest.raises(ActionError):
        actions.return_evidence(task.case, actor=officer, items=[], channel="post")
    with pytest.raises(Forbidden):
        actions.add_physical_item(
            task.case, actor=officer2, description="x", seal_number="1", received_from="a", holder="b"
        )
    with pytest.raises(Forbidden):
        actions.add_physical_item(
            task.case, actor=executor, description="x", seal_number="1", received_from="a", holder="b"
        )


def test_pages_and_api(client, task, officer, executor):
    result = actions.add_result(task, SimpleUploadedFile("r.txt", b"records"), actor=executor)
    client.force_login(officer)
    case = task.case
    assert 'id="evidence-panel"' in client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    page = client.get(reverse("execution:evidence", args=[case.pk]))
    assert result.sha256 in page.content.decode()
    response = client.post(
        reverse("execution:evidence-add", args=[case.pk]),
        {
            "description": "Seized phone",
            "seal_number": "S-1",
            "received_from": "Police",
            "holder": "Registry",
            "at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302
    phone = EvidenceItem.objects.get(seal_number="S-1")
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=officer)[0].key}"}
    listing = client.get("/api/v1/execution-evidence/", **headers).json()
    assert {i["id"] for i in listing["results"]} == {result.evidence_item.pk, phone.pk}
    response = client.post(
        "/api/v1/execution-evidence/return/",
        {"case": case.pk, "items": [phone.pk], "channel": "post", "letter": False},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 201, response.content
    assert response.json()["number"] == 1
    client.force_login(executor)
    assert client.get(reverse("execution:evidence", args=[case.pk])).status_code == 404
