"""Documents encrypted at rest: nothing readable on disk, verified on every read, master key rotation."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.security import crypto, storage
from entraide.security.tests.helpers import use_keys

SECRET_TEXT = b"Witness statement: Ana Lopez saw the transfer on 3 May. " * 50


def _stored_path(document) -> Path:
    version = document.versions.get()
    return Path(version.file.path)


@pytest.fixture
def document(case, officer):
    return actions.add_document(case, SimpleUploadedFile("w.txt", SECRET_TEXT), actor=officer, kind="annex")


def test_a_copied_file_reveals_nothing(document):
    raw = _stored_path(document).read_bytes()
    assert raw.startswith(crypto.MAGIC)
    assert b"Ana Lopez" not in raw and b"Witness" not in raw
    assert len(raw) == len(SECRET_TEXT) + crypto.HEADER_SIZE + crypto.TAG


def test_the_officer_downloads_the_plaintext(client, officer, case, document):
    client.force_login(officer)
    version = document.versions.get()
    response = client.get(reverse("cases:document-download", args=[case.pk, version.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == SECRET_TEXT
    assert int(response["Content-Length"]) == len(SECRET_TEXT)


def test_one_flipped_byte_is_refused_on_the_page_and_the_api(client, officer, case, document):
    path = _stored_path(document)
    data = bytearray(path.read_bytes())
    data[crypto.HEADER_SIZE + 10] ^= 0x01
    path.write_bytes(bytes(data))
    client.force_login(officer)
    version = document.versions.get()
    page = client.get(reverse("cases:document-download", args=[case.pk, version.pk]))
    assert page.status_code == 409
    assert "integrity" in page.content.decode()
    assert AuditRecord.objects.filter(action="document.integrity_failure").exists()
    api = client.get(reverse("document-download", args=[document.pk]))
    assert api.status_code == 409
    assert api.json()["code"] == "integrity_error"
    assert not AuditRecord.objects.filter(action="document.download").exists()


def test_a_truncated_file_is_refused(document):
    path = _stored_path(document)
    path.write_bytes(path.read_bytes()[:-5])
    with pytest.raises(crypto.TamperedError), document.versions.get().file.open("rb") as handle:
        handle.read()


def test_large_files_stream_in_verified_chunks(case, officer):
    payload = os.urandom(3 * crypto.CHUNK + 123)
    doc = actions.add_document(
        case, SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + payload), actor=officer, kind="annex"
    )
    version = doc.versions.get()
    assert version.file.size == len(payload) + 9
    with version.file.open("rb") as handle:
        handle.seek(crypto.CHUNK + 5)
        assert handle.read(10) == (b"%PDF-1.4\n" + payload)[crypto.CHUNK + 5 : crypto.CHUNK + 15]
        handle.seek(0)
        assert handle.read() == b"%PDF-1.4\n" + payload


@pytest.mark.parametrize("size", [0, 1, crypto.CHUNK - 1, crypto.CHUNK, crypto.CHUNK + 1, 2 * crypto.CHUNK])
def test_round_trip_at_chunk_boundaries(size):
    data = os.urandom(size)
    blob = crypto.encrypt_bytes(data)
    assert crypto.plaintext_size(len(blob)) == size
    assert crypto.decrypt_bytes(blob) == data
    if size > crypto.CHUNK:
        # Cut at a chunk boundary: the new last chunk was not sealed as the last.
        cut = blob[: crypto.HEADER_SIZE + crypto.CHUNK + crypto.TAG]
        with pytest.raises(crypto.TamperedError):
            crypto.decrypt_bytes(cut)


def test_a_wrong_master_key_is_refused_clearly(monkeypatch, document):
    use_keys(monkeypatch, crypto.generate_key_text())
    with pytest.raises(crypto.UnknownKeyError, match="wrong master key"):
        document.versions.get().file.open("rb")


def test_rotation_rewraps_every_file_without_touching_content(monkeypatch, case, officer):
    old, new = crypto.generate_key_text(), crypto.generate_key_text()
    use_keys(monkeypatch, old)
    doc = actions.add_document(case, SimpleUploadedFile("r.txt", SECRET_TEXT), actor=officer, kind="annex")
    path = _stored_path(doc)
    before = path.read_bytes()
    # The operator makes the new key current, keeps the old one readable, and rotates.
    use_keys(monkeypatch, new, old)
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "1 rewrapped" in out.getvalue()
    after = path.read_bytes()
    assert after[crypto.HEADER_SIZE :] == before[crypto.HEADER_SIZE :]
    assert storage.file_state(path) == crypto.parse_key(new).id_hex
    use_keys(monkeypatch, new)  # the old key is gone: the file still opens
    with doc.versions.get().file.open("rb") as handle:
        assert handle.read() == SECRET_TEXT
    assert AuditRecord.objects.filter(action="keys.rotate").exists()
    assert verify().ok


def test_rotation_to_a_new_key_file_and_status(monkeypatch, tmp_path, case, officer):
    old, new = crypto.generate_key_text(), crypto.generate_key_text()
    use_keys(monkeypatch, old)
    doc = actions.add_document(case, SimpleUploadedFile("r.txt", SECRET_TEXT), actor=officer, kind="annex")
    key_file = tmp_path / "new.key"
    key_file.write_text(new)
    call_command("keys", "rotate", "--new-key-file", str(key_file), stdout=io.StringIO())
    use_keys(monkeypatch, new)
    out = io.StringIO()
    call_command("keys", "status", stdout=out)
    assert f"1 file(s) under master key {crypto.parse_key(new).id_hex}" in out.getvalue()
    with doc.versions.get().file.open("rb") as handle:
        assert handle.read() == SECRET_TEXT


def test_files_written_before_encryption_are_read_then_encrypted(settings, case, officer):
    doc = actions.add_document(case, SimpleUploadedFile("p.txt", b"placeholder"), actor=officer, kind="annex")
    version = doc.versions.get()
    path = Path(version.file.path)
    path.write_bytes(SECRET_TEXT)  # as the old, plain storage left it
    version.size, version.sha256 = len(SECRET_TEXT), __import__("hashlib").sha256(SECRET_TEXT).hexdigest()
    version.save()
    with version.file.open("rb") as handle:
        assert handle.read() == SECRET_TEXT
    call_command("keys", "rotate", stdout=io.StringIO())
    assert storage.file_state(path) != "plain"
    assert SECRET_TEXT not in path.read_bytes()
    with version.file.open("rb") as handle:
        assert handle.read() == SECRET_TEXT


def test_production_without_a_master_key_stops_with_a_clear_message(monkeypatch):
    from entraide.core.env import ConfigurationError

    monkeypatch.delenv("ENTRAIDE_MASTER_KEY", raising=False)
    monkeypatch.delenv("ENTRAIDE_MASTER_KEY_FILE", raising=False)
    monkeypatch.setenv("ENTRAIDE_DEBUG", "0")
    with pytest.raises(ConfigurationError, match="ENTRAIDE_MASTER_KEY"):
        crypto.keyring()


def test_development_generates_a_key_once(monkeypatch, settings, tmp_path):
    monkeypatch.delenv("ENTRAIDE_MASTER_KEY", raising=False)
    monkeypatch.delenv("ENTRAIDE_MASTER_KEY_FILE", raising=False)
    monkeypatch.setenv("ENTRAIDE_DEBUG", "1")
    settings.DATA_DIR = tmp_path
    first = crypto.keyring().current
    assert (tmp_path / "master.key").stat().st_mode & 0o777 == 0o600
    assert crypto.keyring().current == first
