"""A consistent, encrypted archive of the database and the documents, and its restoration on an empty installation.

The archive is a tar stream, encrypted as a whole like a document (AES-256-GCM, its own data key wrapped by the
master key), holding:

- ``database.sqlite3`` (SQLite's online backup API: a consistent copy while the server runs), or
  ``database.pgdump`` (PostgreSQL with ``pg_dump`` on the PATH, custom format), or ``database.json`` (Django's
  ``dumpdata`` with natural keys, for PostgreSQL without ``pg_dump`` or on request);
- ``media/…``: the stored documents exactly as stored, on disk or in the S3 bucket (each still encrypted under
  the master key);
- ``manifest.json``: what is inside, the SHA-256 of every member, and counts to check after restoring.

The database is copied first, then the files: a document row always finds its file in the archive, because a
stored file is written before its row commits and never rewritten.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, connections, transaction
from django.utils import timezone

from entraide.audit import log as audit
from entraide.audit.models import AuditRecord
from entraide.security import crypto, storage

FORMAT = 1
DB_FILES = {"sqlite": "database.sqlite3", "pg_dump": "database.pgdump", "dumpdata": "database.json"}
# The audit records go into their own file with exact timestamps: dumpdata keeps milliseconds only, which would
# change what each record's hash covers.
DUMP_EXCLUDE = ["contenttypes", "auth.permission", "sessions", "admin.logentry", "audit.auditrecord"]
AUDIT_FILE = "audit.jsonl"
AUDIT_FIELDS = (
    "id",
    "actor_id",
    "actor_name",
    "action",
    "object_type",
    "object_id",
    "case_id",
    "before",
    "after",
    "request_id",
    "address",
    "prev_hash",
    "hash",
)


class BackupError(Exception):
    """The archive cannot be written or restored; the message says why and that nothing was changed."""


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for piece in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(piece)
    return digest.hexdigest()


def _engine() -> str:
    return str(connection.settings_dict["ENGINE"]).rsplit(".", 1)[-1]


def choose_method(requested: str = "auto") -> str:
    if requested != "auto":
        if requested == "sqlite" and _engine() != "sqlite3":
            raise BackupError("The SQLite method needs a SQLite database.")
        if requested == "pg_dump" and (_engine() != "postgresql" or not shutil.which("pg_dump")):
            raise BackupError("The pg_dump method needs PostgreSQL and pg_dump on the PATH.")
        return requested
    if _engine() == "sqlite3":
        return "sqlite"
    if _engine() == "postgresql" and shutil.which("pg_dump"):
        return "pg_dump"
    return "dumpdata"


def _pg_url() -> str:
    s = connection.settings_dict
    from urllib.parse import quote

    auth = quote(s.get("USER") or "") + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
    host = f"{auth}@" if auth else ""
    host += s.get("HOST") or "localhost"
    if s.get("PORT"):
        host += f":{s['PORT']}"
    return f"postgresql://{host}/{quote(s['NAME'])}"


def _dump_database(method: str, target: Path) -> None:
    if method == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)
        finally:
            dest.close()
    elif method == "pg_dump":
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                shutil.which("pg_dump") or "pg_dump",
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
                _pg_url(),
            ],
            check=True,
            capture_output=True,
        )
    else:
        with open(target, "w", encoding="utf-8") as out:
            call_command(
                "dumpdata",
                exclude=DUMP_EXCLUDE,
                natural_foreign=True,
                stdout=out,
                verbosity=0,
            )
        with open(target.with_name(AUDIT_FILE), "w", encoding="utf-8") as out:
            for record in AuditRecord.objects.order_by("id").iterator(chunk_size=5000):
                row = {name: getattr(record, name) for name in AUDIT_FIELDS}
                row["at"] = record.at.isoformat()
                out.write(json.dumps(row, ensure_ascii=False) + "\n")


def _counts() -> dict[str, Any]:
    from entraide.cases.models import Case, Document, DocumentVersion

    last = AuditRecord.objects.order_by("-id").values_list("hash", flat=True).first()
    return {
        "cases": Case.objects.count(),
        "documents": Document.objects.count(),
        "document_versions": DocumentVersion.objects.count(),
        "audit_records": AuditRecord.objects.count(),
        "audit_last_hash": last or "",
    }


@dataclass
class BackupResult:
    path: Path
    method: str
    counts: dict[str, Any]
    files: int
    size: int


def backup(output: Path | None = None, *, method: str = "auto", actor: Any = None) -> BackupResult:
    method = choose_method(method)
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    if output is None:
        from entraide.security import conf

        output = conf.backup_dir() / f"entraide-{stamp}.backup"
    output.parent.mkdir(parents=True, exist_ok=True)
    with transaction.atomic():
        audit.record(
            "system.backup", actor=actor, object_type="backup", object_id=output.name[:64], after={"method": method}
        )
    work = Path(tempfile.mkdtemp(prefix="entraide-backup-"))
    partial = output.with_name(f".{output.name}.partial")
    try:
        db_file = work / DB_FILES[method]
        counts = _counts()
        _dump_database(method, db_file)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": timezone.now().isoformat(),
            "database": {"engine": _engine(), "method": method, "file": db_file.name, "sha256": _sha256(db_file)},
            "counts": counts,
            "master_key": crypto.keyring().current.id_hex,
            "files": {},
        }
        fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as raw:
            writer = crypto.EncryptingWriter(raw)
            with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
                tar.add(db_file, arcname=db_file.name)
                if (work / AUDIT_FILE).exists():
                    manifest["database"]["audit_sha256"] = _sha256(work / AUDIT_FILE)
                    tar.add(work / AUDIT_FILE, arcname=AUDIT_FILE)
                backend = storage.default()
                for name in backend.stored_names():
                    # On disk the file itself; from a bucket, a temporary copy of the object (still ciphertext).
                    with backend.local_raw(name) as path:
                        manifest["files"][name] = _sha256(path)
                        tar.add(path, arcname=f"media/{name}")
                data = json.dumps(manifest, indent=1).encode()
                info = tarfile.TarInfo("manifest.json")
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            writer.close()
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, output)
    finally:
        shutil.rmtree(work, ignore_errors=True)
        if partial.exists():
            partial.unlink()
    return BackupResult(output, method, counts, len(manifest["files"]), output.stat().st_size)


@dataclass
class RestoreResult:
    method: str
    counts: dict[str, Any]
    files: int
    chain_ok: bool
    problems: list[str] = field(default_factory=list)


def _installation_is_empty() -> bool:
    from entraide.accounts.models import User
    from entraide.cases.models import Case

    try:
        return not User.objects.exists() and not Case.objects.exists()
    except Exception:  # noqa: BLE001 - tables not created yet: empty
        return True


def _extract(archive: Path, into: Path) -> dict[str, Any]:
    try:
        with (
            open(archive, "rb") as raw,
            crypto.DecryptingReader(raw, name=str(archive)) as reader,
            tarfile.open(fileobj=reader, mode="r|") as tar,  # type: ignore[call-overload]
        ):
            tar.extractall(into, filter="data")
    except crypto.UnknownKeyError as exc:
        raise BackupError(f"The archive was made under another master key ({exc}). Nothing was changed.") from exc
    except (crypto.CryptoError, tarfile.TarError) as exc:
        raise BackupError(
            f"The archive was altered, cut or is not an Entraide backup ({exc}). Nothing was changed."
        ) from exc
    manifest_path = into / "manifest.json"
    if not manifest_path.exists():
        raise BackupError("The archive has no manifest: it is incomplete. Nothing was changed.")
    manifest: dict[str, Any] = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown archive format {manifest.get('format')!r}. Nothing was changed.")
    db = manifest["database"]
    if _sha256(into / db["file"]) != db["sha256"]:
        raise BackupError("The database in the archive does not match its manifest. Nothing was changed.")
    if db.get("audit_sha256") and _sha256(into / AUDIT_FILE) != db["audit_sha256"]:
        raise BackupError("The audit records in the archive do not match the manifest. Nothing was changed.")
    for name, digest in manifest["files"].items():
        member = into / "media" / name
        if not member.exists() or _sha256(member) != digest:
            raise BackupError(f"The document file {name} does not match the manifest. Nothing was changed.")
    return manifest


def _load_database(method: str, source: Path) -> None:
    if method == "sqlite":
        if _engine() != "sqlite3":
            raise BackupError("This archive holds a SQLite database; restore it on a SQLite installation.")
        for conn in connections.all():
            if conn.alias != connection.alias:
                conn.close()
        connection.ensure_connection()
        src = sqlite3.connect(source)
        try:
            src.backup(connection.connection)
        finally:
            src.close()
        call_command("migrate", verbosity=0, interactive=False)
    elif method == "pg_dump":
        if _engine() != "postgresql" or not shutil.which("pg_restore"):
            raise BackupError("This archive holds a pg_dump file; restore it on PostgreSQL with pg_restore.")
        connection.close()
        subprocess.run(  # noqa: S603 - fixed arguments
            [
                shutil.which("pg_restore") or "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--clean",
                "--if-exists",
                f"--dbname={_pg_url()}",
                str(source),
            ],
            check=True,
            capture_output=True,
        )
        call_command("migrate", verbosity=0, interactive=False)
    else:
        call_command("migrate", verbosity=0, interactive=False)
        with transaction.atomic():
            call_command("loaddata", str(source), verbosity=0)
            _load_audit(source.with_name(AUDIT_FILE))


def _load_audit(source: Path) -> None:
    from datetime import datetime

    batch: list[AuditRecord] = []
    with open(source, encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            row["at"] = datetime.fromisoformat(row["at"])
            batch.append(AuditRecord(**row))
            if len(batch) >= 2000:
                AuditRecord.objects.bulk_create(batch)
                batch = []
    AuditRecord.objects.bulk_create(batch)
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [AuditRecord]):
            cursor.execute(sql)


def restore(archive: Path, *, actor: Any = None) -> RestoreResult:
    if not archive.exists():
        raise BackupError(f"{archive} does not exist.")
    work = Path(tempfile.mkdtemp(prefix="entraide-restore-"))
    try:
        manifest = _extract(archive, work)
        if not _installation_is_empty():
            raise BackupError(
                "This installation already has users or matters: restore only onto an empty installation "
                "(a new data directory or database, migrated, without users). Nothing was changed."
            )
        backend = storage.default()
        for name in manifest["files"]:
            existing = backend.raw_sha256(name)
            if existing is not None and existing != manifest["files"][name]:
                raise BackupError(f"A different file already exists at {name} in the storage. Nothing was changed.")
        method = manifest["database"]["method"]
        _load_database(method, work / manifest["database"]["file"])
        for name in manifest["files"]:
            # The stored bytes go back as they were (still encrypted file by file), on disk or into the bucket.
            with open(work / "media" / name, "rb") as member:
                backend.write_raw(name, storage.read_pieces(member))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    counts = _counts()
    expected = manifest["counts"]
    problems = [
        f"{key}: {counts[key]} restored, {expected[key]} in the archive"
        for key in ("cases", "documents", "document_versions")
        if counts[key] < expected[key]
    ]
    if counts["audit_records"] < expected["audit_records"]:
        problems.append(f"audit records: {counts['audit_records']} restored, {expected['audit_records']} expected")
    chain = audit.verify()
    with transaction.atomic():
        audit.record(
            "system.restore",
            actor=actor,
            object_type="backup",
            object_id=archive.name[:64],
            after={"method": method, "created_at": manifest["created_at"], "counts": expected},
        )
    return RestoreResult(method, counts, len(manifest["files"]), chain.ok, problems)
