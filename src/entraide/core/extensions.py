"""Places where an app plugs into pages and actions it does not own: the main menu, the case page, the register's
rows and the steps of a matter's lifecycle.

An app registers its menu entries, case-page panels, row marks, lifecycle steps it takes over and guards from its
``AppConfig.ready()``; the shared templates and ``cases.actions.transition`` use whatever is registered, so an app
adds a panel to the case page, or takes over the "accept" step of a request, without editing the register.
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


@dataclass(frozen=True)
class TransitionOwner:
    """An app that takes over some lifecycle steps: they happen only through the app's own page and action.

    ``claims(case, target)`` says whether the step to ``target`` is the app's. The case page's "Next steps" then
    links to ``url(case)`` (labelled ``label``) instead of offering the bare step, the API lists the step with that
    address, and ``cases.actions.transition`` refuses the step unless the app itself takes it
    (``transition(..., owner=key)``). So, for instance, accepting an incoming request always goes through the
    admissibility review, with its checklist, consultation and letter.
    """

    key: str
    label: str | Promise
    claims: Callable[[Any, str], bool]
    url: Callable[[Any], str]


@dataclass(frozen=True)
class DeadlineOwner:
    """An app whose clocks are met only by the record that meets them (the formal request received meets the
    clock that runs after a provisional arrest): ``claims(deadline)`` says whether "mark as met" is the app's. The
    case page then links to ``url(deadline)`` instead, the API refuses (409 ``deadline_owned``), and
    ``cases.actions.meet_deadline`` refuses unless the app itself passes ``owner=key``. Pausing and extending
    stay where they are."""

    key: str
    label: str | Promise
    claims: Callable[[Any], bool]
    url: Callable[[Any], str]


@dataclass(frozen=True)
class CaseMark:
    """A flag on a row of the register and of "my work", e.g. red for a custody clock with under 10 days left."""

    label: str | Promise
    level: str = "danger"  # a Bootstrap colour: danger, warning, info
    title: str = ""  # the longer explanation shown on hover


@dataclass
class Registry:
    nav: list[NavItem] = field(default_factory=list)
    panels: list[CasePanel] = field(default_factory=list)
    # Timeline sentences for the events an app writes on a matter: ``describe(event)`` returns the sentence in the
    # reader's language, or None for an event that is not the app's.
    timeline: list[Callable[[Any], str | None]] = field(default_factory=list)
    owners: list[TransitionOwner] = field(default_factory=list)
    deadline_owners: list[DeadlineOwner] = field(default_factory=list)
    # ``guard(case, target) -> str | None``: a reason the step may not be taken now, checked by every transition.
    guards: list[Callable[[Any, str], Any]] = field(default_factory=list)
    # ``marks(rows) -> {pk: [CaseMark, ...]}`` for the rows of one page of a list (model instances or ``CaseRow``s
    # with ``pk``, ``kind``, ``direction``, ``status``, ``is_open``, ``next_due_at``). One query at most per page.
    marks: list[Callable[[list[Any]], dict[Any, list[CaseMark]]]] = field(default_factory=list)


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


def register_transition_owner(owner: TransitionOwner) -> None:
    if all(existing.key != owner.key for existing in registry.owners):
        registry.owners.append(owner)


def register_deadline_owner(owner: DeadlineOwner) -> None:
    if all(existing.key != owner.key for existing in registry.deadline_owners):
        registry.deadline_owners.append(owner)


def deadline_owner(deadline: Any) -> DeadlineOwner | None:
    """The app whose record meets ``deadline``, if one has claimed it."""
    for owner in registry.deadline_owners:
        if owner.claims(deadline):
            return owner
    return None


def register_transition_guard(guard: Callable[[Any, str], Any]) -> None:
    if guard not in registry.guards:
        registry.guards.append(guard)


def register_case_marks(marks: Callable[[list[Any]], dict[Any, list[CaseMark]]]) -> None:
    if marks not in registry.marks:
        registry.marks.append(marks)


def step_owner(case: Any, target: str) -> TransitionOwner | None:
    """The app that takes the step of ``case`` to ``target``, if one has claimed it."""
    for owner in registry.owners:
        if owner.claims(case, target):
            return owner
    return None


def step_blocked(case: Any, target: str) -> str | None:
    """Why an app forbids the step of ``case`` to ``target`` now, if it does."""
    for guard in registry.guards:
        problem = guard(case, target)
        if problem:
            return str(problem)
    return None


def case_marks(rows: list[Any]) -> dict[Any, list[CaseMark]]:
    """Every registered app's marks for these rows, by row pk."""
    found: dict[Any, list[CaseMark]] = {}
    if not rows:
        return found
    for marks in registry.marks:
        for pk, items in marks(rows).items():
            found.setdefault(pk, []).extend(items)
    return found


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
