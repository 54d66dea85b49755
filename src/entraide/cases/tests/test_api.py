"""The register's API: tokens, need-to-know, registration, lifecycle, errors."""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from entraide.audit.models import AuditRecord
from entraide.cases import actions
from entraide.cases.models import Case, Identifier, Measure, Offence, Subject
from entraide.core.choices import Confidentiality
from entraide.testing import PASSWORD, country, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _countries(db: Any) -> None:
    for code in ("FR", "ES", "MA"):
        country(code)


CASES = "/api/v1/cases/"


def client_for(user: Any) -> APIClient:
    client = APIClient()
    token, _created = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def new_case_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "direction": "incoming",
        "kind": "mla",
        "title": "Accounts of a ransomware crew",
        "summary": "Ransom paid through a bank in Casablanca.",
        "counterpart_country": "fr",
        "counterpart_reference": "PNC-2026-118",
        "received_on": "2026-01-05",
        "flags": ["cybercrime", "organised_crime"],
        "offences": [{"iccs_section": "07", "description": "Extortion by ransomware"}],
        "subjects": [
            {
                "kind": "person",
                "role": "suspect",
                "name": "José Martínez Ruiz",
                "nationality": "ES",
                "identifiers": [{"type": "passport", "value": "xd 123 456", "country": "ES"}],
            }
        ],
        "measures": [
            {
                "type": "bank_records",
                "details": {
                    "bank": "Banque Atlas",
                    "accounts": "MA64 0000 1111",
                    "period_from": "2025-01-01",
                    "period_to": "2025-06-30",
                },
            },
            {
                "type": "taking_evidence",
                "details": {"person": "The branch manager", "questions": "Who opened it?"},
            },
        ],
    }
    payload.update(overrides)
    return payload


# --- authentication -----------------------------------------------------------------------------------------


def test_a_token_from_the_token_endpoint_authenticates_api_calls(officer: Any, case: Any) -> None:
    anonymous = APIClient()
    assert anonymous.get(CASES).status_code == 401
    wrong = anonymous.post("/api/v1/auth/token/", {"username": officer.username, "password": "nope"}, format="json")
    assert wrong.status_code == 400
    answer = anonymous.post("/api/v1/auth/token/", {"username": officer.username, "password": PASSWORD}, format="json")
    assert answer.status_code == 200
    token = answer.json()["token"]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    listing = client.get(CASES)
    assert listing.status_code == 200
    assert [row["reference"] for row in listing.json()["results"]] == [case.reference]
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    assert client.get(CASES).status_code == 401


# --- need-to-know -------------------------------------------------------------------------------------------


def test_each_persona_lists_only_the_matters_it_may_see(
    head: Any,
    officer: Any,
    officer2: Any,
    clerk: Any,
    auditor: Any,
    admin_user: Any,
    prosecutor: Any,
    executor: Any,
    case: Any,
) -> None:
    by_clerk = make_case(clerk, title="Registered by the clerk")
    secret = make_case(head, title="Secret matter", confidentiality=Confidentiality.SECRET)
    actions.assign(secret, head, actor=head)
    outgoing = make_case(prosecutor, direction="outgoing", title="Prosecutor's draft")
    granted = make_case(head, title="Shared with the police")
    actions.grant_access(granted, executor, actor=head, reason="Executes the search")

    def seen(user: Any) -> set[int]:
        response = client_for(user).get(CASES, {"page_size": 200})
        assert response.status_code == 200
        return {row["id"] for row in response.json()["results"]}

    everything = {case.pk, by_clerk.pk, secret.pk, outgoing.pk, granted.pk}
    assert seen(head) == everything
    assert seen(auditor) == everything
    assert seen(officer) == {case.pk}
    assert seen(officer2) == set()
    assert seen(clerk) == {by_clerk.pk}
    assert seen(prosecutor) == {outgoing.pk}
    assert seen(executor) == {granted.pk}
    assert seen(admin_user) == set()


@pytest.mark.parametrize("persona", ["officer2", "executor", "admin_user"])
def test_a_matter_one_may_not_see_answers_404_everywhere(persona: str, request: Any, case: Any) -> None:
    user = request.getfixturevalue(persona)
    client = client_for(user)
    url = f"{CASES}{case.pk}/"
    assert client.get(url).status_code == 404
    assert client.get(f"{url}timeline/").status_code == 404
    assert client.get(f"{url}transitions/").status_code == 404
    assert client.patch(url, {"title": "Mine now"}, format="json").status_code == 404
    assert client.post(f"{url}transition/", {"to": "under_review"}, format="json").status_code == 404
    assert client.post(f"{url}assign/", {"officer": user.username}, format="json").status_code == 404
    missing = client.get(f"{CASES}{case.pk + 1000}/")
    assert missing.status_code == 404
    assert client.get(url).json() == missing.json()
    case.refresh_from_db()
    assert case.status == "registered"
    assert case.title != "Mine now"


def test_reading_a_matter_is_audited(officer: Any, case: Any) -> None:
    response = client_for(officer).get(f"{CASES}{case.pk}/")
    assert response.status_code == 200
    assert AuditRecord.objects.filter(action="case.view", case_id=case.pk, actor=officer).count() == 1


# --- registration -------------------------------------------------------------------------------------------


def test_an_officer_registers_a_matter_with_its_offences_subjects_and_measures(officer: Any) -> None:
    response = client_for(officer).post(CASES, new_case_payload(), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "registered"
    assert body["status_label"]
    assert body["reference"].startswith("MLA/IN/2026/")
    assert body["officer"] == officer.username
    assert body["counterpart_country"] == "FR"
    assert body["flags"] == ["cybercrime", "organised_crime"]
    assert body["counts"] == {
        "offences": 1,
        "subjects": 1,
        "measures": 2,
        "measures_open": 2,
        "documents": 0,
        "communications": 0,
        "deadlines_running": 0,
    }
    case = Case.objects.get(pk=body["id"])
    assert case.flag_cybercrime and case.flag_organised_crime and not case.flag_terrorism
    subject = case.subjects.get()
    assert subject.search_name == "jose martinez ruiz"
    assert subject.identifiers.get().normalized == "XD123456"


def test_registration_is_all_or_nothing_when_the_second_measure_is_invalid(officer: Any) -> None:
    payload = new_case_payload()
    payload["measures"][1]["details"] = {"questions": "Who opened the account?"}  # the person heard is missing
    before = AuditRecord.objects.exclude(action__startswith="api.").count()  # the API call itself is audited
    response = client_for(officer).post(CASES, payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "measures.1.details.person" in body["fields"]
    assert Case.objects.count() == 0
    assert Subject.objects.count() == 0
    assert Identifier.objects.count() == 0
    assert Measure.objects.count() == 0
    assert Offence.objects.count() == 0
    assert AuditRecord.objects.exclude(action__startswith="api.").count() == before


def test_invalid_input_answers_400_with_the_fields_at_fault(officer: Any) -> None:
    response = client_for(officer).post(
        CASES, new_case_payload(counterpart_country="XX", flags=["knitting"], kind="nonsense"), format="json"
    )
    assert response.status_code == 400
    fields = response.json()["fields"]
    assert {"counterpart_country", "flags.0", "kind"} <= set(fields)
    assert Case.objects.count() == 0


def test_rules_of_the_register_come_back_as_400_with_fields(officer: Any) -> None:
    response = client_for(officer).post(CASES, new_case_payload(received_on="2999-01-01"), format="json")
    assert response.status_code == 400
    assert "received_on" in response.json()["fields"]


def test_no_one_makes_a_matter_more_secret_than_their_own_clearance(officer: Any, case: Any) -> None:
    client = client_for(officer)
    above = client.post(CASES, new_case_payload(confidentiality=Confidentiality.SECRET), format="json")
    assert above.status_code == 400
    assert "confidentiality" in above.json()["fields"]
    assert Case.objects.count() == 1
    raised = client.patch(f"{CASES}{case.pk}/", {"confidentiality": Confidentiality.SECRET}, format="json")
    assert raised.status_code == 400
    assert client.get(f"{CASES}{case.pk}/").status_code == 200


def test_malformed_json_answers_400_with_a_clear_message(officer: Any) -> None:
    response = client_for(officer).post(CASES, data='{"title": "unfinished', content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert "JSON" in body["detail"]


def test_roles_that_do_not_register_are_refused(auditor: Any, executor: Any) -> None:
    for user in (auditor, executor):
        response = client_for(user).post(CASES, new_case_payload(), format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "forbidden"
    assert Case.objects.count() == 0


# --- edits --------------------------------------------------------------------------------------------------


def test_an_update_with_a_stale_version_is_refused_with_409(officer: Any, case: Any) -> None:
    client = client_for(officer)
    url = f"{CASES}{case.pk}/"
    version = client.get(url).json()["version"]
    first = client.patch(url, {"title": "Renamed", "flags": ["corruption"], "version": version}, format="json")
    assert first.status_code == 200, first.json()
    assert first.json()["title"] == "Renamed"
    assert first.json()["flags"] == ["corruption"]
    assert first.json()["version"] == version + 1
    stale = client.patch(url, {"title": "Renamed again", "version": version}, format="json")
    assert stale.status_code == 409
    assert stale.json()["code"] == "conflict"
    case.refresh_from_db()
    assert case.title == "Renamed"


def test_direction_and_kind_cannot_be_changed_and_put_is_not_offered(officer: Any, case: Any) -> None:
    client = client_for(officer)
    url = f"{CASES}{case.pk}/"
    client.patch(url, {"direction": "outgoing", "kind": "extradition"}, format="json")
    case.refresh_from_db()
    assert (case.direction, case.kind) == ("incoming", "mla")
    assert client.put(url, new_case_payload(), format="json").status_code == 405


def test_a_visible_matter_one_may_not_change_answers_403(auditor: Any, case: Any) -> None:
    response = client_for(auditor).patch(f"{CASES}{case.pk}/", {"title": "Audited"}, format="json")
    assert response.status_code == 403


def test_only_the_head_assigns(head: Any, officer: Any, officer2: Any, case: Any) -> None:
    url = f"{CASES}{case.pk}/assign/"
    refused = client_for(officer).post(url, {"officer": officer2.username}, format="json")
    assert refused.status_code == 403
    done = client_for(head).post(url, {"officer": officer2.username, "reason": "Workload"}, format="json")
    assert done.status_code == 200
    assert done.json()["officer"] == officer2.username
    assert client_for(officer2).get(f"{CASES}{case.pk}/").status_code == 200
    unknown = client_for(head).post(url, {"officer": "nobody"}, format="json")
    assert unknown.status_code == 400
    assert "officer" in unknown.json()["fields"]


# --- lifecycle ----------------------------------------------------------------------------------------------


def test_an_incoming_request_goes_through_its_lifecycle_to_executed(officer: Any) -> None:
    client = client_for(officer)
    created = client.post(CASES, new_case_payload(), format="json").json()
    url = f"{CASES}{created['id']}/"

    def move(to: str, **extra: Any) -> Any:
        return client.post(f"{url}transition/", {"to": to, **extra}, format="json")

    options = client.get(f"{url}transitions/").json()
    assert "under_review" in {o["to"] for o in options}
    assert "refused" not in {o["to"] for o in options}  # that step is the head's
    assert move("under_review").status_code == 200
    assert move("accepted").status_code == 200
    assert move("in_execution").status_code == 200

    executed = next(o for o in client.get(f"{url}transitions/").json() if o["to"] == "executed")
    assert executed["available"] is False and executed["blocked_by"]
    blocked = move("executed")
    assert blocked.status_code == 409
    assert blocked.json()["code"] == "guard"

    for measure in client.get("/api/v1/measures/", {"case": created["id"]}).json()["results"]:
        done = client.post(f"/api/v1/measures/{measure['id']}/status/", {"status": "executed"}, format="json")
        assert done.status_code == 200
        assert done.json()["status"] == "executed"
    finished = move("executed")
    assert finished.status_code == 200
    assert finished.json()["status"] == "executed"
    assert finished.json()["is_open"] is False
    assert finished.json()["counts"]["measures_open"] == 0

    timeline = client.get(f"{url}timeline/").json()["results"]
    assert timeline[0]["verb"] == "transition"
    assert "Registered" in timeline[-1]["text"] or timeline[-1]["verb"] == "registered"


def test_a_step_the_lifecycle_does_not_allow_answers_409_with_the_possible_steps(officer: Any, case: Any) -> None:
    response = client_for(officer).post(f"{CASES}{case.pk}/transition/", {"to": "executed"}, format="json")
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "transition_not_allowed"
    assert body["detail"]
    case.refresh_from_db()
    assert case.status == "registered"


def test_a_step_that_needs_a_reason_is_refused_without_one(officer: Any, case: Any) -> None:
    response = client_for(officer).post(f"{CASES}{case.pk}/transition/", {"to": "withdrawn"}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["fields"]


def test_of_two_clients_taking_the_same_step_the_second_gets_409(head: Any, officer: Any, case: Any) -> None:
    first, second = client_for(officer), client_for(head)
    url = f"{CASES}{case.pk}/transition/"
    assert first.post(url, {"to": "under_review"}, format="json").status_code == 200
    late = second.post(url, {"to": "under_review"}, format="json")
    assert late.status_code == 409
    assert late.json()["code"] == "transition_not_allowed"
    assert case.events.filter(verb="transition").count() == 1


# --- lists --------------------------------------------------------------------------------------------------


def test_search_finds_subject_names_without_accents_and_filters_combine(head: Any, officer: Any, case: Any) -> None:
    client = client_for(officer)
    created = client.post(CASES, new_case_payload(), format="json").json()
    found = client.get(CASES, {"q": "jose MARTINEZ"}).json()["results"]
    assert [row["id"] for row in found] == [created["id"]]
    assert AuditRecord.objects.filter(action="case.search", actor=officer).count() == 1
    assert [r["id"] for r in client.get(CASES, {"q": "PNC-2026"}).json()["results"]] == [created["id"]]
    assert [r["id"] for r in client.get(CASES, {"flag": "cybercrime"}).json()["results"]] == [created["id"]]
    assert {r["id"] for r in client.get(CASES, {"officer": "me"}).json()["results"]} == {
        case.pk,
        created["id"],
    }
    assert client.get(CASES, {"counterpart_country": "es"}).json()["count"] == 0
    assert client.get(CASES, {"counterpart_country": "FR", "is_open": "true"}).json()["count"] == 2
    assert client.get(CASES, {"status": ["registered", "closed"]}).json()["count"] == 2
    assert client.get(CASES, {"received_on_after": "2026-01-01"}).json()["count"] == 1
    assert client.get(CASES, {"overdue": "true"}).json()["count"] == 0
    ordered = [r["reference"] for r in client.get(CASES, {"ordering": "reference"}).json()["results"]]
    assert ordered == sorted(ordered)
    assert client.get(CASES, {"ordering": "next_due_at"}).status_code == 200
    by_priority = [r["id"] for r in client.get(CASES, {"ordering": "priority"}).json()["results"]]
    assert [r["id"] for r in client.get(CASES, {"ordering": "-priority"}).json()["results"]] == by_priority[::-1]
    assert client.get(CASES, {"status": "no_such_state"}).status_code == 400


def test_the_list_costs_the_same_number_of_queries_for_3_or_12_matters(head: Any) -> None:
    client = client_for(head)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(CASES).status_code == 200
        return len(ctx.captured_queries)

    for _ in range(3):
        make_case(head, subjects=[{"kind": "person", "role": "suspect", "name": "A. Person"}])
    few = queries()
    for _ in range(9):
        make_case(head, measures=[{"type": "domain_registration", "details": {"domain": "example.org"}}])
    assert queries() == few
    assert few <= 8  # 6 for the list, 2 to append the API call to the audit trail


def test_the_measure_catalogue_is_served_for_building_forms(officer: Any) -> None:
    response = client_for(officer).get("/api/v1/measure-types/")
    assert response.status_code == 200
    by_type = {row["type"]: row for row in response.json()}
    stored = by_type["stored_data"]
    assert stored["source"] == "Budapest art. 31"
    assert stored["coercive"] is True
    category = next(f for f in stored["fields"] if f["name"] == "data_category")
    assert category["kind"] == "choice" and category["required"] is True
    assert {c["value"] for c in category["choices"]} == {"subscriber", "traffic", "content"}


# --- schema and docs ----------------------------------------------------------------------------------------


def test_the_schema_and_the_docs_are_served_without_inline_scripts(officer: Any) -> None:
    client = client_for(officer)
    schema = client.get("/api/v1/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/cases/{id}/transition/" in schema.content
    docs = client.get("/api/v1/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        source = re.search(r'src="([^"]+)"', attributes)
        assert source, "inline script"
        assert source.group(1).startswith("/"), source.group(1)
        assert not body.strip()
        assert client.get(source.group(1)).status_code == 200
    policy = docs["Content-Security-Policy"]
    assert "script-src 'self';" in policy or policy.endswith("script-src 'self'")
    for style in re.findall(r"<style>(.*?)</style>", html, flags=re.S):
        digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy
