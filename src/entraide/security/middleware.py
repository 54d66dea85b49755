"""Per-request security: idle sessions end, two-factor sign-in is enforced, API calls are audited.

- A session idle longer than the policy's ``idle_minutes`` is signed out (the next page asks to sign in again).
- A user who has an authenticator must have passed it in this session (a sign-in by any other door, the admin's
  login page for instance, is sent back to sign in); a user whose role must use two-factor sign-in and has no
  authenticator yet is sent to the enrolment page until done.
- Every API call by a signed-in user or token, and every refused token, is written to the audit trail; so is a
  page refused to a signed-in user (403/404: guessing another matter's or document's id) and a session cookie
  that names no session (forged or ended).
- API calls are rate-limited per token, user or address (``ENTRAIDE_API_RATE_PER_MINUTE``), counted in the
  shared cache, so every server process counts against the same limit.
- A stored file that fails its integrity check is refused with a clear page (409), and recorded.
- A change to an archived matter that a page did not catch itself gets a clear page (409).
- A value the database cannot hold (an id of 30 digits) is refused as bad input (400), not a server error.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth import logout
from django.db import DataError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from entraide.audit import log as audit
from entraide.security import crypto, ratelimit

log = logging.getLogger(__name__)

LAST_SEEN = "security.last_seen"
VERIFIED = "security.2fa"
CHECKED = "security.2fa_checked"
DEVICE_RECHECK_SECONDS = 60
_policy_cache: dict[str, Any] = {}
POLICY_TTL = 10.0


def forget_policy() -> None:
    _policy_cache.clear()


def policy() -> Any:
    from entraide.security.models import SecurityPolicy

    cached = _policy_cache.get("policy")
    if cached is None or time.monotonic() - _policy_cache["at"] > POLICY_TTL:
        cached = SecurityPolicy.current()
        _policy_cache.update(policy=cached, at=time.monotonic())
    return cached


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


EXEMPT_NAMES = {"logout", "security:two-factor", "security:verify", "accounts:language"}


def _record_integrity_failure(request: HttpRequest, problem: str) -> None:
    """A download refused because the stored file failed its integrity check, in the audit trail."""
    user = getattr(request, "user", None)
    audit.record(
        "document.integrity_failure",
        actor=user if user is not None and user.is_authenticated else None,
        object_type="file",
        object_id=request.path[:64],
        after={"problem": problem[:300]},
    )


class SecurityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        early = self._rate_limit(request) if _is_api(request) else None
        if early is not None:
            return early
        early = self._session_checks(request)
        if early is not None:
            return early
        response = self.get_response(request)
        if _is_api(request):
            self._audit_api(request, response)
            self._audit_integrity_refusal(request, response)
        elif response.status_code in (403, 404):
            self._audit_refusal(request, response)
        return response

    @staticmethod
    def _audit_refusal(request: HttpRequest, response: HttpResponse) -> None:
        """A signed-in user refused a page (a matter or document they may not see answers 404, as if it did not
        exist): recorded, so that the auditor sees someone guessing ids."""
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or request.path.startswith("/static/"):
            return
        audit.record(
            "access.refused",
            actor=user,
            object_type="page",
            object_id=request.method or "",
            after={"path": request.path[:300], "status": response.status_code},
        )

    @staticmethod
    def _unknown_session(request: HttpRequest) -> None:
        """A session cookie that names no session (forged, or ended): the visitor is anonymous; say so, record it."""
        from django.conf import settings

        cookie = request.COOKIES.get(settings.SESSION_COOKIE_NAME)
        session = getattr(request, "session", None)
        if not cookie or session is None or session.session_key is not None:
            return
        from entraide.core.middleware import client_address

        audit.record(
            "auth.session_unknown",
            actor=None,
            object_type="session",
            object_id="",
            after={"path": request.path[:300], "address": client_address(request)},
        )
        if not _is_api(request):
            messages.warning(request, _("Your session is not valid (it ended, or it was not issued here). Sign in."))

    @staticmethod
    def _audit_integrity_refusal(request: HttpRequest, response: HttpResponse) -> None:
        """An API download refused because the stored file failed its check (the API answers it itself)."""
        data = getattr(response, "data", None)
        if response.status_code != 409 or not isinstance(data, dict) or data.get("code") != "integrity_error":
            return
        _record_integrity_failure(request, str(data.get("detail", "")))

    def _session_checks(self, request: HttpRequest) -> HttpResponse | None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            self._unknown_session(request)
            return self._token_gate(request)
        session = request.session
        now = time.time()
        last = session.get(LAST_SEEN)
        if last is not None and now - float(last) > policy().idle_minutes * 60:
            audit.record("auth.session_expired", actor=user, obj=user)
            logout(request)
            if _is_api(request):
                return None
            messages.info(request, _("You were signed out after a period without activity. Sign in again."))
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if last is None or now - float(last) > 30:
            session[LAST_SEEN] = now
        if session.get(VERIFIED) == "yes":
            return None
        from entraide.security.actions import has_device

        # Whether the user has an authenticator is looked up at most once a minute per session.
        if now - float(session.get(CHECKED, 0)) > DEVICE_RECHECK_SECONDS and has_device(user):
            # Signed in without passing the second factor (another login page): sign in again properly.
            audit.record("auth.2fa_bypass_refused", actor=user, obj=user, after={"path": request.path[:200]})
            logout(request)
            return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
        if now - float(session.get(CHECKED, 0)) > DEVICE_RECHECK_SECONDS:
            session[CHECKED] = now
        if policy().requires_two_factor(user):
            name = self._url_name(request)
            if name in EXEMPT_NAMES or request.path.startswith("/static/"):
                return None
            if _is_api(request):
                return JsonResponse(
                    {
                        "detail": _("Turn on two-factor sign-in first (page “Two-factor sign-in”)."),
                        "code": "two_factor_required",
                    },
                    status=403,
                )
            messages.warning(request, _("Your role must use two-factor sign-in. Set it up to continue."))
            return redirect("security:two-factor")
        return None

    @staticmethod
    def _rate_limit(request: HttpRequest) -> HttpResponse | None:
        """A fixed one-minute window per token, signed-in user or (anonymous) address, counted in Django's cache
        (shared by every server process: ``security.ratelimit``)."""
        from entraide.core.middleware import client_address
        from entraide.security import conf

        credential = request.headers.get("Authorization", "")
        user = getattr(request, "user", None)
        if credential:
            identity, limit = hashlib.sha256(credential.encode()).hexdigest()[:32], conf.api_rate_per_minute()
        elif user is not None and user.is_authenticated:
            identity, limit = f"user:{user.pk}", conf.api_rate_per_minute()
        else:
            identity, limit = f"addr:{client_address(request)}", conf.api_anonymous_rate_per_minute()
        window = int(time.time() // 60)
        count = ratelimit.hit(f"entraide:api-rate:{identity}:{window}", timeout=120)
        if count <= limit:
            return None
        if count == limit + 1:
            audit.record(
                "api.rate_limited",
                actor=user if user is not None and user.is_authenticated else None,
                object_type="api",
                object_id=request.method or "",
                after={"path": request.path[:300], "limit": limit, "address": client_address(request)},
            )
        response = JsonResponse(
            {"detail": _("Too many requests. Wait a minute and try again."), "code": "throttled"}, status=429
        )
        response["Retry-After"] = str(60 - int(time.time()) % 60)
        return response

    @staticmethod
    def _url_name(request: HttpRequest) -> str:
        from django.urls import Resolver404, resolve

        try:
            match = resolve(request.path_info)
        except Resolver404:
            return ""
        return match.view_name

    def _token_gate(self, request: HttpRequest) -> HttpResponse | None:
        """A password alone does not get an API token for an account protected by two-factor sign-in."""
        if request.method != "POST" or request.path != reverse("api-token"):
            return None
        from entraide.accounts.models import User
        from entraide.security.actions import has_device

        username = request.POST.get("username", "")
        user = User.objects.filter(username=username).first() if username else None
        if user is not None and (has_device(user) or policy().requires_two_factor(user)):
            audit.record("auth.token_refused_2fa", actor=None, object_type="user", object_id=username[:64])
            return JsonResponse(
                {
                    "detail": _(
                        "This account uses two-factor sign-in: create its API token on the page "
                        "“Two-factor sign-in” after signing in."
                    ),
                    "code": "two_factor_required",
                },
                status=403,
            )
        return None

    @staticmethod
    def _audit_api(request: HttpRequest, response: HttpResponse) -> None:
        user = getattr(request, "user", None)
        details = {
            "method": request.method,
            "path": request.path[:300],
            "query": request.META.get("QUERY_STRING", "")[:300],
            "status": response.status_code,
        }
        if user is not None and user.is_authenticated:
            audit.record("api.call", actor=user, object_type="api", object_id=request.method or "", after=details)
        elif request.path == reverse("api-token") and response.status_code == 200:
            from entraide.accounts.models import User

            issued_to = User.objects.filter(username=request.POST.get("username", "")).first()
            audit.record("auth.token_issued", actor=issued_to, object_type="api", object_id="token", after=details)
        elif request.headers.get("Authorization") or response.status_code in (401, 403):
            audit.record("api.refused", actor=None, object_type="api", object_id=request.method or "", after=details)

    @staticmethod
    def _out_of_range(request: HttpRequest, exception: Exception) -> HttpResponse:
        """A number or text the database cannot hold (an id of 30 digits, say): bad input, not a server error.

        The database refuses it (SQLite: OverflowError; PostgreSQL: DataError) before anything is written, so
        nothing is lost; the API call itself is recorded like any other (``api.call`` with status 400)."""
        log.warning("refused out-of-range input on %s %s: %s", request.method, request.path[:200], exception)
        message = _("A number or a text in the request is out of range (too large or too long).")
        if _is_api(request):
            return JsonResponse({"detail": message, "code": "out_of_range"}, status=400)
        return render(
            request,
            "security/integrity_error.html",
            {"message": message, "heading": _("Request refused")},
            status=400,
        )

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        from entraide.core.errors import ActionError

        if isinstance(exception, ActionError) and exception.code == "archived":
            # A change to an archived matter that the page did not catch itself (security.guards): a clear page.
            if _is_api(request):
                return JsonResponse(exception.as_dict(), status=409)
            return render(
                request,
                "security/integrity_error.html",
                {"message": str(exception.message), "archived": True},
                status=409,
            )
        if isinstance(exception, OverflowError | DataError):
            return self._out_of_range(request, exception)
        if not isinstance(exception, crypto.CryptoError):
            return None
        _record_integrity_failure(request, str(exception))
        message = _(
            "The stored file failed its integrity check (it was altered, cut, or encrypted with another master "
            "key). It was not delivered; tell the administrator."
        )
        if _is_api(request):
            return JsonResponse({"detail": message, "code": "integrity_error"}, status=409)
        return render(request, "security/integrity_error.html", {"message": message}, status=409)
