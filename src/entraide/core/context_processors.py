from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi

from entraide.core.extensions import nav_items


def entraide(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    return {
        "ENTRAIDE_INSTANCE_NAME": settings.ENTRAIDE_INSTANCE_NAME,
        "ENTRAIDE_DEMO": getattr(settings, "ENTRAIDE_DEMO", False),
        "LANGUAGE_BIDI": get_language_bidi(),
        "UNREAD_NOTIFICATIONS": _unread(request),
        "NAV_ITEMS": nav_items(user) if user is not None and user.is_authenticated else [],
    }


def _unread(request: HttpRequest) -> Any:
    """The number of unread notifications, counted only if the page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0

    def count() -> int:
        from entraide.notifications.models import Notification

        return Notification.objects.filter(user=user, read_at__isnull=True).count()

    return count
