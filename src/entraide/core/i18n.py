"""Reference data carries its own names in each language (``name``, ``name_fr``, ``name_ar``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language

SUPPORTED = ("en", "fr", "ar")


def current_language() -> str:
    lang = (get_language() or "en").split("-")[0]
    return lang if lang in SUPPORTED else "en"


def localized(obj: Any, field: str = "name", language: str | None = None) -> str:
    """Return ``obj.<field>_<lang>`` for the current language, falling back to English ``obj.<field>``."""
    lang = language or current_language()
    if lang != "en":
        value = getattr(obj, f"{field}_{lang}", "") or ""
        if value:
            return str(value)
    return str(getattr(obj, field, "") or "")
