"""Every URL by every persona: nothing leaks.

A new URL fails ``test_every_url_is_in_the_matrix`` until it is given a rule here. Each rule says what a GET (or,
for POST-only endpoints, a POST with an empty body) returns to each persona. ``case`` below is an incoming matter
of ``officer``; ``officer2``, the clerk (who did not register it), the national authorities' users and the
administrator have no need-to-know and must get 404, as if it did not exist.
"""

from __future__ import annotations

import importlib
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from rest_framework.authtoken.models import Token

from entraide.api_urls import FEATURE_APPS
from entraide.cases import actions
from entraide.cases.models import DeadlineRule
from entraide.testing import (
    API_CASE_READ,
    API_OPEN,
    CASE_ASSIGN,
    CASE_POST,
    CASE_READ,
    CASE_WORK,
    PAGE_OPEN,
    PERSONAS,
    country,
    rule,
)

STAFF = {"officer", "officer2", "head", "clerk", "auditor", "admin_user", "prosecutor", "executor"}
NO_NEED = {"officer2", "clerk", "admin_user", "prosecutor", "executor"}
_rule = rule

# method, rule — for every named URL outside Django's admin.
MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "login": ("get", _rule(200, 302)),
    "logout": ("post", _rule(302, 302)),
    "core:home": ("get", _rule(302, 302)),
    "core:healthz": ("get", _rule(200, 200)),
    "core:blank": ("get", PAGE_OPEN),
    "accounts:language": ("post", _rule(302, 302)),
    "directory:index": ("get", PAGE_OPEN),
    "directory:countries": ("get", PAGE_OPEN),
    "directory:country": ("get", PAGE_OPEN),
    "directory:authorities": ("get", PAGE_OPEN),
    "directory:authority": ("get", PAGE_OPEN),
    "directory:instruments": ("get", PAGE_OPEN),
    "directory:instrument": ("get", PAGE_OPEN),
    "cases:list": ("get", PAGE_OPEN),
    "cases:my-work": ("get", PAGE_OPEN),
    "cases:workload": ("get", _rule(302, 404, head=200)),
    "cases:create": ("get", _rule(302, 404, officer=200, officer2=200, head=200, clerk=200, prosecutor=200)),
    "cases:detail": ("get", CASE_READ),
    "cases:edit": ("get", CASE_WORK),
    "cases:transition": ("post", _rule(302, 404, officer=302, head=302, auditor=302)),
    "cases:assign": ("get", CASE_ASSIGN),
    "cases:access-grant": ("get", CASE_ASSIGN),
    "cases:access-revoke": ("post", CASE_ASSIGN | {"head": 302}),  # revokes t_extra's grant
    "cases:waiting": ("post", CASE_POST),
    "cases:offence-add": ("get", CASE_WORK),
    "cases:subject-add": ("get", CASE_WORK),
    "cases:subject-edit": ("get", CASE_WORK),
    "cases:identifier-add": ("get", CASE_WORK),
    "cases:measure-add": ("get", CASE_WORK),
    "cases:measure-status": ("get", CASE_WORK),
    "cases:document-add": ("get", CASE_WORK),
    "cases:document-version": ("get", CASE_WORK),
    "cases:document-download": ("get", CASE_READ),
    "cases:communication-add": ("get", CASE_WORK),
    "cases:link-add": ("get", CASE_WORK),
    "cases:deadline-action": ("get", CASE_WORK),
    "api-token": ("post", _rule(400, 400)),
    "api-root": ("get", API_OPEN),
    "api-schema": ("get", API_OPEN),
    "api-docs": ("get", _rule(401, 200)),
    "country-list": ("get", API_OPEN),
    "country-detail": ("get", API_OPEN),
    "authority-list": ("get", API_OPEN),
    "authority-detail": ("get", API_OPEN),
    "instrument-list": ("get", API_OPEN),
    "instrument-detail": ("get", API_OPEN),
    "country-profile-list": ("get", API_OPEN),
    "country-profile-detail": ("get", API_OPEN),
    "case-list": ("get", API_OPEN),
    "case-detail": ("get", API_CASE_READ),
    "case-assign": ("post", _rule(401, 404, officer=400, head=400, auditor=400)),
    "case-timeline": ("get", API_CASE_READ),
    "case-transition": ("post", _rule(401, 404, officer=400, head=400, auditor=400)),
    "case-transitions": ("get", API_CASE_READ),
    "subject-list": ("get", API_OPEN),
    "subject-detail": ("get", API_CASE_READ),
    "subject-identifiers": ("post", _rule(401, 404, officer=400, head=400, auditor=400)),
    "measure-list": ("get", API_OPEN),
    "measure-detail": ("get", API_CASE_READ),
    "measure-set-status": ("post", _rule(401, 404, officer=400, head=400, auditor=400)),
    "measure-type-list": ("get", API_OPEN),
    "offence-list": ("get", API_OPEN),
    "offence-detail": ("get", API_CASE_READ),
    "communication-list": ("get", API_OPEN),
    "communication-detail": ("get", API_CASE_READ),
    "link-list": ("get", API_OPEN),
    "link-detail": ("get", API_CASE_READ),
    "deadline-list": ("get", API_OPEN),
    "deadline-detail": ("get", API_CASE_READ),
    "deadline-extend": ("post", _rule(401, 404, officer=400, head=400, auditor=400)),
    "deadline-met": ("post", _rule(401, 404, officer=200, head=200, auditor=403)),
    "deadline-pause": ("post", _rule(401, 404, officer=409, head=409, auditor=403)),  # met just before
    "deadline-resume": ("post", _rule(401, 404, officer=409, head=409, auditor=403)),
    "document-list": ("get", API_OPEN),
    "document-detail": ("get", API_CASE_READ),
    "document-download": ("get", API_CASE_READ),
    "document-versions": ("post", _rule(401, 404, officer=400, head=400, auditor=400)),
    "notifications:inbox": ("get", PAGE_OPEN),
    "notifications:mark-read": ("post", _rule(302, 302)),
}

# The apps built on the register bring their own rules, URL builders and objects.
APP_MATRICES = []
for _app in FEATURE_APPS:
    try:
        APP_MATRICES.append(importlib.import_module(f"entraide.{_app}.tests.matrix"))
    except ModuleNotFoundError as error:
        if error.name != f"entraide.{_app}.tests.matrix":
            raise
for _module in APP_MATRICES:
    MATRIX.update(_module.MATRIX)


def _named_urls() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], ns: str | None) -> None:
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                walk(p.url_patterns, f"{ns}:{p.namespace}" if ns and p.namespace else p.namespace or ns)
            elif isinstance(p, URLPattern) and p.name:
                names.add(f"{ns}:{p.name}" if ns else p.name)

    walk(get_resolver().url_patterns, None)
    return names


def test_every_url_is_in_the_matrix():
    missing = _named_urls() - set(MATRIX)
    assert not missing, f"Give these URLs a rule in the permission matrix: {sorted(missing)}"
    stale = set(MATRIX) - _named_urls()
    assert not stale, f"These URLs no longer exist: {sorted(stale)}"


@pytest.fixture
def world(case, officer, head, officer2, request):
    """One matter with one of everything hanging off it."""
    from entraide.directory.models import Authority, AuthorityKind, Instrument

    DeadlineRule.objects.create(code="ack", name="Acknowledge", trigger="registered", days=5, source="SLA")
    other = actions.assign(
        actions.register_case(
            actor=head, direction="incoming", kind="mla", title="Other", counterpart_country=country("ES")
        ),
        officer,
        actor=head,
    )
    deadline = other.deadlines.get()
    subject = actions.add_subject(case, actor=officer, kind="person", role="suspect", name="Ana Lopez")
    measure = actions.add_measure(case, actor=officer, type="information", details={"information": "Records"})
    offence = actions.add_offence(case, actor=officer, iccs_section="07", description="Fraud")
    document = actions.add_document(case, SimpleUploadedFile("a.txt", b"hello"), actor=officer, kind="annex")
    comm = actions.log_communication(
        case, actor=officer, at=case.created_at, channel="email", direction="received", summary="Call"
    )
    # The deadline, link and member objects are attached to ``case`` so their URLs are about it.
    deadline.case = case
    deadline.save()
    link = actions.link_cases(case, other, actor=officer, kind="related")
    from entraide.testing import UserFactory

    extra = UserFactory(username="t_extra", role="officer")
    actions.grant_access(case, extra, actor=head, reason="Backup")
    instrument = Instrument.objects.create(code="UNTOC", title="UNTOC", kind="multilateral", scope="both")
    authority = Authority.objects.create(name="Ministry", kind=AuthorityKind.CENTRAL_AUTHORITY, country=country("FR"))
    from entraide.directory.models import CountryProfile

    CountryProfile.objects.create(country=country("FR"))
    objects = {
        "pk": case.pk,
        "subject_id": subject.pk,
        "measure_id": measure.pk,
        "document_id": document.pk,
        "version_id": document.versions.get().pk,
        "deadline_id": deadline.pk,
        "op": "pause",
        "user_id": extra.pk,
        "code": "FR",
        "country": "FR",
        "_instrument": instrument.code,
        "_authority": authority.pk,
        "_offence": offence.pk,
        "_comm": comm.pk,
        "_link": link.pk,
        "_deadline": deadline.pk,
    }
    for module in APP_MATRICES:
        if hasattr(module, "prepare"):
            module.prepare(objects, request)
    return objects


def _url(name: str, objects: dict[str, Any]) -> str:
    from django.urls import NoReverseMatch

    overrides = {
        "directory:authority": {"pk": objects["_authority"]},
        "directory:instrument": {"code": objects["_instrument"]},
        "authority-detail": {"pk": objects["_authority"]},
        "instrument-detail": {"code": objects["_instrument"]},
        "subject-detail": {"pk": objects["subject_id"]},
        "subject-identifiers": {"pk": objects["subject_id"]},
        "measure-detail": {"pk": objects["measure_id"]},
        "measure-set-status": {"pk": objects["measure_id"]},
        "offence-detail": {"pk": objects["_offence"]},
        "communication-detail": {"pk": objects["_comm"]},
        "link-detail": {"pk": objects["_link"]},
        "deadline-detail": {"pk": objects["_deadline"]},
        "deadline-extend": {"pk": objects["_deadline"]},
        "deadline-met": {"pk": objects["_deadline"]},
        "deadline-pause": {"pk": objects["_deadline"]},
        "deadline-resume": {"pk": objects["_deadline"]},
        "document-detail": {"pk": objects["document_id"]},
        "document-download": {"pk": objects["document_id"]},
        "document-versions": {"pk": objects["document_id"]},
    }
    if name in overrides:
        return reverse(name, kwargs=overrides[name])
    for module in APP_MATRICES:
        if name in getattr(module, "URLS", {}):
            return module.URLS[name](objects)
    pattern_names = (
        "pk",
        "subject_id",
        "measure_id",
        "document_id",
        "version_id",
        "deadline_id",
        "op",
        "user_id",
        "code",
        "country",
    )
    for size in range(len(pattern_names) + 1):
        try:
            if size == 0:
                return reverse(name)
        except NoReverseMatch:
            continue
        break
    for keys in (
        ("pk",),
        ("code",),
        ("country",),
        ("pk", "subject_id"),
        ("pk", "measure_id"),
        ("pk", "document_id"),
        ("pk", "version_id"),
        ("pk", "deadline_id", "op"),
        ("pk", "user_id"),
    ):
        try:
            return reverse(name, kwargs={k: objects[k] for k in keys})
        except NoReverseMatch:
            continue
    raise AssertionError(f"cannot build a URL for {name}")


@pytest.mark.parametrize("persona", PERSONAS)
def test_nothing_leaks(persona, world, client, request):
    problems = []
    user = None if persona == "anonymous" else request.getfixturevalue(persona)
    for name, (method, statuses) in sorted(MATRIX.items()):
        if user is not None:
            client.force_login(user)
        else:
            client.logout()
        url = _url(name, world)
        headers = {}
        if user is not None and url.startswith("/api/"):
            client.logout()
            headers["HTTP_AUTHORIZATION"] = f"Token {Token.objects.get_or_create(user=user)[0].key}"
        response = client.post(url, **headers) if method == "post" else client.get(url, **headers)
        expected = statuses[persona]
        if response.status_code != expected:
            problems.append(f"{method.upper()} {name} {url}: {response.status_code}, expected {expected}")
        # The matter's reference never appears in anything a persona without need-to-know receives.
        if persona in NO_NEED | {"anonymous"} and hasattr(response, "content"):
            from entraide.cases.models import Case

            reference = Case.objects.get(pk=world["pk"]).reference
            body = response.content.decode(errors="replace")
            if reference in body and name not in {"cases:list"}:
                problems.append(f"{name}: the reference leaks to {persona}")
    assert not problems, "\n".join(problems)
