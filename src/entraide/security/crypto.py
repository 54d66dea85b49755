"""Encryption at rest: AES-256-GCM with a data key per file, wrapped by a master key.

File layout (``HEADER_SIZE`` bytes of header, then the chunks)::

    b"ENTRAIDE" | version (1) | master key id (8) | wrap nonce (12) | wrapped data key (32 + 16) | stream prefix (7)

The plaintext is cut into ``CHUNK`` bytes; each chunk is sealed with AES-256-GCM under the file's data key, with the
nonce ``prefix | chunk counter (4, big-endian) | last-chunk flag (1)`` and the header's fixed part as associated
data. A changed, removed, reordered or truncated chunk fails its tag; a file cut at a chunk boundary fails because
its new last chunk was not sealed as the last. The data key is wrapped (AES-256-GCM) by the master key whose id
the header names, so rotating the master key rewrites 76 bytes of header and never the content.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import os
import secrets
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from entraide.core.env import ConfigurationError
from entraide.security import conf

log = logging.getLogger(__name__)

MAGIC = b"ENTRAIDE"
VERSION = 1
CHUNK = 64 * 1024
TAG = 16
KEY_ID_SIZE = 8
PREFIX_SIZE = 7
WRAPPED_SIZE = 32 + TAG
HEADER_SIZE = len(MAGIC) + 1 + KEY_ID_SIZE + 12 + WRAPPED_SIZE + PREFIX_SIZE  # 84


class CryptoError(OSError):
    """A stored file or archive cannot be decrypted. An OSError, so callers that handle a missing file refuse it."""


class TamperedError(CryptoError):
    """A tag did not verify: the bytes on disk are not the bytes that were written."""


class UnknownKeyError(CryptoError):
    """The file was wrapped by a master key this installation does not have."""


@dataclass(frozen=True)
class MasterKey:
    key: bytes

    @property
    def id(self) -> bytes:
        return hashlib.sha256(b"entraide-master-key:" + self.key).digest()[:KEY_ID_SIZE]

    @property
    def id_hex(self) -> str:
        return self.id.hex()


def generate_key_text() -> str:
    return base64.urlsafe_b64encode(secrets.token_bytes(32)).decode()


def parse_key(text: str, *, name: str = "ENTRAIDE_MASTER_KEY") -> MasterKey:
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode() + b"==")
    except (ValueError, TypeError) as exc:
        raise ConfigurationError(f"{name} is not base64: {exc}") from exc
    if len(raw) != 32:
        raise ConfigurationError(f"{name} must be 32 bytes encoded in base64 (`entraide keys generate` makes one)")
    return MasterKey(raw)


def _development_key() -> MasterKey:
    path = conf.development_key_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as handle:
                handle.write(generate_key_text() + "\n")
            log.warning(
                "No ENTRAIDE_MASTER_KEY: generated a development master key in %s. Documents are encrypted with "
                "it; keep it with the data, and set ENTRAIDE_MASTER_KEY_FILE in production.",
                path,
            )
    return parse_key(path.read_text(), name=str(path))


@dataclass(frozen=True)
class Keyring:
    current: MasterKey
    by_id: dict[bytes, MasterKey]

    def get(self, key_id: bytes) -> MasterKey:
        try:
            return self.by_id[key_id]
        except KeyError:
            raise UnknownKeyError(
                f"wrapped by master key {key_id.hex()}, which is neither ENTRAIDE_MASTER_KEY nor one of "
                "ENTRAIDE_PREVIOUS_MASTER_KEYS: wrong master key?"
            ) from None


def keyring() -> Keyring:
    """The current master key and the previous ones (still accepted for reading while a rotation runs)."""
    value = conf.master_key_value()
    if value:
        current = parse_key(value)
    elif conf.debug():
        current = _development_key()
    else:
        raise ConfigurationError("ENTRAIDE_MASTER_KEY (or ENTRAIDE_MASTER_KEY_FILE) is required when ENTRAIDE_DEBUG=0")
    keys = [current] + [parse_key(k, name="ENTRAIDE_PREVIOUS_MASTER_KEYS") for k in conf.previous_master_keys()]
    return Keyring(current, {k.id: k for k in keys})


# --- header ---------------------------------------------------------------------------------------------------


@dataclass
class Header:
    key_id: bytes
    wrap_nonce: bytes
    wrapped: bytes
    prefix: bytes

    @property
    def aad(self) -> bytes:
        return MAGIC + bytes([VERSION]) + self.prefix

    def pack(self) -> bytes:
        return MAGIC + bytes([VERSION]) + self.key_id + self.wrap_nonce + self.wrapped + self.prefix

    @classmethod
    def unpack(cls, data: bytes) -> Header:
        if len(data) < HEADER_SIZE or not data.startswith(MAGIC):
            raise CryptoError("not an encrypted Entraide file")
        if data[len(MAGIC)] != VERSION:
            raise CryptoError(f"unknown format version {data[len(MAGIC)]}")
        at = len(MAGIC) + 1
        key_id = data[at : at + KEY_ID_SIZE]
        at += KEY_ID_SIZE
        nonce = data[at : at + 12]
        at += 12
        wrapped = data[at : at + WRAPPED_SIZE]
        at += WRAPPED_SIZE
        return cls(key_id, nonce, wrapped, data[at : at + PREFIX_SIZE])

    def unwrap(self, ring: Keyring) -> bytes:
        master = ring.get(self.key_id)
        try:
            return AESGCM(master.key).decrypt(self.wrap_nonce, self.wrapped, self.key_id + self.prefix)
        except InvalidTag as exc:
            raise TamperedError("the wrapped data key does not verify: the header was altered") from exc

    @classmethod
    def wrap(cls, data_key: bytes, master: MasterKey, prefix: bytes) -> Header:
        nonce = secrets.token_bytes(12)
        wrapped = AESGCM(master.key).encrypt(nonce, data_key, master.id + prefix)
        return cls(master.id, nonce, wrapped, prefix)


def is_encrypted(head: bytes) -> bool:
    return head.startswith(MAGIC)


def rewrap_header(data: bytes, ring: Keyring, new: MasterKey) -> bytes:
    """The same header with its data key wrapped by ``new`` (the content stays as it is)."""
    header = Header.unpack(data)
    return Header.wrap(header.unwrap(ring), new, header.prefix).pack()


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I", index) + (b"\x01" if last else b"\x00")


# --- writing --------------------------------------------------------------------------------------------------


class Encryptor:
    """Turns plaintext pieces into the encrypted file's bytes, one chunk at a time."""

    def __init__(self, master: MasterKey | None = None) -> None:
        master = master or keyring().current
        self._key = secrets.token_bytes(32)
        self._aead = AESGCM(self._key)
        self.header = Header.wrap(self._key, master, secrets.token_bytes(PREFIX_SIZE))
        self._buffer = bytearray()
        self._index = 0
        self._started = False

    def _seal(self, data: bytes, last: bool) -> bytes:
        sealed = self._aead.encrypt(_nonce(self.header.prefix, self._index, last), data, self.header.aad)
        self._index += 1
        return sealed

    def update(self, data: bytes) -> bytes:
        out = bytearray()
        if not self._started:
            out += self.header.pack()
            self._started = True
        self._buffer += data
        # Keep at least one byte back: the last chunk must be sealed as the last.
        offset = 0
        while len(self._buffer) - offset > CHUNK:
            out += self._seal(bytes(self._buffer[offset : offset + CHUNK]), False)
            offset += CHUNK
        if offset:
            del self._buffer[:offset]
        return bytes(out)

    def finish(self) -> bytes:
        out = self.update(b"")
        out += self._seal(bytes(self._buffer), True)
        self._buffer.clear()
        return out


def encrypt_chunks(pieces: Iterable[bytes], master: MasterKey | None = None) -> Iterator[bytes]:
    enc = Encryptor(master)
    for piece in pieces:
        out = enc.update(piece)
        if out:
            yield out
    yield enc.finish()


def encrypt_bytes(data: bytes) -> bytes:
    return b"".join(encrypt_chunks([data]))


class EncryptingWriter(io.RawIOBase):
    """A write-only stream (for tarfile) that writes the encrypted form of what it is given to ``target``."""

    def __init__(self, target: IO[bytes], master: MasterKey | None = None) -> None:
        self._target = target
        self._enc = Encryptor(master)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._target.write(self._enc.update(bytes(data)))
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._target.write(self._enc.finish())
        super().close()


# --- reading --------------------------------------------------------------------------------------------------


def plaintext_size(encrypted_size: int) -> int:
    body = encrypted_size - HEADER_SIZE
    chunks = max(1, -(-body // (CHUNK + TAG)))
    return body - chunks * TAG


class DecryptingReader(io.RawIOBase):
    """A seekable, read-only view of the plaintext of an encrypted file; every chunk read is verified."""

    def __init__(self, raw: IO[bytes], ring: Keyring | None = None, name: str = "") -> None:
        self._raw = raw
        self.name = name
        raw.seek(0)
        self.header = Header.unpack(raw.read(HEADER_SIZE))
        self._aead = AESGCM(self.header.unwrap(ring or keyring()))
        raw.seek(0, io.SEEK_END)
        encrypted_size = raw.tell()
        if encrypted_size < HEADER_SIZE + TAG:
            raise TamperedError("the file was truncated")
        self.size = plaintext_size(encrypted_size)
        self._chunks = max(1, -(-self.size // CHUNK))
        self._pos = 0
        self._cached: tuple[int, bytes] | None = None

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._pos

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self._pos, io.SEEK_END: self.size}[whence]
        self._pos = max(0, base + offset)
        return self._pos

    def _chunk(self, index: int) -> bytes:
        if self._cached and self._cached[0] == index:
            return self._cached[1]
        self._raw.seek(HEADER_SIZE + index * (CHUNK + TAG))
        sealed = self._raw.read(CHUNK + TAG)
        last = index == self._chunks - 1
        try:
            plain = self._aead.decrypt(_nonce(self.header.prefix, index, last), sealed, self.header.aad)
        except InvalidTag as exc:
            raise TamperedError(f"chunk {index} does not verify: the stored file was altered") from exc
        self._cached = (index, plain)
        return plain

    def readinto(self, buffer: Any) -> int:
        if self._pos >= self.size:
            # Reading the empty last chunk still proves the file was not cut.
            if self.size == 0:
                self._chunk(0)
            return 0
        index, offset = divmod(self._pos, CHUNK)
        data = self._chunk(index)[offset : offset + len(buffer)]
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._raw.close()
        super().close()


def decrypt_bytes(blob: bytes, ring: Keyring | None = None) -> bytes:
    with DecryptingReader(io.BytesIO(blob), ring) as reader:
        return reader.read()
