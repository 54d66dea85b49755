"""The informal register's rules in the permission matrix: need-to-know as for formal matters."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from entraide.testing import API_CASE_READ, API_OPEN, PAGE_OPEN, country, rule

CONTACT_READ = rule(302, 404, officer=200, head=200, auditor=200)
CONTACT_WORK = rule(302, 404, officer=200, head=200, auditor=403)
CONTACT_ASSIGN = rule(302, 404, officer=403, head=200, auditor=403)

MATRIX = {
    "informal:list": ("get", PAGE_OPEN),
    "informal:feed": ("get", rule(302, 404, head=200, auditor=200)),
    "informal:create": ("get", rule(302, 404, officer=200, officer2=200, head=200, clerk=200)),
    "informal:detail": ("get", CONTACT_READ),
    "informal:edit": ("get", CONTACT_WORK),
    "informal:subject-add": ("get", CONTACT_WORK),
    "informal:subject-remove": ("post", rule(302, 404, officer=302, head=302, auditor=403)),
    "informal:link-add": ("get", CONTACT_WORK),
    "informal:assign": ("get", CONTACT_ASSIGN),
    "informal:grant": ("get", CONTACT_ASSIGN),
    "informal-contact-list": ("get", API_OPEN),
    "informal-contact-detail": ("get", API_CASE_READ),
    "informal-contact-subjects": ("post", rule(401, 404, officer=400, head=400, auditor=403)),
    "informal:advisor": ("get", PAGE_OPEN),
    "channel-advice-list": ("get", rule(401, 400)),
}

URLS = {
    "informal:detail": lambda o: reverse("informal:detail", args=[o["_informal"]]),
    "informal:edit": lambda o: reverse("informal:edit", args=[o["_informal"]]),
    "informal:subject-add": lambda o: reverse("informal:subject-add", args=[o["_informal"]]),
    "informal:subject-remove": lambda o: reverse(
        "informal:subject-remove", args=[o["_informal"], o["_informal_subject"]]
    ),
    "informal:link-add": lambda o: reverse("informal:link-add", args=[o["_informal"]]),
    "informal:assign": lambda o: reverse("informal:assign", args=[o["_informal"]]),
    "informal:grant": lambda o: reverse("informal:grant", args=[o["_informal"]]),
    "informal-contact-detail": lambda o: reverse("informal-contact-detail", args=[o["_informal"]]),
    "informal-contact-subjects": lambda o: reverse("informal-contact-subjects", args=[o["_informal"]]),
}


def prepare(objects: dict[str, Any], request: Any) -> None:
    from datetime import date

    from entraide.cases.models import Case
    from entraide.informal import actions

    officer = request.getfixturevalue("officer")
    contact = actions.register_contact(
        actor=officer,
        channel="police",
        counterpart_country=country("ES"),
        occurred_on=date(2026, 11, 1),
        direction="outgoing",
        summary="Asked the Spanish police about a phone number",
        subjects=[{"kind": "person", "name": "Ana Lopez", "identifiers": [{"type": "phone", "value": "+34600000000"}]}],
        cases=[Case.objects.get(pk=objects["pk"])],
    )
    objects["_informal"] = contact.pk
    objects["_informal_subject"] = contact.subjects.get().pk
