"""A prosecutor drafts an MLA request to France, a reviewer asks for a change, the head approves, the request
document downloads; the composer and an Arabic request read right to left."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as Docx
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from entraide.accounts.models import Role, User
from entraide.cases import actions as case_actions
from entraide.cases.models import Case
from entraide.core.choices import Confidentiality
from entraide.directory.models import Instrument
from entraide.drafting import actions
from entraide.drafting.models import Draft
from entraide.drafting.tests.helpers import complete_mla, reference_data
from entraide.testing import UserFactory, country, national_authority, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def step(page: Page, base: str, pk: int, name: str) -> None:
    page.goto(f"{base}/drafting/{pk}/?step={name}")


def save(page: Page) -> None:
    """Saved as you type: wait for the composer's own save (htmx) to come back. Leaving the field first, as a user
    does, so that its save is not still on the way when the next request leaves (the test server's in-memory
    database refuses concurrent writes where the production settings make them wait)."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(1500)
    page.wait_for_load_state("networkidle")
    expect(page.locator("#findings [data-save='ok']")).to_be_visible()


def test_prosecutor_drafts_reviewer_asks_a_change_head_approves_document_downloads(
    page: Page, live_server, artifacts
) -> None:
    base = live_server.url
    reference_data()
    UserFactory(username="prosecutor", role=Role.REQUESTING, authority=national_authority(), language="en")
    UserFactory(username="officer", role=Role.OFFICER, language="en")
    head = UserFactory(username="head", role=Role.HEAD, clearance=Confidentiality.SECRET, language="en")

    # Start: the legal bases and France's requirements show as soon as the country is chosen.
    sign_in(page, base, "prosecutor")
    page.click("nav >> text=Drafts")
    page.click("text=Start a request")
    page.select_option("#id_kind", "mla")
    page.select_option("#id_counterpart_country", "FR")
    expect(page.locator("#legal-bases")).to_contain_text("MA-FR-MLA")
    expect(page.locator("#country-profile")).to_contain_text("fr")
    page.fill("#id_title", "Investment fraud: bank records and a witness")
    page.click("button:has-text('Start the draft')")
    expect(page.locator(".alert-success")).to_contain_text("Draft started as")
    pk = int(re.search(r"/drafting/(\d+)/", page.url).group(1))  # type: ignore[union-attr]
    page.select_option("#id_legal_basis", str(Instrument.objects.get(code="MA-FR-MLA").pk))
    page.click("#step-basis form button:has-text('Save')")
    expect(page.locator(".alert-success")).to_contain_text("Draft saved")

    # The findings show while writing; saving as you type (htmx) refreshes them.
    expect(page.locator("#findings [data-rule='MLA-05']")).to_be_visible()
    step(page, base, pk, "languages")
    page.select_option("#f-request_language", "fr")
    page.select_option("#f-source_language", "fr")
    save(page)
    step(page, base, pk, "authority")
    page.select_option("#f-proceeding_stage", "investigation")
    page.fill("#f-proceeding_authority", "Juge d'instruction près le tribunal de Rabat")
    page.fill("#f-subject_matter-fr", "Escroquerie en bande organisée au préjudice d'investisseurs")
    expect(page.locator("#findings [data-save='ok']")).to_be_visible()
    expect(page.locator("#findings [data-rule='MLA-02']")).to_have_count(0)
    save(page)

    step(page, base, pk, "facts")
    page.fill("#f-facts-fr", "Entre janvier et décembre 2024, le suspect a détourné les fonds de 40 investisseurs.")
    page.fill("#f-limitation_date", "2034-12-31")
    save(page)
    page.click("text=Add an offence")
    page.select_option("#id_iccs_section", "07")
    page.fill("#id_description", "Escroquerie")
    page.fill("#id_legal_provision", "Code pénal, art. 540")
    page.click("button:has-text('Save')")
    expect(page.locator("#offences")).to_contain_text("Escroquerie")

    step(page, base, pk, "persons")
    page.click("text=Add a person")
    page.select_option("#id_kind", "person")
    page.select_option("#id_role", "witness")
    page.fill("#id_name", "Marie Dupont")
    page.select_option("#id_nationality", "FR")
    page.fill("#id_address", "12 rue de la Paix, Paris")
    page.click("button:has-text('Save')")
    expect(page.locator("#subjects")).to_contain_text("Marie Dupont")

    for measure, fields in (
        (
            "bank_records",
            {
                "#id_d-bank": "BNP Paribas",
                "#id_d-accounts": "FR76 3000 4000 0312 3456 7890 143",
                "#id_d-period_from": "2024-01-01",
                "#id_d-period_to": "2024-12-31",
            },
        ),
        ("taking_evidence", {"#id_d-person": "Marie Dupont", "#id_d-questions": "Avez-vous viré les fonds ?"}),
    ):
        step(page, base, pk, "measures")
        page.click("text=Add a measure")
        page.select_option("#id_type", measure)
        page.click("button:has-text('Choose')")
        for selector, value in fields.items():
            page.fill(selector, value)
        page.click("button:has-text('Add the measure')")
        expect(page.locator(".alert-success")).to_contain_text("Measure added")

    # Each measure: the offence its evidence relates to and why it is relevant.
    case = Case.objects.get(pk=pk)
    for measure in case.measures.all():
        box = page.locator(f"#measure-{measure.pk}")
        box.locator("input[type=checkbox]").first.check()
        box.locator("textarea").first.fill("Ces éléments établissent le circuit des fonds détournés.")
        save(page)
    expect(page.locator("#findings [data-rule='EVD-01']")).to_have_count(0)

    step(page, base, pk, "purpose")
    page.fill("#f-purpose-fr", "Établir le circuit des fonds et recueillir le témoignage de Mme Dupont.")
    page.fill("#f-admissibility", "Copies certifiées conformes ; procès-verbal d'audition signé.")
    save(page)
    # Submitting is refused while blocking findings remain.
    page.click("#submit-draft")
    expect(page.locator(".alert-danger")).to_contain_text("blocking findings")
    expect(page.locator("#findings [data-rule='DC-01']")).to_be_visible()
    step(page, base, pk, "conditions")
    page.fill("#f-dual_criminality", "L'escroquerie est réprimée par l'article 313-1 du code pénal français.")
    page.fill("#f-confidentiality", "Ne pas informer les titulaires des comptes.")
    save(page)
    step(page, base, pk, "contact")
    page.fill("#f-contact_name", "A. Benali")
    page.fill("#f-contact_email", "a.benali@justice.example")
    save(page)
    expect(page.locator("#findings [data-count='blocking']")).to_have_text("0")
    expect(page.locator("#findings [data-count='warning']")).to_have_text("0")
    page.screenshot(path=str(artifacts / "drafting-composer.png"), full_page=True)
    page.click("#submit-draft")
    expect(page.locator(".alert-success")).to_contain_text("submitted for review")

    # The head assigns a reviewer; the reviewer comments and asks for a change.
    case_actions.assign(Case.objects.get(pk=pk), User.objects.get(username="officer"), actor=head)
    sign_in(page, base, "officer")
    step(page, base, pk, "facts")
    page.fill("#comments textarea", "Indiquez le montant total détourné.")
    page.click("#comments button:has-text('Add the comment')")
    expect(page.locator("#comments")).to_contain_text("Indiquez le montant total")
    page.fill("#review textarea", "Montant manquant dans l'exposé des faits.")
    page.click("#request-changes")
    expect(page.locator(".alert-success")).to_contain_text("Changes requested")

    # The prosecutor sees the comment, fixes the facts and submits again.
    sign_in(page, base, "prosecutor")
    step(page, base, pk, "facts")
    expect(page.locator("#comments")).to_contain_text("Indiquez le montant total")
    page.fill(
        "#f-facts-fr",
        "Entre janvier et décembre 2024, le suspect a détourné 1,2 million d'euros au préjudice de 40 investisseurs.",
    )
    save(page)
    page.click("#submit-draft")
    expect(page.locator(".alert-success")).to_contain_text("submitted for review")

    # The reviewer approves, then the head.
    sign_in(page, base, "officer")
    step(page, base, pk, "basis")
    page.click("#approve-draft")
    expect(page.locator(".alert-success")).to_contain_text("the head of the Central Authority approves next")
    sign_in(page, base, "head")
    step(page, base, pk, "basis")
    page.click("#approve-draft")
    expect(page.locator(".alert-success")).to_contain_text("Request approved")
    assert Draft.objects.get(case_id=pk).approved_hash

    # The request document: DOCX and PDF, their text checked.
    page.click("#generate-document")
    expect(page.locator(".alert-success")).to_contain_text("generated in DOCX and PDF")
    with page.expect_download() as pdf_download:
        page.click("#request-document a[data-format=pdf]")
    pdf_text = "\n".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages)
    assert "Demande d'entraide judiciaire en matière pénale" in pdf_text
    assert "1,2 million d'euros" in pdf_text and "BNP Paribas" in pdf_text
    with page.expect_download() as docx_download:
        page.click("#request-document a[data-format=docx]")
    with open(docx_download.value.path(), "rb") as handle:
        docx_text = "\n".join(p.text for p in Docx(io.BytesIO(handle.read())).paragraphs)
    assert "Entraide sollicitée" in docx_text and "Marie Dupont" in docx_text

    # The case page shows the draft's panel.
    page.goto(f"{base}/cases/{pk}/")
    expect(page.locator("#draft-panel [data-review]")).to_have_attribute("data-review", "approved")


def test_an_arabic_request_and_the_composer_in_arabic_run_right_to_left(page: Page, live_server, artifacts) -> None:
    base = live_server.url
    prosecutor = UserFactory(username="prosecutor", role=Role.REQUESTING, authority=national_authority(), language="ar")
    UserFactory(username="officer", role=Role.OFFICER, language="ar")
    head = UserFactory(username="head", role=Role.HEAD, clearance=Confidentiality.SECRET, language="ar")
    draft = complete_mla(prosecutor)
    from entraide.directory.models import CountryProfile

    CountryProfile.objects.filter(country_id="FR").update(languages=["fr", "ar"])
    actions.save_content(
        draft,
        actor=prosecutor,
        changes={
            "request_language": "ar",
            "facts": {"ar": "قام المشتبه به بتحويل أموال أربعين مستثمرًا بين يناير وديسمبر 2024."},
            "purpose": {"ar": "تحديد مسار الأموال والاستماع إلى الشاهدة."},
            "subject_matter": {"ar": "احتيال منظم"},
        },
    )
    actions.submit(Draft.objects.get(pk=draft.pk), actor=prosecutor)
    actions.approve(Draft.objects.get(pk=draft.pk), actor=head)

    sign_in(page, base, "head")
    page.goto(f"{base}/drafting/{draft.case_id}/?step=facts")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("#f-facts-ar")).to_have_attribute("dir", "rtl")
    page.click("#generate-document")
    with page.expect_download() as pdf_download:
        page.click("#request-document a[data-format=pdf]")
    text = "\n".join(p.extract_text() for p in PdfReader(pdf_download.value.path()).pages)
    assert "المساعدة" in text or "مساعدة" in text
    page.screenshot(path=str(artifacts / "drafting-arabic.png"), full_page=True)


def test_text_typed_just_before_leaving_the_page_is_not_lost(page: Page, live_server) -> None:
    base = live_server.url
    reference_data()
    prosecutor = UserFactory(username="prosecutor", role=Role.REQUESTING, authority=national_authority(), language="en")
    draft = actions.start_draft(actor=prosecutor, kind="mla", counterpart_country=country("FR"), title="Quick")
    sign_in(page, base, "prosecutor")
    page.goto(f"{base}/drafting/{draft.case_id}/?step=contact")
    page.fill("#f-contact_name", "Typed then left at once")
    page.goto(f"{base}/drafting/")  # well before the composer's own save would fire
    for _attempt in range(30):
        if Draft.objects.get(pk=draft.pk).content.get("contact_name") == "Typed then left at once":
            break
        page.wait_for_timeout(100)
    assert Draft.objects.get(pk=draft.pk).content.get("contact_name") == "Typed then left at once"
    # The page may send its beacon twice (pagehide, then visibilitychange) and the list page loads its own parts:
    # let every request finish before the test's database is flushed (a save still running made the flush fail).
    page.goto("about:blank")
    last = None
    for _attempt in range(20):
        page.wait_for_timeout(300)
        version = Draft.objects.get(pk=draft.pk).version
        if version == last:
            break
        last = version
