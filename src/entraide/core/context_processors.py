from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language_bidi


def entraide(request: HttpRequest) -> dict[str, Any]:
    return {
        "ENTRAIDE_INSTANCE_NAME": settings.ENTRAIDE_INSTANCE_NAME,
        "ENTRAIDE_DEMO": getattr(settings, "ENTRAIDE_DEMO", False),
        "LANGUAGE_BIDI": get_language_bidi(),
    }
