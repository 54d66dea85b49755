"""The search over the index of subjects: names in any script, identifiers written any way, scores with reasons,
need-to-know (a restricted hit says only that it exists and whom to ask), the audit of every search."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from entraide.audit.models import AuditRecord
from entraide.cases import actions as case_actions
from entraide.informal import actions as informal_actions
from entraide.matching.models import Entry
from entraide.matching.search import read_query, search
from entraide.matching.tests.helpers import add_suspect
from entraide.testing import country

pytestmark = pytest.mark.django_db


def _api(client, user):
    return {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}


def test_query_is_read_as_name_or_identifiers():
    assert read_query("  ").problem == "empty"
    assert read_query("Oleksandr Shevchenko").name == "Oleksandr Shevchenko"
    assert read_query("Ali.Hassan@Example.com").identifiers == [{"type": "email", "value": "Ali.Hassan@Example.com"}]
    iban = read_query("fr76 3000 6000 0112 3456 7890 189")
    assert iban.name == "" and {"type": "iban", "value": "fr7630006000011234567890189"} in iban.identifiers
    phone = read_query("+212 612-345678")
    assert "phone" in phone.readings and phone.name == ""
    mixed = read_query("Hassan FA-123456")
    assert mixed.name == "Hassan" and {"type": "passport", "value": "FA-123456"} in mixed.identifiers


def test_names_in_any_script_with_reasons_and_audited(case, officer):
    add_suspect(case, officer, "Oleksandr Shevchenko", birth_date=date(1979, 5, 1))
    outcome = search(officer, "Шевченко Aleksandr")
    assert [h["reference"] for h in outcome.hits] == [case.reference]
    hit = outcome.hits[0]
    assert hit["score"] >= 0.8 and hit["above_threshold"]
    assert any("transliteration" in r for r in hit["reasons"])
    assert outcome.restricted is False
    record = AuditRecord.objects.filter(action="match.search").latest("id")
    assert record.after["query"] == "Шевченко Aleksandr" and record.after["shown"] == 1


def test_identifiers_written_differently(case, officer):
    subject = add_suspect(case, officer, "Abdelkader Benali", nationality=country("MA"))
    case_actions.add_identifier(subject, actor=officer, type="iban", value="FR76 3000 6000 0112 3456 7890 189")
    case_actions.add_identifier(subject, actor=officer, type="phone", value="0612345678")  # national, Moroccan
    case_actions.add_identifier(subject, actor=officer, type="email", value="A.Benali@Example.org")
    case_actions.add_identifier(subject, actor=officer, type="passport", value="ab-123 456")
    for query in ("fr7630006000011234567890189", "+212 6 12 34 56 78", "a.benali@example.ORG", "AB123456"):
        outcome = search(officer, query)
        assert [h["name"] for h in outcome.hits] == ["Abdelkader Benali"], query
        assert any(r.startswith("Same ") for r in outcome.hits[0]["reasons"]), query
    # A phone written without its country meets the number on its last digits, and says so.
    outcome = search(officer, "06 12 34 56 78")
    assert outcome.hits and "phone_no_country" in outcome.warnings
    assert any("same digits" in r for r in outcome.hits[0]["reasons"])


def test_restricted_hit_says_only_that_it_exists_and_whom_to_ask(client, case, other_case, officer, officer2, head):
    theirs = add_suspect(other_case, officer2, "محمد العمراني", birth_date=date(1985, 3, 2))
    case_actions.add_identifier(theirs, actor=officer2, type="passport", value="MA998877")
    client.force_login(officer)
    for query in ("Mohammed El Amrani", "MA 998877"):
        page = client.get(reverse("matching:search"), {"q": query}).content.decode()
        assert "A possible match exists in a matter you may not see" in page
        assert "t_head" in page
        for secret in (other_case.reference, "محمد العمراني", "1985", "Other fraud", "t_officer2", "MA998877"):
            assert secret not in page, (query, secret)
        body = client.get("/api/v1/subject-search/", {"q": query}, **_api(client, officer)).json()
        assert body["results"] == [] and body["restricted"] is True and body["ask"] == ["t_head"]
        assert set(body) == {"query", "read_as", "warnings", "results", "restricted", "ask"}
        Token.objects.filter(user=officer).delete()
    # A weak resemblance in a restricted matter is not even hinted at.
    assert search(officer, "Mohammed").restricted is False
    # The head sees the hit in full.
    outcome = search(head, "Mohammed El Amrani")
    assert [h["reference"] for h in outcome.hits] == [other_case.reference] and not outcome.restricted
    # The searches are in the audit chain, the officer's with what they were told.
    records = AuditRecord.objects.filter(action="match.search", actor=officer)
    assert records.count() >= 4 and all(r.after["shown"] == 0 for r in records)
    assert records.filter(after__restricted_notice=True).count() >= 4


def test_informal_contacts_are_searched_with_their_need_to_know(officer, officer2, head, clerk):
    informal_actions.register_contact(
        actor=officer2,
        channel="fiu",
        counterpart_country=country("ES"),
        occurred_on=date(2026, 11, 2),
        direction="incoming",
        summary="The Spanish FIU asked about a wallet",
        subjects=[{"kind": "organisation", "name": "Blue Harbour Holdings Ltd"}],
    )
    mine = search(officer2, "Blue Harbour Holdings", kind="organisation")
    assert mine.hits and mine.hits[0]["reference"].startswith("INF-") and mine.hits[0]["source"] == "informal"
    assert search(officer2, "Blue Harbour Holdings", kind="person").hits == []
    theirs = search(clerk, "Blue Harbour Holdings")
    assert theirs.hits == [] and theirs.restricted is True


def test_bad_input_is_explained_never_a_crash(client, case, officer):
    add_suspect(case, officer, "Rahul Sharma")
    client.force_login(officer)
    url = reverse("matching:search")
    assert "Type a name or an identifier" in client.get(url, {"q": "   "}).content.decode()
    assert "too long" in client.get(url, {"q": "x" * 500}).content.decode()
    # A script the normaliser cannot transliterate, an IBAN failing its checksum: searched, and said.
    page = client.get(url, {"q": "\U00011a00\U00011a0b"}).content.decode()
    assert "could not be transliterated" in page
    page = client.get(url, {"q": "FR76 3000 6000 0112 3456 7890 188"}).content.decode()
    assert "fails its checksum" in page
    api = _api(client, officer)
    assert client.get("/api/v1/subject-search/", {"q": ""}, **api).status_code == 400
    assert client.get("/api/v1/subject-search/", {"q": "x", "kind": "ship"}, **api).status_code == 400
    assert client.get("/api/v1/subject-search/", {"q": "राहुल शर्मा"}, **api).json()["results"][0]["name"] == (
        "Rahul Sharma"
    )


def test_only_the_central_authority_searches(client, prosecutor, admin_user, officer):
    for user in (prosecutor, admin_user):
        client.force_login(user)
        assert client.get(reverse("matching:search"), {"q": "Ali"}).status_code == 403
    client.force_login(officer)
    page = client.get(reverse("matching:search")).content.decode()
    assert 'href="/matching/search/"' in page  # the menu entry
    assert not AuditRecord.objects.filter(action="match.search").exists()  # opening the page is no search


def test_generate_feeds_the_index_through_the_hook(settings):
    settings.ENTRAIDE_COUNTRY = "MA"
    from entraide.cases.models import Subject

    out = StringIO()
    call_command("generate", cases=20, seed=4, stdout=out)
    assert Subject.objects.exists()
    assert Entry.objects.filter(subject__isnull=False).count() == Subject.objects.count()
    assert "subjects indexed" in out.getvalue()
    # Indexed subjects are found.
    subject = Subject.objects.exclude(name="").first()
    entry = Entry.objects.get(subject=subject)
    assert entry.keys.exists()
