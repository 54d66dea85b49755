"""The documents' storage: files are encrypted when written and decrypted, verified, when read.

Configured as Django's default storage (``STORAGES["default"]``), so every FileField (documents, letters …) is
encrypted at rest without its app knowing. Files written before encryption was switched on are read as they are
until ``entraide keys rotate`` encrypts them.
"""

from __future__ import annotations

import itertools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import FileSystemStorage

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

    def __init__(self, storage: EncryptedFileSystemStorage, name: str) -> None:
        self._storage = storage
        super().__init__(storage.open_stream(name), name)

    def open(self, mode: str | None = None, *args: Any, **kwargs: Any) -> StoredFile:
        if not self.closed:
            self.seek(0)
        else:
            self.file = self._storage.open_stream(str(self.name))
        return self


class EncryptedFileSystemStorage(FileSystemStorage):
    def _save(self, name: str, content: Any) -> str:
        return super()._save(name, _EncryptedContent(content))  # type: ignore[misc]

    def _open(self, name: str, mode: str = "rb") -> File:  # type: ignore[type-arg]
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Encrypted documents are written through save(), never opened for writing.")
        return StoredFile(self, name)

    def open_stream(self, name: str) -> Any:
        """The plaintext of a stored file as a seekable stream (verified chunk by chunk when encrypted)."""
        raw = open(self.path(name), "rb")  # noqa: SIM115 - handed to the reader, which closes it
        if not crypto.is_encrypted(raw.read(len(crypto.MAGIC))):
            raw.seek(0)
            return raw
        try:
            return crypto.DecryptingReader(raw, name=name)
        except Exception:
            raw.close()
            raise

    def size(self, name: str) -> int:
        path = self.path(name)
        with open(path, "rb") as handle:
            head = handle.read(len(crypto.MAGIC))
        size = os.path.getsize(path)
        return crypto.plaintext_size(size) if crypto.is_encrypted(head) else size


def encrypted_storage_root() -> Path:
    from django.conf import settings

    return Path(settings.MEDIA_ROOT)


def stored_files(root: Path | None = None) -> Iterator[Path]:
    root = root or encrypted_storage_root()
    if not root.exists():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.name.startswith(".entraide-tmp-"):
            yield path


def file_state(path: Path) -> str:
    """``plain`` or the hex id of the master key that wraps the file's data key."""
    with open(path, "rb") as handle:
        head = handle.read(crypto.HEADER_SIZE)
    if not crypto.is_encrypted(head):
        return "plain"
    return crypto.Header.unpack(head).key_id.hex()


def _replace(path: Path, pieces: Iterator[bytes]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".entraide-tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            for piece in pieces:
                out.write(piece)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, path.stat().st_mode & 0o777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _read_from(handle: Any, start: int) -> Iterator[bytes]:
    handle.seek(start)
    while piece := handle.read(1024 * 1024):
        yield piece


def bring_under(path: Path, ring: crypto.Keyring, new: crypto.MasterKey) -> str:
    """Put one stored file under ``new``: encrypt it if it is plain, re-wrap its data key otherwise.

    Returns what was done: ``encrypted``, ``rewrapped`` or ``unchanged``. The file is replaced atomically.
    """
    with open(path, "rb") as handle:
        head = handle.read(crypto.HEADER_SIZE)
        if not crypto.is_encrypted(head):
            _replace(path, crypto.encrypt_chunks(_read_from(handle, 0), new))
            return "encrypted"
        header = crypto.Header.unpack(head)
        if header.key_id == new.id:
            return "unchanged"
        new_header = crypto.rewrap_header(head, ring, new)
        _replace(path, itertools.chain([new_header], _read_from(handle, crypto.HEADER_SIZE)))
    return "rewrapped"
