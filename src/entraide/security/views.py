"""Two-factor sign-in pages (enrolment, the second step of signing in) and the administrator's policy page."""

from __future__ import annotations

import time
from typing import Any

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework.authtoken.models import Token

from entraide.accounts.models import Role, User
from entraide.core.auth import acting_user
from entraide.core.errors import ActionError
from entraide.security import actions
from entraide.security.middleware import LAST_SEEN, VERIFIED
from entraide.security.models import SecurityPolicy, TwoFactorDevice

PENDING = "security.pending"
PENDING_SECONDS = 300
PENDING_TRIES = 5


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


class PolicyForm(forms.Form):
    two_factor_roles = forms.MultipleChoiceField(
        label=gettext_lazy("Roles that must use two-factor sign-in"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    idle_minutes = forms.IntegerField(
        label=gettext_lazy("Sign out after this many idle minutes"), min_value=1, max_value=1440
    )


class ResetForm(forms.Form):
    username = forms.CharField(label=gettext_lazy("User name"), max_length=150)
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


def start_pending(request: HttpRequest, user: User, next_url: str) -> None:
    """After a right password, for a user with an authenticator: wait for the second factor."""
    request.session.cycle_key()
    request.session[PENDING] = {
        "user": user.pk,
        "backend": getattr(user, "backend", "entraide.accounts.backends.LockoutBackend"),
        "at": time.time(),
        "next": next_url,
        "tries": 0,
    }


def verify(request: HttpRequest) -> HttpResponse:
    pending = request.session.get(PENDING)
    if not pending or time.time() - pending["at"] > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        messages.info(request, _("Sign in again: the sign-in waited too long for its code."))
        return redirect("login")
    user = User.objects.filter(pk=pending["user"], is_active=True).first()
    if user is None:
        request.session.pop(PENDING, None)
        return redirect("login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        method = actions.check_second_factor(user, form.cleaned_data["code"])
        if method is not None:
            request.session.pop(PENDING, None)
            login(request, user, backend=pending["backend"])
            request.session[VERIFIED] = "yes"
            request.session[LAST_SEEN] = time.time()
            if method == "recovery":
                messages.warning(
                    request,
                    _("You used a recovery code; {left} remain. Make new ones if few are left.").format(
                        left=actions.remaining_recovery_codes(user)
                    ),
                )
            next_url = pending.get("next") or "/"
            if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
                next_url = "/"
            return redirect(next_url)
        from entraide.core.middleware import client_address
        from entraide.security import lockout

        lockout.record_failure(user.username, client_address(request))
        pending["tries"] += 1
        request.session[PENDING] = pending
        if pending["tries"] >= PENDING_TRIES:
            request.session.pop(PENDING, None)
            messages.error(request, _("Too many wrong codes. Sign in again."))
            return redirect("login")
        form.add_error("code", _("That code is not right, or was already used. Enter the code shown now."))
    return render(request, "security/verify.html", {"form": form})


def _qr_svg(uri: str) -> str:
    # segno writes a plain <svg> (no script), safe to inline under the strict Content-Security-Policy.
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#000", light="#fff", omitsize=False))


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    device = TwoFactorDevice.objects.filter(user=user).first()
    form = CodeForm(request.POST or None)
    operation = request.POST.get("operation", "")
    context: dict[str, Any] = {
        "nav": "security",
        "form": form,
        "required": SecurityPolicy.current().requires_two_factor(user),
    }
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"]
        try:
            if operation == "confirm":
                context["codes"] = actions.confirm_enrolment(code, actor=user)
                request.session[VERIFIED] = "yes"
                messages.success(request, _("Two-factor sign-in is on."))
            elif operation == "regenerate":
                context["codes"] = actions.regenerate_recovery_codes(code, actor=user)
                messages.success(request, _("New recovery codes made; the old ones no longer work."))
            elif operation == "disable":
                actions.disable_two_factor(code, actor=user)
                messages.success(request, _("Two-factor sign-in is off."))
                return redirect("security:two-factor")
            elif operation == "token":
                if actions.check_second_factor(user, code) is None:
                    raise ActionError(_("That code is not right."), fields={"code": _("Wrong code.")})
                Token.objects.filter(user=user).delete()
                context["token"] = Token.objects.create(user=user).key
                from entraide.audit import log as audit

                audit.record("auth.token_created", actor=user, obj=user)
            else:
                raise Http404
        except ActionError as error:
            form.add_error("code", str(error.message))
        device = TwoFactorDevice.objects.filter(user=user).first()
    if device is None or not device.confirmed:
        device = actions.start_enrolment(actor=user)
        context["qr"] = mark_safe(_qr_svg(actions.provisioning_uri(device)))
        context["secret"] = device.secret
    context["device"] = device
    context["remaining"] = actions.remaining_recovery_codes(user)
    return render(request, "security/two_factor.html", context)


@login_required
def policy(request: HttpRequest) -> HttpResponse:
    user = acting_user(request)
    if not actions.may_administer(user):
        raise Http404
    current = SecurityPolicy.current()
    form = PolicyForm(
        request.POST if request.POST.get("operation") == "policy" else None,
        initial={"two_factor_roles": current.two_factor_roles, "idle_minutes": current.idle_minutes},
    )
    reset = ResetForm(request.POST if request.POST.get("operation") == "reset" else None)
    if request.method == "POST":
        try:
            if form.is_bound and form.is_valid():
                actions.set_policy(
                    actor=user,
                    two_factor_roles=form.cleaned_data["two_factor_roles"],
                    idle_minutes=form.cleaned_data["idle_minutes"],
                )
                messages.success(request, _("Security policy saved."))
                return redirect("security:policy")
            if reset.is_bound and reset.is_valid():
                target = User.objects.filter(username=reset.cleaned_data["username"]).first()
                if target is None:
                    reset.add_error("username", _("No such user."))
                else:
                    actions.reset_two_factor(target, actor=user, reason=reset.cleaned_data["reason"])
                    messages.success(request, _("Two-factor sign-in of {user} was reset.").format(user=target.username))
                    return redirect("security:policy")
        except ActionError as error:
            messages.error(request, str(error.message))
    with_device = User.objects.filter(two_factor__confirmed_at__isnull=False).values_list("role", flat=True).order_by()
    counts: dict[str, int] = {}
    for role in with_device:
        counts[role] = counts.get(role, 0) + 1
    roles = [
        (value, label, counts.get(value, 0), User.objects.filter(role=value).count()) for value, label in Role.choices
    ]
    return render(request, "security/policy.html", {"nav": "security", "form": form, "reset": reset, "roles": roles})


class BreakGlassForm(forms.Form):
    reference = forms.CharField(label=gettext_lazy("Our reference of the matter"), max_length=60)
    justification = forms.CharField(
        label=gettext_lazy("Why you need it now"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    hours = forms.TypedChoiceField(
        label=gettext_lazy("For"),
        coerce=int,
        choices=[(h, format_lazy(gettext_lazy("{hours} hours"), hours=h)) for h in actions.BREAK_GLASS_HOURS],
        initial=4,
    )


@login_required
def break_glass(request: HttpRequest) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from entraide.security.models import BreakGlass

    user = acting_user(request)
    is_head = user.role == Role.HEAD
    if not (is_head or actions.may_break_glass(user)):
        raise Http404
    form = BreakGlassForm(request.POST if request.POST.get("operation") == "open" else None)
    if request.method == "POST":
        try:
            if request.POST.get("operation") == "review" and is_head:
                access = get_object_or_404(BreakGlass, pk=request.POST.get("access", "0") or 0)
                actions.review_break_glass(
                    access, actor=user, note=request.POST.get("note", ""), revoke=bool(request.POST.get("revoke"))
                )
                messages.success(request, _("Review recorded."))
                return redirect("security:break-glass")
            if form.is_bound and form.is_valid() and not is_head:
                access = actions.break_glass(
                    form.cleaned_data["reference"],
                    actor=user,
                    justification=form.cleaned_data["justification"],
                    hours=form.cleaned_data["hours"],
                )
                messages.warning(
                    request,
                    _("Emergency access opened until {time}. The head has been notified.").format(
                        time=timezone.localtime(access.expires_at).strftime("%Y-%m-%d %H:%M")
                    ),
                )
                from django.urls import reverse

                return redirect(reverse("cases:detail", args=[access.case_id]))
        except ActionError as error:
            for name, text in error.fields.items():
                if name in form.fields:
                    form.add_error(name, str(text))
            messages.error(request, str(error.message))
    accesses = BreakGlass.objects.select_related("case", "user", "reviewed_by")
    if not is_head:
        accesses = accesses.filter(user=user)
    return render(
        request,
        "security/break_glass.html",
        {"nav": "break-glass", "form": form, "is_head": is_head, "accesses": accesses[:200], "now": timezone.now()},
    )


def _number(text: str) -> int | None:
    text = text.strip()
    return int(text) if text.isdigit() else None


@login_required
def retention(request: HttpRequest) -> HttpResponse:
    from django.shortcuts import get_object_or_404

    from entraide.cases.choices import Kind
    from entraide.cases.queries import visible_cases
    from entraide.security import retention as r
    from entraide.security.models import LegalHold, RetentionRule

    user = acting_user(request)
    is_head, is_admin = user.role == Role.HEAD, actions.may_administer(user)
    if not (is_head or is_admin):
        raise Http404
    operation = request.POST.get("operation", "")
    if request.method == "POST":
        try:
            if operation == "rule" and is_admin:
                r.set_retention(
                    request.POST.get("kind", ""),
                    actor=user,
                    years=_number(request.POST.get("years", "")),
                    purge_years=_number(request.POST.get("purge_years", "")),
                    source=request.POST.get("source", "")[:255],
                )
                messages.success(request, _("Retention period saved."))
            elif operation == "hold" and is_head:
                reference = request.POST.get("reference", "").strip()
                case = visible_cases(user).filter(reference=reference).first()
                if case is None:
                    raise ActionError(_("No matter with that reference."))
                r.place_hold(case, actor=user, reason=request.POST.get("reason", ""))
                messages.success(request, _("Legal hold placed on {reference}.").format(reference=case.reference))
            elif operation == "lift" and is_head:
                r.lift_hold(get_object_or_404(LegalHold, pk=request.POST.get("hold", "0") or 0), actor=user)
                messages.success(request, _("Legal hold lifted."))
            elif operation == "archive" and is_head:
                case = get_object_or_404(visible_cases(user), pk=_number(request.POST.get("case", "")) or 0)
                r.archive_case(case, actor=user)
                messages.success(request, _("{reference} was archived.").format(reference=case.reference))
            elif operation == "purge" and is_head:
                case = get_object_or_404(visible_cases(user), pk=_number(request.POST.get("case", "")) or 0)
                tombstone = r.purge_case(case, actor=user)
                messages.success(request, _("{reference} was purged.").format(reference=tombstone["reference"]))
            else:
                raise Http404
        except ActionError as error:
            messages.error(request, str(error.message))
        return redirect("security:retention")
    rules = {rule.kind: rule for rule in RetentionRule.objects.all()}
    context: dict[str, Any] = {
        "nav": "retention",
        "is_head": is_head,
        "is_admin": is_admin,
        "kinds": [(value, label, rules.get(value)) for value, label in Kind.choices],
    }
    if is_head:
        visible = visible_cases(user)
        context["due_archival"] = r.due_for_archival().filter(pk__in=visible.values("pk"))[:200]
        context["due_purge"] = r.due_for_purge().filter(pk__in=visible.values("pk"))[:200]
        context["holds"] = LegalHold.objects.filter(lifted_at__isnull=True).select_related("case", "placed_by")
    return render(request, "security/retention.html", context)


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """The archived matters this user may see, findable by reference, title or counterpart's reference."""
    from django.core.paginator import Paginator
    from django.db.models import Q
    from django.shortcuts import get_object_or_404

    from entraide.audit import log as audit
    from entraide.cases.queries import visible_cases
    from entraide.security import retention as r
    from entraide.security.models import Archive

    user = acting_user(request)
    if request.method == "POST":
        if user.role != Role.HEAD:
            raise Http404
        case = get_object_or_404(visible_cases(user), pk=_number(request.POST.get("case", "")) or 0)
        try:
            r.unarchive_case(case, actor=user, reason=request.POST.get("reason", ""))
            messages.success(request, _("{reference} is back in the register.").format(reference=case.reference))
        except ActionError as error:
            messages.error(request, str(error.message))
        return redirect("security:archive")
    cases = visible_cases(user).filter(pk__in=r.archived_ids())
    query = request.GET.get("q", "").strip()[:200]
    if query:
        cases = cases.filter(
            Q(reference__icontains=query) | Q(title__icontains=query) | Q(counterpart_reference__icontains=query)
        )
        audit.record("archive.search", actor=user, object_type="archive", object_id="search", after={"q": query})
    page = Paginator(cases.order_by("-closed_at", "-id"), 50).get_page(request.GET.get("page"))
    archived_at = dict(
        Archive.objects.filter(case_id__in=[c.pk for c in page.object_list]).values_list("case_id", "archived_at")
    )
    rows = [(case, archived_at.get(case.pk)) for case in page.object_list]
    return render(
        request,
        "security/archive.html",
        {"nav": "archive", "page": page, "rows": rows, "q": query, "is_head": user.role == Role.HEAD},
    )
