"""ASGI entry point (uvicorn entraide.asgi:application)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
application = get_asgi_application()

from entraide.core.runtime import settle  # noqa: E402

settle()  # the start's objects leave the collector's rounds (entraide.core.runtime)
