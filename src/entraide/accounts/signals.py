"""Sign-ins, sign-outs and failed sign-ins go into the audit trail; failures also count towards lockout."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from entraide.audit import log as audit
from entraide.core.middleware import client_address
from entraide.security import lockout


@receiver(user_logged_in)
def _logged_in(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record("auth.login", actor=user, obj=user)


@receiver(user_logged_out)
def _logged_out(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record("auth.logout", actor=user, obj=user)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    username = str(credentials.get("username", ""))[:150]
    address = client_address(request) if request is not None else ""
    lockout.record_failure(username, address)
    audit.record(
        "auth.login_failed", actor=None, object_type="user", object_id=username[:64], after={"address": address}
    )
