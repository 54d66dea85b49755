"""Encrypted documents in an S3-compatible bucket, against a real S3 server over HTTP (moto's server, started here).

The bucket must hold only ciphertext; a flipped byte in an object is refused on download; key rotation, ``keys
status``, backup and restore, and the purge of a matter work on the bucket as on the disk.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from entraide.audit.log import verify
from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.cases.models import Case
from entraide.security import crypto, retention, storage
from entraide.security.tests.helpers import use_keys

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

SECRET_TEXT = "Déposition: Ana Lopez a vu le virement le 3 mai — شاهد. ".encode() * 40
BUCKET = "entraide-documents"
CREDENTIALS = {"aws_access_key_id": "entraide-test", "aws_secret_access_key": "entraide-test-secret"}


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    """A real S3 API over HTTP on a free local port, for the tests of this module."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


@pytest.fixture
def bucket(s3_endpoint: str, settings: Any, tmp_path: Path) -> Any:
    """A fresh bucket, configured as the default storage (as ENTRAIDE_S3_BUCKET … would), empty local media."""
    client = boto3.client("s3", endpoint_url=s3_endpoint, region_name="us-east-1", **CREDENTIALS)
    name = f"{BUCKET}-{os.urandom(4).hex()}"
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "entraide.security.storage.EncryptedS3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": "us-east-1",
                "access_key": CREDENTIALS["aws_access_key_id"],
                "secret_key": CREDENTIALS["aws_secret_access_key"],
                "location": "documents",
            },
        },
    }
    settings.MEDIA_ROOT = tmp_path / "no-local-media"
    client.bucket = name
    return client


def _objects(bucket: Any) -> dict[str, bytes]:
    listing = bucket.list_objects_v2(Bucket=bucket.bucket).get("Contents", [])
    return {o["Key"]: bucket.get_object(Bucket=bucket.bucket, Key=o["Key"])["Body"].read() for o in listing}


def _put(bucket: Any, key: str, data: bytes) -> None:
    bucket.put_object(Bucket=bucket.bucket, Key=key, Body=data)


@pytest.fixture
def document(bucket: Any, case: Any, officer: Any) -> Any:
    return actions.add_document(case, SimpleUploadedFile("w.txt", SECRET_TEXT), actor=officer, kind="annex")


def test_the_settings_select_the_bucket(monkeypatch: Any) -> None:
    from entraide.security import conf

    monkeypatch.setenv("ENTRAIDE_S3_BUCKET", "ministry-docs")
    monkeypatch.setenv("ENTRAIDE_S3_ENDPOINT_URL", "https://s3.ministry.example")
    monkeypatch.setenv("ENTRAIDE_S3_PREFIX", "/entraide/")
    options = conf.s3_settings()
    assert options["bucket_name"] == "ministry-docs" and options["endpoint_url"] == "https://s3.ministry.example"
    assert options["location"] == "entraide" and options["file_overwrite"] is False


def test_the_bucket_holds_only_ciphertext(bucket: Any, document: Any) -> None:
    assert isinstance(default_storage._wrapped, storage.EncryptedS3Storage)
    objects = _objects(bucket)
    assert len(objects) == 1
    key, raw = next(iter(objects.items()))
    assert key.startswith("documents/")
    assert raw.startswith(crypto.MAGIC)
    assert b"Ana Lopez" not in raw and "شاهد".encode() not in raw
    assert len(raw) == len(SECRET_TEXT) + crypto.HEADER_SIZE + crypto.TAG
    head = bucket.head_object(Bucket=bucket.bucket, Key=key)
    assert head["ContentType"] == "application/octet-stream"
    assert not Path(default_storage.location if hasattr(default_storage, "path") else "/nonexistent").exists()
    version = document.versions.get()
    assert version.file.size == len(SECRET_TEXT)


def test_the_officer_downloads_the_plaintext_from_the_bucket(
    client: Any, officer: Any, case: Any, document: Any
) -> None:
    client.force_login(officer)
    version = document.versions.get()
    page = client.get(reverse("cases:document-download", args=[case.pk, version.pk]))
    assert page.status_code == 200
    assert b"".join(page.streaming_content) == SECRET_TEXT
    api = client.get(reverse("document-download", args=[document.pk]))
    assert api.status_code == 200
    assert b"".join(api.streaming_content) == SECRET_TEXT


def test_a_flipped_byte_in_the_bucket_is_refused_and_recorded(
    bucket: Any, client: Any, officer: Any, case: Any, document: Any
) -> None:
    key, raw = next(iter(_objects(bucket).items()))
    tampered = bytearray(raw)
    tampered[crypto.HEADER_SIZE + 100] ^= 0x01
    _put(bucket, key, bytes(tampered))
    client.force_login(officer)
    version = document.versions.get()
    page = client.get(reverse("cases:document-download", args=[case.pk, version.pk]))
    assert page.status_code == 409
    assert "integrity" in page.content.decode()
    api = client.get(reverse("document-download", args=[document.pk]))
    assert api.status_code == 409 and api.json()["code"] == "integrity_error"
    assert AuditRecord.objects.filter(action="document.integrity_failure").count() == 2
    assert not AuditRecord.objects.filter(action="document.download").exists()
    with pytest.raises(crypto.TamperedError), version.file.open("rb") as handle:
        handle.read()
    _put(bucket, key, raw)  # the object put back: delivered again, nothing was lost
    assert b"".join(client.get(reverse("document-download", args=[document.pk])).streaming_content) == SECRET_TEXT


def test_a_second_file_of_the_same_name_never_overwrites_the_first(bucket: Any, case: Any, officer: Any) -> None:
    first = default_storage.save("cases/same.txt", io.BytesIO(b"first"))
    second = default_storage.save("cases/same.txt", io.BytesIO(b"second"))
    assert first != second
    with default_storage.open(first) as one, default_storage.open(second) as two:
        assert (one.read(), two.read()) == (b"first", b"second")


def test_rotation_and_status_work_on_the_bucket(monkeypatch: Any, bucket: Any, case: Any, officer: Any) -> None:
    old, new = crypto.generate_key_text(), crypto.generate_key_text()
    use_keys(monkeypatch, old)
    doc = actions.add_document(case, SimpleUploadedFile("r.txt", SECRET_TEXT), actor=officer, kind="annex")
    plain_key = "documents/legacy/plain.txt"
    _put(bucket, plain_key, b"written before encryption")  # a file the old, plain storage left
    (key, before), *_ = [(k, v) for k, v in _objects(bucket).items() if k != plain_key]
    use_keys(monkeypatch, new, old)
    out = io.StringIO()
    call_command("keys", "rotate", stdout=out)
    assert "1 encrypted" in out.getvalue() and "1 rewrapped" in out.getvalue()
    after = _objects(bucket)
    assert after[key][crypto.HEADER_SIZE :] == before[crypto.HEADER_SIZE :]  # content untouched
    assert after[key][: crypto.HEADER_SIZE] != before[: crypto.HEADER_SIZE]
    assert after[plain_key].startswith(crypto.MAGIC) and b"written before" not in after[plain_key]
    use_keys(monkeypatch, new)  # the old key is gone
    out = io.StringIO()
    call_command("keys", "status", stdout=out)
    assert f"2 file(s) under master key {crypto.parse_key(new).id_hex}" in out.getvalue()
    with doc.versions.get().file.open("rb") as handle:
        assert handle.read() == SECRET_TEXT
    with default_storage.open("legacy/plain.txt") as handle:
        assert handle.read() == b"written before encryption"
    assert AuditRecord.objects.filter(action="keys.rotate").exists()


def test_a_wrong_master_key_is_refused_for_a_bucket_object(monkeypatch: Any, document: Any) -> None:
    use_keys(monkeypatch, crypto.generate_key_text())
    with pytest.raises(crypto.UnknownKeyError, match="wrong master key"):
        document.versions.get().file.open("rb")


def test_the_purge_of_a_matter_deletes_its_objects(
    bucket: Any, admin_user: Any, head: Any, case: Any, document: Any, django_capture_on_commit_callbacks: Any
) -> None:
    Case.objects.filter(pk=case.pk).update(is_open=False, closed_at=timezone.now() - timedelta(days=30 * 366))
    retention.set_retention(case.kind, actor=admin_user, years=10, purge_years=5)
    with django_capture_on_commit_callbacks(execute=True):
        retention.archive_due(actor=head)
    retention.Archive.objects.filter(case=case).update(archived_at=timezone.now() - timedelta(days=6 * 366))
    assert _objects(bucket)
    with django_capture_on_commit_callbacks(execute=True):
        retention.purge_case(Case.objects.get(pk=case.pk), actor=head)
    assert _objects(bucket) == {}
    assert verify().ok


@pytest.mark.django_db(transaction=True)
def test_backup_and_restore_with_the_bucket(
    bucket: Any, case: Any, officer: Any, tmp_path: Path, settings: Any
) -> None:
    """The archive takes the objects as they are (ciphertext) and restore puts them back into an emptied bucket."""
    from entraide.accounts.models import User
    from entraide.cases.models import DocumentVersion

    actions.add_document(case, SimpleUploadedFile("a.txt", SECRET_TEXT), actor=officer, kind="annex")
    big = os.urandom(3 * crypto.CHUNK + 7)
    actions.add_document(case, SimpleUploadedFile("b.pdf", b"%PDF-1.4\n" + big), actor=officer, kind="annex")
    stored = _objects(bucket)
    assert len(stored) == 2
    archive = tmp_path / "entraide.backup"
    call_command("backup", "--output", str(archive), "--method", "dumpdata", stdout=io.StringIO())
    assert b"Ana Lopez" not in archive.read_bytes()
    # A new installation: an empty database and an empty bucket.
    call_command("flush", interactive=False, verbosity=0)
    for key in stored:
        bucket.delete_object(Bucket=bucket.bucket, Key=key)
    assert _objects(bucket) == {} and not User.objects.exists()
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "audit chain verifies" in out.getvalue()
    assert _objects(bucket) == stored  # byte for byte, still encrypted
    contents = set()
    for version in DocumentVersion.objects.all():
        with version.file.open("rb") as handle:
            contents.add(handle.read())
    assert contents == {SECRET_TEXT, b"%PDF-1.4\n" + big}
    assert verify().ok
