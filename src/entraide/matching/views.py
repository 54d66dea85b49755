"""Deconfliction on demand and decisions on matches, from the case page and the informal contact page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from entraide.cases.queries import get_case_for
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError
from entraide.informal.queries import get_contact_for
from entraide.matching import actions
from entraide.matching.queries import visible_matches


def _found(request: HttpRequest, count: int) -> None:
    messages.success(
        request,
        ngettext(
            "{count} possible match above the threshold.", "{count} possible matches above the threshold.", count
        ).format(count=count),
    )


@login_required
@require_POST
def case_run(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    case = get_case_for(user, pk)
    try:
        _found(request, len(actions.run_for_case(case, actor=user)))
    except ActionError as error:
        if error.status == 403:
            raise PermissionDenied from error
        raise
    return redirect(reverse("cases:detail", args=[case.pk]) + "#matches")


@login_required
@require_POST
def informal_run(request: HttpRequest, pk: int) -> HttpResponse:
    user = acting_user(request)
    contact = get_contact_for(user, pk)
    try:
        _found(request, len(actions.run_for_contact(contact, actor=user)))
    except ActionError as error:
        if error.status == 403:
            raise PermissionDenied from error
        raise
    return redirect("informal:detail", pk=contact.pk)


@login_required
@require_POST
def decide(request: HttpRequest, pk: int, op: str) -> HttpResponse:
    user = acting_user(request)
    match = visible_matches(user).filter(pk=pk).first()
    if match is None or op not in ("confirm", "reject"):
        raise Http404
    note = request.POST.get("note", "")
    try:
        if op == "confirm":
            actions.confirm(match, actor=user, note=note)
            messages.success(request, _("Match confirmed; the matters are linked."))
        else:
            actions.reject(match, actor=user, note=note)
            messages.success(request, _("Match rejected; it will not be proposed again."))
    except ActionError as error:
        messages.error(request, str(error.message))
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target or "/")


KINDS = (
    ("", gettext_lazy("People and organisations")),
    ("person", gettext_lazy("People")),
    ("organisation", gettext_lazy("Organisations")),
)


@login_required
def search(request: HttpRequest) -> HttpResponse:
    """Search the index of subjects by name (any script) or identifier; every search is audited."""
    from entraide.matching.panel import WARNINGS
    from entraide.matching.search import MAX_QUERY, may_search
    from entraide.matching.search import search as run_search

    user = acting_user(request)
    if not may_search(user):
        raise PermissionDenied
    query = request.GET.get("q", "")
    kind = request.GET.get("kind", "")
    kind = kind if kind in ("person", "organisation") else ""
    outcome = None
    error = ""
    if "q" in request.GET:
        if not query.strip():
            error = _("Type a name or an identifier (passport, phone, IBAN, e-mail…).")
        elif len(query) > MAX_QUERY:
            error = _("The search is too long: at most {count} characters.").format(count=MAX_QUERY)
        else:
            outcome = run_search(user, query, kind=kind)
    readings = READINGS
    return render(
        request,
        "matching/search.html",
        {
            "nav": "subject-search",
            "query": query,
            "kind": kind,
            "kinds": KINDS,
            "error": error,
            "outcome": outcome,
            "read_as": [str(readings[r]()) for r in outcome.probe.readings if r in readings] if outcome else [],
            "warnings": [str(WARNINGS[w]()) for w in outcome.warnings if w in WARNINGS] if outcome else [],
            "max_query": MAX_QUERY,
        },
    )


READINGS = {
    "name": lambda: _("a name"),
    "passport": lambda: _("a passport number"),
    "national_id": lambda: _("a national ID number"),
    "registration": lambda: _("a company registration number"),
    "phone": lambda: _("a phone number"),
    "email": lambda: _("an e-mail address"),
    "iban": lambda: _("an IBAN"),
    "crypto_wallet": lambda: _("a crypto wallet"),
    "ip": lambda: _("an IP address"),
}
