"""Index, deconfliction, notification, redaction and decisions, end to end through the actions and pages."""

from datetime import date

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.cases.models import CaseLink
from entraide.core.errors import ActionError
from entraide.informal import actions as informal_actions
from entraide.matching import actions
from entraide.matching.models import Entry, Key, Match, MatchStatus
from entraide.matching.tests.helpers import add_suspect
from entraide.notifications.models import Notification
from entraide.testing import country

pytestmark = pytest.mark.django_db


def test_index_follows_subjects(case, officer):
    subject = add_suspect(case, officer, "Oleksandr Shevchenko")
    entry = Entry.objects.get(subject=subject)
    assert "n:svsnk" in set(entry.keys.values_list("key", flat=True))
    case_actions.update_subject(subject, actor=officer, name="Ivan Petrenko")
    assert "n:svsnk" not in set(Key.objects.filter(entry=entry).values_list("key", flat=True))
    case_actions.add_identifier(subject, actor=officer, type="iban", value="FR76 3000 6000 0112 3456 7890 189")
    assert Key.objects.filter(entry=entry, key="i:iban:FR7630006000011234567890189").exists()
    case_actions.remove_subject(subject, actor=officer)
    assert not Entry.objects.filter(pk=entry.pk).exists()


def test_match_found_notified_and_redacted(case, other_case, officer, officer2, head, client):
    add_suspect(case, officer, "Mohammed El Amrani", birth_date=date(1985, 3, 2))
    theirs = add_suspect(other_case, officer2, "محمد العمراني", birth_date=date(1985, 3, 2))
    match = Match.objects.get()
    assert match.score >= 0.8
    # Each side's officer hears of it, about their own matter only.
    mine_note = Notification.objects.get(user=officer, kind="matching.possible_match")
    their_note = Notification.objects.get(user=officer2, kind="matching.possible_match")
    assert case.reference in mine_note.text and other_case.reference not in mine_note.text
    assert other_case.reference in their_note.text and case.reference not in their_note.text
    # The officer of the first matter may not see the other: the panel says whom to ask, nothing more.
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "a possible match exists in a matter you may not see" in page
    assert "t_head" in page
    assert other_case.reference not in page and theirs.name not in page and "1985-03-02" not in page
    # The head sees both sides and the reasons.
    client.force_login(head)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert other_case.reference in page and "transliteration" in page


def test_confirm_links_the_matters_and_is_remembered(case, other_case, officer, officer2, head):
    add_suspect(case, officer, "Abdelkader Benali", identifiers=[{"type": "phone", "value": "+212 612-345678"}])
    add_suspect(other_case, officer2, "Abd al-Qadir Ben Ali", nationality=country("MA"))
    theirs = other_case.subjects.get()
    case_actions.add_identifier(theirs, actor=officer2, type="phone", value="0612345678")
    match = Match.objects.get()
    assert any(x["what"] == "identifier_agrees" for x in match.explanation)
    with pytest.raises(ActionError) as error:
        actions.confirm(match, actor=officer)
    assert error.value.status == 403
    actions.confirm(match, actor=head, note="Same phone")
    assert CaseLink.objects.filter(kind="related").count() == 1
    assert AuditRecord.objects.filter(action="match.confirm").exists()
    # Re-running keeps the decision.
    actions.run_for_case(case, actor=head)
    assert Match.objects.get().status == MatchStatus.CONFIRMED


def test_reject_is_remembered(case, other_case, officer, head):
    case_actions.grant_access(other_case, officer, actor=head, reason="Joint work")
    add_suspect(case, officer, "Ali Hassan Mahmoud")
    add_suspect(other_case, head, "Mahmoud Ali Hassan")
    match = Match.objects.get()
    actions.reject(match, actor=officer, note="Different people")
    actions.run_for_case(case, actor=officer)
    assert Match.objects.get().status == MatchStatus.REJECTED


def test_informal_contact_subjects_are_deconflicted(case, officer, officer2, head):
    add_suspect(case, officer, "Oleksandr Shevchenko")
    contact = informal_actions.register_contact(
        actor=officer2,
        channel="police",
        counterpart_country=country("FR"),
        occurred_on=date(2026, 11, 3),
        direction="incoming",
        summary="French police asked about a Ukrainian national",
        subjects=[{"kind": "person", "name": "Chevtchenko Aleksandr"}],
    )
    match = Match.objects.get()
    assert {match.left.source, match.right.source} == {"case", "informal"}
    actions.confirm(match, actor=head)
    assert list(contact.cases.all()) == [case]


def test_run_on_demand_page_and_api(client, case, other_case, officer, officer2, head):
    add_suspect(other_case, officer2, "Rahul Sharma")
    add_suspect(case, officer, "राहुल शर्मा")
    Match.objects.all().delete()
    client.force_login(officer)
    response = client.post(reverse("matching:case-run", args=[case.pk]))
    assert response.status_code == 302 and Match.objects.count() == 1
    token = Token.objects.create(user=officer)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    listed = client.get(f"/api/v1/matches/?case={case.pk}", **auth).json()
    item = listed["results"][0]
    assert item["visible"] is False and "score" not in item and "other_name" not in item
    assert item["heads"] == ["t_head"]
    assert client.post(f"/api/v1/matches/{item['id']}/confirm/", **auth).status_code == 403
    head_auth = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=head).key}"}
    body = client.post(f"/api/v1/matches/{item['id']}/reject/", {"note": "no"}, **head_auth).json()
    assert body["status"] == "rejected"
    run = client.post("/api/v1/matches/run/", {"case": case.pk}, **auth)
    assert run.status_code == 200
    outsider = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=officer2).key}"}
    assert client.get(f"/api/v1/matches/?case={case.pk}", **outsider).status_code == 404


def test_bad_input_subjects_are_kept_explained_and_deconflicted(client, case, other_case, officer, officer2, head):
    """The issue's bad input, end to end: a name in a script the normaliser does not know, an invalid IBAN, a
    phone number with no country, an identifier-only subject (no name) — kept, explained on the panel, and still
    deconflicted on what can be read; never a crash, never a silent drop."""
    odd = add_suspect(case, officer, "\U00011a00\U00011a0b", nationality=None)
    case_actions.add_identifier(odd, actor=officer, type="iban", value="FR76 3000 6000 0112 3456 7890 188")
    case_actions.add_identifier(odd, actor=officer, type="phone", value="06 12 34 56 78")
    entry = Entry.objects.get(subject=odd)
    assert {"unknown_script", "invalid_iban", "phone_no_country"} <= set(entry.warnings)
    assert {"i:iban:FR7630006000011234567890188", "t:12345678"} <= set(entry.keys.values_list("key", flat=True))
    client.force_login(officer)
    page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    for said in ("could not be transliterated", "fails its checksum", "has no country"):
        assert said in page
    # An informal contact's subject with only an identifier (the same invalid IBAN, written otherwise) meets it.
    contact = informal_actions.register_contact(
        actor=officer2,
        channel="fiu",
        counterpart_country=country("FR"),
        occurred_on=date(2026, 11, 5),
        direction="incoming",
        summary="An account seen by the French FIU",
        subjects=[{"kind": "person", "identifiers": [{"type": "iban", "value": "fr7630006000011234567890188"}]}],
    )
    theirs = Entry.objects.get(informal_subject__contact=contact)
    assert "no_name" in theirs.warnings
    match = Match.objects.get()
    assert {match.left_id, match.right_id} == {entry.pk, theirs.pk} and match.score >= 0.9
    assert any(x["what"] == "identifier_agrees" and x["type"] == "iban" for x in match.explanation)
    client.force_login(head)
    page = client.get(reverse("informal:detail", args=[contact.pk])).content.decode()
    assert "Same IBAN: FR7630006000011234567890188" in page
