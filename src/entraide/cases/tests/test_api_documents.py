"""Documents through the API: upload checked by content, versions, download checked against its SHA-256."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from entraide.audit.models import AuditRecord
from entraide.cases.models import Document, DocumentVersion
from entraide.cases.tests.test_api import client_for

pytestmark = pytest.mark.django_db

DOCUMENTS = "/api/v1/documents/"
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def pdf(name: str = "request.pdf", body: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def stored_files(settings: Any) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def upload(client: Any, case: Any, file: Any, **extra: Any) -> Any:
    data = {"case": case.pk, "kind": "request", "title": "Letter of request", "language": "fr", "file": file}
    data.update(extra)
    return client.post(DOCUMENTS, data, format="multipart")


def test_a_document_goes_up_and_comes_back_byte_for_byte(officer: Any, case: Any) -> None:
    client = client_for(officer)
    response = upload(client, case, pdf())
    assert response.status_code == 201, response.json()
    body = response.json()
    version = body["versions"][0]
    assert version["number"] == 1
    assert version["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert version["content_type"] == "application/pdf"
    assert version["size"] == len(PDF)

    download = client.get(f"{DOCUMENTS}{body['id']}/download/")
    assert download.status_code == 200
    content = b"".join(download.streaming_content)
    assert content == PDF
    assert hashlib.sha256(content).hexdigest() == version["sha256"]
    assert download["Content-Disposition"].startswith("attachment;")
    assert "request.pdf" in download["Content-Disposition"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in download["Content-Security-Policy"]
    assert download["Content-Type"] == "application/pdf"
    assert AuditRecord.objects.filter(action="document.download", actor=officer).count() == 1


def test_a_new_version_becomes_current_and_old_ones_stay_downloadable(officer: Any, case: Any) -> None:
    client = client_for(officer)
    document = upload(client, case, pdf()).json()
    second = PDF.replace(b"Catalog", b"Catalog /Lang (fr)")
    response = client.post(
        f"{DOCUMENTS}{document['id']}/versions/", {"file": pdf("request-v2.pdf", second)}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    assert [v["number"] for v in response.json()["versions"]] == [1, 2]
    latest = client.get(f"{DOCUMENTS}{document['id']}/download/")
    assert b"".join(latest.streaming_content) == second
    first = client.get(f"{DOCUMENTS}{document['id']}/download/", {"version": 1})
    assert b"".join(first.streaming_content) == PDF
    assert client.get(f"{DOCUMENTS}{document['id']}/download/", {"version": 9}).status_code == 404


def test_a_file_altered_on_disk_is_not_sent(officer: Any, case: Any) -> None:
    client = client_for(officer)
    document = upload(client, case, pdf()).json()
    stored = DocumentVersion.objects.get(document_id=document["id"])
    Path(stored.file.path).write_bytes(PDF + b"% tampered\n")
    response = client.get(f"{DOCUMENTS}{document['id']}/download/")
    assert response.status_code == 409
    assert response.json()["code"] == "integrity_error"
    assert "SHA-256" in response.json()["detail"]
    Path(stored.file.path).unlink()
    assert client.get(f"{DOCUMENTS}{document['id']}/download/").status_code == 409
    assert not AuditRecord.objects.filter(action="document.download").exists()


def test_a_program_renamed_pdf_is_refused_and_nothing_is_kept(officer: Any, case: Any, settings: Any) -> None:
    program = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
    response = upload(client_for(officer), case, pdf("invoice.pdf", program))
    assert response.status_code == 400
    assert "file" in response.json()["fields"]
    assert Document.objects.count() == 0
    assert DocumentVersion.objects.count() == 0
    assert stored_files(settings) == []


def test_a_file_whose_content_does_not_match_its_name_is_refused(officer: Any, case: Any, settings: Any) -> None:
    response = upload(client_for(officer), case, pdf("photo.png", PDF))
    assert response.status_code == 400
    assert Document.objects.count() == 0
    assert stored_files(settings) == []


def test_a_file_over_the_limit_answers_413(officer: Any, case: Any, settings: Any) -> None:
    settings.ENTRAIDE_MAX_UPLOAD_MB = 1
    client = client_for(officer)
    just_over = PDF + b"%" * (1024 * 1024)  # caught by the content check, inside the margin for multipart framing
    response = upload(client, case, pdf("big.pdf", just_over))
    assert response.status_code == 413
    assert response.json()["fields"]["file"]
    far_over = PDF + b"%" * (3 * 1024 * 1024)  # refused from Content-Length, before the body is read
    response = upload(client, case, pdf("bigger.pdf", far_over))
    assert response.status_code == 413
    assert Document.objects.count() == 0
    assert stored_files(settings) == []


def test_documents_of_a_matter_one_may_not_see_do_not_exist(
    officer: Any, officer2: Any, executor: Any, case: Any
) -> None:
    document = upload(client_for(officer), case, pdf()).json()
    for user in (officer2, executor):
        client = client_for(user)
        assert client.get(DOCUMENTS).json()["count"] == 0
        assert client.get(f"{DOCUMENTS}{document['id']}/").status_code == 404
        assert client.get(f"{DOCUMENTS}{document['id']}/download/").status_code == 404
        refused = client.post(f"{DOCUMENTS}{document['id']}/versions/", {"file": pdf()}, format="multipart")
        assert refused.status_code == 404
        sneaky = upload(client, case, pdf("sneaky.pdf"))
        assert sneaky.status_code == 400
        assert "case" in sneaky.json()["fields"]
    assert Document.objects.count() == 1


def test_a_clerk_files_documents_but_an_auditor_may_not(clerk: Any, auditor: Any, case: Any) -> None:
    assert upload(client_for(auditor), case, pdf()).status_code == 403
    # The clerk cannot see the officer's matter, so for them it does not exist.
    assert upload(client_for(clerk), case, pdf()).status_code == 400
    assert Document.objects.count() == 0
