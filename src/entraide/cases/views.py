"""Case pages. Each view finds the case through ``get_case_for`` (404 when not visible) and makes one action call."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entraide.accounts.models import Role, User
from entraide.cases import actions
from entraide.cases import choices as c
from entraide.cases.catalogue import DEFINITIONS
from entraide.cases.filters import CaseFilter, IdIn
from entraide.cases.forms import (
    AssignForm,
    CaseForm,
    CommunicationForm,
    DocumentForm,
    ExtendForm,
    GrantForm,
    IdentifierForm,
    LinkForm,
    MeasureStatusForm,
    MeasureTypeForm,
    OffenceForm,
    ReasonForm,
    SubjectEditForm,
    SubjectForm,
    TransitionForm,
    VersionForm,
    measure_details_form,
    measure_details_from,
)
from entraide.cases.models import (
    Case,
    CaseLink,
    CaseMember,
    Deadline,
    Document,
    DocumentVersion,
    Measure,
    Subject,
)
from entraide.cases.queries import (
    can_assign,
    can_file,
    can_register,
    can_work_on,
    case_rows,
    get_case_by_reference_for,
    get_case_for,
    visible_cases,
)
from entraide.cases.timeline import rule_names
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError
from entraide.core.extensions import case_panels, deadline_owner, step_blocked, step_owner
from entraide.core.templatetags.entraide import RowCache

DETAIL_RELATED = ("counterpart_country", "counterpart_authority", "legal_basis", "national_authority", "officer")


def _apply_errors(form: forms.BaseForm | None, error: ActionError) -> None:
    if form is None:
        return
    for field, message in error.fields.items():
        name = field.split(".", 1)[-1]
        form.add_error(name if name in form.fields else None, str(message))


def _attempt(
    request: HttpRequest, action: Callable[[], Any], form: forms.BaseForm | None = None, success: str = ""
) -> tuple[bool, Any]:
    """Run one action; on ActionError show its message (and field errors) instead of a server error."""
    try:
        result = action()
    except ActionError as error:
        messages.error(request, str(error.message))
        _apply_errors(form, error)
        return False, None
    if success:
        messages.success(request, success)
    return True, result


def _case_url(case: Case, anchor: str = "") -> str:
    return reverse("cases:detail", args=[case.pk]) + (f"#{anchor}" if anchor else "")


# --- lists --------------------------------------------------------------------------------------------------


@login_required
def my_work(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    base = visible_cases(user, now=True).filter(is_open=True)
    now = timezone.now()
    if user.role in (Role.CLERK, Role.REQUESTING):
        mine = base.filter(created_by=user)
    else:
        memberships = CaseMember.objects.filter(user=user).values("case_id")
        # Most users are members of no matter: then "mine" is an index range, not an OR to sort.
        mine = base.filter(officer=user)
        if memberships.exists():
            mine = base.filter(Q(officer=user) | Q(pk__in=memberships))
    overdue = Q(next_due_at__lt=now)
    soon = Q(next_due_at__gte=now, next_due_at__lte=now + timedelta(days=7))
    waiting = Q(waiting_on_others=True)
    # The four counts in one pass over the user's matters.
    counts = mine.order_by().aggregate(
        assigned=Count("pk"),
        overdue=Count("pk", filter=overdue),
        soon=Count("pk", filter=soon),
        waiting=Count("pk", filter=waiting),
    )
    listed = [
        ("assigned", _("Assigned to me"), mine.order_by("priority", "next_due_at"), counts["assigned"]),
        ("overdue", _("Overdue"), mine.filter(overdue).order_by("next_due_at"), counts["overdue"]),
        ("soon", _("Due within 7 days"), mine.filter(soon).order_by("next_due_at"), counts["soon"]),
        ("waiting", _("Waiting on others"), mine.filter(waiting).order_by("next_due_at"), counts["waiting"]),
    ]
    if user.role == Role.HEAD:
        unassigned = base.filter(officer__isnull=True)
        listed.insert(
            0, ("unassigned", _("To assign"), unassigned.order_by("priority", "created_at"), unassigned.count())
        )
    # Each section's first 50 as ids (from its index), then the rows of all of them in one query: a matter in
    # several sections is read once, and its row rendered once (``RowCache``).
    section_ids = [list(queryset.values_list("pk", flat=True)[:50]) for _key, _label, queryset, _count in listed]
    wanted = {pk for ids in section_ids for pk in ids}
    rows = {row.pk: row for row in case_rows(base.filter(pk__in=wanted))} if wanted else {}
    sections = [
        (key, label, [rows[pk] for pk in ids if pk in rows], count)
        for (key, label, _queryset, count), ids in zip(listed, section_ids, strict=True)
    ]
    return render(request, "cases/my_work.html", {"sections": sections, "nav": "mywork", "row_cache": RowCache()})


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    queryset = visible_cases(request.user, now=True)
    case_filter = CaseFilter(request.GET or None, queryset=queryset, request=request)
    results = case_filter.qs if case_filter.is_bound else queryset
    if not case_filter.is_bound or not request.GET.get("sort"):
        results = results.order_by("-created_at", "-id")
    paginator = Paginator(results, 50)
    known = IdIn.exact_count(results)
    if known is not None:  # a search over every matter: its count is the number of matters it found
        paginator.count = known  # type: ignore[misc]
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = case_rows(page.object_list)  # type: ignore[arg-type]
    if request.GET.get("q"):
        actions.record_search(actor=acting_user(request), query=request.GET.urlencode())
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "cases/list.html",
        {"filter": case_filter, "page": page, "querystring": params.urlencode(), "nav": "register"},
    )


@login_required
def workload(request: HttpRequest) -> HttpResponse:
    if not can_assign(request.user):
        raise Http404
    now = timezone.now()
    open_cases = visible_cases(request.user).filter(is_open=True)
    rows = (
        User.objects.filter(role__in=[Role.OFFICER, Role.HEAD], is_active=True)
        .annotate(
            open_count=Count("lead_cases", filter=Q(lead_cases__in=open_cases)),
            overdue=Count("lead_cases", filter=Q(lead_cases__in=open_cases, lead_cases__next_due_at__lt=now)),
            soon=Count(
                "lead_cases",
                filter=Q(
                    lead_cases__in=open_cases,
                    lead_cases__next_due_at__gte=now,
                    lead_cases__next_due_at__lte=now + timedelta(days=7),
                ),
            ),
            urgent=Count("lead_cases", filter=Q(lead_cases__in=open_cases, lead_cases__priority=c.Priority.URGENT)),
        )
        .order_by("-open_count", "username")
    )
    unassigned = open_cases.filter(officer__isnull=True).count()
    return render(request, "cases/workload.html", {"rows": rows, "unassigned": unassigned, "nav": "workload"})


# --- one case -----------------------------------------------------------------------------------------------


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk, related=DETAIL_RELATED)
    actions.record_view(case, actor=acting_user(request))
    user = acting_user(request)
    lifecycle = case.lifecycle
    steps = [t for t in lifecycle.next_states(case.status) if user.role in t.roles]  # type: ignore[union-attr]
    # Steps an app has taken over (accepting a request goes through its admissibility review…) link to its page.
    owned = {t.target: owner for t in steps if (owner := step_owner(case, t.target)) is not None}
    taken_from = [(owner.label, owner.url(case)) for owner in dict.fromkeys(owned.values())]
    steps = [t for t in steps if t.target not in owned]
    # A step an app forbids for now (a mandatory ground for refusal blocks the grant…) shows why, disabled.
    blocked = {t.target: reason for t in steps if (reason := step_blocked(case, t.target))}
    documents = case.documents.prefetch_related("versions").all()
    events = list(case.events.select_related("actor")[:200])
    deadlines = list(case.deadlines.select_related("rule").order_by("status", "due_at"))
    for event in events:
        event.case = case  # the timeline reads the case's lifecycle: no need to load it 200 times
    # Links both ways in one query; one shows only if the matter at its other end is visible too, which a
    # second query checks only when there are links (most matters have none).
    links = list(CaseLink.objects.filter(Q(source_id=case.pk) | Q(target_id=case.pk)))
    if links:
        others = {link.target_id if link.source_id == case.pk else link.source_id for link in links}
        shown = {
            other.pk: other
            for other in visible_cases(user).filter(pk__in=others).only("reference", "title", "direction", "kind")
        }
        kept = []
        for link in links:
            other_id = link.target_id if link.source_id == case.pk else link.source_id
            if other_id in shown:
                if link.source_id == case.pk:
                    link.source, link.target = case, shown[other_id]
                else:
                    link.source, link.target = shown[other_id], case
                kept.append(link)
        links = kept
    context = {
        "case": case,
        "steps": steps,
        "taken_from": taken_from,
        "blocked": blocked,
        # Clocks an app meets by its own record: "mark as met" links to the app's page.
        "met_from": {d.pk: (o.label, o.url(d)) for d in deadlines if (o := deadline_owner(d)) is not None},
        "may_work": can_work_on(user, case),
        "may_file": can_file(user, case),
        "may_assign": can_assign(user),
        "subjects": case.subjects.select_related("nationality").prefetch_related("identifiers"),
        "measures": case.measures.all(),
        "offences": case.offences.all(),
        "documents": documents,
        "communications": case.communications.select_related("recorded_by")[:100],
        "deadlines": deadlines,
        "events": events,
        "rule_names": rule_names(events, known=deadlines),
        "links_out": [link for link in links if link.source_id == case.pk],
        "links_in": [link for link in links if link.target_id == case.pk],
        "members": case.members.select_related("user", "granted_by"),
        "now": timezone.now(),
        "nav": "register",
    }
    context["panels"] = case_panels(request, case, context)
    return render(request, "cases/detail.html", context)


@login_required
def case_create(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not can_register(user):
        raise Http404
    form = CaseForm(
        request.POST or None,
        user=user,  # type: ignore[arg-type]
        initial={"priority": c.Priority.NORMAL, "received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        ok, case = _attempt(request, lambda: actions.register_case(actor=user, **form.action_data()), form)
        if ok:
            messages.success(request, _("Matter registered as {reference}.").format(reference=case.reference))
            return redirect(_case_url(case))
    return render(
        request,
        "cases/form.html",
        {"form": form, "title": _("Register a matter"), "nav": "new", "multipart": False},
    )


@login_required
def case_edit(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    if not can_work_on(request.user, case):
        return HttpResponseForbidden(_("You may not change this matter."))
    form = CaseForm(request.POST or None, instance=case, user=request.user)  # type: ignore[arg-type]
    if request.method == "POST" and form.is_valid():
        version = form.cleaned_data.get("version")
        fresh = Case.objects.get(pk=case.pk)
        ok, _result = _attempt(
            request,
            lambda: actions.update_case(
                fresh,
                actor=acting_user(request),
                expected_version=version,  # type: ignore[arg-type]
                **form.action_data(),
            ),
            form,
            _("Changes saved."),
        )
        if ok:
            return redirect(_case_url(case))
    return render(request, "cases/form.html", {"form": form, "case": case, "title": _("Edit the matter")})


@login_required
@require_POST
def case_transition(request: HttpRequest, pk: int) -> HttpResponse:
    case = get_case_for(request.user, pk)
    form = TransitionForm(request.POST)
    if form.is_valid():
        target = form.cleaned_data["to"]
        _attempt(
            request,
            lambda: actions.transition(
                case,
                target,
                actor=acting_user(request),
                reason=form.cleaned_data["reason"] or "",
            ),
            success=_("Status changed to “{state}”.").format(state=case.lifecycle.label(target)),
        )
    return redirect(_case_url(case))


def _simple_form_view(
    request: HttpRequest,
    case: Case,
    form: forms.Form,
    title: str,
    run: Callable[[], Any],
    success: str,
    anchor: str,
    multipart: bool = False,
) -> HttpResponse:
    if request.method == "POST" and form.is_valid():
        ok, _result = _attempt(request, run, form, success)
        if ok:
            return redirect(_case_url(case, anchor))
    return render(request, "cases/form.html", {"form": form, "case": case, "title": title, "multipart": multipart})


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDeniedPage


class PermissionDeniedPage(Exception):
    pass


def case_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Login required; the case is loaded through need-to-know; lack of a right to act is a 403 page."""

    @login_required
    def wrapper(request: HttpRequest, pk: int, *args: Any, **kwargs: Any) -> HttpResponse:
        case = get_case_for(request.user, pk)
        try:
            return view(request, case, *args, **kwargs)
        except PermissionDeniedPage:
            return HttpResponseForbidden(_("You may not change this matter."))

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


@case_view
def case_assign(request: HttpRequest, case: Case) -> HttpResponse:
    _require(can_assign(request.user))
    form = AssignForm(request.POST or None, initial={"officer": case.officer_id})
    return _simple_form_view(
        request,
        case,
        form,
        _("Assign the matter"),
        lambda: actions.assign(
            case,
            form.cleaned_data["officer"],
            actor=acting_user(request),
            reason=form.cleaned_data["reason"],
        ),
        _("Matter assigned."),
        "",
    )


@case_view
def access_grant(request: HttpRequest, case: Case) -> HttpResponse:
    _require(can_assign(request.user))
    form = GrantForm(request.POST or None)
    return _simple_form_view(
        request,
        case,
        form,
        _("Grant access to the matter"),
        lambda: actions.grant_access(
            case,
            form.cleaned_data["user"],
            actor=acting_user(request),
            reason=form.cleaned_data["reason"],
            expires_at=form.cleaned_data["expires_at"],
        ),
        _("Access granted."),
        "access",
    )


@case_view
@require_POST
def access_revoke(request: HttpRequest, case: Case, user_id: int) -> HttpResponse:
    _require(can_assign(request.user))
    member = get_object_or_404(case.members, user_id=user_id)
    _attempt(
        request,
        lambda: actions.revoke_access(case, member.user, actor=acting_user(request)),
        success=_("Access revoked."),
    )
    return redirect(_case_url(case, "access"))


@case_view
def offence_add(request: HttpRequest, case: Case) -> HttpResponse:
    _require(can_work_on(request.user, case))
    form = OffenceForm(request.POST or None)
    return _simple_form_view(
        request,
        case,
        form,
        _("Add an offence"),
        lambda: actions.add_offence(case, actor=acting_user(request), **form.cleaned_data),
        _("Offence added."),
        "summary",
    )


@case_view
def subject_add(request: HttpRequest, case: Case) -> HttpResponse:
    _require(can_work_on(request.user, case))
    form = SubjectForm(request.POST or None)
    return _simple_form_view(
        request,
        case,
        form,
        _("Add a subject"),
        lambda: actions.add_subject(case, actor=acting_user(request), **form.action_data()),
        _("Subject added."),
        "subjects",
    )


@case_view
def subject_edit(request: HttpRequest, case: Case, subject_id: int) -> HttpResponse:
    _require(can_work_on(request.user, case))
    subject = get_object_or_404(Subject, pk=subject_id, case=case)
    initial = {f: getattr(subject, f) for f in SubjectEditForm.base_fields if hasattr(subject, f)}
    form = SubjectEditForm(request.POST or None, initial=initial)
    return _simple_form_view(
        request,
        case,
        form,
        _("Edit the subject"),
        lambda: actions.update_subject(subject, actor=acting_user(request), **form.action_data()),
        _("Subject saved."),
        "subjects",
    )


@case_view
def identifier_add(request: HttpRequest, case: Case, subject_id: int) -> HttpResponse:
    _require(can_work_on(request.user, case))
    subject = get_object_or_404(Subject, pk=subject_id, case=case)
    form = IdentifierForm(request.POST or None)
    return _simple_form_view(
        request,
        case,
        form,
        _("Add an identifier to {name}").format(name=subject.name),
        lambda: actions.add_identifier(subject, actor=acting_user(request), **form.cleaned_data),
        _("Identifier added."),
        "subjects",
    )


@case_view
def measure_add(request: HttpRequest, case: Case) -> HttpResponse:
    """Two steps: choose the measure, then fill the details that measure needs."""
    _require(can_work_on(request.user, case))
    measure_type = request.POST.get("type") or request.GET.get("type") or ""
    type_form = MeasureTypeForm(initial={"type": measure_type} if measure_type else None)
    if measure_type not in DEFINITIONS:
        return render(request, "cases/measure_form.html", {"case": case, "type_form": type_form})
    form = measure_details_form(measure_type, request.POST or None, prefix="d")
    if request.method == "POST" and form.is_valid():
        ok, _result = _attempt(
            request,
            lambda: actions.add_measure(
                case,
                actor=acting_user(request),
                type=measure_type,  # type: ignore[arg-type]
                description=form.cleaned_data.get("description", ""),
                details=measure_details_from(form),
            ),
            form,
            _("Measure added."),
        )
        if ok:
            return redirect(_case_url(case, "measures"))
    return render(
        request,
        "cases/measure_form.html",
        {
            "case": case,
            "type_form": type_form,
            "form": form,
            "measure_type": measure_type,
            "definition": DEFINITIONS[measure_type],
        },
    )


@case_view
def measure_status(request: HttpRequest, case: Case, measure_id: int) -> HttpResponse:
    _require(can_work_on(request.user, case))
    measure = get_object_or_404(Measure, pk=measure_id, case=case)
    form = MeasureStatusForm(request.POST or None, initial={"status": measure.status})
    return _simple_form_view(
        request,
        case,
        form,
        _("Status of the measure: {measure}").format(measure=measure.get_type_display()),
        lambda: actions.set_measure_status(
            measure,
            form.cleaned_data["status"],
            actor=acting_user(request),
            note=form.cleaned_data["note"],
        ),
        _("Measure status saved."),
        "measures",
    )


@case_view
def document_add(request: HttpRequest, case: Case) -> HttpResponse:
    _require(can_file(request.user, case))
    form = DocumentForm(request.POST or None, request.FILES or None)
    return _simple_form_view(
        request,
        case,
        form,
        _("File a document"),
        lambda: actions.add_document(
            case,
            form.cleaned_data["file"],
            actor=acting_user(request),
            kind=form.cleaned_data["kind"],
            title=form.cleaned_data["title"],
            language=form.cleaned_data["language"],
        ),
        _("Document filed."),
        "documents",
        multipart=True,
    )


@case_view
def document_version(request: HttpRequest, case: Case, document_id: int) -> HttpResponse:
    _require(can_file(request.user, case))
    document = get_object_or_404(Document, pk=document_id, case=case)
    form = VersionForm(request.POST or None, request.FILES or None)
    return _simple_form_view(
        request,
        case,
        form,
        _("New version of {title}").format(title=document.title),
        lambda: actions.add_document_version(
            document,
            form.cleaned_data["file"],  # type: ignore[arg-type]
            actor=acting_user(request),
        ),
        _("New version filed."),
        "documents",
        multipart=True,
    )


@case_view
def document_download(request: HttpRequest, case: Case, version_id: int) -> HttpResponse:
    version = get_object_or_404(DocumentVersion.objects.select_related("document"), pk=version_id, document__case=case)
    digest = hashlib.sha256()
    with version.file.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    if digest.hexdigest() != version.sha256:
        messages.error(
            request,
            _(
                "The stored file does not match its fingerprint (SHA-256). It was not "
                "delivered; tell the administrator."
            ),
        )
        return redirect(_case_url(case, "documents"))
    actions.record_download(version, actor=acting_user(request))
    response = FileResponse(
        version.file.open("rb"),
        as_attachment=True,
        filename=version.original_name,
        content_type=version.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]


@case_view
def communication_add(request: HttpRequest, case: Case) -> HttpResponse:
    _require(can_file(request.user, case))
    form = CommunicationForm(request.POST or None)
    return _simple_form_view(
        request,
        case,
        form,
        _("Log a communication"),
        lambda: actions.log_communication(case, actor=acting_user(request), **form.cleaned_data),
        _("Communication logged."),
        "communications",
    )


@case_view
def link_add(request: HttpRequest, case: Case) -> HttpResponse:
    _require(can_work_on(request.user, case))
    form = LinkForm(request.POST or None)

    def run() -> Any:
        try:
            target = get_case_by_reference_for(request.user, form.cleaned_data["target"].strip())
        except Http404 as exc:
            raise ActionError(_("No matter with this reference."), fields={"target": _("Not found.")}) from exc
        return actions.link_cases(case, target, actor=acting_user(request), kind=form.cleaned_data["kind"])

    return _simple_form_view(request, case, form, _("Link to another matter"), run, _("Matters linked."), "links")


@case_view
@require_POST
def waiting_toggle(request: HttpRequest, case: Case) -> HttpResponse:
    _require(can_work_on(request.user, case))
    _attempt(request, lambda: actions.set_waiting(case, not case.waiting_on_others, actor=acting_user(request)))
    return redirect(_case_url(case))


@case_view
def deadline_action(request: HttpRequest, case: Case, deadline_id: int, op: str) -> HttpResponse:
    _require(can_work_on(request.user, case))
    deadline = get_object_or_404(Deadline.objects.select_related("rule"), pk=deadline_id, case=case)
    user = acting_user(request)
    if op == "extend":
        form: forms.Form = ExtendForm(request.POST or None)
        run: Callable[[], Any] = lambda: actions.extend_deadline(  # noqa: E731
            deadline, actor=user, days=form.cleaned_data["days"], reason=form.cleaned_data["reason"]
        )  # type: ignore[arg-type]
        title = _("Extend the deadline")
    else:
        form = ReasonForm(request.POST or None)
        runs: dict[str, tuple[str, Callable[[], Any]]] = {
            "pause": (
                _("Pause the deadline"),
                lambda: actions.pause_deadline(deadline, actor=user, reason=form.cleaned_data["reason"]),
            ),  # type: ignore[arg-type]
            "resume": (_("Resume the deadline"), lambda: actions.resume_deadline(deadline, actor=user)),  # type: ignore[arg-type]
            "met": (
                _("Mark the deadline as met"),
                lambda: actions.meet_deadline(deadline, actor=user, note=form.cleaned_data["reason"]),
            ),  # type: ignore[arg-type]
        }
        if op not in runs:
            raise Http404
        title, run = runs[op]
    return _simple_form_view(
        request,
        case,
        form,
        f"{title}: {deadline.rule.display_name}",
        run,
        _("Deadline updated."),
        "deadlines",
    )
