"""The French and Arabic catalogues are complete, compiled, and used.

The .po files are read with a small parser of our own (polib is not a dependency) and the .mo files with the
standard library's gettext, so these tests run on a machine without GNU gettext. Only the check that the
catalogues cover every string of the source needs xgettext: it is skipped, with its reason, when it is missing.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from entraide.core.catalogues import LANGUAGES, PACKAGE_DIR, catalogues, extract

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
# Every catalogue (the package's and each app's own) in each language.
PO_FILES = [pytest.param(c.po(lang), lang, id=f"{c.name}-{lang}") for c in catalogues() for lang in LANGUAGES]
NPLURALS = {"fr": 2, "ar": 6}
AR_PLURAL_FORMS = "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5;"
# One n for each Arabic plural form, in order: zero, one, two, few (3 to 10), many (11 to 99), other (100 and up).
AR_SAMPLE_N = [0, 1, 2, 3, 11, 100]
FR_SAMPLE_N = [1, 2]
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


@dataclass
class Entry:
    msgid: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def label(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid


def parse_po(path: Path) -> tuple[dict[str, str], list[Entry]]:
    """Return the header (as a dict) and the entries of a .po file, leaving out obsolete (#~) entries."""
    entries: list[Entry] = []
    current = Entry()
    started = False
    key: tuple[str, int] | None = None

    def close() -> None:
        nonlocal current, started, key
        if started:
            entries.append(current)
        current, started, key = Entry(), False, None

    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line:
            close()
            continue
        if line.startswith("#~"):
            # An obsolete entry: neither it nor the flags written above it count.
            if started:
                close()
            current = Entry()
            continue
        if line.startswith("#,"):
            if started:
                close()
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            if started:
                close()
            continue
        if line.startswith('"'):
            assert key is not None, f"{path}: a continuation line without a keyword: {raw!r}"
            text = ast.literal_eval(line)
            name, index = key
            if name == "msgstr":
                current.msgstr[index] += text
            else:
                setattr(current, name, (getattr(current, name) or "") + text)
            continue
        keyword, _, value = line.partition(" ")
        text = ast.literal_eval(value)
        if keyword in ("msgctxt", "msgid") and started and (keyword == "msgctxt" or key != ("msgctxt", 0)):
            close()
        started = True
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if match:
            key = ("msgstr", int(match.group(1)))
            current.msgstr[key[1]] = text
        elif keyword == "msgstr":
            key = ("msgstr", 0)
            current.msgstr[0] = text
        elif keyword in ("msgid", "msgctxt", "msgid_plural"):
            key = (keyword, 0)
            setattr(current, keyword, text)
        else:
            raise AssertionError(f"{path}: unexpected line {raw!r}")
    close()

    header_entries = [e for e in entries if e.msgid == "" and e.msgctxt is None]
    assert len(header_entries) == 1, f"{path}: no header entry"
    header = dict(line.split(": ", 1) for line in header_entries[0].msgstr[0].splitlines() if ": " in line)
    if "fuzzy" in header_entries[0].flags:
        header["#fuzzy"] = "yes"
    return header, [e for e in entries if e is not header_entries[0]]


def untranslated(entries: list[Entry], nplurals: int) -> list[str]:
    missing = []
    for e in entries:
        forms = range(nplurals) if e.msgid_plural is not None else range(1)
        if any(not e.msgstr.get(i) for i in forms):
            missing.append(e.label)
    return missing


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize(("po", "lang"), PO_FILES)
def test_the_catalogue_is_complete_and_not_fuzzy(po: Path, lang: str) -> None:
    header, entries = parse_po(po)
    if po == po_path(lang):
        assert len(entries) > 500, "the catalogue looks truncated"
    assert "#fuzzy" not in header, "the header is marked fuzzy: msgfmt would then ignore its charset and plurals"
    assert header.get("Language") == lang
    assert header.get("Content-Type") == "text/plain; charset=UTF-8"
    assert not untranslated(entries, NPLURALS[lang]), "untranslated entries"
    assert not [e.label for e in entries if "fuzzy" in e.flags], "fuzzy entries"


@pytest.mark.parametrize("po", [c.po("ar") for c in catalogues()], ids=lambda p: p.parts[-5])
def test_arabic_has_its_six_plural_forms(po: Path) -> None:
    header, entries = parse_po(po)
    assert header["Plural-Forms"] == AR_PLURAL_FORMS
    plurals = [e for e in entries if e.msgid_plural is not None]
    for e in plurals:
        assert sorted(e.msgstr) == list(range(6)), e.msgid


@pytest.mark.parametrize(("po", "lang"), PO_FILES)
def test_translations_keep_every_placeholder(po: Path, lang: str) -> None:
    """A lost or renamed {reference} or %(counter)s would raise, or show a raw brace, at run time."""
    _, entries = parse_po(po)
    wrong = []
    for e in entries:
        expected = set(PLACEHOLDER.findall(e.msgid_plural if e.msgid_plural is not None else e.msgid))
        wrong += [(e.msgid, text) for text in e.msgstr.values() if set(PLACEHOLDER.findall(text)) != expected]
    assert not wrong


@pytest.mark.parametrize(("po", "lang"), PO_FILES)
def test_the_compiled_catalogue_matches_the_po_file(po: Path, lang: str) -> None:
    """Every entry of the .po file is in the committed .mo file, with the same text: the .mo is not stale."""
    _, entries = parse_po(po)
    with po.with_suffix(".mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    stale = []
    for e in entries:
        if e.msgid_plural is None:
            got = mo.pgettext(e.msgctxt, e.msgid) if e.msgctxt is not None else mo.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append(e.label)
            continue
        for n in AR_SAMPLE_N if lang == "ar" else FR_SAMPLE_N:
            if e.msgctxt is not None:
                got = mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
            else:
                got = mo.ngettext(e.msgid, e.msgid_plural, n)
            if got not in e.msgstr.values():
                stale.append(f"{e.label} (n={n})")
    assert not stale, "compile the catalogues again (see docs/translations.md)"
    # The plural rule of the .mo picks the right Arabic form.
    plural = next((e for e in entries if e.msgid_plural is not None and e.msgctxt is None), None)
    if lang == "ar" and plural is not None:
        assert plural.msgid_plural is not None
        assert [mo.ngettext(plural.msgid, plural.msgid_plural, n) for n in AR_SAMPLE_N] == [
            plural.msgstr[i] for i in range(6)
        ]


@pytest.mark.django_db
def test_the_login_page_in_arabic_is_translated_and_right_to_left(client: Any) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert 'dir="rtl"' in page
    assert 'lang="ar"' in page
    assert "تسجيل الدخول" in page  # Sign in
    assert "كلمة المرور" in page  # Password
    assert "Sign in" not in page


@pytest.mark.django_db
def test_the_login_page_in_french_is_translated(client: Any) -> None:
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert 'dir="ltr"' in page
    assert "Se connecter" in page
    assert "Mot de passe" in page


def test_django_translates_a_sample_of_the_domain() -> None:
    from django.utils import translation

    with translation.override("fr"):
        assert translation.gettext("Mutual legal assistance") == "Entraide judiciaire"
        assert translation.gettext("Provisional arrest") == "Arrestation provisoire"
        assert translation.ngettext("%(counter)s matter", "%(counter)s matters", 2) == "%(counter)s affaires"
    with translation.override("ar"):
        assert translation.gettext("Extradition") == "تسليم المجرمين"
        assert translation.gettext("Central authority") == "سلطة مركزية"
        assert translation.ngettext("%(counter)s matter", "%(counter)s matters", 2) == "%(counter)s قضيتان"


@pytest.mark.skipif(
    shutil.which("xgettext") is None or shutil.which("msgmerge") is None,
    reason="GNU gettext (xgettext, msgmerge) is not installed: cannot extract the strings of the source",
)
def test_every_string_of_the_source_is_translated(tmp_path: Path) -> None:
    """Extract the strings of a copy of the package into copies of its catalogues: none may lack a translation.

    When this fails, a string was added (or changed) in the code without its French and Arabic: run
    ``entraide messages`` and translate (docs/translations.md). The real catalogues are not touched.
    """
    copy = tmp_path / "entraide"
    shutil.copytree(PACKAGE_DIR, copy, ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "static", "media"))
    found = extract(copy)
    assert len(found) == len(catalogues())

    problems = {}
    for catalogue in found:
        for lang in LANGUAGES:
            _, entries = parse_po(catalogue.po(lang))
            missing = untranslated(entries, NPLURALS[lang]) + [e.label for e in entries if "fuzzy" in e.flags]
            if missing:
                shown = sorted(set(missing))
                problems[f"{catalogue.name}/{lang}"] = f"{len(shown)}: {shown[:10]}"
    assert not problems, f"strings without a translation (run `entraide messages`, then translate): {problems}"
