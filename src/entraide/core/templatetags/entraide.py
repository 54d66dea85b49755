"""Template helpers: localized reference data, badges, timeline sentences."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html

from entraide.cases import queries
from entraide.core.i18n import localized

register = template.Library()


@register.filter
def loc(obj: Any, field: str = "name") -> str:
    if obj is None:
        return ""
    return localized(obj, field)


@register.filter
def can_register(user: Any) -> bool:
    return queries.can_register(user)


@register.simple_tag
def priority_badge(case: Any) -> str:
    colours = {1: "danger", 2: "warning text-dark", 3: "secondary", 4: "light text-dark border"}
    return format_html('<span class="badge bg-{}">{}</span>', colours.get(case.priority, "secondary"),
                       case.get_priority_display())


@register.simple_tag
def status_badge(case: Any) -> str:
    colour = "primary" if case.is_open else "secondary"
    return format_html('<span class="badge text-bg-{}" data-status="{}">{}</span>', colour, case.status,
                       case.status_label)


@register.simple_tag
def due_badge(case: Any) -> str:
    if case.is_overdue:
        from django.utils.translation import gettext as _

        return format_html('<span class="badge badge-overdue" title="{}">{}</span>', case.next_due_at,
                           _("Overdue"))
    if case.is_due_soon:
        from django.utils.translation import gettext as _

        return format_html('<span class="badge badge-soon" title="{}">{}</span>', case.next_due_at, _("Due soon"))
    return ""


@register.simple_tag
def event_text(event: Any) -> str:
    from entraide.cases.timeline import describe

    return describe(event)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""
