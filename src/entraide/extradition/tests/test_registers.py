"""The registers of extradition across matters: consents (speciality, re-extradition, transit), assurances,
competing requests and property handed over; decisions and corrections as audited actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from entraide.audit.models import AuditRecord
from entraide.core.errors import ActionError
from entraide.extradition import actions
from entraide.extradition.tests.helpers import extradition_case
from entraide.testing import country

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(head, officer):
    today = timezone.localdate()
    case = extradition_case(head, officer)
    transit = actions.ask_speciality_consent(
        case, actor=officer, kind="transit", offences="Transit through Spain", requested_on=today - timedelta(days=4)
    )
    re_extradition = actions.ask_speciality_consent(
        case, actor=officer, kind="re_extradition", offences="Re-extradition to Italy", requested_on=today
    )
    actions.decide_speciality_consent(re_extradition, actor=officer, decision="granted", decided_on=today)
    assurance = actions.ask_assurance(case, actor=officer, kind="fair_trial", asked_on=today)
    competing = actions.record_competing_request(
        case, actor=officer, country=country("ES"), received_on=today, offences="Armed robbery in Madrid"
    )
    actions.update_logistics(case, actor=officer, property_handed_over="Two phones seized at the arrest")
    return {"case": case, "transit": transit, "assurance": assurance, "competing": competing}


def test_the_registers_page_lists_each_register_across_matters(client, officer, officer2, entries):
    client.force_login(officer)
    url = reverse("extradition:registers")
    page = client.get(url).content.decode()
    assert "Transit through Spain" in page and "Re-extradition to Italy" in page
    assert entries["case"].reference in page
    # Awaiting an answer first.
    assert page.index("Transit through Spain") < page.index("Re-extradition to Italy")
    only_transit = client.get(url, {"register": "consents", "kind": "transit"}).content.decode()
    assert "Transit through Spain" in only_transit and "Re-extradition to Italy" not in only_transit
    pending = client.get(url, {"register": "consents", "pending": "on"}).content.decode()
    assert "Re-extradition to Italy" not in pending
    assert "Armed robbery in Madrid" in client.get(url, {"register": "competing"}).content.decode()
    assert "Fair trial" in client.get(url, {"register": "assurances"}).content.decode()
    assert "Two phones seized" in client.get(url, {"register": "property"}).content.decode()
    # Need-to-know: another officer sees none of it.
    client.force_login(officer2)
    assert "Transit through Spain" not in client.get(url).content.decode()
    assert "Armed robbery" not in client.get(url, {"register": "competing"}).content.decode()


def test_which_competing_request_prevails_is_recorded_and_audited(client, officer, entries):
    competing = entries["competing"]
    client.force_login(officer)
    url = reverse("extradition:competing-decide", args=[entries["case"].pk, competing.pk])
    future = (timezone.localdate() + timedelta(days=1)).isoformat()
    refused = client.post(url, {"decision": "preferred", "decided_on": future})
    assert refused.status_code == 200 and "The date cannot be in the future." in refused.content.decode()
    done = client.post(url, {"decision": "set_aside", "decided_on": timezone.localdate().isoformat()})
    assert done.status_code == 302
    competing.refresh_from_db()
    assert competing.decision == "set_aside"
    record = AuditRecord.objects.filter(action="extradition.competing.decide").get()
    assert record.before["decision"] == "pending"
    page = client.get(reverse("cases:detail", args=[entries["case"].pk])).content.decode()
    assert "Set aside: this matter&#x27;s request prevails" in page


def test_an_entry_is_corrected_with_its_before_and_after(client, officer, entries):
    transit = entries["transit"]
    client.force_login(officer)
    url = reverse("extradition:entry-edit", args=[entries["case"].pk, "consent", transit.pk])
    assert "Transit through Spain" in client.get(url).content.decode()
    response = client.post(
        url, {"offences": "Transit through Portugal", "requested_on": transit.requested_on.isoformat()}
    )
    assert response.status_code == 302
    transit.refresh_from_db()
    assert transit.offences == "Transit through Portugal"
    record = AuditRecord.objects.get(action="extradition.consent.correct")
    assert record.before == {"offences": "Transit through Spain"}
    assert record.after == {"offences": "Transit through Portugal"}
    timeline = client.get(reverse("cases:detail", args=[entries["case"].pk])).content.decode()
    assert "Correction of a request for consent" in timeline
    # Bad input loses nothing.
    with pytest.raises(ActionError):
        actions.correct_entry(transit, actor=officer, offences="  ")
    with pytest.raises(ActionError):
        actions.correct_entry(entries["competing"], actor=officer, country=entries["case"].counterpart_country)
    transit.refresh_from_db()
    assert transit.offences == "Transit through Portugal"
    assert client.get(reverse("extradition:entry-edit", args=[entries["case"].pk, "nothing", 1])).status_code == 404


def test_a_consent_cannot_be_dated_after_its_answer(officer, entries):
    assurance = entries["assurance"]
    today = timezone.localdate()
    actions.assess_assurance(assurance, actor=officer, received_on=today, assessment="adequate")
    with pytest.raises(ActionError) as refused:
        actions.correct_entry(assurance, actor=officer, asked_on=today + timedelta(days=1))
    assert "asked_on" in refused.value.fields


def test_the_api_lists_decides_and_corrects_competing_requests(officer, officer2, entries):
    api = APIClient()
    api.force_authenticate(officer)
    listed = api.get(reverse("extradition-competing-request-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["offences"] for r in rows] == ["Armed robbery in Madrid"]
    assert rows[0]["reference"] == entries["case"].reference and rows[0]["decision"] == "pending"
    pk = entries["competing"].pk
    decided = api.post(
        reverse("extradition-competing-request-decide", args=[pk]),
        {"decision": "preferred", "decided_on": timezone.localdate().isoformat()},
        format="json",
    )
    assert decided.status_code == 200 and decided.json()["decision"] == "preferred"
    corrected = api.post(
        reverse("extradition-competing-request-correct", args=[pk]), {"offences": "Robbery"}, format="json"
    )
    assert corrected.status_code == 200 and corrected.json()["offences"] == "Robbery"
    consent = api.post(
        reverse("extradition-speciality-correct", args=[entries["transit"].pk]), {"note": "By air"}, format="json"
    )
    assert consent.status_code == 200 and consent.json()["note"] == "By air"
    empty = api.post(reverse("extradition-assurance-correct", args=[entries["assurance"].pk]), {}, format="json")
    assert empty.status_code == 400
    other = APIClient()
    other.force_authenticate(officer2)
    assert other.get(reverse("extradition-competing-request-detail", args=[pk])).status_code == 404


def test_the_matter_summary_includes_competing_requests_and_logistics(officer, entries):
    api = APIClient()
    api.force_authenticate(officer)
    summary = api.get(reverse("extradition-detail", args=[entries["case"].pk])).json()
    assert [c["offences"] for c in summary["competing"]] == ["Armed robbery in Madrid"]
    assert summary["logistics"]["property_handed_over"] == "Two phones seized at the arrest"
    listed = api.get(reverse("extradition-list")).json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert rows[0]["competing"][0]["reference"] == entries["case"].reference
