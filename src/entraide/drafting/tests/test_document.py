"""The request document: generated from the approved draft in the request's language, DOCX and PDF, filed as
versions of the matter's documents with their SHA-256; the Arabic PDF runs right to left."""

from __future__ import annotations

import hashlib
import io

import pytest
from docx import Document as Docx
from pypdf import PdfReader

from entraide.cases import actions as case_actions
from entraide.cases.models import Case, Document
from entraide.core.errors import Conflict
from entraide.directory.loaders import read_json
from entraide.directory.models import Instrument
from entraide.drafting import actions
from entraide.drafting.document import DOCUMENT_LANGUAGES, PHRASES, build_letter, generate
from entraide.drafting.models import Draft

from .helpers import complete_mla


def _approved(prosecutor, officer, head, **changes):
    draft = complete_mla(prosecutor)
    if changes:
        actions.save_content(draft, actor=prosecutor, changes=changes)
    draft = actions.submit(Draft.objects.get(pk=draft.pk), actor=prosecutor)
    case_actions.assign(Case.objects.get(pk=draft.case_id), officer, actor=head)
    return actions.approve(Draft.objects.get(pk=draft.pk), actor=head)


def _text_of_pdf(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_every_language_has_every_phrase():
    for lang in DOCUMENT_LANGUAGES:
        assert set(PHRASES[lang]) == set(PHRASES["en"]), lang


def test_the_document_is_generated_only_once_approved(prosecutor):
    draft = complete_mla(prosecutor)
    with pytest.raises(Conflict):
        generate(draft, actor=prosecutor)


def test_a_french_request_in_docx_and_pdf_filed_with_its_hash_and_generated_again(prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    docx_doc, pdf_doc = generate(draft, actor=officer)
    assert docx_doc.kind == pdf_doc.kind == "request" and docx_doc.language == "fr"
    version = pdf_doc.current
    with version.file.open("rb") as handle:
        data = handle.read()
    assert hashlib.sha256(data).hexdigest() == version.sha256
    text = _text_of_pdf(data)
    assert "Demande d'entraide judiciaire en matière pénale" in text
    assert "Exposé sommaire des faits" in text and "le suspect a détourné des fonds" in text
    assert "Pièces jointes" not in text  # no annex referred to
    with docx_doc.current.file.open("rb") as handle:
        paragraphs = "\n".join(p.text for p in Docx(handle).paragraphs)
    assert "Entraide sollicitée" in paragraphs and "Copies certifiées conformes" in paragraphs
    again = generate(Draft.objects.get(pk=draft.pk), actor=officer)
    assert [d.pk for d in again] == [docx_doc.pk, pdf_doc.pk]
    assert Document.objects.get(pk=pdf_doc.pk).current.number == 2
    assert Draft.objects.get(pk=draft.pk).approved_hash == actions.content_digest(Draft.objects.get(pk=draft.pk))


def test_a_request_changed_after_approval_is_not_generated(prosecutor, officer, head):
    draft = _approved(prosecutor, officer, head)
    case_actions.add_offence(Case.objects.get(pk=draft.case_id), actor=head, iccs_section="07", description="Forgery")
    with pytest.raises(Conflict) as info:
        generate(Draft.objects.get(pk=draft.pk), actor=head)
    assert info.value.code == "changed"


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("es", "Solicitud de asistencia judicial en materia penal"),
        ("pt", "Pedido de auxílio judiciário mútuo em matéria penal"),
        ("en", "Request for mutual legal assistance in criminal matters"),
    ],
)
def test_fixed_text_in_the_request_language(lang, title, officer):
    draft = complete_mla(officer)
    draft.content["request_language"] = lang
    letter = build_letter(draft)
    assert letter.language == lang and letter.title == title


def test_an_arabic_request_runs_right_to_left(officer):
    import pypdfium2

    from entraide.letters import render_docx, render_pdf

    draft = complete_mla(officer)
    draft.content["request_language"] = "ar"
    draft.content["facts"] = {"ar": "قام المشتبه به بتحويل أموال المستثمرين بين يناير وديسمبر 2024."}
    letter = build_letter(draft)
    assert letter.rtl and letter.title == "طلب مساعدة قانونية متبادلة في المسائل الجنائية"
    pdf = render_pdf(letter)
    text = _text_of_pdf(pdf)
    assert "ملخص الوقائع" in text or "ملخص" in text
    # Rasterise the first page: a right-to-left page has its ink against the right margin.
    document = pypdfium2.PdfDocument(pdf)
    bitmap = document[0].render(scale=1, grayscale=True)
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    raw = bytes(bitmap.buffer)
    document.close()
    left = right = 0
    for y in range(int(height * 0.15), int(height * 0.85), 3):
        row = raw[y * stride : y * stride + width]
        left += sum(1 for v in row[width // 12 : width // 4] if v < 128)
        right += sum(1 for v in row[width - width // 4 : width - width // 12] if v < 128)
    assert right > left * 1.5, (left, right)
    docx = Docx(io.BytesIO(render_docx(letter)))
    assert any(
        p._p.pPr is not None
        and p._p.pPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}bidi") is not None
        for p in docx.paragraphs
    )


def test_generating_through_the_page_and_the_api(client, prosecutor, officer, head):
    from rest_framework.test import APIClient

    draft = _approved(prosecutor, officer, head)
    client.force_login(head)
    body = client.get(f"/drafting/{draft.case_id}/").content.decode()
    assert 'id="generate-document"' in body
    client.post(f"/drafting/{draft.case_id}/document/")
    assert Document.objects.filter(case_id=draft.case_id, kind="request").count() == 2
    api = APIClient()
    api.force_authenticate(head)
    response = api.post(f"/api/v1/drafts/{draft.case_id}/document/")
    assert response.status_code == 201 and {d["version"] for d in response.json()} == {2}


def test_every_catalogue_word_the_document_prints_has_spanish_and_portuguese():
    from entraide.cases.catalogue import DEFINITIONS, MeasureType
    from entraide.cases.choices import IdentifierType, SubjectRole
    from entraide.drafting.schema import PROCEEDING_STAGES
    from entraide.letters.lexicon import TERMS, english

    labels = [m.label for m in MeasureType] + [r.label for r in SubjectRole] + [i.label for i in IdentifierType]
    labels += [label for _value, label in PROCEEDING_STAGES]
    for spec in DEFINITIONS.values():
        for field in spec.fields:
            labels.append(field.label)
            labels.extend(label for _value, label in field.choices)
    for lang in ("es", "pt"):
        missing = sorted({english(label) for label in labels} - set(TERMS[lang]))
        assert not missing, (lang, missing)
        assert "yes" in PHRASES[lang] and "central_authority" in PHRASES[lang]


def _legal_basis(letter) -> str:
    """The paragraph under the legal basis heading."""
    heading = next(
        i
        for i, b in enumerate(letter.blocks)
        if b.kind == "heading" and b.text == PHRASES[letter.language]["legal_basis"]
    )
    return letter.blocks[heading + 1].text


def _untoc_as_shipped() -> Instrument:
    """UNTOC with its titles as the directory's data ships them."""
    shipped = next(e for e in read_json("instruments.json") if e["code"] == "UNTOC")
    untoc = Instrument.objects.get(code="UNTOC")
    for key in ("title", "title_fr", "title_es", "title_pt"):
        setattr(untoc, key, shipped[key])
    untoc.save()
    return untoc


@pytest.mark.parametrize(
    ("lang", "title"),
    [
        ("es", "Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional (UNTOC)"),
        ("pt", "Convenção das Nações Unidas contra a Criminalidade Organizada Transnacional (UNTOC)"),
        ("fr", "Convention des Nations Unies contre la criminalité transnationale organisée (UNTOC)"),
        ("en", "United Nations Convention against Transnational Organized Crime (UNTOC)"),
    ],
)
def test_the_legal_basis_is_named_by_its_title_in_the_request_language(lang, title, officer):
    draft = complete_mla(officer)
    case_actions.update_case(Case.objects.get(pk=draft.case_id), actor=officer, legal_basis=_untoc_as_shipped())
    draft = Draft.objects.get(pk=draft.pk)
    draft.content["request_language"] = lang
    assert _legal_basis(build_letter(draft)) == title


def test_the_legal_basis_keeps_its_english_title_where_the_directory_has_none_in_that_language(officer):
    draft = complete_mla(officer)  # the bilateral treaty of the test data has an English title only
    bilateral = Instrument.objects.get(code="MA-FR-MLA")
    assert not bilateral.title_es and not bilateral.title_pt
    for lang in ("es", "pt"):
        draft.content["request_language"] = lang
        assert _legal_basis(build_letter(draft)) == "Morocco-France MLA (MA-FR-MLA)", lang
    bilateral.title_es = "Convenio de asistencia judicial en materia penal entre Marruecos y Francia"
    bilateral.save()
    draft = Draft.objects.get(pk=draft.pk)
    draft.content["request_language"] = "es"
    assert _legal_basis(build_letter(draft)) == f"{bilateral.title_es} (MA-FR-MLA)"
    draft.content["request_language"] = "pt"  # Spanish does not stand in for Portuguese
    assert _legal_basis(build_letter(draft)) == "Morocco-France MLA (MA-FR-MLA)"


def _docx_text(data: bytes) -> str:
    doc = Docx(io.BytesIO(data))
    cells = [cell.text for table in doc.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "es",
            [
                "Francia",
                "Marruecos",
                "Documentación bancaria y financiera",
                "Banco o entidad financiera",
                "Obtención de pruebas o declaraciones",
                "En calidad de",
                "Testigo",
                "Bajo juramento",
                "Sí",
                "Sospechoso",
                "Pasaporte: X1234567",
                "Investigación",
                "Convención de las Naciones Unidas contra la Delincuencia Organizada Transnacional (UNTOC)",
            ],
        ),
        (
            "pt",
            [
                "França",
                "Marrocos",
                "Documentação bancária e financeira",
                "Banco ou instituição financeira",
                "Obtenção de provas ou depoimentos",
                "Na qualidade de",
                "Testemunha",
                "Sob juramento",
                "Sim",
                "Suspeito",
                "Passaporte: X1234567",
                "Inquérito",
                "Convenção das Nações Unidas contra a Criminalidade Organizada Transnacional (UNTOC)",
            ],
        ),
    ],
)
def test_a_spanish_or_portuguese_request_has_no_english_catalogue_words_nor_country_names(lang, expected, officer):
    from entraide.cases.catalogue import DEFINITIONS, MeasureType
    from entraide.letters import render_docx, render_pdf

    draft = complete_mla(officer)
    case = Case.objects.get(pk=draft.case_id)
    witness = case.measures.get(type="taking_evidence")
    case_actions.update_measure(
        witness,
        actor=officer,
        details={**witness.details, "capacity": "witness", "under_oath": True, "presence_requested": False},
    )
    case_actions.add_identifier(case.subjects.get(), actor=officer, type="passport", value="X1234567")
    untoc = _untoc_as_shipped()
    case_actions.update_case(case, actor=officer, legal_basis=untoc)
    draft = Draft.objects.get(pk=draft.pk)
    draft.content["request_language"] = lang
    letter = build_letter(draft)
    english = ["France", "Morocco", "Suspect", "Witness", "Passport", "Investigation", "True", "False"]
    english += ["the Central Authority", untoc.title]
    for measure in case.measures.all():
        english.append(str(MeasureType(measure.type).label))
        english.extend(str(f.label) for f in DEFINITIONS[measure.type].fields if f.name in measure.details)
    docx_text = _docx_text(render_docx(letter))
    # The PDF's text comes out with its line breaks where the page broke the lines: compare without them.
    pdf_text = " ".join(_text_of_pdf(render_pdf(letter)).split())
    for text in (docx_text, pdf_text):
        flat = text.replace("\n", " ")
        found = [word for word in english if word in flat]
        assert not found, (lang, found)
    for word in expected:
        assert word in docx_text, (lang, word)
    assert "Francia" in pdf_text or "França" in pdf_text
    assert expected[-1] in pdf_text  # the legal basis, by its title in the request's language
