"""Extradition's URLs in the permission matrix (core/tests/test_permission_matrix.py)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from entraide.testing import API_CASE_READ, API_OPEN, CASE_WORK, PAGE_OPEN, rule

API_POST = rule(401, 404, officer=400, head=400, auditor=400)

MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "extradition:custody": ("get", PAGE_OPEN),
    "extradition:calendar": ("get", PAGE_OPEN),
    "extradition:calendar-token-new": ("post", rule(302, 302)),
    "extradition:calendar-token-revoke": ("post", rule(302, 302)),
    # The secret address is the key: whoever holds it reads its owner's feed, with or without a session.
    "extradition:calendar-feed": ("get", rule(200, 200)),
    "extradition:arrest": ("get", CASE_WORK),
    "extradition:formal-request": ("get", CASE_WORK),
    "extradition:step-add": ("get", CASE_WORK),
    "extradition:status-update": ("get", CASE_WORK),
    "extradition:status-letter": ("get", CASE_WORK),
    "extradition:grounds": ("get", CASE_WORK),
    "extradition:logistics": ("get", CASE_WORK),
    "extradition:competing-add": ("get", CASE_WORK),
    "extradition:assurance-add": ("get", CASE_WORK),
    "extradition:assurance-assess": ("get", CASE_WORK),
    "extradition:speciality-add": ("get", CASE_WORK),
    "extradition:speciality-decide": ("get", CASE_WORK),
    "extradition:registers": ("get", PAGE_OPEN),
    "extradition:competing-decide": ("get", CASE_WORK),
    "extradition:entry-edit": ("get", CASE_WORK),
    "extradition-list": ("get", API_OPEN),
    "extradition-detail": ("get", API_CASE_READ),
    "extradition-arrest": ("post", API_POST),
    "extradition-formal-request": ("post", API_POST),
    "extradition-steps": ("post", API_POST),
    "extradition-status-update": ("post", API_POST),
    "extradition-grounds": ("get", API_CASE_READ),
    "extradition-logistics": ("post", API_POST),
    "extradition-competing": ("post", API_POST),
    # An empty body is valid (the counterpart's language): the letter is filed for those who may work on it.
    "extradition-status-letter": ("post", rule(401, 404, officer=201, head=201, auditor=403)),
    "extradition-clock-list": ("get", API_OPEN),
    "extradition-custody-list": ("get", API_OPEN),
    "extradition-step-list": ("get", API_OPEN),
    "extradition-step-detail": ("get", API_CASE_READ),
    "extradition-assurance-list": ("get", API_OPEN),
    "extradition-assurance-detail": ("get", API_CASE_READ),
    "extradition-assurance-assess": ("post", API_POST),
    "extradition-speciality-list": ("get", API_OPEN),
    "extradition-speciality-detail": ("get", API_CASE_READ),
    "extradition-speciality-decide": ("post", API_POST),
    "extradition-assurance-correct": ("post", API_POST),
    "extradition-speciality-correct": ("post", API_POST),
    "extradition-competing-request-list": ("get", API_OPEN),
    "extradition-competing-request-detail": ("get", API_CASE_READ),
    "extradition-competing-request-decide": ("post", API_POST),
    "extradition-competing-request-correct": ("post", API_POST),
}


def _case(objects: dict[str, Any]) -> dict[str, Any]:
    return {"pk": objects["ext_pk"]}


URLS = {
    **{
        name: (lambda n: lambda objects: reverse(n, kwargs=_case(objects)))(name)
        for name in (
            "extradition:arrest",
            "extradition:formal-request",
            "extradition:step-add",
            "extradition:status-update",
            "extradition:status-letter",
            "extradition:grounds",
            "extradition:logistics",
            "extradition:competing-add",
            "extradition:assurance-add",
            "extradition:speciality-add",
            "extradition-detail",
            "extradition-arrest",
            "extradition-formal-request",
            "extradition-steps",
            "extradition-status-update",
            "extradition-status-letter",
            "extradition-grounds",
            "extradition-logistics",
            "extradition-competing",
        )
    },
    "extradition:assurance-assess": lambda o: reverse(
        "extradition:assurance-assess", kwargs={"pk": o["ext_pk"], "item_id": o["ext_assurance"]}
    ),
    "extradition:speciality-decide": lambda o: reverse(
        "extradition:speciality-decide", kwargs={"pk": o["ext_pk"], "item_id": o["ext_consent"]}
    ),
    "extradition:competing-decide": lambda o: reverse(
        "extradition:competing-decide", kwargs={"pk": o["ext_pk"], "item_id": o["ext_competing"]}
    ),
    "extradition:entry-edit": lambda o: reverse(
        "extradition:entry-edit", kwargs={"pk": o["ext_pk"], "register": "consent", "item_id": o["ext_consent"]}
    ),
    "extradition-assurance-correct": lambda o: reverse(
        "extradition-assurance-correct", kwargs={"pk": o["ext_assurance"]}
    ),
    "extradition-speciality-correct": lambda o: reverse(
        "extradition-speciality-correct", kwargs={"pk": o["ext_consent"]}
    ),
    "extradition-competing-request-detail": lambda o: reverse(
        "extradition-competing-request-detail", kwargs={"pk": o["ext_competing"]}
    ),
    "extradition-competing-request-decide": lambda o: reverse(
        "extradition-competing-request-decide", kwargs={"pk": o["ext_competing"]}
    ),
    "extradition-competing-request-correct": lambda o: reverse(
        "extradition-competing-request-correct", kwargs={"pk": o["ext_competing"]}
    ),
    "extradition:calendar-feed": lambda o: reverse("extradition:calendar-feed", args=[o["ext_feed"]]),
    "extradition-step-detail": lambda o: reverse("extradition-step-detail", kwargs={"pk": o["ext_step"]}),
    "extradition-assurance-detail": lambda o: reverse(
        "extradition-assurance-detail", kwargs={"pk": o["ext_assurance"]}
    ),
    "extradition-assurance-assess": lambda o: reverse(
        "extradition-assurance-assess", kwargs={"pk": o["ext_assurance"]}
    ),
    "extradition-speciality-detail": lambda o: reverse(
        "extradition-speciality-detail", kwargs={"pk": o["ext_consent"]}
    ),
    "extradition-speciality-decide": lambda o: reverse(
        "extradition-speciality-decide", kwargs={"pk": o["ext_consent"]}
    ),
}


def prepare(objects: dict[str, Any], request: Any) -> None:
    """An incoming extradition matter of ``officer``: the person arrested, a hearing, an assurance, a consent.

    Its reference must not leak either: it is given the MLA matter's reference checks' treatment by sharing
    nothing with personas without need-to-know.
    """
    from entraide.extradition import actions
    from entraide.extradition.tests.helpers import extradition_case

    head = request.getfixturevalue("head")
    officer = request.getfixturevalue("officer")
    case = extradition_case(head, officer)
    actions.record_arrest(
        case, actor=officer, arrested_at=timezone.now() - timedelta(days=1), subject=case.subjects.get()
    )
    step = actions.record_step(case, actor=officer, kind="hearing", at=timezone.now(), court="Court")
    today = timezone.localdate()
    assurance = actions.ask_assurance(case, actor=officer, kind="fair_trial", asked_on=today)
    consent = actions.ask_speciality_consent(
        case, actor=officer, kind="re_extradition", offences="X", requested_on=today
    )
    from entraide.testing import country

    competing = actions.record_competing_request(
        case, actor=officer, country=country("ES"), received_on=today, offences="Y"
    )
    feed = actions.issue_calendar_token(actor=officer)
    objects.update(
        ext_feed=feed,
        ext_pk=case.pk,
        ext_step=step.pk,
        ext_assurance=assurance.pk,
        ext_consent=consent.pk,
        ext_competing=competing.pk,
    )
