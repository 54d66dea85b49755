"""Letters and request documents: one structured ``Letter``, rendered to DOCX (editable) and to PDF.

An app builds a ``Letter`` from its structured data (design principle 5: documents are generated, so they can
always be generated again) and calls ``render_docx`` / ``render_pdf``, or ``file_letter`` to store both as
documents of a matter. The letter's own labels ("Our reference", "Page") are written in the letter's language;
Arabic letters run right to left in both formats.

- DOCX: python-docx, with ``<w:bidi/>`` on every paragraph and ``<w:rtl/>`` on every run of a right-to-left
  letter, and ``<w:bidiVisual/>`` on its tables, so Word lays it out right to left.
- PDF: typst (the PyPI package) with the Noto Sans and Noto Naskh Arabic fonts shipped in ``fonts/`` (SIL OFL);
  system fonts are ignored, so the PDF is the same on every server. The user's text reaches typst as JSON data,
  never as markup, so nothing a user types can change the document's code.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from django.utils import formats, translation
from django.utils.translation import gettext as _

HERE = Path(__file__).resolve().parent
FONTS_DIR = HERE / "fonts"
TEMPLATE = HERE / "letter.typ"
RTL_LANGUAGES = {"ar", "fa", "he", "ur"}
LABEL_LANGUAGES = {"fr", "en", "ar"}  # the languages our catalogues cover; others get English labels
# Requests also go out in languages the interface does not offer: their few fixed words are written here.
EXTRA_LABELS: dict[str, dict[str, str]] = {
    "es": {
        "our_reference": "Nuestra referencia",
        "their_reference": "Su referencia",
        "subject": "Asunto",
        "page": "Página",
    },
    "pt": {
        "our_reference": "Nossa referência",
        "their_reference": "Sua referência",
        "subject": "Assunto",
        "page": "Página",
    },
}


def country_name(code: str, language: str, default: str = "") -> str:
    """A country's name (ISO 3166 alpha-2 ``code``) in ``language``, from the CLDR territory names Babel ships:
    for letters in languages our own country list (English, French, Arabic) does not cover, e.g. Spanish and
    Portuguese. ``default`` when the language or the code is unknown to the CLDR."""
    from babel import Locale, UnknownLocaleError

    try:
        names = Locale.parse(language.replace("-", "_")).territories
    except (UnknownLocaleError, ValueError):
        return default
    return str(names.get((code or "").upper()) or default)


LATIN_FONT = "Noto Sans"
ARABIC_FONT = "Noto Naskh Arabic"

BlockKind = Literal["heading", "paragraph", "list", "table"]


@dataclass
class Block:
    """One piece of a letter's body: a heading, a paragraph, a list of items or a table (first row = header)."""

    kind: BlockKind
    text: str = ""
    items: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    @classmethod
    def heading(cls, text: str) -> Block:
        return cls("heading", text=text)

    @classmethod
    def paragraph(cls, text: str) -> Block:
        return cls("paragraph", text=text)

    @classmethod
    def bullets(cls, items: list[str]) -> Block:
        return cls("list", items=[str(i) for i in items])

    @classmethod
    def table(cls, rows: list[list[str]]) -> Block:
        return cls("table", rows=[[str(cell) for cell in row] for row in rows])


@dataclass
class Letter:
    """A letter or request document, in the language it must be sent in."""

    language: str
    subject: str
    blocks: list[Block]
    sender: list[str] = field(default_factory=list)  # our authority: name, address lines
    recipient: list[str] = field(default_factory=list)
    our_reference: str = ""
    their_reference: str = ""
    place: str = ""
    date: date | None = None
    signature: list[str] = field(default_factory=list)  # name, function
    confidentiality: str = ""  # a banner on every page, e.g. "CONFIDENTIAL", already in the letter's language
    title: str = ""  # a document title above the subject (e.g. "Request for mutual legal assistance")

    @property
    def rtl(self) -> bool:
        return self.language.split("-")[0] in RTL_LANGUAGES

    def labels(self) -> dict[str, str]:
        """The letter's fixed words, in its own language."""
        lang = self.language.split("-")[0]
        with translation.override(lang):  # Django's own catalogues give month names in many more languages
            when = formats.date_format(self.date, "DATE_FORMAT") if self.date else ""
        if lang in EXTRA_LABELS:
            return {**EXTRA_LABELS[lang], "date": when}
        with translation.override(lang if lang in LABEL_LANGUAGES else "en"):
            return {
                "our_reference": _("Our reference"),
                "their_reference": _("Your reference"),
                "subject": _("Subject"),
                "page": _("Page"),
                "date": when,
            }


def _data(letter: Letter) -> dict[str, Any]:
    data = asdict(letter)
    data["date"] = letter.date.isoformat() if letter.date else ""
    data["rtl"] = letter.rtl
    data["lang"] = letter.language.split("-")[0]
    data["labels"] = letter.labels()
    data["fonts"] = [ARABIC_FONT, LATIN_FONT] if letter.rtl else [LATIN_FONT, ARABIC_FONT]
    return data


def render_pdf(letter: Letter) -> bytes:
    """The letter as PDF (typst, shipped fonts only)."""
    import typst

    return bytes(
        typst.compile(
            str(TEMPLATE),
            font_paths=[str(FONTS_DIR)],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(_data(letter), ensure_ascii=False)},
        )
    )


def render_docx(letter: Letter) -> bytes:
    """The letter as an editable Word document."""
    from io import BytesIO

    from docx import Document
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Pt

    rtl = letter.rtl
    labels = letter.labels()
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT  # type: ignore[attr-defined]
    normal.font.size = Pt(11)  # type: ignore[attr-defined]
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    fonts.set(qn("w:cs"), ARABIC_FONT)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    core = doc.core_properties
    core.title = letter.title or letter.subject
    core.language = letter.language
    core.author = letter.sender[0] if letter.sender else ""

    def direct(paragraph: Any) -> Any:
        if rtl:
            paragraph.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph._p.get_or_add_pPr().append(OxmlElement("w:bidi"))
            for run in paragraph.runs:
                run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
        return paragraph

    def para(text: str, *, bold: bool = False, size: int | None = None, align: Any = None) -> Any:
        paragraph = doc.add_paragraph()
        run = paragraph.add_run(text)
        run.bold = bold
        if size:
            run.font.size = Pt(size)
        direct(paragraph)
        if align is not None:
            paragraph.paragraph_format.alignment = align
        return paragraph

    if letter.confidentiality:
        section = doc.sections[0]
        header = section.header.paragraphs[0]
        header.text = letter.confidentiality
        header.runs[0].bold = True
        direct(header)
        header.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line in letter.sender:
        para(line, bold=line == letter.sender[0])
    if letter.recipient:
        para("")
        for line in letter.recipient:
            para(line)
    place_date = ", ".join(part for part in (letter.place, labels["date"]) if part)
    if place_date:
        para(place_date, align=WD_ALIGN_PARAGRAPH.LEFT if rtl else WD_ALIGN_PARAGRAPH.RIGHT)
    if letter.our_reference:
        para(f"{labels['our_reference']}: {letter.our_reference}")
    if letter.their_reference:
        para(f"{labels['their_reference']}: {letter.their_reference}")
    if letter.title:
        para(letter.title, bold=True, size=14, align=WD_ALIGN_PARAGRAPH.CENTER)
    para(f"{labels['subject']}: {letter.subject}", bold=True)
    for block in letter.blocks:
        if block.kind == "heading":
            para(block.text, bold=True, size=12)
        elif block.kind == "paragraph":
            for chunk in block.text.split("\n\n"):
                para(chunk)
        elif block.kind == "list":
            for item in block.items:
                direct(doc.add_paragraph(item, style="List Bullet"))
        elif block.kind == "table" and block.rows:
            width = max(len(row) for row in block.rows)
            table = doc.add_table(rows=len(block.rows), cols=width)
            table.style = "Table Grid"
            table.alignment = WD_TABLE_ALIGNMENT.CENTER
            if rtl:
                table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
            for r, row in enumerate(block.rows):
                for col, value in enumerate(row):
                    cell = table.cell(r, col)
                    cell.text = value
                    for paragraph in cell.paragraphs:
                        direct(paragraph)
                        if r == 0:
                            for run in paragraph.runs:
                                run.bold = True
    if letter.signature:
        para("")
        for line in letter.signature:
            para(line, align=WD_ALIGN_PARAGRAPH.LEFT if rtl else WD_ALIGN_PARAGRAPH.RIGHT)
    out = BytesIO()
    doc.save(out)
    return out.getvalue()


def file_letter(
    case: Any,
    letter: Letter,
    *,
    actor: Any,
    title: str,
    kind: str = "correspondence",
    file_types: tuple[str, ...] = ("docx", "pdf"),
) -> list[Any]:
    """Render the letter and file it on the matter as one document per format (an audited action each).

    The file names carry the matter's reference and the letter's language; the documents keep their SHA-256 as
    every document does. Returns the created documents.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from entraide.cases import actions

    renderers = {
        "docx": (render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        "pdf": (render_pdf, "application/pdf"),
    }
    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in f"{case.reference}-{title}")[:120]
    documents = []
    for fmt in file_types:
        render, mime = renderers[fmt]
        upload = SimpleUploadedFile(f"{stem}-{letter.language}.{fmt}", render(letter), content_type=mime)
        documents.append(
            actions.add_document(
                case, upload, actor=actor, kind=kind, title=f"{title} ({fmt.upper()})", language=letter.language
            )
        )
    return documents
