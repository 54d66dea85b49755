"""Pages of the informal register. Each view finds the contact through ``get_contact_for`` (404 when not visible)
and makes one action call."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entraide.cases.models import Case
from entraide.cases.queries import visible_cases
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError
from entraide.informal import actions
from entraide.informal import choices as c
from entraide.informal.forms import (
    AdvisorForm,
    AssignForm,
    ContactEditForm,
    ContactForm,
    GrantForm,
    LinkForm,
    SubjectForm,
)
from entraide.informal.models import InformalContact, InformalSubject
from entraide.informal.queries import (
    can_assign,
    can_register,
    can_see_feed,
    can_work_on,
    get_contact_for,
    visible_contacts,
)

FEED_DAYS = 30


def _attempt(request: HttpRequest, run: Callable[[], Any], form: forms.BaseForm | None, success: str) -> bool:
    try:
        run()
    except ActionError as error:
        messages.error(request, str(error.message))
        if form is not None:
            for field, message in error.fields.items():
                name = field.rsplit(".", 1)[-1]
                name = name if name in form.fields else f"subject_{name}"
                form.add_error(name if name in form.fields else None, str(message))
        return False
    messages.success(request, success)
    return True


def _cases_by_reference(user: Any, references: list[str]) -> list[Case]:
    found = []
    for reference in references:
        case = visible_cases(user).filter(reference=reference).first()
        if case is None:
            raise ActionError(
                _("No matter with the reference {reference}.").format(reference=reference),
                fields={"case_references": _("Not found.")},
            )
        found.append(case)
    return found


@login_required
def contact_list(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    qs = visible_contacts(user).select_related("counterpart_country", "officer")
    channel = request.GET.get("channel", "")
    if channel in c.InformalChannel.values:
        qs = qs.filter(channel=channel)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "informal/list.html",
        {
            "page": page,
            "nav": "informal",
            "channels": c.InformalChannel.choices,
            "channel": channel,
            "may_register": can_register(user),
            "may_see_feed": can_see_feed(user),
        },
    )


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    """The head's feed: informal contacts registered in the last 30 days, newest first."""
    user = acting_user(request)
    if not can_see_feed(user):
        raise Http404
    since = timezone.now() - timedelta(days=FEED_DAYS)
    qs = (
        visible_contacts(user)
        .filter(created_at__gte=since)
        .select_related("counterpart_country", "created_by", "officer")
        .prefetch_related("subjects")
        .order_by("-created_at", "-id")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "informal/feed.html", {"page": page, "nav": "informal", "days": FEED_DAYS})


@login_required
def create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not can_register(user):
        raise Http404
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created: list[InformalContact] = []

        def run() -> None:
            subject = form.subject_data()
            created.append(
                actions.register_contact(
                    actor=user,
                    subjects=[subject] if subject else [],
                    cases=_cases_by_reference(user, form.references()),
                    **form.contact_data(),
                )
            )

        if _attempt(request, run, form, _("Informal contact registered.")):
            return redirect("informal:detail", pk=created[0].pk)
    return render(request, "informal/form.html", {"form": form, "title": _("Register an informal contact")})


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    contact = get_contact_for(user, pk)
    linked = list(contact.cases.all())
    visible_ids = set(visible_cases(user).filter(pk__in=[x.pk for x in linked]).values_list("pk", flat=True))
    matches: list[Any] = []
    try:
        from entraide.matching.panel import matches_for_informal

        matches = matches_for_informal(user, contact)
    except ImportError:  # pragma: no cover - the matching app is optional
        pass
    return render(
        request,
        "informal/detail.html",
        {
            "contact": contact,
            "subjects": contact.subjects.select_related("nationality"),
            "linked": [x for x in linked if x.pk in visible_ids],
            "hidden_links": len(linked) - len(visible_ids),
            "may_work": can_work_on(user, contact),
            "may_assign": can_assign(user),
            "grants": contact.grants.select_related("user") if can_assign(user) else [],
            "matches": matches,
            "nav": "informal",
        },
    )


def _contact_form(
    request: HttpRequest,
    contact: InformalContact,
    form: forms.Form,
    title: str,
    run: Callable[[], Any],
    success: str,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid() and _attempt(request, run, form, success):
        return redirect("informal:detail", pk=contact.pk)
    return render(request, "informal/form.html", {"form": form, "title": title, "contact": contact})


def _workable(request: HttpRequest, pk: int) -> InformalContact:
    contact = get_contact_for(acting_user(request), pk)
    if not can_work_on(acting_user(request), contact):
        raise PermissionDenied
    return contact


@login_required
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _workable(request, pk)
    initial = {name: getattr(contact, name) for name in ContactEditForm.base_fields}
    form = ContactEditForm(request.POST or None, initial=initial)
    return _contact_form(
        request,
        contact,
        form,
        _("Edit the informal contact"),
        lambda: actions.update_contact(contact, actor=acting_user(request), **form.cleaned_data),
        _("Informal contact saved."),
    )


@login_required
def subject_add(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _workable(request, pk)
    form = SubjectForm(request.POST or None)

    def run() -> None:
        data = form.subject_data()
        if data is None:
            raise ActionError(_("A subject needs a name or at least one identifier."), fields={"name": _("Required.")})
        actions.add_subject(contact, actor=acting_user(request), **data)

    return _contact_form(request, contact, form, _("Add a subject"), run, _("Subject added."))


@login_required
@require_POST
def subject_remove(request: HttpRequest, pk: int, subject_id: int) -> HttpResponse:
    contact = _workable(request, pk)
    subject = get_object_or_404(InformalSubject, pk=subject_id, contact=contact)
    _attempt(request, lambda: actions.remove_subject(subject, actor=acting_user(request)), None, _("Subject removed."))
    return redirect("informal:detail", pk=contact.pk)


@login_required
def link_add(request: HttpRequest, pk: int) -> HttpResponse:
    contact = _workable(request, pk)
    form = LinkForm(request.POST or None)

    def run() -> None:
        user = acting_user(request)
        (case,) = _cases_by_reference(user, [form.cleaned_data["reference"]])
        actions.link_case(contact, case, actor=user)

    return _contact_form(request, contact, form, _("Link to a formal matter"), run, _("Linked."))


@login_required
def assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    contact = get_contact_for(user, pk)
    if not can_assign(user):
        raise PermissionDenied
    form = AssignForm(request.POST or None)
    return _contact_form(
        request,
        contact,
        form,
        _("Assign the informal contact"),
        lambda: actions.assign(contact, form.cleaned_data["officer"], actor=user),
        _("Assigned."),
    )


@login_required
def grant(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    contact = get_contact_for(user, pk)
    if not can_assign(user):
        raise PermissionDenied
    form = GrantForm(request.POST or None)
    return _contact_form(
        request,
        contact,
        form,
        _("Grant access to the informal contact"),
        lambda: actions.grant_access(
            contact,
            form.cleaned_data["user"],
            actor=user,
            reason=form.cleaned_data["reason"],
            expires_at=form.cleaned_data.get("expires_at"),
        ),
        _("Access granted."),
    )


@login_required
def advisor(request: HttpRequest) -> HttpResponse:
    """Formal request or informal channel, for a measure, a country and a purpose, with the reasons."""
    from entraide.informal.advisor import advise
    from entraide.informal.models import Verdict

    form = AdvisorForm(request.GET or None)
    advice = None
    if request.GET and form.is_valid():
        advice = advise(
            measure=form.cleaned_data["measure"],
            country=form.cleaned_data["country"].code,
            purpose=form.cleaned_data["purpose"],
        )
    return render(
        request,
        "informal/advisor.html",
        {
            "form": form,
            "advice": advice,
            "verdict_label": Verdict(advice.verdict).label if advice else "",
            "channel_labels": [c.InformalChannel(x).label for x in advice.channels] if advice else [],
            "nav": "informal",
        },
    )
