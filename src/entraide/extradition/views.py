"""Extradition pages: the case panel's forms, the persons in custody, the calendar and its iCalendar feed.

Each case page finds its matter through ``get_case_for`` (404 when not visible) and makes one action call.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from entraide.accounts.models import Role
from entraide.cases import choices as cc
from entraide.cases.models import Case
from entraide.cases.queries import can_work_on
from entraide.cases.views import _require, _simple_form_view, case_view
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError
from entraide.extradition import actions
from entraide.extradition import forms as f
from entraide.extradition.models import (
    Assurance,
    Logistics,
    SpecialityConsent,
)
from entraide.extradition.queries import (
    case_clocks,
    clocks_from,
    custody_rows,
    grounds_conclusions,
    panel_records,
    registers_present,
)

STAFF = {Role.OFFICER, Role.HEAD}
ANCHOR = "extradition"


def may_work(user: Any, case: Case) -> bool:
    return bool(
        user.is_authenticated
        and user.role in STAFF
        and case.kind in cc.EXTRADITION_KINDS
        and case.is_open
        and can_work_on(user, case)
    )


def _may_act(user: Any, case: Case, base: dict[str, Any]) -> bool:
    """``may_work``, reusing the case page's own answer to "may this user work on the matter" when it has one."""
    if "may_work" not in base:
        return may_work(user, case)
    return bool(base["may_work"] and user.is_authenticated and user.role in STAFF and case.is_open)


def panel_url(case: Any) -> str:
    """Where the steps the extradition app takes over are recorded: the case page's extradition panel."""
    return reverse("cases:detail", args=[case.pk]) + "#" + ANCHOR


def _extradition(case: Case) -> None:
    if case.kind not in cc.EXTRADITION_KINDS:
        raise Http404


def panel_context(request: HttpRequest, case: Case, base: dict[str, Any]) -> dict[str, Any] | None:
    """The case page's extradition panel: clocks as countdowns, custody, the registers of the judicial phase.

    Cheap: the clocks come from the case page's own list of deadlines, and a register is read only when the
    matter has records in it (``registers_present``: the page's timeline says so, or one query), one query each.
    """
    if case.kind not in cc.EXTRADITION_KINDS:
        return None
    deadlines = base.get("deadlines")
    clocks = clocks_from(deadlines) if deadlines is not None else case_clocks(case)
    records = panel_records(case, registers_present(case, base.get("events")))
    incoming = case.direction == cc.Direction.INCOMING
    return {
        "clocks": clocks,
        "custodies": records["custodies"],
        "steps": records["steps"],
        "assurances": records["assurances"],
        "consents": records["consents"],
        "conclusions": grounds_conclusions(case, records["grounds"], records["assurances"]) if incoming else [],
        "logistics": records["logistics"],
        "competing": records["competing"],
        "may_act": _may_act(request.user, case, base),
        "arrest_possible": case.lifecycle.get(case.status, actions.ARREST_STATE[cc.Direction(case.direction)])
        is not None
        or incoming,
    }


@case_view
def arrest(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.ArrestForm(request.POST or None, case=case)
    title = (
        _("Record the arrest abroad") if case.direction == cc.Direction.OUTGOING else _("Record the provisional arrest")
    )
    return _simple_form_view(
        request,
        case,
        form,
        title,
        lambda: actions.record_arrest(case, actor=acting_user(request), **form.cleaned_data),
        _("Arrest recorded; the clock runs from the arrest."),
        ANCHOR,
    )


@case_view
def formal_request(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.FormalRequestForm(request.POST or None, initial={"at": timezone.localtime().replace(second=0)})
    title = (
        _("Formal request delivered to the requested State")
        if case.direction == cc.Direction.OUTGOING
        else _("Formal request received")
    )
    return _simple_form_view(
        request,
        case,
        form,
        title,
        lambda: actions.record_formal_request(case, actor=acting_user(request), **form.cleaned_data),
        _("Formal request recorded; its clock is met."),
        ANCHOR,
    )


@case_view
def step_add(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.StepForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    return _simple_form_view(
        request,
        case,
        form,
        _("Record a step of the judicial phase"),
        lambda: actions.record_step(case, actor=acting_user(request), **form.cleaned_data),
        _("Step recorded."),
        ANCHOR,
    )


@case_view
def status_update(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.StatusUpdateForm(request.POST or None, initial={"sent_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Status update sent to the counterpart"),
        lambda: actions.record_status_update(case, actor=acting_user(request), **form.cleaned_data),
        _("Status update recorded; the next reminder is set."),
        ANCHOR,
    )


@case_view
def status_letter(request: HttpRequest, case: Case) -> HttpResponse:
    from entraide.extradition.letters import counterpart_language

    _extradition(case)
    _require(may_work(request.user, case))
    form = f.StatusLetterForm(request.POST or None, initial={"language": counterpart_language(case)})
    return _simple_form_view(
        request,
        case,
        form,
        _("Status letter to the counterpart"),
        lambda: actions.file_status_letter(case, actor=acting_user(request), **form.cleaned_data),
        _("Status letter filed in the documents (Word and PDF). Record it as sent once it has left."),
        "documents",
    )


@case_view
def grounds(request: HttpRequest, case: Case) -> HttpResponse:
    """The review of the formal request against the grounds for refusal (UN Model Treaty arts. 3 and 4)."""
    from entraide.extradition.models import GroundAssessment

    _extradition(case)
    _require(may_work(request.user, case))
    initial = {g.ground: (g.finding, g.note) for g in GroundAssessment.objects.filter(case=case)}
    form = f.GroundsForm(request.POST or None, initial_findings=initial)
    if request.method == "POST" and form.is_valid():
        try:
            actions.assess_grounds(case, actor=acting_user(request), findings=form.findings())
        except ActionError as error:
            messages.error(request, str(error.message))
            for name, message in error.fields.items():
                if f"note_{name}" in form.fields:
                    form.add_error(f"note_{name}", str(message))
        else:
            messages.success(request, _("Review against the grounds for refusal saved."))
            return redirect(reverse("cases:detail", args=[case.pk]) + "#extradition")
    return render(request, "extradition/grounds.html", {"case": case, "form": form})


@case_view
def logistics(request: HttpRequest, case: Case) -> HttpResponse:

    _extradition(case)
    _require(may_work(request.user, case))
    current = Logistics.objects.filter(case=case).first()
    initial = {name: getattr(current, name) for name in actions.LOGISTICS_FIELDS} if current else {}
    form = f.LogisticsForm(request.POST or None, initial=initial)
    return _simple_form_view(
        request,
        case,
        form,
        _("Surrender: logistics and arrival"),
        lambda: actions.update_logistics(case, actor=acting_user(request), **form.cleaned_data),
        _("Logistics saved."),
        ANCHOR,
    )


@case_view
def competing_add(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.CompetingForm(request.POST or None)
    return _simple_form_view(
        request,
        case,
        form,
        _("Competing request from another State"),
        lambda: actions.record_competing_request(case, actor=acting_user(request), **form.cleaned_data),
        _("Competing request recorded."),
        ANCHOR,
    )


@case_view
def assurance_add(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.AssuranceForm(request.POST or None, initial={"asked_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Ask for an assurance"),
        lambda: actions.ask_assurance(case, actor=acting_user(request), **form.cleaned_data),
        _("Assurance recorded as asked."),
        ANCHOR,
    )


@case_view
def assurance_assess(request: HttpRequest, case: Case, item_id: int) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    assurance = get_object_or_404(Assurance, pk=item_id, case=case)
    form = f.AssessForm(
        request.POST or None,
        initial={"received_on": assurance.received_on or timezone.localdate(), "assessment": assurance.assessment},
    )
    return _simple_form_view(
        request,
        case,
        form,
        _("Assurance received and assessed"),
        lambda: actions.assess_assurance(
            assurance,
            actor=acting_user(request),
            received_on=form.cleaned_data["received_on"],
            assessment=form.cleaned_data["assessment"],
            note=form.cleaned_data["assessment_note"],
        ),
        _("Assessment recorded."),
        ANCHOR,
    )


@case_view
def speciality_add(request: HttpRequest, case: Case) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    form = f.SpecialityForm(request.POST or None, initial={"requested_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Speciality, re-extradition or transit consent"),
        lambda: actions.ask_speciality_consent(case, actor=acting_user(request), **form.cleaned_data),
        _("Request for consent recorded."),
        ANCHOR,
    )


@case_view
def speciality_decide(request: HttpRequest, case: Case, item_id: int) -> HttpResponse:
    _extradition(case)
    _require(may_work(request.user, case))
    consent = get_object_or_404(SpecialityConsent, pk=item_id, case=case)
    form = f.DecideForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Decision on the consent"),
        lambda: actions.decide_speciality_consent(consent, actor=acting_user(request), **form.cleaned_data),
        _("Decision recorded."),
        ANCHOR,
    )


@case_view
def competing_decide(request: HttpRequest, case: Case, item_id: int) -> HttpResponse:
    from entraide.extradition.models import CompetingRequest

    _extradition(case)
    _require(may_work(request.user, case))
    competing = get_object_or_404(CompetingRequest, pk=item_id, case=case)
    form = f.CompetingDecideForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    return _simple_form_view(
        request,
        case,
        form,
        _("Which request prevails"),
        lambda: actions.decide_competing_request(competing, actor=acting_user(request), **form.cleaned_data),
        _("Decision recorded."),
        ANCHOR,
    )


EDIT_FORMS: dict[str, tuple[Any, Any, tuple[str, ...]]] = {
    "assurance": (Assurance, f.AssuranceEditForm, ("asked_on", "details")),
    "consent": (SpecialityConsent, f.SpecialityEditForm, ("offences", "requested_on", "note")),
}


@case_view
def entry_edit(request: HttpRequest, case: Case, register: str, item_id: int) -> HttpResponse:
    """Correct an entry of a register (a wrong date, the offences, the State): an audited correction."""
    from entraide.extradition.models import CompetingRequest

    _extradition(case)
    _require(may_work(request.user, case))
    model: Any
    form_class: Any
    names: tuple[str, ...]
    if register == "competing":
        model, form_class, names = CompetingRequest, f.CompetingForm, ("country", "received_on", "offences", "note")
    elif register in EDIT_FORMS:
        model, form_class, names = EDIT_FORMS[register]
    else:
        raise Http404
    entry = get_object_or_404(model, pk=item_id, case=case)
    form = form_class(request.POST or None, initial={name: getattr(entry, name) for name in names})
    return _simple_form_view(
        request,
        case,
        form,
        _("Correct an entry"),
        lambda: actions.correct_entry(entry, actor=acting_user(request), **form.cleaned_data),
        _("Correction saved."),
        ANCHOR,
    )


@login_required
def registers(request: HttpRequest) -> HttpResponse:
    """The registers of extradition across the matters the user may see: consents to speciality, re-extradition
    and transit; assurances; competing requests; property handed over."""
    from entraide.extradition import choices as c
    from entraide.extradition.queries import register_entries

    form = f.RegisterFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    register = data.get("register") or "consents"
    kinds = {"consents": c.ConsentKind.choices, "assurances": c.AssuranceKind.choices}.get(register, [])
    kind = data.get("kind") or ""
    if kind not in {value for value, _label in kinds}:
        kind = ""
    entries = register_entries(acting_user(request), register, kind=kind, pending=bool(data.get("pending")))
    context = {
        "nav": "extradition-registers",
        "register": register,
        "kinds": kinds,
        "kind": kind,
        "pending": bool(data.get("pending")),
        "tabs": form.fields["register"].choices,  # type: ignore[attr-defined]
        "entries": entries,
        "limit": len(entries) >= 500,
        "today": timezone.localdate(),
    }
    return render(request, "extradition/registers.html", context)


@login_required
def custody(request: HttpRequest) -> HttpResponse:
    """Everyone held in extradition proceedings, with their clocks: the head's morning page."""
    rows = custody_rows(acting_user(request))
    return render(request, "extradition/custody.html", {"rows": rows, "nav": "custody", "now": timezone.now()})


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    """Hearings and clock deadlines of a month, and the address of the user's iCalendar feed."""
    from entraide.extradition.calendar import items
    from entraide.extradition.models import CalendarToken

    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("month", "").split("-"))
        first = date(year, month, 1)
    except ValueError:
        first = today.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    previous = (first - timedelta(days=1)).replace(day=1)
    zone = timezone.get_current_timezone()
    start = datetime.combine(first, time.min, tzinfo=zone)
    end = datetime.combine(following, time.min, tzinfo=zone)
    days: dict[date, list[Any]] = {}
    for item in items(acting_user(request), start, end):
        days.setdefault(item.day, []).append(item)
    context = {
        "nav": "calendar",
        "month": first,
        "previous": previous.strftime("%Y-%m"),
        "following": following.strftime("%Y-%m"),
        "days": sorted(days.items()),
        "today": today,
        "token": CalendarToken.objects.filter(user=acting_user(request), revoked_at__isnull=True).first(),
        "feed_url": request.session.pop("extradition_feed_url", ""),
    }
    return render(request, "extradition/calendar.html", context)


@login_required
@require_POST
def calendar_token_new(request: HttpRequest) -> HttpResponse:
    secret = actions.issue_calendar_token(actor=acting_user(request))
    request.session["extradition_feed_url"] = request.build_absolute_uri(
        reverse("extradition:calendar-feed", args=[secret])
    )
    messages.success(request, _("Your calendar address is ready. Copy it now: it will not be shown again."))
    return redirect("extradition:calendar")


@login_required
@require_POST
def calendar_token_revoke(request: HttpRequest) -> HttpResponse:
    actions.revoke_calendar_tokens(actor=acting_user(request))
    messages.success(request, _("Your calendar address no longer works."))
    return redirect("extradition:calendar")


@never_cache
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed: no session, the secret in the address is the key (revocable on the calendar page)."""
    from entraide.extradition.calendar import feed
    from entraide.extradition.models import CalendarToken

    found = CalendarToken.objects.find(token)
    if found is None or not found.user.is_active:
        raise Http404
    CalendarToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    response = HttpResponse(feed(found.user), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="entraide-extradition.ics"'
    return response
