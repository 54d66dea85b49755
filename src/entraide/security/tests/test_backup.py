"""Backup and restore round trip: every matter, every document byte for byte, the audit chain verifies."""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from entraide.accounts.models import User
from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.cases.models import Case, DocumentVersion
from entraide.security import crypto
from entraide.security.tests.helpers import use_keys
from entraide.testing import make_case

pytestmark = pytest.mark.django_db(transaction=True)


def _snapshot() -> dict[str, Any]:
    documents = {}
    for version in DocumentVersion.objects.select_related("document"):
        with version.file.open("rb") as handle:
            documents[(version.document.case.reference, version.document.title, version.number)] = handle.read()
    return {
        "cases": sorted(
            Case.objects.values_list("reference", "title", "status", "officer__username", "confidentiality")
        ),
        "documents": documents,
        "audit": list(AuditRecord.objects.order_by("id").values_list("id", "action", "hash")),
        "users": sorted(User.objects.values_list("username", "role", "password")),
    }


@pytest.fixture
def filled(case: Any, officer: Any, head: Any) -> dict[str, Any]:
    actions.add_document(case, SimpleUploadedFile("a.txt", "Témoignage — شهادة".encode()), actor=officer, kind="annex")
    big = actions.add_document(
        case, SimpleUploadedFile("b.pdf", b"%PDF-1.4\n" + os.urandom(200_000)), actor=officer, kind="annex"
    )
    actions.add_document_version(big, SimpleUploadedFile("b2.pdf", b"%PDF-1.4\n" + os.urandom(1000)), actor=officer)
    other = make_case(head, title="Second matter")
    actions.add_subject(other, actor=head, kind="person", role="suspect", name="Ana Lopez")
    return _snapshot()


def _empty_installation() -> None:
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    assert not Case.objects.exists() and not User.objects.exists()


ENGINE_METHOD = "sqlite" if "sqlite" in settings.DATABASES["default"]["ENGINE"] else "pg_dump"


@pytest.mark.parametrize("method", [ENGINE_METHOD, "dumpdata"])
def test_round_trip_brings_everything_back(tmp_path: Path, filled: dict[str, Any], method: str) -> None:
    archive = tmp_path / "entraide.backup"
    out = io.StringIO()
    call_command("backup", "--output", str(archive), "--method", method, stdout=out)
    assert "Backup written" in out.getvalue()
    raw = archive.read_bytes()
    assert raw.startswith(crypto.MAGIC) and b"Ana Lopez" not in raw and b"Second matter" not in raw
    assert archive.stat().st_mode & 0o777 == 0o600
    _empty_installation()
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "audit chain verifies" in out.getvalue()
    after = _snapshot()
    assert after["cases"] == filled["cases"]
    assert after["users"] == filled["users"]
    assert after["documents"] == filled["documents"]  # byte for byte, decrypted with the master key
    # Every record that was there is there, unchanged; the backup and restore are recorded after them.
    assert after["audit"][: len(filled["audit"])] == filled["audit"]
    assert [a for _i, a, _h in after["audit"][len(filled["audit"]) :]] == ["system.backup", "system.restore"]
    assert verify().ok


def test_restore_refuses_an_installation_that_is_not_empty(tmp_path: Path, filled: dict[str, Any]) -> None:
    archive = tmp_path / "x.backup"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    with pytest.raises(CommandError, match="empty installation"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_a_tampered_archive_is_refused_and_changes_nothing(tmp_path: Path, filled: dict[str, Any]) -> None:
    archive = tmp_path / "x.backup"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    data = bytearray(archive.read_bytes())
    data[len(data) // 2] ^= 0x40
    archive.write_bytes(bytes(data))
    _empty_installation()
    with pytest.raises(CommandError, match="altered"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert not Case.objects.exists()


def test_a_wrong_master_key_is_refused(tmp_path: Path, filled: dict[str, Any], monkeypatch: Any) -> None:
    archive = tmp_path / "x.backup"
    call_command("backup", "--output", str(archive), stdout=io.StringIO())
    _empty_installation()
    use_keys(monkeypatch, crypto.generate_key_text())
    with pytest.raises(CommandError, match="another master key"):
        call_command("restore", str(archive), stdout=io.StringIO())


def test_an_archived_matter_comes_back_archived(
    tmp_path: Path, filled: dict[str, Any], admin_user: Any, head: Any
) -> None:
    """Archival survives the round trip (dumpdata: rows written as they were, past the read-only guard)."""
    from django.utils import timezone

    from entraide.security import retention
    from entraide.security.models import Archive

    case = Case.objects.get(title="Second matter")
    Case.objects.filter(pk=case.pk).update(is_open=False, closed_at=timezone.now().replace(year=2001))
    retention.set_retention(case.kind, actor=admin_user, years=10)
    retention.archive_case(case, actor=head)
    archive = tmp_path / "x.backup"
    call_command("backup", "--output", str(archive), "--method", "dumpdata", stdout=io.StringIO())
    _empty_installation()
    call_command("restore", str(archive), stdout=io.StringIO())
    assert Archive.objects.filter(case__reference=case.reference).exists()
    assert verify().ok
