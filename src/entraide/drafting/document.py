"""The request document: rendered from the structured draft, in the language of the request, as DOCX and PDF.

The document's fixed wording (its title, headings and set phrases) is written out here for the five languages
Central Authorities most use between them (English, French, Arabic, Spanish, Portuguese); the drafter's text is
taken in the request's language. ``entraide.letters`` lays it out (Arabic right to left in both formats) and
``generate`` files both formats on the matter as versions of two documents, so the request can always be
generated again; each version keeps its SHA-256.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from entraide.audit import log as audit
from entraide.cases import actions as case_actions
from entraide.cases.catalogue import DEFINITIONS, MeasureType
from entraide.cases.models import Document
from entraide.cases.queries import can_file
from entraide.core.choices import Confidentiality
from entraide.core.errors import Conflict, Forbidden
from entraide.directory.models import Authority, AuthorityKind
from entraide.letters import Block, Letter, country_name, render_docx, render_pdf
from entraide.letters.lexicon import TERMS, term

from .models import Draft, ReviewState
from .schema import EXTRADITION_KINDS

DOCUMENT_LANGUAGES = ("en", "fr", "ar", "es", "pt")

# Set phrases of a request, per language. Keys missing in a language fall back to English.
PHRASES: dict[str, dict[str, str]] = {
    "en": {
        "title_mla": "Request for mutual legal assistance in criminal matters",
        "title_preservation": "Request for the expedited preservation of stored computer data",
        "title_extradition": "Request for extradition",
        "title_provisional_arrest": "Request for provisional arrest with a view to extradition",
        "intro": "The {authority} presents its compliments and has the honour to request the assistance of the "
        "competent authorities of {country} in the matter described below.",
        "legal_basis": "Legal basis",
        "reciprocity": "Domestic law, on the basis of reciprocity.",
        "requesting_authority": "Authority making the request",
        "proceedings": "Nature of the proceedings and authority conducting them",
        "facts": "Summary of the facts",
        "acts": "Acts of the person sought, with their time and place",
        "offences": "Offences",
        "limitation": "Limitation period",
        "limitation_ends": "The limitation period ends on {date}.",
        "persons": "Persons concerned",
        "person_sought": "Person sought",
        "assistance": "Assistance requested",
        "measure_offences": "Offences concerned",
        "relevance": "Relevance to the offence",
        "evidence_form": "Form of the evidence",
        "purpose": "Purpose of the request",
        "procedure": "Procedure to follow",
        "admissibility": "Form the evidence must take to be admissible",
        "law": "Law creating the offence and penalty",
        "penalty": "Penalty",
        "warrant": "Arrest warrant",
        "judgment": "Judgment and sentence remaining",
        "formal_request": "A formal request for extradition will follow within the time limit set by the applicable "
        "instrument.",
        "preservation": "Preservation of data",
        "preservation_follow_up": "A request for the production of the preserved data will be sent by {date}.",
        "necessity": "Necessity of preservation",
        "dual_criminality": "Dual criminality",
        "confidentiality": "Confidentiality",
        "speciality": "Speciality",
        "death_penalty": "Assurance concerning the death penalty",
        "reciprocity_undertaking": "Reciprocity",
        "urgency": "Urgency",
        "deadline": "Execution is requested by {date}.",
        "contact": "Contact person",
        "annexes": "Annexes",
        "closing": "The {authority} thanks the competent authorities of {country} for their assistance and remains "
        "at their disposal for any further information.",
        "confidential": "CONFIDENTIAL",
        "secret": "SECRET",
        "born": "born",
        "nationality": "nationality",
        "approved": "Approved version: {hash}",
        "central_authority": "The Central Authority",
        "yes": "Yes",
        "no": "No",
    },
    "fr": {
        "title_mla": "Demande d'entraide judiciaire en matière pénale",
        "title_preservation": "Demande de conservation rapide de données informatiques stockées",
        "title_extradition": "Demande d'extradition",
        "title_provisional_arrest": "Demande d'arrestation provisoire en vue d'extradition",
        "intro": "{authority} présente ses compliments et a l'honneur de solliciter l'assistance des autorités "
        "compétentes de {country} dans l'affaire décrite ci-après.",
        "legal_basis": "Fondement juridique",
        "reciprocity": "Droit interne, sur la base de la réciprocité.",
        "requesting_authority": "Autorité requérante",
        "proceedings": "Nature de la procédure et autorité qui la conduit",
        "facts": "Exposé sommaire des faits",
        "acts": "Faits reprochés à la personne recherchée, avec leur date et leur lieu",
        "offences": "Infractions",
        "limitation": "Prescription",
        "limitation_ends": "La prescription est acquise le {date}.",
        "persons": "Personnes concernées",
        "person_sought": "Personne recherchée",
        "assistance": "Entraide sollicitée",
        "measure_offences": "Infractions concernées",
        "relevance": "Pertinence au regard de l'infraction",
        "evidence_form": "Forme de la preuve",
        "purpose": "Objet de la demande",
        "procedure": "Procédure à suivre",
        "admissibility": "Forme requise pour la recevabilité des preuves",
        "law": "Texte d'incrimination et peine encourue",
        "penalty": "Peine",
        "warrant": "Mandat d'arrêt",
        "judgment": "Jugement et reliquat de peine",
        "formal_request": "Une demande formelle d'extradition suivra dans le délai prévu par l'instrument applicable.",
        "preservation": "Conservation des données",
        "preservation_follow_up": "Une demande de production des données conservées sera adressée au plus tard le "
        "{date}.",
        "necessity": "Nécessité de la conservation",
        "dual_criminality": "Double incrimination",
        "confidentiality": "Confidentialité",
        "speciality": "Règle de la spécialité",
        "death_penalty": "Garantie relative à la peine capitale",
        "reciprocity_undertaking": "Réciprocité",
        "urgency": "Urgence",
        "deadline": "L'exécution est souhaitée avant le {date}.",
        "contact": "Personne à contacter",
        "annexes": "Pièces jointes",
        "closing": "{authority} remercie les autorités compétentes de {country} de leur concours et se tient à leur "
        "disposition pour tout complément d'information.",
        "confidential": "CONFIDENTIEL",
        "secret": "SECRET",
        "born": "né(e) le",
        "nationality": "nationalité",
        "approved": "Version approuvée : {hash}",
        "central_authority": "L'autorité centrale",
        "yes": "Oui",
        "no": "Non",
    },
    "ar": {
        "title_mla": "طلب مساعدة قانونية متبادلة في المسائل الجنائية",
        "title_preservation": "طلب الحفظ العاجل لبيانات حاسوبية مخزنة",
        "title_extradition": "طلب تسليم",
        "title_provisional_arrest": "طلب توقيف مؤقت بغرض التسليم",
        "intro": "تهدي {authority} أطيب تحياتها وتتشرف بطلب مساعدة السلطات المختصة في {country} "
        "في القضية المبينة أدناه.",
        "legal_basis": "الأساس القانوني",
        "reciprocity": "القانون الوطني، على أساس المعاملة بالمثل.",
        "requesting_authority": "السلطة الطالبة",
        "proceedings": "طبيعة الإجراءات والسلطة التي تباشرها",
        "facts": "ملخص الوقائع",
        "acts": "الأفعال المنسوبة إلى الشخص المطلوب مع زمانها ومكانها",
        "offences": "الجرائم",
        "limitation": "التقادم",
        "limitation_ends": "تتقادم الدعوى في {date}.",
        "persons": "الأشخاص المعنيون",
        "person_sought": "الشخص المطلوب",
        "assistance": "المساعدة المطلوبة",
        "measure_offences": "الجرائم المعنية",
        "relevance": "صلة الدليل بالجريمة",
        "evidence_form": "شكل الدليل",
        "purpose": "الغرض من الطلب",
        "procedure": "الإجراءات الواجب اتباعها",
        "admissibility": "الشكل المطلوب لقبول الأدلة",
        "law": "النص القانوني المجرِّم والعقوبة",
        "penalty": "العقوبة",
        "warrant": "أمر القبض",
        "judgment": "الحكم والمدة المتبقية من العقوبة",
        "formal_request": "سيُقدَّم طلب تسليم رسمي في الأجل المحدد في الصك المنطبق.",
        "preservation": "حفظ البيانات",
        "preservation_follow_up": "سيُرسَل طلب تقديم البيانات المحفوظة في موعد أقصاه {date}.",
        "necessity": "ضرورة الحفظ",
        "dual_criminality": "ازدواجية التجريم",
        "confidentiality": "السرية",
        "speciality": "قاعدة التخصيص",
        "death_penalty": "ضمان بشأن عقوبة الإعدام",
        "reciprocity_undertaking": "المعاملة بالمثل",
        "urgency": "الاستعجال",
        "deadline": "يُرجى التنفيذ قبل {date}.",
        "contact": "الشخص المكلف بالاتصال",
        "annexes": "المرفقات",
        "closing": "تشكر {authority} السلطات المختصة في {country} على تعاونها وتبقى رهن إشارتها لأي معلومات إضافية.",
        "confidential": "سري",
        "secret": "سري للغاية",
        "born": "المولود في",
        "nationality": "الجنسية",
        "approved": "النسخة المعتمدة: {hash}",
        "central_authority": "السلطة المركزية",
        "yes": "نعم",
        "no": "لا",
    },
    "es": {
        "title_mla": "Solicitud de asistencia judicial en materia penal",
        "title_preservation": "Solicitud de conservación rápida de datos informáticos almacenados",
        "title_extradition": "Solicitud de extradición",
        "title_provisional_arrest": "Solicitud de detención preventiva con fines de extradición",
        "intro": "{authority} saluda atentamente y tiene el honor de solicitar la asistencia de las autoridades "
        "competentes de {country} en el asunto que se describe a continuación.",
        "legal_basis": "Fundamento jurídico",
        "reciprocity": "Derecho interno, sobre la base de la reciprocidad.",
        "requesting_authority": "Autoridad requirente",
        "proceedings": "Naturaleza del procedimiento y autoridad que lo tramita",
        "facts": "Resumen de los hechos",
        "acts": "Hechos imputados a la persona reclamada, con su fecha y lugar",
        "offences": "Delitos",
        "limitation": "Prescripción",
        "limitation_ends": "El plazo de prescripción vence el {date}.",
        "persons": "Personas afectadas",
        "person_sought": "Persona reclamada",
        "assistance": "Asistencia solicitada",
        "measure_offences": "Delitos a los que se refiere",
        "relevance": "Pertinencia respecto del delito",
        "evidence_form": "Forma de la prueba",
        "purpose": "Finalidad de la solicitud",
        "procedure": "Procedimiento que debe seguirse",
        "admissibility": "Forma que debe revestir la prueba para ser admisible",
        "law": "Texto legal que tipifica el delito y pena",
        "penalty": "Pena",
        "warrant": "Orden de detención",
        "judgment": "Sentencia y pena pendiente de cumplimiento",
        "formal_request": "Se presentará una solicitud formal de extradición dentro del plazo previsto en el "
        "instrumento aplicable.",
        "preservation": "Conservación de datos",
        "preservation_follow_up": "La solicitud de entrega de los datos conservados se enviará a más tardar el {date}.",
        "necessity": "Necesidad de la conservación",
        "dual_criminality": "Doble incriminación",
        "confidentiality": "Confidencialidad",
        "speciality": "Principio de especialidad",
        "death_penalty": "Garantía relativa a la pena de muerte",
        "reciprocity_undertaking": "Reciprocidad",
        "urgency": "Urgencia",
        "deadline": "Se solicita la ejecución antes del {date}.",
        "contact": "Persona de contacto",
        "annexes": "Anexos",
        "closing": "{authority} agradece a las autoridades competentes de {country} su colaboración y queda a su "
        "disposición para cualquier información adicional.",
        "confidential": "CONFIDENCIAL",
        "secret": "SECRETO",
        "born": "nacido/a el",
        "nationality": "nacionalidad",
        "approved": "Versión aprobada: {hash}",
        "central_authority": "La Autoridad Central",
        "yes": "Sí",
        "no": "No",
    },
    "pt": {
        "title_mla": "Pedido de auxílio judiciário mútuo em matéria penal",
        "title_preservation": "Pedido de conservação expedita de dados informáticos armazenados",
        "title_extradition": "Pedido de extradição",
        "title_provisional_arrest": "Pedido de detenção provisória para fins de extradição",
        "intro": "{authority} apresenta os seus cumprimentos e tem a honra de solicitar o auxílio das autoridades "
        "competentes de {country} no processo abaixo descrito.",
        "legal_basis": "Base jurídica",
        "reciprocity": "Direito interno, com base na reciprocidade.",
        "requesting_authority": "Autoridade requerente",
        "proceedings": "Natureza do processo e autoridade que o conduz",
        "facts": "Resumo dos factos",
        "acts": "Factos imputados à pessoa procurada, com a data e o local",
        "offences": "Infrações",
        "limitation": "Prescrição",
        "limitation_ends": "O prazo de prescrição termina em {date}.",
        "persons": "Pessoas em causa",
        "person_sought": "Pessoa procurada",
        "assistance": "Auxílio solicitado",
        "measure_offences": "Infrações em causa",
        "relevance": "Pertinência para a infração",
        "evidence_form": "Forma da prova",
        "purpose": "Finalidade do pedido",
        "procedure": "Procedimento a seguir",
        "admissibility": "Forma exigida para a admissibilidade da prova",
        "law": "Disposição legal que tipifica a infração e pena",
        "penalty": "Pena",
        "warrant": "Mandado de detenção",
        "judgment": "Sentença e pena por cumprir",
        "formal_request": "Será apresentado um pedido formal de extradição no prazo previsto no instrumento aplicável.",
        "preservation": "Conservação de dados",
        "preservation_follow_up": "O pedido de entrega dos dados conservados será enviado até {date}.",
        "necessity": "Necessidade da conservação",
        "dual_criminality": "Dupla incriminação",
        "confidentiality": "Confidencialidade",
        "speciality": "Princípio da especialidade",
        "death_penalty": "Garantia relativa à pena de morte",
        "reciprocity_undertaking": "Reciprocidade",
        "urgency": "Urgência",
        "deadline": "Solicita-se a execução até {date}.",
        "contact": "Pessoa de contacto",
        "annexes": "Anexos",
        "closing": "{authority} agradece às autoridades competentes de {country} a sua colaboração e permanece à "
        "disposição para qualquer informação adicional.",
        "confidential": "CONFIDENCIAL",
        "secret": "SECRETO",
        "born": "nascido/a em",
        "nationality": "nacionalidade",
        "approved": "Versão aprovada: {hash}",
        "central_authority": "A Autoridade Central",
        "yes": "Sim",
        "no": "Não",
    },
}


def phrase(lang: str, key: str, **params: Any) -> str:
    text = PHRASES.get(lang, {}).get(key) or PHRASES["en"][key]
    return text.format(**params) if params else text


def _text(content: dict[str, Any], name: str, lang: str) -> str:
    """The drafter's text in the request's language; a multilingual field without it gives any text it has."""
    value = content.get(name)
    if isinstance(value, dict):
        return str(value.get(lang) or next((v for v in value.values() if v), ""))
    return str(value or "")


def _catalogue_language(lang: str) -> str:
    return lang if lang in {"en", "fr", "ar"} else "en"


def _country(country: Any, lang: str) -> str:
    """A country's name in the document's language: our own list for English, French and Arabic, the CLDR's
    (Babel) for Spanish and Portuguese."""
    if country is None:
        return ""
    if lang in TERMS:
        return country_name(country.code, lang, default=country.display_name)
    return str(country.display_name)


def _choice(choices: Any, value: str, lang: str) -> str:
    try:
        return term(choices(value).label, lang)
    except ValueError:
        return value


def _detail_rows(measure: Any, lang: str) -> list[list[str]]:
    """A measure's details as (label, value) rows in the document's language: yes or no for a tick box, the
    label of a choice, the text as written otherwise."""
    spec = DEFINITIONS.get(measure.type)
    if spec is None:
        return []
    rows = []
    for field in spec.fields:
        if field.name not in (measure.details or {}):
            continue
        value = measure.details[field.name]
        if field.kind == "bool":
            shown = phrase(lang, "yes" if value else "no")
        elif field.kind == "choice":
            shown = term(dict(field.choices).get(value, value), lang)
        else:
            shown = str(value)
        rows.append([term(field.label, lang), shown])
    return rows


def _home_authority() -> Authority | None:
    return (
        Authority.objects.filter(
            country_id=settings.ENTRAIDE_COUNTRY, kind=AuthorityKind.CENTRAL_AUTHORITY, active=True
        )
        .order_by("id")
        .first()
    )


def build_letter(draft: Draft, *, signer: Any = None) -> Letter:
    """The request as a ``Letter`` in the request's language."""
    case = draft.case
    content = draft.content or {}
    lang = str(content.get("request_language") or "en")
    if lang not in DOCUMENT_LANGUAGES:
        lang = "en"
    home = _home_authority()
    with translation.override(_catalogue_language(lang)):
        authority_name = home.display_name if home is not None else phrase(lang, "central_authority")
        foreign = case.counterpart_authority
        country_label = _country(case.counterpart_country, lang)
        p = lambda key, **kw: phrase(lang, key, **kw)  # noqa: E731
        blocks: list[Block] = [Block.paragraph(p("intro", authority=authority_name, country=country_label))]

        def section(key: str, text: str) -> None:
            if text.strip():
                blocks.append(Block.heading(p(key)))
                for para in text.strip().split("\n\n"):
                    blocks.append(Block.paragraph(para.strip()))

        basis = case.legal_basis
        blocks.append(Block.heading(p("legal_basis")))
        if basis is None or basis.kind == "domestic":
            blocks.append(Block.paragraph(p("reciprocity")))
        else:
            blocks.append(Block.paragraph(f"{localized_title(basis, lang)} ({basis.code})"))
        section(
            "requesting_authority",
            _text(content, "requesting_authority", lang)
            or (case.national_authority.display_name if case.national_authority else ""),
        )
        stage = dict(_stages()).get(str(content.get("proceeding_stage") or ""), "")
        stage = term(stage, lang) if stage else ""
        proceedings = " — ".join(
            x
            for x in (
                str(stage),
                _text(content, "proceeding_authority", lang),
                _text(content, "proceeding_reference", lang),
            )
            if x
        )
        section("proceedings", "\n\n".join(x for x in (proceedings, _text(content, "subject_matter", lang)) if x))
        section("facts", _text(content, "facts", lang))
        if case.kind in EXTRADITION_KINDS:
            section("acts", _text(content, "acts_time_place", lang))
        offences = list(case.offences.all())
        if offences:
            blocks.append(Block.heading(p("offences")))
            blocks.append(
                Block.bullets(
                    [f"{o.description}" + (f" ({o.legal_provision})" if o.legal_provision else "") for o in offences]
                )
            )
        subjects = list(case.subjects.select_related("nationality").prefetch_related("identifiers"))
        if subjects:
            blocks.append(Block.heading(p("person_sought" if case.kind in EXTRADITION_KINDS else "persons")))
            items = []
            for s in subjects:
                from entraide.cases.choices import IdentifierType, SubjectRole

                parts = [s.name, _choice(SubjectRole, s.role, lang)]
                if s.birth_date:
                    parts.append(
                        f"{p('born')} {s.birth_date.isoformat()}" + (f", {s.birth_place}" if s.birth_place else "")
                    )
                if s.nationality:
                    parts.append(f"{p('nationality')}: {_country(s.nationality, lang)}")
                parts.extend(f"{_choice(IdentifierType, i.type, lang)}: {i.value}" for i in s.identifiers.all())
                if s.address:
                    parts.append(s.address)
                items.append(" · ".join(parts))
            blocks.append(Block.bullets(items))
        if case.kind in EXTRADITION_KINDS:
            section("person_sought", _text(content, "person_description", lang))
            law = "\n\n".join(x for x in (_text(content, "law_text", lang), _text(content, "penalty", lang)) if x)
            section("law", law)
            warrant = " — ".join(
                x for x in (_text(content, "warrant_reference", lang), str(content.get("warrant_date") or "")) if x
            )
            section("warrant", warrant)
            section(
                "judgment",
                " — ".join(
                    x
                    for x in (_text(content, "judgment_reference", lang), _text(content, "sentence_remaining", lang))
                    if x
                ),
            )
            if content.get("formal_request_undertaking"):
                blocks.append(Block.paragraph(p("formal_request")))
        measures = list(case.measures.all())
        if measures:
            blocks.append(Block.heading(p("assistance")))
            offence_names = {o.pk: o.description for o in offences}
            links = content.get("links") or {}
            for i, m in enumerate(measures, start=1):
                rows = _detail_rows(m, lang)
                link = links.get(str(m.pk)) or {}
                related = [offence_names[o] for o in link.get("offences") or [] if o in offence_names]
                if related:
                    rows.append([p("measure_offences"), "; ".join(related)])
                if link.get("relevance"):
                    rows.append([p("relevance"), str(link["relevance"])])
                if link.get("evidence_form"):
                    rows.append([p("evidence_form"), str(link["evidence_form"])])
                blocks.append(
                    Block.paragraph(
                        f"{i}. {_choice(MeasureType, m.type, lang)} — "
                        f"{DEFINITIONS[m.type].source if m.type in DEFINITIONS else ''}"
                    )
                )
                if m.description:
                    blocks.append(Block.paragraph(m.description))
                if rows:
                    blocks.append(Block.table(rows))
        section("purpose", _text(content, "purpose", lang))
        section("procedure", _text(content, "procedure", lang))
        section("admissibility", _text(content, "admissibility", lang))
        if content.get("preservation_start") or content.get("follow_up_planned_on"):
            blocks.append(Block.heading(p("preservation")))
            if content.get("follow_up_planned_on"):
                blocks.append(Block.paragraph(p("preservation_follow_up", date=content["follow_up_planned_on"])))
            if content.get("necessity"):
                blocks.append(Block.paragraph(_text(content, "necessity", lang)))
        section("dual_criminality", _text(content, "dual_criminality", lang))
        section("speciality", _text(content, "speciality", lang))
        section("death_penalty", _text(content, "death_penalty_assurance", lang))
        section("reciprocity_undertaking", _text(content, "reciprocity_undertaking", lang))
        limitation = []
        if content.get("limitation_date"):
            limitation.append(p("limitation_ends", date=content["limitation_date"]))
        if content.get("limitation_statement"):
            limitation.append(_text(content, "limitation_statement", lang))
        section("limitation", "\n\n".join(limitation))
        section("confidentiality", _text(content, "confidentiality", lang))
        urgency = [_text(content, "urgency", lang)]
        if content.get("deadline_wished"):
            urgency.append(p("deadline", date=content["deadline_wished"]))
        section("urgency", "\n\n".join(x for x in urgency if x))
        contact = " · ".join(
            x
            for x in (
                _text(content, n, lang) for n in ("contact_name", "contact_role", "contact_email", "contact_phone")
            )
            if x
        )
        section("contact", contact)
        annexes = content.get("annexes") or []
        if annexes:
            blocks.append(Block.heading(p("annexes")))
            blocks.append(Block.bullets([f"{i}. {a.get('title', '')}" for i, a in enumerate(annexes, start=1)]))
        blocks.append(Block.paragraph(p("closing", authority=authority_name, country=country_label)))
        if draft.approved_hash:
            blocks.append(Block.paragraph(p("approved", hash=draft.approved_hash[:16])))
        banner = ""
        if case.confidentiality >= Confidentiality.SECRET:
            banner = p("secret")
        elif case.confidentiality >= Confidentiality.CONFIDENTIAL:
            banner = p("confidential")
        signer = signer or draft.approved_by
        signature = []
        if signer is not None:
            signature = [signer.get_full_name() or signer.username, authority_name]
        return Letter(
            language=lang,
            title=p(f"title_{case.kind}"),
            subject=case.title,
            blocks=blocks,
            sender=[authority_name, *(home.address.splitlines() if home and home.address else [])],
            recipient=[foreign.display_name if foreign else country_label],
            our_reference=case.reference,
            their_reference=case.counterpart_reference,
            place=home.city if home else "",
            date=timezone.localdate(),
            signature=signature,
            confidentiality=banner,
        )


def _stages() -> Any:
    from .schema import PROCEEDING_STAGES

    return PROCEEDING_STAGES


def localized_title(instrument: Any, lang: str) -> str:
    """The instrument's title in the document's language (French, Arabic, Spanish or Portuguese as recorded in the
    directory), its English title where that one is empty."""
    if lang in {"fr", "ar", "es", "pt"}:
        return str(getattr(instrument, f"title_{lang}", "") or instrument.title)
    return str(instrument.title)


@transaction.atomic
def generate(draft: Draft, *, actor: Any) -> list[Document]:
    """Render the approved request as DOCX and PDF and file them on the matter: a new version of each of the two
    request documents when they exist already, so that the request can be generated again."""
    locked = Draft.objects.select_for_update(of=("self",)).select_related("case").get(pk=draft.pk)
    case = locked.case
    if not can_file(actor, case):
        raise Forbidden(_("You may not file documents on this matter."))
    if locked.review_state != ReviewState.APPROVED or not locked.approved_hash:
        raise Conflict(_("The request document is generated once the request is approved."), code="not_approved")
    from .actions import content_digest

    if content_digest(locked) != locked.approved_hash:
        raise Conflict(
            _(
                "The request changed after its approval: reopen it as a draft and have it approved again before "
                "its document is generated."
            ),
            code="changed",
        )
    letter = build_letter(locked)
    from django.core.files.uploadedfile import SimpleUploadedFile

    stem = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in case.reference)
    ids = dict((locked.content or {}).get("documents") or {})
    documents = []
    for fmt, render, mime in (
        ("docx", render_docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("pdf", render_pdf, "application/pdf"),
    ):
        upload = SimpleUploadedFile(f"{stem}-request-{letter.language}.{fmt}", render(letter), content_type=mime)
        existing = Document.objects.filter(pk=int(ids[fmt]), case=case).first() if ids.get(fmt) else None
        if existing is not None:
            case_actions.add_document_version(existing, upload, actor=actor)
            document = existing
        else:
            document = case_actions.add_document(
                case,
                upload,
                actor=actor,
                kind="request",
                title=f"{letter.title} ({fmt.upper()})",
                language=letter.language,
            )
            ids[fmt] = document.pk
        documents.append(document)
    # The document ids are bookkeeping, outside the approved content: written without changing the hash.
    locked.content = {**locked.content, "documents": ids, "documents_hash": locked.approved_hash}
    locked.save(update_fields=["content"])
    versions = {fmt: Document.objects.get(pk=pk).current for fmt, pk in ids.items()}
    audit.record(
        "draft.document",
        actor=actor,
        obj=locked,
        case_id=case.pk,
        after={
            "language": letter.language,
            "approved_hash": locked.approved_hash,
            **{f"{fmt}_sha256": v.sha256 for fmt, v in versions.items() if v is not None},
        },
    )
    return documents
