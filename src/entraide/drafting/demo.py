"""Demonstration drafts and country guides, played through the actions. Called by ``entraide demo``
(``load_demo(now, users)``) after the register's demo, once: nothing is added when demo drafts exist."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from entraide.cases import actions as case_actions
from entraide.directory.models import Country, Instrument

from . import actions
from .models import CountryGuide, Draft

GUIDES: dict[str, list[tuple[str, str, str]]] = {
    "FR": [
        (
            "fr",
            "France — demandes d'entraide (démonstration)",
            "Langue : français, ou traduction française jointe.\n\n"
            "Canal : copie anticipée par courriel au Bureau de l'entraide pénale internationale (BEPI), original signé "
            "par voie postale.\n\n"
            "Mesures coercitives (perquisition, relevés bancaires) : la double incrimination est exigée ; "
            "citez le texte français correspondant.\n\n"
            "Écueils : demandes trop générales sur des comptes bancaires (indiquez banque, numéros et période).",
        ),
        (
            "en",
            "France — requests for assistance (demonstration)",
            "Language: French, or a French translation attached.\n\nChannel: advance copy by e-mail to the BEPI, "
            "signed original by post.\n\nCoercive measures need dual criminality: cite the French provision.",
        ),
        (
            "ar",
            "فرنسا — طلبات المساعدة (بيانات تجريبية)",
            "اللغة: الفرنسية، أو ترجمة فرنسية مرفقة.\n\n"
            "القناة: نسخة مسبقة بالبريد الإلكتروني ثم الأصل الموقّع بالبريد.\n\n"
            "التدابير القسرية تشترط ازدواجية التجريم.",
        ),
    ],
    "ES": [
        (
            "en",
            "Spain — requests for assistance (demonstration)",
            "Language: Spanish, or a Spanish translation attached.\n\nExtradition: the European Convention on "
            "Extradition does not bind Morocco; use the bilateral treaty. Give assurances on the death penalty where "
            "the offence carries it.",
        ),
    ],
}


def _basis(code: str) -> Instrument | None:
    return Instrument.objects.filter(code=code).first()


@transaction.atomic
def load_demo(now: datetime, users: dict[str, Any]) -> str:
    """Three drafts at different stages and the guides of two countries; returns what was added, or ""."""
    if Draft.objects.exists() or CountryGuide.objects.exists():
        return ""
    prosecutor, officer, head = users.get("prosecutor"), users.get("officer"), users.get("head")
    countries = {c.code: c for c in Country.objects.filter(code__in=["FR", "ES"])}
    if prosecutor is None or officer is None or head is None or len(countries) < 2:
        return ""
    for code, guides in GUIDES.items():
        for language, title, body in guides:
            actions.save_guide(actor=officer, country=countries[code], language=language, title=title, body=body)

    # 1. A prosecutor's draft to France, just started: the checks say what is missing.
    started = actions.start_draft(
        actor=prosecutor, kind="mla", counterpart_country=countries["FR"], title="Escroquerie aux faux placements"
    )
    if _basis("MA-FR-MLA"):
        case_actions.update_case(started.case, actor=prosecutor, legal_basis=_basis("MA-FR-MLA"))
    actions.save_content(
        Draft.objects.get(pk=started.pk),
        actor=prosecutor,
        changes={"facts": {"fr": "Des investisseurs ont versé des fonds à une société fictive établie à Paris."}},
    )

    # 2. A complete request to France, submitted and under review by the officer, with a comment.
    today = timezone.localdate()
    review = actions.start_draft(
        actor=prosecutor,
        kind="mla",
        counterpart_country=countries["FR"],
        title="Relevés bancaires et audition d'un témoin",
    )
    case = review.case
    if _basis("MA-FR-MLA"):
        case_actions.update_case(case, actor=prosecutor, legal_basis=_basis("MA-FR-MLA"))
    offence = case_actions.add_offence(
        case, actor=prosecutor, iccs_section="07", description="Escroquerie", legal_provision="Code pénal, art. 540"
    )
    case_actions.add_subject(
        case,
        actor=prosecutor,
        kind="person",
        role="witness",
        name="Marie Dupont",
        nationality=countries["FR"],
        address="Paris",
    )
    measures = [
        case_actions.add_measure(
            case,
            actor=prosecutor,
            type="bank_records",
            details={
                "bank": "Banque de démonstration",
                "accounts": "FR76 0000 0000 0000",
                "period_from": "2025-01-01",
                "period_to": "2025-12-31",
            },
        ),
        case_actions.add_measure(
            case,
            actor=prosecutor,
            type="taking_evidence",
            details={"person": "Marie Dupont", "questions": "Avez-vous reçu les fonds ?"},
        ),
    ]
    actions.save_content(
        Draft.objects.get(pk=review.pk),
        actor=prosecutor,
        changes={
            "proceeding_stage": "investigation",
            "proceeding_authority": "Juge d'instruction, Rabat",
            "subject_matter": {"fr": "Escroquerie en bande organisée"},
            "facts": {"fr": "En 2025, la société X a détourné 800 000 euros versés par 30 investisseurs."},
            "purpose": {"fr": "Établir le circuit des fonds et entendre la témoin."},
            "admissibility": "Copies certifiées conformes ; procès-verbal d'audition signé.",
            "dual_criminality": "Article 313-1 du code pénal français.",
            "confidentiality": "Ne pas informer les titulaires des comptes.",
            "contact_name": "K. Berrada",
            "contact_email": "prosecutor@ca.example",
            "limitation_date": (today + dt.timedelta(days=2000)).isoformat(),
            "request_language": "fr",
            "source_language": "fr",
        },
    )
    for measure in measures:
        actions.save_measure_link(
            Draft.objects.get(pk=review.pk),
            measure.pk,
            actor=prosecutor,
            offences=[offence.pk],
            relevance="Ces éléments établissent le circuit des fonds détournés.",
        )
    added = ["1 draft being written"]
    draft = Draft.objects.get(pk=review.pk)
    from .rules import evaluate

    if not [f for f in evaluate(draft) if f.severity == "blocking"]:
        actions.submit(draft, actor=prosecutor)
        case_actions.assign(case, officer, actor=head)
        actions.comment(
            Draft.objects.get(pk=review.pk), actor=officer, section="facts", text="Précisez les dates des virements."
        )
        added.append("1 draft under review")
    return ", ".join([*added, f"{CountryGuide.objects.count()} country guides"])
