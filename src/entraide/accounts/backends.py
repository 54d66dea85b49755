"""Password sign-in that refuses a locked user name or address, for every way in (pages, admin, API token)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from entraide.audit import log as audit
from entraide.core.middleware import client_address
from entraide.security import lockout


class LockoutBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> Any:
        address = client_address(request) if request is not None else ""
        if username and lockout.locked_minutes(username, address):
            audit.record(
                "auth.refused_locked",
                actor=None,
                object_type="user",
                object_id=username[:64],
                after={"address": address},
            )
            # Stops the other backends too; Django then sends user_login_failed, which counts the attempt.
            raise PermissionDenied
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and username:
            lockout.clear(username)
        return user
