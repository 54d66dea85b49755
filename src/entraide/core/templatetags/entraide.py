"""Template helpers: localized reference data, badges, timeline sentences."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from datetime import timedelta
from functools import cache
from html import escape
from typing import Any

from django import template
from django.urls import reverse
from django.utils import dateformat, timezone
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator, add_truncation_text, calculate_truncate_chars_length
from django.utils.timezone import localtime
from django.utils.translation import gettext as _

from entraide.cases import queries
from entraide.core.i18n import localized

register = template.Library()


@register.filter
def loc(obj: Any, field: str = "name") -> str:
    if obj is None:
        return ""
    return localized(obj, field)


@cache
def _labels(model: Any, field: str) -> dict[Any, Any]:
    return dict(getattr(model._meta.get_field(field), "flatchoices", None) or [])


@register.filter
def choice_label(obj: Any, field: str) -> str:
    """``{{ case|choice_label:"kind" }}`` is ``case.get_kind_display``, without translating every choice on
    each call as ``get_FOO_display`` does (about 50 µs a call, three calls a row of the register)."""
    value = getattr(obj, field)
    model: Any = type(obj)
    return str(_labels(model, field).get(value, value))


@register.filter
def can_register(user: Any) -> bool:
    return queries.can_register(user)


PRIORITY_COLOURS = {1: "danger", 2: "warning text-dark", 3: "secondary", 4: "light text-dark border"}
_PRIORITY = '<span class="badge bg-{}">{}</span>'
_STATUS = '<span class="badge text-bg-{}" data-status="{}">{}</span>'
_OVERDUE = '<span class="badge badge-overdue" title="{}">{}</span>'
_SOON = '<span class="badge badge-soon" title="{}">{}</span>'


@register.simple_tag
def priority_badge(case: Any) -> str:
    return format_html(_PRIORITY, PRIORITY_COLOURS.get(case.priority, "secondary"), choice_label(case, "priority"))


@register.simple_tag
def status_badge(case: Any) -> str:
    return format_html(_STATUS, "primary" if case.is_open else "secondary", case.status, case.status_label)


@register.simple_tag
def due_badge(case: Any) -> str:
    if case.is_overdue:
        return format_html(_OVERDUE, case.next_due_at, _("Overdue"))
    if case.is_due_soon:
        return format_html(_SOON, case.next_due_at, _("Due soon"))
    return ""


_ROW = (
    '<tr data-reference="{reference}"{row_class}>'
    '<td><a class="ref" href="{url}">{reference}</a>{marks}<div class="small text-secondary"><i class="bi {icon}"></i> '
    "{direction}</div></td>"
    '<td class="min-w-0">{title}</td><td>{kind}</td><td>{country}</td><td>{status}</td><td>{priority}</td>'
    "<td>{officer}</td><td>{due}</td></tr>\n"
)


def _case_label(field: str) -> Callable[[Any], str]:
    """A choice label of a matter's field, for a ``Case`` or a ``CaseRow`` (rows are not model instances)."""

    def label(case: Any) -> str:
        from entraide.cases.models import Case

        value = getattr(case, field)
        return str(_labels(Case, field).get(value, value))

    return label


_direction = _case_label("direction")
_kind = _case_label("kind")
_priority = _case_label("priority")


def _country(case: Any) -> str:
    return str(case.counterpart_country)


def _status(case: Any) -> str:
    return str(case.status_label)


class RowCache:
    """What ``{% case_rows %}`` computed, shared by the tables of one page ("my work" shows a matter in several
    sections): each row's HTML, each label and each day's date, computed once."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.rows: dict[Any, str] = {}
        self.texts: dict[tuple[str, Any], str] = {}


@cache
def _combining() -> re.Pattern[str]:
    """The combining characters of the Basic Multilingual Plane, as one character class (built once)."""
    marks = "".join(chr(c) for c in range(0x300, 0x10000) if unicodedata.combining(chr(c)))
    return re.compile(f"[{re.escape(marks)}\U00010000-\U0010ffff]")


def _cut(title: str, length: int = 80) -> str:
    """``truncatechars:80``: Truncator's loop over every character cost a sixth of "my work" (a title in four is
    longer), so a text without combining characters (nor any beyond the BMP), where every character counts, is cut
    by slicing."""
    text = unicodedata.normalize("NFC", title)
    if len(text) <= length:
        return text  # combining characters only shorten what counts
    if text.isascii() or not _combining().search(text):
        return add_truncation_text(text[: calculate_truncate_chars_length(length, None)], None)
    return Truncator(text).chars(length)


@register.simple_tag
def case_rows(cases: Any, cache: RowCache | None = None) -> SafeString:
    """The rows of ``cases/_table.html``, as the badges above would render them, for matters or ``CaseRow``s (select
    ``counterpart_country`` and ``officer`` with matters). ``cache``: a ``RowCache`` shared by a page's tables.

    In Python, and with each label translated once per table, because a template loop cost about 0.3 ms a row
    and "my work" shows up to 250 rows: most of its server time. Every value is escaped here."""
    cache = cache or RowCache()
    marker = 987654321  # reverse() once: only the pk changes from row to row
    url = escape(reverse("cases:detail", args=[marker])).replace(str(marker), "{}")
    tz = timezone.get_current_timezone()
    date_format = get_format("SHORT_DATE_FORMAT")
    now = cache.now
    soon = now + timedelta(days=7)
    texts = cache.texts
    done = cache.rows
    if ("badge", "overdue") not in texts:
        texts["badge", "overdue"], texts["badge", "soon"] = escape(_("Overdue")), escape(_("Due soon"))
    overdue, due_soon = texts["badge", "overdue"], texts["badge", "soon"]

    def text(name: str, key: Any, case: Any, get: Callable[[Any], Any]) -> str:
        if (name, key) not in texts:
            texts[name, key] = escape(str(get(case)))
        return texts[name, key]

    rows = []
    for case in cases:
        row = done.get(case.pk)
        if row is not None:
            rows.append(row)
            continue
        due = "—"
        if case.next_due_at:
            badge = ""
            if case.is_open and case.next_due_at < now:
                badge = _OVERDUE.format(escape(str(case.next_due_at)), overdue)
            elif case.is_open and now <= case.next_due_at <= soon:
                badge = _SOON.format(escape(str(case.next_due_at)), due_soon)
            local = localtime(case.next_due_at, tz)
            day = texts.get(("day", local.date()))
            if day is None:
                day = texts["day", local.date()] = escape(dateformat.format(local, date_format))
            due = f'<span class="text-nowrap">{day}</span> {badge}'
        marks = getattr(case, "marks", None) or ()
        title = case.title
        if len(title) > 80 or not unicodedata.is_normalized("NFC", title):
            title = _cut(title)
        row = done[case.pk] = _ROW.format(
            reference=escape(case.reference),
            url=url.format(int(case.pk)),
            icon="bi-box-arrow-in-down" if case.direction == "incoming" else "bi-box-arrow-up",
            direction=text("direction", case.direction, case, _direction),
            title=escape(title),
            kind=text("kind", case.kind, case, _kind),
            country=text("country", case.counterpart_country_id, case, _country),
            status=_STATUS.format(
                "primary" if case.is_open else "secondary",
                escape(case.status),
                text("status", (case.kind, case.direction, case.status), case, _status),
            ),
            priority=_PRIORITY.format(
                PRIORITY_COLOURS.get(case.priority, "secondary"),
                text("priority", case.priority, case, _priority),
            ),
            officer=escape(case.officer.username) if case.officer_id else "—",
            due=due,
            row_class=f' class="table-{escape(marks[0].level)}" data-mark="{escape(marks[0].level)}"' if marks else "",
            marks="".join(
                f' <span class="badge text-bg-{escape(m.level)}" title="{escape(m.title)}">{escape(m.label)}</span>'
                for m in marks
            ),
        )
        rows.append(row)
    if not rows:
        return format_html('<tr><td colspan="8" class="text-secondary">{}</td></tr>', _("No matters."))
    return mark_safe("".join(rows))  # every value above is escaped


@register.simple_tag
def event_text(event: Any, rule_names: Any = None) -> str:
    from entraide.cases.timeline import describe

    return describe(event, rule_names or None)


@register.filter
def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, TypeError, IndexError):
        return ""
