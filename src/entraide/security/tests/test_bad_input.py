"""Bad input (issue 6): wrong and replayed codes, a forged session, a guessed document id, out-of-range ids, a
wrong master key. Each is refused with a clear message, recorded in the audit trail, and nothing is lost.

(Replayed codes: ``test_sign_in``; a tampered archive and an archive under another master key: ``test_backup``;
a flipped byte in a stored file: ``test_encryption`` and ``test_s3_storage``.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.authtoken.models import Token

from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.security import actions as security_actions
from entraide.security import crypto
from entraide.security.tests.helpers import use_keys
from entraide.testing import PASSWORD

SECRET = b"Statement of the protected witness"


@pytest.fixture
def document(case: Any, officer: Any) -> Any:
    return actions.add_document(case, SimpleUploadedFile("w.txt", SECRET), actor=officer, kind="annex")


def test_a_wrong_code_is_refused_recorded_and_the_right_one_still_works(client: Any, officer: Any) -> None:
    device = security_actions.start_enrolment(actor=officer)
    security_actions.confirm_enrolment(pyotp.TOTP(device.secret).now(), actor=officer)
    device.refresh_from_db()
    client.post("/accounts/login/", {"username": "t_officer", "password": PASSWORD})
    page = client.post(reverse("security:verify"), {"code": "000000"})
    assert page.status_code == 200 and "not right" in page.content.decode()
    assert "_auth_user_id" not in client.session
    assert AuditRecord.objects.filter(action="auth.2fa_failed", actor=officer).count() == 1
    good = pyotp.TOTP(device.secret).at((device.last_step + 1) * 30)
    assert client.post(reverse("security:verify"), {"code": good}).status_code == 302
    assert client.get(reverse("cases:my-work")).status_code == 200


def test_a_forged_session_is_refused_with_a_message_and_recorded(client: Any, officer: Any, case: Any) -> None:
    client.cookies["sessionid"] = "forgedsessionkey0123456789abcdefgh"
    page = client.get(reverse("cases:detail", args=[case.pk]), follow=True)
    assert page.redirect_chain and page.redirect_chain[0][0].startswith(reverse("login"))
    assert "Your session is not valid" in page.content.decode()
    assert case.title not in page.content.decode()
    record = AuditRecord.objects.get(action="auth.session_unknown")
    assert record.after["path"] == reverse("cases:detail", args=[case.pk]) and record.actor is None
    client.cookies["sessionid"] = "anotherforgedkey0123456789abcdefgh"
    api = client.get("/api/v1/cases/")
    assert api.status_code in (401, 403)
    assert AuditRecord.objects.filter(action="auth.session_unknown").count() == 2
    assert AuditRecord.objects.filter(action="api.refused").exists()


def test_guessing_another_matters_document_id_gets_nothing_and_is_recorded(
    client: Any, officer2: Any, case: Any, document: Any
) -> None:
    version = document.versions.get()
    client.force_login(officer2)  # a colleague without need-to-know
    page = client.get(reverse("cases:document-download", args=[case.pk, version.pk]))
    assert page.status_code == 404 and SECRET not in page.content
    refused = AuditRecord.objects.get(action="access.refused", actor=officer2)
    assert refused.after == {"path": reverse("cases:document-download", args=[case.pk, version.pk]), "status": 404}
    token = Token.objects.create(user=officer2)
    api = client.get(reverse("document-download", args=[document.pk]), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert api.status_code == 404
    call = AuditRecord.objects.filter(action="api.call", actor=officer2).latest("id")
    assert call.after["status"] == 404
    assert not AuditRecord.objects.filter(action="document.download").exists()


def test_a_wrong_master_key_refuses_the_download_clearly_and_loses_nothing(
    client: Any, monkeypatch: Any, officer: Any, case: Any, document: Any
) -> None:
    version = document.versions.get()
    stored = Path(version.file.path).read_bytes()
    right_key = crypto.generate_key_text()
    # The document was written under the fixture's key; the server now starts with another one.
    use_keys(monkeypatch, right_key)
    client.force_login(officer)
    page = client.get(reverse("cases:document-download", args=[case.pk, version.pk]))
    assert page.status_code == 409
    assert "another master key" in page.content.decode() or "integrity" in page.content.decode()
    failure = AuditRecord.objects.get(action="document.integrity_failure")
    assert "wrong master key" in failure.after["problem"]
    assert Path(version.file.path).read_bytes() == stored  # nothing was changed on disk


def test_out_of_range_ids_are_bad_input_not_server_errors(client: Any, head: Any, case: Any) -> None:
    token = Token.objects.create(user=head)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    huge = "9" * 30
    response = client.post(f"/api/v1/drafts/{huge}/reopen/", {"reason": "x"}, content_type="application/json", **auth)
    assert response.status_code in (400, 404)
    if response.status_code == 400:
        assert response.json()["code"] == "out_of_range"
    listing = client.get("/api/v1/subjects/", {"case": "-1.6e+113"}, **auth)
    # SQLite cannot hold the number (400 out_of_range); PostgreSQL compares it and finds nothing.
    assert listing.status_code in (200, 400)
    if listing.status_code == 400:
        assert listing.json()["code"] in ("out_of_range", "invalid")
    else:
        assert listing.json()["results"] == []
    client.force_login(head)
    page = client.get(f"/cases/{huge}/")
    assert page.status_code in (400, 404)
    assert AuditRecord.objects.filter(action="api.call", actor=head).count() == 2
    assert verify().ok
