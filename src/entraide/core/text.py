"""Text normalisation for search: lower case, no accents, single spaces."""

from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", stripped.casefold()).strip()


def normalize_identifier(kind: str, value: str) -> str:
    value = (value or "").strip()
    if kind in {"iban", "passport", "national_id", "registration"}:
        return re.sub(r"[\s\-./]", "", value).upper()
    if kind == "email":
        return value.lower()
    if kind == "phone":
        digits = re.sub(r"[^\d+]", "", value)
        return "+" + digits[2:] if digits.startswith("00") else digits
    if kind == "ip":
        return value.lower()
    return value
