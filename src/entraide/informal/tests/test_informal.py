from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from entraide.audit.models import AuditRecord
from entraide.core.errors import ActionError, Forbidden
from entraide.informal import actions
from entraide.informal.models import InformalContact
from entraide.informal.queries import visible_contacts
from entraide.notifications.models import Notification
from entraide.testing import country

pytestmark = pytest.mark.django_db


def _contact(actor, **overrides):
    data = {
        "channel": "fiu",
        "counterpart_country": country("MA"),
        "counterpart_unit": "UTRF",
        "occurred_on": date(2026, 11, 20),
        "direction": "outgoing",
        "summary": "Asked the Moroccan FIU about transfers",
        "subjects": [
            {
                "kind": "person",
                "name": "Mohamed El Amrani",
                "identifiers": [{"type": "iban", "value": "FR76 3000 6000 0112 3456 7890 189"}],
            }
        ],
    }
    data.update(overrides)
    return actions.register_contact(actor=actor, **data)


def test_register_audits_and_tells_the_heads(officer, head):
    contact = _contact(officer)
    assert contact.officer == officer
    assert contact.subjects.get().identifiers[0]["type"] == "iban"
    assert AuditRecord.objects.filter(action="informal.register", object_id=str(contact.pk)).exists()
    note = Notification.objects.get(user=head, kind="informal.registered")
    assert contact.reference in note.text


def test_need_to_know_as_for_cases(officer, officer2, head, auditor, clerk, prosecutor):
    contact = _contact(officer)
    assert set(visible_contacts(officer)) == {contact}
    assert set(visible_contacts(head)) == {contact}
    assert set(visible_contacts(auditor)) == {contact}
    for user in (officer2, clerk, prosecutor):
        assert not visible_contacts(user).exists()
    actions.grant_access(contact, officer2, actor=head, reason="Same network")
    assert set(visible_contacts(officer2)) == {contact}
    with pytest.raises(Forbidden):
        actions.grant_access(contact, clerk, actor=officer, reason="x")


def test_expired_grant_no_longer_shows(officer, officer2, head):
    contact = _contact(officer)
    grant = actions.grant_access(
        contact, officer2, actor=head, reason="Short", expires_at=timezone.now() + timedelta(hours=1)
    )
    grant.expires_at = timezone.now() - timedelta(minutes=1)
    grant.save()
    assert not visible_contacts(officer2).exists()


def test_bad_input_is_refused_and_explained(officer):
    with pytest.raises(ActionError) as error:
        _contact(officer, summary="", channel="pigeon")
    assert {"summary", "channel"} <= set(error.value.fields)
    with pytest.raises(ActionError) as error:
        _contact(officer, subjects=[{"kind": "person", "name": ""}])
    assert "subjects.0.name" in error.value.fields
    with pytest.raises(ActionError) as error:
        _contact(officer, subjects=[{"name": "X", "identifiers": [{"type": "shoe_size", "value": "42"}]}])
    assert "subjects.0.identifiers.0.type" in error.value.fields
    # A subject with only an identifier is kept.
    contact = _contact(officer, subjects=[{"identifiers": [{"type": "phone", "value": "0612345678"}]}])
    assert contact.subjects.get().name == ""
    with pytest.raises(ActionError):
        _contact(officer, occurred_on=timezone.localdate() + timedelta(days=3))


def test_link_only_to_visible_matters(officer, officer2, head, case):
    contact = _contact(officer2)
    with pytest.raises(ActionError) as error:
        actions.link_case(contact, case, actor=officer2)
    assert error.value.status == 404
    mine = _contact(officer, cases=[case])
    assert list(mine.cases.all()) == [case]


def test_pages_register_list_detail_feed(client, officer, head, case):
    country("ES")
    client.force_login(officer)
    response = client.post(
        reverse("informal:create"),
        {
            "channel": "police",
            "counterpart_country": "ES",
            "occurred_on": "2026-11-21",
            "direction": "incoming",
            "summary": "The Guardia Civil asked about a phone",
            "outcome": "pending",
            "confidentiality": "1",
            "case_references": case.reference,
            "subject_kind": "person",
            "subject_name": "Oleksandr Shevchenko",
            "identifier_type": "phone",
            "identifier_value": "+34 600 123 456",
        },
    )
    contact = InformalContact.objects.get()
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(reverse("informal:detail", args=[contact.pk])).content.decode()
    assert "Oleksandr Shevchenko" in page and case.reference in page
    assert contact.reference in client.get(reverse("informal:list")).content.decode()
    assert client.get(reverse("informal:feed")).status_code == 404
    client.force_login(head)
    feed = client.get(reverse("informal:feed")).content.decode()
    assert contact.reference in feed and "Oleksandr Shevchenko" in feed


def test_form_reports_unknown_reference(client, officer):
    country("ES")
    client.force_login(officer)
    response = client.post(
        reverse("informal:create"),
        {
            "channel": "police",
            "counterpart_country": "ES",
            "occurred_on": "2026-11-21",
            "direction": "incoming",
            "summary": "x",
            "outcome": "pending",
            "confidentiality": "1",
            "case_references": "MLA/IN/1999/9999",
        },
    )
    assert response.status_code == 200
    assert "No matter with the reference MLA/IN/1999/9999." in response.content.decode()
    assert not InformalContact.objects.exists()


def test_api_create_list_and_hide(client, officer, officer2, case):
    token = Token.objects.create(user=officer)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    response = client.post(
        "/api/v1/informal-contacts/",
        {
            "channel": "interpol",
            "counterpart_country": "FR",
            "occurred_on": "2026-11-02",
            "direction": "outgoing",
            "summary": "Diffusion check",
            "cases": [case.reference],
            "subjects": [{"name": "Шевченко Олександр", "identifiers": [{"type": "passport", "value": "FA 123456"}]}],
        },
        content_type="application/json",
        **auth,
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["cases"] == [case.reference]
    assert body["subjects"][0]["identifiers"][0]["value"] == "FA 123456"
    listed = client.get("/api/v1/informal-contacts/", **auth).json()
    assert listed["count"] == 1 if isinstance(listed, dict) else len(listed) == 1
    other = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=officer2).key}"}
    assert client.get(f"/api/v1/informal-contacts/{body['id']}/", **other).status_code == 404
    bad = client.post("/api/v1/informal-contacts/", {"channel": "x"}, content_type="application/json", **auth).json()
    assert bad["code"] == "invalid" and "channel" in bad["fields"]
