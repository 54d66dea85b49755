from __future__ import annotations

import time
from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entraide.accounts.models import User
from entraide.audit import log as audit
from entraide.core.middleware import client_address
from entraide.security import lockout


class LockoutAuthenticationForm(AuthenticationForm):
    """Says plainly when sign-in is locked, instead of the usual "wrong password"."""

    def clean(self) -> dict[str, Any]:
        username = self.data.get("username", "")
        minutes = lockout.locked_minutes(username, client_address(self.request)) if self.request else 0
        if username and minutes:
            audit.record(
                "auth.refused_locked",
                actor=None,
                object_type="user",
                object_id=username[:64],
                after={"minutes": minutes},
            )
            raise ValidationError(
                _("Too many failed sign-ins. Try again in {minutes} minutes, or ask the administrator.").format(
                    minutes=minutes
                ),
                code="locked",
            )
        return super().clean()


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True
    form_class = LockoutAuthenticationForm

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        from entraide.security.actions import has_device
        from entraide.security.middleware import LAST_SEEN
        from entraide.security.views import start_pending

        user = form.get_user()
        if has_device(user):
            start_pending(self.request, user, self.get_success_url())
            return HttpResponseRedirect(reverse("security:verify"))
        response = super().form_valid(form)
        self.request.session[LAST_SEEN] = time.time()
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        context["locked"] = bool(form is not None and form.has_error("__all__", "locked"))
        return context


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language; a signed-in user keeps the choice on their profile."""
    language = request.POST.get("language", "")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language and check_for_language(language) and language in dict(settings.LANGUAGES):
        if request.user.is_authenticated:
            User.objects.filter(pk=request.user.pk).update(language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
