"""Fast registration of an incoming request, with the warning of a probable duplicate."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.cases import actions as case_actions
from entraide.cases.models import Case
from entraide.execution.queries import find_duplicates
from entraide.testing import country, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _france(db):
    country("FR")


@pytest.fixture
def earlier(head, officer):
    case = make_case(head, counterpart_reference="PJ-2026-77")
    case_actions.add_subject(case, actor=head, kind="person", role="suspect", name="Jean Dupont")
    return case_actions.assign(case, officer, actor=head)


def _form(**overrides):
    data = {
        "kind": "mla",
        "counterpart_country": "FR",
        "counterpart_reference": "PJ-2026-99",
        "received_on": timezone.localdate().isoformat(),
        "title": "Bank records",
        "names": "",
        "role": "suspect",
        "priority": "3",
    }
    data.update(overrides)
    return data


def test_find_duplicates_names_only_what_the_user_may_see(earlier, officer, officer2):
    found = find_duplicates(officer, country=country("FR"), reference="pj-2026-77", names=["JEAN DUPONT"])
    assert [d["case"].pk for d in found["visible"]] == [earlier.pk]
    assert found["visible"][0]["reasons"] == ["reference", "subject"]
    hidden = find_duplicates(officer2, country=country("FR"), names=["Jean  Dupont"])
    assert hidden == {"visible": [], "restricted": 1}
    assert find_duplicates(officer, country=country("ES"), reference="PJ-2026-77") == {"visible": [], "restricted": 0}


def test_closed_matters_are_not_subject_duplicates(earlier, officer):
    case_actions.transition(earlier, "withdrawn", actor=officer, reason="Withdrawn")
    assert find_duplicates(officer, names=["Jean Dupont"]) == {"visible": [], "restricted": 0}


def test_clerk_registers_fast(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("execution:register")).status_code == 200
    response = client.post(reverse("execution:register"), _form(names="Ana Lopez\nAcme Ltd"))
    assert response.status_code == 302
    case = Case.objects.get(counterpart_reference="PJ-2026-99")
    assert case.direction == "incoming" and case.created_by == clerk and case.officer is None
    assert sorted(case.subjects.values_list("name", flat=True)) == ["Acme Ltd", "Ana Lopez"]


def test_restricted_duplicate_is_announced_without_details(client, clerk, earlier):
    client.force_login(clerk)
    response = client.post(reverse("execution:register"), _form(names="Jean Dupont"))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="restricted-duplicate"' in body
    assert earlier.reference not in body and earlier.title not in body
    assert not Case.objects.filter(counterpart_reference="PJ-2026-99").exists()
    confirmed = client.post(reverse("execution:register"), _form(names="Jean Dupont", confirm="1"))
    assert confirmed.status_code == 302
    assert Case.objects.filter(counterpart_reference="PJ-2026-99").exists()


def test_visible_duplicate_is_named(client, officer, earlier):
    client.force_login(officer)
    response = client.post(reverse("execution:register"), _form(counterpart_reference="PJ-2026-77"))
    body = response.content.decode()
    assert earlier.reference in body
    # The same reference from the same country cannot be registered twice: confirming shows the refusal.
    response = client.post(reverse("execution:register"), _form(counterpart_reference="PJ-2026-77", confirm="1"))
    assert response.status_code == 200
    assert Case.objects.filter(counterpart_reference="PJ-2026-77").count() == 1


def test_requesting_authority_cannot_register_incoming(client, prosecutor):
    client.force_login(prosecutor)
    assert client.get(reverse("execution:register")).status_code == 404


def test_api(client, officer2, earlier):
    headers = {"HTTP_AUTHORIZATION": f"Token {Token.objects.get_or_create(user=officer2)[0].key}"}
    response = client.post(
        "/api/v1/execution-duplicates/",
        {"counterpart_country": "FR", "counterpart_reference": "PJ-2026-77", "names": ["Jean Dupont"]},
        content_type="application/json",
        **headers,
    )
    assert response.status_code == 200
    assert response.json() == {"visible": [], "restricted": 1}
