"""The signed-in user of a request, typed as our User (views and API endpoints require login before this)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from entraide.accounts.models import User


def acting_user(request: Any) -> User:
    user = getattr(request, "user", None)
    if not isinstance(user, User) or not user.is_authenticated:
        raise PermissionDenied
    return user
