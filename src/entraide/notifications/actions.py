"""Sending notifications. Other apps call ``notify()``; e-mail leaves after the transaction commits."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone

from entraide.notifications.models import Level, Notification


def notify(
    users: Iterable[Any],
    *,
    kind: str,
    message: str,
    params: dict[str, Any] | None = None,
    case: Any = None,
    url: str = "",
    level: str = Level.INFO,
    email: bool = False,
) -> list[Notification]:
    """Notify each user once (duplicates and inactive users are skipped).

    ``message`` is an English msgid marked with ``gettext_noop`` at the call site, with ``{named}`` placeholders
    filled from ``params``; it is translated into each reader's language when shown or mailed. With
    ``email=True`` it is also mailed to users who have an address, by the background worker.
    """
    seen: set[int] = set()
    created = []
    for user in users:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        created.append(
            Notification(
                user=user,
                case=case,
                kind=kind,
                level=level,
                message=message,
                params=params or {},
                url=url,
                email_wanted=email and bool(user.email),
            )
        )
    Notification.objects.bulk_create(created)
    to_mail = [n.pk for n in created if n.email_wanted]
    if to_mail:
        from entraide.notifications.tasks import send_notification_emails

        transaction.on_commit(lambda: send_notification_emails(to_mail))
    return created


def mark_read(user: Any, ids: Iterable[int] | None = None) -> int:
    """Mark the user's notifications (all, or those listed) as read. Reading one's notices is not audited."""
    qs = Notification.objects.filter(user=user, read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())
