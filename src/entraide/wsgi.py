"""WSGI entry point (gunicorn entraide.wsgi, waitress)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
application = get_wsgi_application()

from entraide.core.runtime import settle  # noqa: E402

settle()  # the start's objects leave the collector's rounds (entraide.core.runtime)
