"""What hangs off a matter, through the API: subjects, measures, offences, communications, links, clocks."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from entraide.cases import actions
from entraide.cases.models import CaseLink, DeadlineRule, Event, Measure, Offence, Subject
from entraide.cases.tests.test_api import client_for
from entraide.testing import country, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _countries(db: Any) -> None:
    for code in ("FR", "ES", "MA"):
        country(code)


# --- subjects -----------------------------------------------------------------------------------------------


def test_a_subject_is_added_with_its_identifiers_and_listed_by_matter(officer: Any, case: Any, head: Any) -> None:
    other = make_case(head, subjects=[{"kind": "person", "role": "witness", "name": "Someone Else"}])
    client = client_for(officer)
    response = client.post(
        "/api/v1/subjects/",
        {
            "case": case.pk,
            "kind": "organisation",
            "role": "company",
            "name": "Atlas Trading SARL",
            "nationality": "ma",
            "identifiers": [
                {"type": "registration", "value": "RC 12-345"},
                {"type": "iban", "value": "MA64 0001"},
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["nationality"] == "MA"
    assert [i["normalized"] for i in body["identifiers"]] == ["RC12345", "MA640001"]
    listed = client.get("/api/v1/subjects/", {"case": case.pk}).json()
    assert [row["name"] for row in listed["results"]] == ["Atlas Trading SARL"]
    assert client.get("/api/v1/subjects/", {"case": other.pk}).json()["count"] == 0
    assert client_for(head).get("/api/v1/subjects/").json()["count"] == 2


def test_a_bad_identifier_says_which_one(officer: Any, case: Any) -> None:
    response = client_for(officer).post(
        "/api/v1/subjects/",
        {
            "case": case.pk,
            "kind": "person",
            "role": "suspect",
            "name": "A. Suspect",
            "identifiers": [{"type": "passport", "value": "X1"}, {"type": "passport", "value": "  "}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "identifiers.1.value" in response.json()["fields"]
    assert Subject.objects.count() == 0


def test_a_subject_is_changed_and_removed(officer: Any, case: Any) -> None:
    client = client_for(officer)
    subject = client.post(
        "/api/v1/subjects/",
        {"case": case.pk, "kind": "person", "role": "suspect", "name": "Jean Dupont"},
        format="json",
    ).json()
    changed = client.patch(f"/api/v1/subjects/{subject['id']}/", {"name": "Jean-Émile Dupont"}, format="json")
    assert changed.status_code == 200
    assert Subject.objects.get(pk=subject["id"]).search_name == "jean-emile dupont"
    added = client.post(
        f"/api/v1/subjects/{subject['id']}/identifiers/",
        {"type": "phone", "value": "0033 6 12"},
        format="json",
    )
    assert added.status_code == 201
    assert added.json()["identifiers"][0]["normalized"] == "+33612"
    assert client.delete(f"/api/v1/subjects/{subject['id']}/?reason=Duplicate").status_code == 204
    assert not Subject.objects.filter(pk=subject["id"]).exists()
    assert Event.objects.filter(case=case, verb="subject_removed", reason="Duplicate").exists()


def test_subjects_of_matters_one_may_not_see_do_not_exist(officer: Any, officer2: Any, case: Any) -> None:
    subject = actions.add_subject(case, actor=officer, kind="person", role="suspect", name="Hidden Person")
    client = client_for(officer2)
    assert client.get("/api/v1/subjects/").json()["count"] == 0
    assert client.get("/api/v1/subjects/", {"case": case.pk}).json()["count"] == 0
    assert client.get(f"/api/v1/subjects/{subject.pk}/").status_code == 404
    assert client.patch(f"/api/v1/subjects/{subject.pk}/", {"name": "X"}, format="json").status_code == 404
    assert client.delete(f"/api/v1/subjects/{subject.pk}/").status_code == 404
    hidden = client.post(
        "/api/v1/subjects/",
        {"case": case.pk, "kind": "person", "role": "suspect", "name": "Planted"},
        format="json",
    )
    missing = client.post(
        "/api/v1/subjects/",
        {"case": case.pk + 999, "kind": "person", "role": "suspect", "name": "Planted"},
        format="json",
    )
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json()
    assert Subject.objects.count() == 1


# --- measures -----------------------------------------------------------------------------------------------


def test_measures_are_checked_against_the_catalogue(officer: Any, case: Any) -> None:
    client = client_for(officer)
    bad = client.post(
        "/api/v1/measures/",
        {
            "case": case.pk,
            "type": "stored_data",
            "details": {
                "provider": "Mail Co",
                "identifiers": "a@b.c",
                "data_category": "dreams",
                "colour": "blue",
            },
        },
        format="json",
    )
    assert bad.status_code == 400
    assert {"details.data_category", "details.colour"} <= set(bad.json()["fields"])
    unknown = client.post("/api/v1/measures/", {"case": case.pk, "type": "telepathy"}, format="json")
    assert unknown.status_code == 400
    assert "type" in unknown.json()["fields"]
    good = client.post(
        "/api/v1/measures/",
        {
            "case": case.pk,
            "type": "stored_data",
            "details": {"provider": "Mail Co", "identifiers": "a@b.c", "data_category": "content"},
        },
        format="json",
    )
    assert good.status_code == 201, good.json()
    measure = good.json()
    assert measure["coercive"] is True and measure["source"] == "Budapest art. 31"
    edited = client.patch(
        f"/api/v1/measures/{measure['id']}/",
        {"details": {"provider": "Mail Co", "identifiers": "a@b.c", "data_category": "traffic"}},
        format="json",
    )
    assert edited.status_code == 200
    assert edited.json()["details"]["data_category"] == "traffic"


def test_a_refused_measure_needs_a_note(officer: Any, case: Any) -> None:
    measure = actions.add_measure(case, actor=officer, type="domain_registration", details={"domain": "x.org"})
    client = client_for(officer)
    url = f"/api/v1/measures/{measure.pk}/status/"
    assert client.post(url, {"status": "refused"}, format="json").status_code == 400
    done = client.post(url, {"status": "refused", "note": "Registrar abroad"}, format="json")
    assert done.status_code == 200
    assert Measure.objects.get(pk=measure.pk).status_note == "Registrar abroad"


# --- offences, communications, links ------------------------------------------------------------------------


def test_an_offence_is_added_and_removed_with_a_trace(officer: Any, officer2: Any, case: Any) -> None:
    client = client_for(officer)
    offence = client.post(
        "/api/v1/offences/",
        {"case": case.pk, "iccs_section": "07", "description": "Money laundering"},
        format="json",
    )
    assert offence.status_code == 201
    offence_id = offence.json()["id"]
    assert client_for(officer2).delete(f"/api/v1/offences/{offence_id}/").status_code == 404
    assert client.delete(f"/api/v1/offences/{offence_id}/").status_code == 204
    assert not Offence.objects.exists()
    assert Event.objects.filter(case=case, verb="offence_removed").exists()


def test_a_communication_is_logged_but_not_in_the_future(officer: Any, case: Any) -> None:
    client = client_for(officer)
    now = timezone.now()
    logged = client.post(
        "/api/v1/communications/",
        {
            "case": case.pk,
            "at": now.isoformat(),
            "channel": "email",
            "direction": "received",
            "counterpart": "Paris CA",
            "summary": "Asked for the status.",
        },
        format="json",
    )
    assert logged.status_code == 201, logged.json()
    assert logged.json()["recorded_by"] == officer.username
    future = client.post(
        "/api/v1/communications/",
        {
            "case": case.pk,
            "at": (now + timedelta(days=2)).isoformat(),
            "channel": "email",
            "direction": "sent",
            "summary": "Tomorrow's call",
        },
        format="json",
    )
    assert future.status_code == 400
    assert "at" in future.json()["fields"]
    assert client.get("/api/v1/communications/", {"case": case.pk}).json()["count"] == 1


def test_a_link_does_not_reveal_a_matter_one_may_not_see(head: Any, officer: Any, case: Any) -> None:
    other = make_case(head, title="Parallel extradition")
    link = client_for(head).post(
        "/api/v1/links/",
        {"source": case.pk, "target": other.pk, "kind": "parallel_extradition"},
        format="json",
    )
    assert link.status_code == 201, link.json()
    assert link.json()["target_reference"] == other.reference
    again = client_for(head).post(
        "/api/v1/links/",
        {"source": case.pk, "target": other.pk, "kind": "parallel_extradition"},
        format="json",
    )
    assert again.status_code == 409
    assert CaseLink.objects.count() == 1
    assert client_for(officer).get("/api/v1/links/", {"case": case.pk}).json()["count"] == 0
    refused = client_for(officer).post(
        "/api/v1/links/", {"source": case.pk, "target": other.pk, "kind": "related"}, format="json"
    )
    assert refused.status_code == 400
    assert "target" in refused.json()["fields"]


# --- deadlines ----------------------------------------------------------------------------------------------


@pytest.fixture
def rule(db: Any) -> DeadlineRule:
    return DeadlineRule.objects.create(
        code="mla-in-review",
        name="Decide on admissibility",
        kinds=["mla"],
        direction="incoming",
        trigger="registered",
        days=30,
        source="Internal service level",
    )


def test_a_deadline_is_paused_resumed_extended_and_met(rule: Any, officer: Any, officer2: Any, head: Any) -> None:
    case = actions.assign(make_case(head), officer, actor=head)
    client = client_for(officer)
    listed = client.get("/api/v1/deadlines/", {"case": case.pk}).json()["results"]
    assert len(listed) == 1
    deadline = listed[0]
    assert deadline["rule"] == "mla-in-review" and deadline["source"] == "Internal service level"
    url = f"/api/v1/deadlines/{deadline['id']}/"
    outsider = client_for(officer2)
    assert outsider.post(f"{url}pause/", {"reason": "x"}, format="json").status_code == 404
    for step in ("pause", "extend", "met", "resume"):  # 404 before the body is even looked at
        assert outsider.post(f"{url}{step}/", {}, format="json").status_code == 404
    assert client.post(f"{url}pause/", {}, format="json").status_code == 400
    paused = client.post(f"{url}pause/", {"reason": "Waiting for a translation"}, format="json")
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    assert client.post(f"{url}pause/", {"reason": "again"}, format="json").status_code == 409
    assert client.post(f"{url}resume/").json()["status"] == "running"
    extended = client.post(f"{url}extend/", {"days": 10, "reason": "Complex request"}, format="json")
    assert extended.status_code == 200
    assert extended.json()["extended_days"] == 10
    assert client.post(f"{url}extend/", {"days": 0, "reason": "no"}, format="json").status_code == 400
    met = client.post(f"{url}met/", {"note": "Decision taken"}, format="json")
    assert met.json()["status"] == "met"
    assert client.post(f"{url}met/", {}, format="json").status_code == 409
    assert client.get("/api/v1/deadlines/", {"case": case.pk, "status": "met"}).json()["count"] == 1


@pytest.mark.parametrize("endpoint", ["subjects", "measures", "documents", "deadlines", "communications", "links"])
def test_child_lists_cost_the_same_number_of_queries_for_1_or_6_matters(
    endpoint: str, head: Any, rule: Any, settings: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from entraide.cases.tests.test_api_documents import PDF

    client = client_for(head)

    def add_matter() -> None:
        case = make_case(
            head,
            subjects=[
                {
                    "kind": "person",
                    "role": "suspect",
                    "name": "A. Person",
                    "identifiers": [{"type": "phone", "value": "+212 600"}],
                }
            ],
            measures=[{"type": "domain_registration", "details": {"domain": "example.org"}}],
        )
        actions.add_document(case, SimpleUploadedFile("a.pdf", PDF), actor=head, kind="annex")
        actions.log_communication(
            case, actor=head, at=timezone.now(), channel="email", direction="sent", summary="Sent"
        )
        actions.link_cases(case, make_case(head), actor=head, kind="related")

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/api/v1/{endpoint}/").status_code == 200
        return len(ctx.captured_queries)

    add_matter()
    one = queries()
    for _ in range(5):
        add_matter()
    assert queries() == one
