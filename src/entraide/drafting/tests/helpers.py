"""Complete drafts to start from: each rule test breaks one thing and expects that rule, and only then."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from entraide.cases import actions as case_actions
from entraide.cases.models import Case
from entraide.directory.models import CountryProfile, Instrument
from entraide.drafting import actions
from entraide.drafting.models import Draft
from entraide.testing import country


def reference_data() -> dict[str, Any]:
    """France with a profile, Morocco at home, a bilateral MLA treaty, a multilateral one and reciprocity."""
    fr, ma, us = country("FR"), country("MA"), country("US")
    CountryProfile.objects.update_or_create(
        country=fr,
        defaults={
            "languages": ["fr"],
            "channels": ["email", "post"],
            "electronic_transmission": None,
            "originals_required": False,
            "certification_required": False,
            "dual_criminality_required": True,
            "source": "test",
        },
    )
    bilateral, _c = Instrument.objects.get_or_create(
        code="MA-FR-MLA",
        defaults={
            "title": "Morocco-France MLA",
            "kind": "bilateral",
            "scope": "mla",
            "parties_known": True,
            "confidence": "high",
        },
    )
    bilateral.parties.set([fr, ma])
    ext, _c = Instrument.objects.get_or_create(
        code="MA-FR-EXT",
        defaults={
            "title": "Morocco-France extradition",
            "kind": "bilateral",
            "scope": "extradition",
            "parties_known": True,
            "confidence": "high",
        },
    )
    ext.parties.set([fr, ma])
    untoc, _c = Instrument.objects.get_or_create(
        code="UNTOC",
        defaults={
            "title": "UNTOC",
            "kind": "multilateral",
            "scope": "both",
            "parties_known": False,
            "non_parties": ["PG"],
            "parties_rule": "near-universal",
            "confidence": "medium",
        },
    )
    Instrument.objects.get_or_create(
        code="RECIPROCITY", defaults={"title": "Reciprocity", "kind": "domestic", "scope": "both"}
    )
    return {"fr": fr, "ma": ma, "us": us, "bilateral": bilateral, "ext": ext, "untoc": untoc}


def _attach(case: Case, actor: Any, title: str) -> Any:
    return case_actions.add_document(
        case, SimpleUploadedFile(f"{title}.pdf", b"%PDF-1.4 test"), actor=actor, kind="annex", title=title
    )


def complete_mla(actor: Any, **overrides: Any) -> Draft:
    """An MLA request to France for bank records and a witness hearing, meeting every check."""
    data = reference_data()
    draft = actions.start_draft(
        actor=actor, kind="mla", counterpart_country=data["fr"], title="Bank fraud", **overrides
    )
    case = draft.case
    case_actions.update_case(case, actor=actor, legal_basis=data["bilateral"])
    offence = case_actions.add_offence(
        case, actor=actor, iccs_section="07", description="Fraud", legal_provision="Penal Code art. 540"
    )
    case_actions.add_subject(
        case,
        actor=actor,
        kind="person",
        role="suspect",
        name="Karim B.",
        nationality=data["ma"],
        birth_date=dt.date(1980, 1, 2),
    )
    bank = case_actions.add_measure(
        case,
        actor=actor,
        type="bank_records",
        details={"bank": "BNP", "accounts": "FR76 3000 4000", "period_from": "2024-01-01", "period_to": "2024-12-31"},
    )
    witness = case_actions.add_measure(
        case,
        actor=actor,
        type="taking_evidence",
        details={"person": "Marie D.", "questions": "Did you transfer the funds?"},
    )
    draft = Draft.objects.get(pk=draft.pk)
    actions.save_content(
        draft,
        actor=actor,
        changes={
            "requesting_authority": "Public prosecutor, Rabat",
            "proceeding_stage": "investigation",
            "proceeding_authority": "Investigating judge, Rabat",
            "subject_matter": {"fr": "Escroquerie en bande organisée"},
            "facts": {"fr": "Entre janvier et décembre 2024, le suspect a détourné des fonds d'investisseurs."},
            "purpose": {"fr": "Établir le circuit des fonds et entendre la témoin."},
            "admissibility": "Copies certifiées conformes; procès-verbal d'audition signé.",
            "dual_criminality": "L'escroquerie est réprimée par l'article 313-1 du code pénal français.",
            "confidentiality": "Ne pas informer les titulaires des comptes.",
            "contact_name": "A. Benali",
            "contact_email": "a.benali@justice.example",
            "limitation_date": (timezone.localdate() + dt.timedelta(days=3650)).isoformat(),
            "request_language": "fr",
            "source_language": "fr",
        },
    )
    draft = Draft.objects.get(pk=draft.pk)
    for measure in (bank, witness):
        actions.save_measure_link(
            draft,
            measure.pk,
            actor=actor,
            offences=[offence.pk],
            relevance="The records show where the defrauded funds went.",
        )
    return Draft.objects.get(pk=draft.pk)


def complete_extradition(actor: Any, kind: str = "extradition") -> Draft:
    data = reference_data()
    draft = actions.start_draft(actor=actor, kind=kind, counterpart_country=data["fr"], title="Extradition of K.")
    case = draft.case
    case_actions.update_case(case, actor=actor, legal_basis=data["ext"])
    case_actions.add_offence(
        case, actor=actor, iccs_section="07", description="Fraud", legal_provision="Penal Code art. 540"
    )
    case_actions.add_subject(
        case,
        actor=actor,
        kind="person",
        role="person_sought",
        name="Karim B.",
        nationality=data["ma"],
        birth_date=dt.date(1980, 1, 2),
    )
    warrant = _attach(case, actor, "Warrant")
    draft = Draft.objects.get(pk=draft.pk)
    actions.add_annex(draft, actor=actor, title="Arrest warrant", role="warrant", document=warrant)
    draft = Draft.objects.get(pk=draft.pk)
    actions.save_content(
        draft,
        actor=actor,
        changes={
            "requesting_authority": "Public prosecutor, Rabat",
            "proceeding_stage": "prosecution",
            "proceeding_authority": "Court of first instance, Rabat",
            "facts": {
                "fr": "Entre janvier et décembre 2024, la personne recherchée a détourné des fonds d'investisseurs."
            },
            "acts_time_place": {"fr": "Virements frauduleux depuis Rabat, 2024."},
            "person_status": "accused",
            "person_description": "1,80 m, parle arabe et français.",
            "law_text": "Article 540 du code pénal : quiconque…",
            "penalty": "Un à cinq ans d'emprisonnement.",
            "max_penalty_years": 5,
            "warrant_reference": "Mandat d'arrêt n° 12/2026, juge d'instruction de Rabat",
            "formal_request_undertaking": True,
            "dual_criminality": "Article 313-1 du code pénal français.",
            "confidentiality": "Aucune.",
            "speciality": "Le Royaume s'engage à respecter la règle de la spécialité.",
            "contact_name": "A. Benali",
            "contact_phone": "+212 5 00 00 00",
            "urgency": "The person may flee: provisional arrest is urgent.",
            "limitation_date": (timezone.localdate() + dt.timedelta(days=3650)).isoformat(),
            "request_language": "fr",
            "source_language": "fr",
        }
        if kind == "provisional_arrest"
        else {
            "requesting_authority": "Public prosecutor, Rabat",
            "proceeding_stage": "prosecution",
            "proceeding_authority": "Court of first instance, Rabat",
            "facts": {
                "fr": "Entre janvier et décembre 2024, la personne recherchée a détourné des fonds d'investisseurs."
            },
            "acts_time_place": {"fr": "Virements frauduleux depuis Rabat, 2024."},
            "person_status": "accused",
            "person_description": "1,80 m, parle arabe et français.",
            "law_text": "Article 540 du code pénal : quiconque…",
            "penalty": "Un à cinq ans d'emprisonnement.",
            "max_penalty_years": 5,
            "warrant_reference": "Mandat d'arrêt n° 12/2026, juge d'instruction de Rabat",
            "dual_criminality": "Article 313-1 du code pénal français.",
            "confidentiality": "Aucune.",
            "speciality": "Le Royaume s'engage à respecter la règle de la spécialité.",
            "contact_name": "A. Benali",
            "contact_phone": "+212 5 00 00 00",
            "limitation_date": (timezone.localdate() + dt.timedelta(days=3650)).isoformat(),
            "request_language": "fr",
            "source_language": "fr",
        },
    )
    return Draft.objects.get(pk=draft.pk)


def complete_preservation(actor: Any) -> Draft:
    data = reference_data()
    draft = actions.start_draft(
        actor=actor, kind="preservation", counterpart_country=data["fr"], title="Preserve mailbox"
    )
    case = draft.case
    case_actions.update_case(case, actor=actor, legal_basis=data["bilateral"])
    offence = case_actions.add_offence(
        case, actor=actor, iccs_section="07", description="Fraud", legal_provision="Penal Code art. 540"
    )
    measure = case_actions.add_measure(
        case,
        actor=actor,
        type="preservation",
        details={"provider": "Mailer SA", "identifiers": "k.b@mailer.example", "data_categories": "content, traffic"},
    )
    draft = Draft.objects.get(pk=draft.pk)
    today = timezone.localdate()
    actions.save_content(
        draft,
        actor=actor,
        changes={
            "requesting_authority": "Public prosecutor, Rabat",
            "proceeding_stage": "investigation",
            "proceeding_authority": "Investigating judge, Rabat",
            "subject_matter": {"fr": "Escroquerie"},
            "facts": {"fr": "Le suspect a utilisé cette messagerie pour tromper des investisseurs en 2024."},
            "purpose": {"fr": "Conserver les courriels avant la demande de production."},
            "preservation_start": today.isoformat(),
            "follow_up_planned_on": (today + dt.timedelta(days=30)).isoformat(),
            "necessity": "The provider deletes inactive mailboxes after 90 days.",
            "reciprocity_undertaking": "",
            "dual_criminality": "Article 313-1.",
            "confidentiality": "Ne pas informer le titulaire.",
            "contact_name": "A. Benali",
            "contact_email": "a.benali@justice.example",
            "urgency": "The data may be deleted at any time.",
            "limitation_date": (today + dt.timedelta(days=3650)).isoformat(),
            "request_language": "fr",
            "source_language": "fr",
        },
    )
    draft = Draft.objects.get(pk=draft.pk)
    actions.save_measure_link(
        draft,
        measure.pk,
        actor=actor,
        offences=[offence.pk],
        relevance="The mailbox holds the messages sent to the victims.",
    )
    return Draft.objects.get(pk=draft.pk)
