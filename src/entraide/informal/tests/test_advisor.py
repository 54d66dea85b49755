import pytest
from django.utils import translation
from rest_framework.authtoken.models import Token

from entraide.directory.models import CountryProfile
from entraide.informal.advisor import advise, load_rules
from entraide.informal.models import ChannelRule
from entraide.testing import country

pytestmark = pytest.mark.django_db


def test_rules_are_shipped_with_sources():
    assert ChannelRule.objects.count() >= 6
    assert all(rule.source for rule in ChannelRule.objects.all())
    assert load_rules() == ChannelRule.objects.count()  # idempotent


def test_coercive_measure_needs_a_formal_request():
    country("FR")
    advice = advise(measure="search_seizure", country="FR", purpose="intelligence")
    assert advice.verdict == "formal"
    assert any(r["code"] == "coercive-needs-formal" for r in advice.reasons)


def test_intelligence_through_fiu_and_evidence_warning():
    country("FR")
    intel = advise(measure="bank_records", country="FR", purpose="intelligence")
    assert intel.verdict in {"informal", "formal"}
    evidence = advise(measure="information", country="FR", purpose="evidence")
    assert evidence.verdict == "formal"
    assert any("admissible" in w for w in evidence.watch)
    light = advise(measure="information", country="FR", purpose="intelligence")
    assert light.verdict == "informal" and "police" in light.channels


def test_preservation_then_formal_and_country_requirements():
    CountryProfile.objects.create(country=country("ES"), dual_criminality_required=True, source="Spain's profile")
    advice = advise(measure="preservation", country="ES", purpose="evidence")
    assert advice.verdict == "formal"  # evidence for court: formal wins over the 24/7 network
    quick = advise(measure="preservation", country="ES", purpose="intelligence")
    assert quick.verdict == "informal_then_formal" and "cyber_24_7" in quick.channels
    search = advise(measure="search_seizure", country="ES", purpose="evidence")
    assert "Dual criminality is required for coercive measures." in search.country_requirements
    assert search.country_source == "Spain's profile"


def test_editable_rule_changes_the_advice():
    country("SN")
    ChannelRule.objects.create(
        code="sn-bilateral",
        measures=["information"],
        purposes=["evidence"],
        countries=["SN"],
        verdict="informal",
        reason={"en": "A bilateral agreement lets police exchange this directly."},
        source="Hypothetical agreement, art. 3",
    )
    advice = advise(measure="information", country="SN", purpose="evidence")
    assert advice.verdict == "formal"  # a formal requirement still prevails; both reasons are shown
    assert {r["code"] for r in advice.reasons} >= {"sn-bilateral", "evidence-needs-formal"}


def test_page_and_api(client, officer):
    country("FR")
    client.force_login(officer)
    with translation.override("fr"):
        page = client.get("/informal/advisor/", {"measure": "interception", "country": "FR", "purpose": "evidence"})
    assert page.status_code == 200 and 'data-verdict="formal"' in page.content.decode()
    token = Token.objects.create(user=officer)
    auth = {"HTTP_AUTHORIZATION": f"Token {token.key}"}
    body = client.get(
        "/api/v1/channel-advice/", {"measure": "subscriber_info", "country": "fr", "purpose": "intelligence"}, **auth
    ).json()
    assert body["verdict"] == "informal" and body["reasons"][0]["source"]
    bad = client.get("/api/v1/channel-advice/", {"measure": "x"}, **auth)
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"measure", "country", "purpose"}
