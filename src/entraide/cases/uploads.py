"""Checking uploads by their content, not their name."""

from __future__ import annotations

import os

import puremagic
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from entraide.core.errors import ActionError

# Extension → content types its bytes may show. Plain text has no signature and is checked by decoding.
ALLOWED: dict[str, set[str]] = {
    ".pdf": {"application/pdf"},
    ".docx": {"application/vnd.openxmlformats-officedocument.wordprocessingml.document", "application/zip"},
    ".xlsx": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/zip"},
    ".odt": {"application/vnd.oasis.opendocument.text", "application/zip"},
    ".doc": {"application/msword", "application/x-ole-storage", "application/vnd.ms-office"},
    ".jpg": {"image/jpeg"},
    ".jpeg": {"image/jpeg"},
    ".png": {"image/png"},
    ".tif": {"image/tiff"},
    ".tiff": {"image/tiff"},
    ".txt": {"text/plain"},
    ".eml": {"message/rfc822", "text/plain"},
    ".zip": {"application/zip"},
}
CANONICAL = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".doc": "application/msword",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".txt": "text/plain",
    ".eml": "message/rfc822",
    ".zip": "application/zip",
}
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
TEXT_LIKE = {".txt", ".eml"}


def _detected_types(head: bytes) -> set[str]:
    try:
        matches = puremagic.magic_string(head)
    except (puremagic.PureError, ValueError):
        return set()
    return {m.mime_type for m in matches if m.mime_type}


def check_upload(upload: UploadedFile) -> str:
    """Return the content type to store, or raise ActionError saying what is wrong with the file."""
    limit = settings.ENTRAIDE_MAX_UPLOAD_MB * 1024 * 1024
    name = upload.name or ""
    ext = os.path.splitext(name)[1].lower()
    if not upload.size:
        raise ActionError(_("The file is empty."), fields={"file": _("Empty file.")})
    if upload.size > limit:
        raise ActionError(
            _("The file is too large: {size} MB; the limit is {limit} MB.").format(
                size=round(upload.size / 1024 / 1024, 1), limit=settings.ENTRAIDE_MAX_UPLOAD_MB
            ),
            fields={"file": _("Too large.")},
            status=413,
        )
    if ext not in ALLOWED:
        raise ActionError(
            _("Files of type “{ext}” are not accepted. Accepted: {accepted}.").format(
                ext=ext or "?", accepted=", ".join(sorted(ALLOWED))
            ),
            fields={"file": _("Type not accepted.")},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    if head.startswith(EXECUTABLE_SIGNATURES):
        raise ActionError(
            _("The file is a program, not a document. It was refused."), fields={"file": _("Executable.")}
        )
    if ext in TEXT_LIKE:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            try:
                head[:-4].decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ActionError(
                    _("The file is not plain text as its name says."),
                    fields={"file": _("Content does not match the name.")},
                ) from exc
        if b"\x00" in head:
            raise ActionError(
                _("The file is not plain text as its name says."),
                fields={"file": _("Content does not match the name.")},
            )
        return CANONICAL[ext]
    detected = _detected_types(head)
    if not detected & ALLOWED[ext]:
        raise ActionError(
            _("The file's content does not match its name “{name}”. It was refused.").format(name=name),
            fields={"file": _("Content does not match the name.")},
        )
    return CANONICAL[ext]
