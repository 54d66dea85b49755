"""Labels for the directory's coded values: languages, channels, three-valued answers, confidence."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from entraide.core.choices import Channel, Language
from entraide.directory.models import Confidence

register = template.Library()


@register.filter
def language_label(code: str) -> str:
    """An ISO 639-1 code in the user's language: the project's list first, then Django's, else the code."""
    if code in Language.values:
        return str(Language(code).label)
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


@register.filter
def language_labels(codes: list[str] | None) -> str:
    return ", ".join(language_label(code) for code in codes or [])


@register.filter
def channel_labels(codes: list[str] | None) -> str:
    return ", ".join(str(Channel(code).label) if code in Channel.values else code for code in codes or [])


@register.filter
def tristate(value: bool | None) -> str:
    if value is None:
        return _("Unknown")
    return _("Yes") if value else _("No")


@register.filter
def is_directory_admin(user: Any) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or getattr(user, "is_admin_role", False)))


@register.simple_tag
def confidence_badge(instrument: Any) -> SafeString:
    colours = {Confidence.HIGH: "success", Confidence.MEDIUM: "warning", Confidence.LOW: "danger"}
    return format_html(
        '<span class="badge text-bg-{}" data-confidence="{}">{}</span>',
        colours.get(instrument.confidence, "secondary"),
        instrument.confidence,
        instrument.get_confidence_display(),
    )
