"""The documents' storage: files are encrypted when written and decrypted, verified, when read.

Configured as Django's default storage (``STORAGES["default"]``), so every FileField (documents, letters …) is
encrypted at rest without its app knowing: on the local disk (``EncryptedFileSystemStorage``, the default) or in
an S3-compatible bucket (``EncryptedS3Storage``, when ``ENTRAIDE_S3_BUCKET`` is set). Both encrypt before the bytes
leave the process, so the bucket, like the disk, holds only the header and ciphertext. Files written before
encryption was switched on are read as they are until ``entraide keys rotate`` encrypts them.

Both also give the raw access that key rotation, ``keys status``, backup and restore need (``RawAccess``): the
stored names, a file's header, its raw bytes, and an atomic replacement of them.
"""

from __future__ import annotations

import abc
import contextlib
import hashlib
import itertools
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage

from entraide.security import crypto


class _EncryptedContent(File):  # type: ignore[type-arg]
    """What FileSystemStorage writes: the encrypted form of ``content``, never a move of its temporary file."""

    def __init__(self, content: Any) -> None:
        super().__init__(None, getattr(content, "name", None))
        self._content = content

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        if hasattr(self._content, "seek"):
            self._content.seek(0)
        return crypto.encrypt_chunks(self._content.chunks(chunk_size))


class StoredFile(File):  # type: ignore[type-arg]
    """A stored file opened for reading; reopening goes through the storage again (never the raw bytes)."""

    def __init__(self, storage: RawAccess, name: str) -> None:
        self._storage = storage
        super().__init__(storage.open_stream(name), name)

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> StoredFile:
        if not self.closed:
            self.seek(0)
        else:
            self.file = self._storage.open_stream(str(self.name))
        return self


TMP_PREFIX = ".entraide-tmp-"
SPOOL = 8 * 1024 * 1024  # beyond this, a file on its way to or from the bucket waits in a temporary file


class RawAccess(Storage, metaclass=abc.ABCMeta):
    """What rotation, status, backup and restore need from an encrypting storage, besides Django's API: each
    storage (``EncryptedFileSystemStorage``, ``EncryptedS3Storage``) gives the four methods below."""

    @abc.abstractmethod
    def stored_names(self) -> Iterator[str]:
        """Every stored file's name, sorted."""

    @abc.abstractmethod
    def read_head(self, name: str, size: int = crypto.HEADER_SIZE) -> bytes:
        """The first ``size`` stored bytes (the encryption header)."""

    @abc.abstractmethod
    def open_raw(self, name: str) -> Any:
        """The stored bytes as they are (ciphertext), as a seekable binary stream to close."""

    @abc.abstractmethod
    def write_raw(self, name: str, pieces: Iterable[bytes]) -> None:
        """Store these bytes under ``name`` as they are, replacing any file there at once (never half written)."""

    def raw_sha256(self, name: str) -> str | None:
        """SHA-256 of the stored bytes, or None when there is no such file."""
        if not self.exists(name):
            return None
        digest = hashlib.sha256()
        with contextlib.closing(self.open_raw(name)) as handle:
            for piece in iter(lambda: handle.read(1024 * 1024), b""):
                digest.update(piece)
        return digest.hexdigest()

    @contextlib.contextmanager
    def local_raw(self, name: str) -> Iterator[Path]:
        """A local path holding the stored bytes (the file itself on disk; a temporary copy from a bucket)."""
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX)
        try:
            with os.fdopen(fd, "wb") as out, contextlib.closing(self.open_raw(name)) as handle:
                for piece in iter(lambda: handle.read(1024 * 1024), b""):
                    out.write(piece)
            yield Path(tmp)
        finally:
            os.unlink(tmp)

    def open_stream(self, name: str) -> Any:
        """The plaintext of a stored file as a seekable stream (verified chunk by chunk when encrypted)."""
        raw = self.open_raw(name)
        if not crypto.is_encrypted(raw.read(len(crypto.MAGIC))):
            raw.seek(0)
            return raw
        try:
            return crypto.DecryptingReader(raw, name=name)
        except Exception:
            raw.close()
            raise

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted documents are written through save(), never opened for writing.")
        return StoredFile(self, name)


class EncryptedFileSystemStorage(RawAccess, FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        return super()._save(name, _EncryptedContent(content))  # type: ignore[misc]

    def open_raw(self, name: str) -> Any:
        return open(self.path(name), "rb")

    def read_head(self, name: str, size: int = crypto.HEADER_SIZE) -> bytes:
        with open(self.path(name), "rb") as handle:
            return handle.read(size)

    def size(self, name: str) -> int:
        path = self.path(name)
        size = os.path.getsize(path)
        return crypto.plaintext_size(size) if crypto.is_encrypted(self.read_head(name, len(crypto.MAGIC))) else size

    def stored_names(self) -> Iterator[str]:
        root = Path(self.location)
        if not root.exists():
            return
        for path in sorted(root.rglob("*")):
            if path.is_file() and not path.name.startswith(TMP_PREFIX):
                yield path.relative_to(root).as_posix()

    @contextlib.contextmanager
    def local_raw(self, name: str) -> Iterator[Path]:
        yield Path(self.path(name))

    def write_raw(self, name: str, pieces: Iterable[bytes]) -> None:
        path = Path(self.path(name))
        path.parent.mkdir(parents=True, exist_ok=True)
        mode = path.stat().st_mode & 0o777 if path.exists() else None
        fd, tmp = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as out:
                for piece in pieces:
                    out.write(piece)
                out.flush()
                os.fsync(out.fileno())
            if mode is not None:
                os.chmod(tmp, mode)
            elif self.file_permissions_mode is not None:
                os.chmod(tmp, self.file_permissions_mode)
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise


def _s3_settings() -> dict[str, Any]:
    from entraide.security import conf

    return conf.s3_settings()


try:
    from storages.backends.s3 import S3Storage
except ImportError:  # pragma: no cover - django-storages[s3] is a dependency
    S3Storage = None


class EncryptedS3Storage(RawAccess, S3Storage):  # type: ignore[misc,valid-type]
    """Encrypted documents in an S3-compatible bucket (AWS S3, MinIO, Ceph, Garage, SeaweedFS, OVH, Scaleway …).

    The same file format as on disk: the object is encrypted in this process before it is uploaded, and every
    download is verified chunk by chunk. An object is downloaded whole (into memory, or a temporary file past
    8 MiB) before it is read, so a read never mixes two versions of an object.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**{**_s3_settings(), **options})

    def _save(self, name: str, content: Any) -> str:
        if hasattr(content, "seek"):
            content.seek(0)
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as sealed:
            for piece in crypto.encrypt_chunks(content.chunks()):
                sealed.write(piece)
            sealed.seek(0)
            return str(super()._save(name, File(sealed, name)))

    def open_raw(self, name: str) -> Any:
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL)  # noqa: SIM115 - the caller closes it
        try:
            self.bucket.Object(self._normalize_name(name)).download_fileobj(spool)
        except Exception as exc:
            spool.close()
            from botocore.exceptions import ClientError

            if isinstance(exc, ClientError) and exc.response.get("Error", {}).get("Code") in {"404", "NoSuchKey"}:
                raise FileNotFoundError(f"{name} is not in the bucket") from exc
            raise
        spool.seek(0)
        return spool

    def read_head(self, name: str, size: int = crypto.HEADER_SIZE) -> bytes:
        response = self.bucket.Object(self._normalize_name(name)).get(Range=f"bytes=0-{size - 1}")
        return bytes(response["Body"].read())

    def size(self, name: str) -> int:
        raw = int(super().size(name))
        return crypto.plaintext_size(raw) if crypto.is_encrypted(self.read_head(name, len(crypto.MAGIC))) else raw

    def stored_names(self) -> Iterator[str]:
        prefix = self._normalize_name("")
        prefix = prefix if not prefix or prefix.endswith("/") else prefix + "/"
        names = [obj.key[len(prefix) :] for obj in self.bucket.objects.filter(Prefix=prefix)]
        yield from sorted(name for name in names if name and not name.endswith("/"))

    def write_raw(self, name: str, pieces: Iterable[bytes]) -> None:
        # A PUT replaces the object at once: readers see the old bytes or the new, never a mixture.
        with tempfile.SpooledTemporaryFile(max_size=SPOOL) as buffer:
            for piece in pieces:
                buffer.write(piece)
            buffer.seek(0)
            self.bucket.Object(self._normalize_name(name)).upload_fileobj(buffer)

    def url(self, name: str, *args: Any, **kwargs: Any) -> str:  # type: ignore[override]
        # Documents are served only through access-checked views; never hand out a bucket address.
        from django.conf import settings

        return f"{settings.MEDIA_URL}{name}"

    def get_object_parameters(self, name: str) -> dict[str, Any]:
        # The object is ciphertext whatever its name says.
        return {**super().get_object_parameters(name), "ContentType": "application/octet-stream"}


def default() -> RawAccess:
    """The configured default storage, which must be one of the encrypting storages above."""
    from django.core.files.storage import default_storage

    backend = default_storage._wrapped if hasattr(default_storage, "_wrapped") else default_storage
    if not isinstance(backend, RawAccess):
        default_storage._setup()  # type: ignore[attr-defined]
        backend = default_storage._wrapped  # type: ignore[attr-defined]
    if not isinstance(backend, RawAccess):
        raise TypeError(f"STORAGES['default'] is {type(backend).__name__}, not an encrypting storage")
    return backend


def stored_names(backend: RawAccess | None = None) -> Iterator[str]:
    return (backend or default()).stored_names()


def file_state(name: str | Path, backend: RawAccess | None = None) -> str:
    """``plain`` or the hex id of the master key that wraps the file's data key."""
    if isinstance(name, Path):
        with open(name, "rb") as handle:
            head = handle.read(crypto.HEADER_SIZE)
    else:
        head = (backend or default()).read_head(name)
    if not crypto.is_encrypted(head):
        return "plain"
    return crypto.Header.unpack(head).key_id.hex()


def read_pieces(handle: Any) -> Iterator[bytes]:
    while piece := handle.read(1024 * 1024):
        yield piece


def _read_from(handle: Any, start: int) -> Iterator[bytes]:
    handle.seek(start)
    yield from read_pieces(handle)


def bring_under(name: str, ring: crypto.Keyring, new: crypto.MasterKey, backend: RawAccess | None = None) -> str:
    """Put one stored file under ``new``: encrypt it if it is plain, re-wrap its data key otherwise.

    Returns what was done: ``encrypted``, ``rewrapped`` or ``unchanged``. The file is replaced atomically (on
    disk, the header and the unchanged ciphertext go to a temporary file renamed over it; in a bucket, one PUT).
    """
    backend = backend or default()
    head = backend.read_head(name)
    if crypto.is_encrypted(head) and crypto.Header.unpack(head).key_id == new.id:
        return "unchanged"
    with contextlib.closing(backend.open_raw(name)) as handle:
        head = handle.read(crypto.HEADER_SIZE)
        if not crypto.is_encrypted(head):
            backend.write_raw(name, crypto.encrypt_chunks(_read_from(handle, 0), new))
            return "encrypted"
        new_header = crypto.rewrap_header(head, ring, new)
        backend.write_raw(name, itertools.chain([new_header], _read_from(handle, crypto.HEADER_SIZE)))
    return "rewrapped"
