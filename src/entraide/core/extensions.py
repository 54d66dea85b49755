"""Places where an app plugs into pages it does not own: the main menu and the case page.

An app registers its menu entries and case-page panels from its ``AppConfig.ready()``; the shared templates
render whatever is registered, so an app adds a panel to the case page without editing the case page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    """One entry of the main menu, shown to the users ``visible(user)`` accepts."""

    key: str  # compared with the page's ``nav`` context variable to mark the entry active
    label: str | Promise
    url_name: str
    visible: Callable[[Any], bool]
    order: int = 100
    icon: str = ""

    @property
    def url(self) -> str:
        return reverse(self.url_name)


@dataclass(frozen=True)
class CasePanel:
    """A section of the case page rendered by another app.

    ``context(request, case, base)`` returns the panel's template context, or None to leave the panel out (for
    instance when the matter is not of the panel's kind, or the user may not see it). ``base`` is the case
    page's own context (``may_work``, ``may_assign`` …). ``column`` is ``"main"`` or ``"side"``.
    """

    key: str
    template: str
    context: Callable[[HttpRequest, Any, dict[str, Any]], dict[str, Any] | None]
    column: str = "main"
    order: int = 100


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    panels: list[CasePanel] = field(default_factory=list)
    # Timeline sentences for the events an app writes on a matter: ``describe(event)`` returns the sentence in the
    # reader's language, or None for an event that is not the app's.
    timeline: list[Callable[[Any], str | None]] = field(default_factory=list)


registry = Registry()


def register_nav(item: NavItem) -> None:
    if all(existing.key != item.key for existing in registry.nav):
        registry.nav.append(item)
        registry.nav.sort(key=lambda i: i.order)


def register_case_panel(panel: CasePanel) -> None:
    if all(existing.key != panel.key for existing in registry.panels):
        registry.panels.append(panel)
        registry.panels.sort(key=lambda p: p.order)


def register_timeline_describer(describe: Callable[[Any], str | None]) -> None:
    if describe not in registry.timeline:
        registry.timeline.append(describe)


def describe_event(event: Any) -> str | None:
    """The sentence an app gives for one of its timeline events, if any."""
    for describe in registry.timeline:
        text = describe(event)
        if text:
            return text
    return None


def nav_items(user: Any) -> list[NavItem]:
    return [item for item in registry.nav if item.visible(user)]


def case_panels(request: HttpRequest, case: Any, base: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """The registered panels this user gets on this case page, by column, each with its template and context."""
    columns: dict[str, list[dict[str, Any]]] = {"main": [], "side": []}
    for panel in registry.panels:
        context = panel.context(request, case, base)
        if context is not None:
            columns.setdefault(panel.column, []).append({"key": panel.key, "template": panel.template, **context})
    return columns
