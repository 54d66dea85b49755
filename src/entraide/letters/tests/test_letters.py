"""Letters render to DOCX and PDF in the letter's language, right to left in Arabic, with user text kept as text."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from typing import Any

import pytest
from pypdf import PdfReader

from entraide.cases.models import Document
from entraide.letters import Block, Letter, file_letter, render_docx, render_pdf


def letter(language: str = "fr", **overrides: Any) -> Letter:
    values: dict[str, Any] = {
        "language": language,
        "title": "Demande d'entraide judiciaire",
        "subject": "Audition de témoins — affaire de blanchiment",
        "sender": ["Ministère de la Justice — Autorité centrale", "Rabat"],
        "recipient": ["Office fédéral de la justice", "Berne"],
        "our_reference": "MLA/OUT/2026/00042",
        "their_reference": "B 123 456",
        "place": "Rabat",
        "date": date(2026, 11, 28),
        "confidentiality": "CONFIDENTIEL",
        "signature": ["A. Benali", "Chef de l'autorité centrale"],
        "blocks": [
            Block.heading("1. Exposé des faits"),
            Block.paragraph("Premier paragraphe.\n\nSecond paragraphe."),
            Block.bullets(["Audition de M. X", "Relevés bancaires"]),
            Block.table([["Mesure", "État"], ["Audition", "Demandée"]]),
        ],
    }
    values.update(overrides)
    return Letter(**values)


def pdf_text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def docx_xml(docx: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        return archive.read("word/document.xml").decode()


def test_a_french_letter_renders_to_pdf_with_its_labels_in_french() -> None:
    text = pdf_text(render_pdf(letter()))
    assert "Notre référence" in text
    assert "MLA/OUT/2026/00042" in text
    assert "Audition de témoins" in text
    assert "Relevés bancaires" in text
    assert "CONFIDENTIEL" in text


def test_an_arabic_letter_runs_right_to_left_in_docx_and_carries_arabic_in_pdf() -> None:
    arabic = letter(
        "ar",
        subject="الاستماع إلى الشهود",
        blocks=[Block.paragraph("نص الطلب"), Block.table([["التدبير", "الحالة"], ["استماع", "مطلوب"]])],
        confidentiality="سري",
    )
    xml = docx_xml(render_docx(arabic))
    assert "<w:bidi/>" in xml and "<w:rtl/>" in xml and "<w:bidiVisual/>" in xml
    assert "الاستماع إلى الشهود" in xml
    pdf = render_pdf(arabic)
    fonts = {
        str(font.get("/BaseFont"))
        for page in PdfReader(io.BytesIO(pdf)).pages
        for font in page["/Resources"]["/Font"].values()  # type: ignore[index, union-attr]
    }
    assert any("NotoNaskhArabic" in name for name in fonts), fonts
    assert "مرجعنا" in pdf_text(pdf) or "مرجعنا"[::-1] in pdf_text(pdf)  # "Our reference" in Arabic


def test_user_text_is_never_read_as_typst_markup() -> None:
    hostile = '#panic("x") *bold* $x$ \\ ] [ #read("/etc/passwd") <label> @ref // not a comment'
    text = pdf_text(render_pdf(letter(subject=hostile, blocks=[Block.paragraph(hostile)])))
    assert '#panic("x")' in text
    assert "root:" not in text


def test_spanish_and_portuguese_letters_have_their_own_labels_and_dates() -> None:
    spanish = pdf_text(render_pdf(letter("es")))
    assert "Nuestra referencia" in spanish and "noviembre" in spanish
    assert "Nossa referência" in pdf_text(render_pdf(letter("pt")))


def test_a_language_without_labels_gets_english_ones() -> None:
    assert "Our reference" in pdf_text(render_pdf(letter("de")))


@pytest.mark.django_db
def test_file_letter_stores_docx_and_pdf_on_the_matter(case: Any, officer: Any) -> None:
    documents = file_letter(case, letter(), actor=officer, title="Acknowledgement")
    assert [d.title for d in documents] == ["Acknowledgement (DOCX)", "Acknowledgement (PDF)"]
    stored = Document.objects.filter(case=case)
    assert stored.count() == 2
    pdf = next(d for d in stored if d.title.endswith("(PDF)")).versions.get()
    assert pdf.size > 1000 and len(pdf.sha256) == 64
    assert case.events.filter(verb="document_added").count() == 2


def test_country_names_in_languages_our_country_list_lacks():
    from entraide.letters import country_name

    assert country_name("FR", "es") == "Francia"
    assert country_name("US", "pt") == "Estados Unidos"
    assert country_name("de", "es") == "Alemania"
    assert country_name("ZZZ", "es", "fallback") == "fallback"
    assert country_name("FR", "not-a-language", "France") == "France"
