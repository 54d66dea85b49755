"""Where the translation catalogues live, and how to extract the strings of the source into them.

The package's own catalogue (``src/entraide/locale``, ``settings.LOCALE_PATHS``) holds the strings of the apps
built first and of the shared templates. An app may keep its own catalogue in ``<app>/locale``: Django loads it
because the app is installed, and its strings then go there instead of into the package's catalogue. Separate
catalogues let people working on different apps translate their strings without touching the same file.

``entraide messages`` runs Django's makemessages once per catalogue, each over its own part of the tree.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.test.utils import override_settings

LANGUAGES = ["fr", "ar"]
PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_IGNORES = ["tests/*", "testing.py", "static/*", "media/*"]


@dataclass(frozen=True)
class Catalogue:
    """One gettext catalogue: the source directory it covers and the directories it leaves to others."""

    source: Path
    ignore: tuple[str, ...]

    @property
    def locale(self) -> Path:
        return self.source / "locale"

    def po(self, lang: str) -> Path:
        return self.locale / lang / "LC_MESSAGES" / "django.po"

    @property
    def name(self) -> str:
        return "entraide" if self.source.name == "entraide" else self.source.name


def catalogues(package_dir: Path = PACKAGE_DIR) -> list[Catalogue]:
    """The package's catalogue first, then one per app directory that has its own ``locale/``."""
    apps = sorted(p.parent for p in package_dir.glob("*/locale") if p.is_dir() and (p.parent / "apps.py").exists())
    main = Catalogue(package_dir, tuple(BASE_IGNORES + [f"{app.name}/*" for app in apps]))
    return [main, *(Catalogue(app, tuple(BASE_IGNORES)) for app in apps)]


@contextmanager
def cwd(path: Path) -> Iterator[None]:
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def extract(package_dir: Path = PACKAGE_DIR, verbosity: int = 0, only: list[str] | None = None) -> list[Catalogue]:
    """Update every catalogue's .po files from the source (GNU gettext's xgettext and msgmerge are needed)."""
    options: dict[str, Any] = {
        "locale": LANGUAGES,
        "no_location": True,
        "no_wrap": True,
        "extensions": ["html", "txt", "py"],
        "verbosity": verbosity,
    }
    found = [c for c in catalogues(package_dir) if only is None or c.name in only]
    for catalogue in found:
        for lang in LANGUAGES:
            catalogue.po(lang).parent.mkdir(parents=True, exist_ok=True)
        # makemessages writes into the first of LOCALE_PATHS that contains the file; point it at this catalogue.
        with cwd(catalogue.source), override_settings(LOCALE_PATHS=[catalogue.locale]):
            call_command("makemessages", ignore_patterns=list(catalogue.ignore), **options)
    return found
