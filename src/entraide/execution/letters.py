"""Letters to the requesting State about an incoming request: acknowledgement of receipt, request for supplementary
information, the decisions on the request, the state of execution and the transmittal of what is returned. Each is
built as an ``entraide.letters.Letter`` in the counterpart's language and filed on the matter as DOCX and PDF.

The letter's sentences are this app's catalogue entries, rendered in the letter's language (``translation.override``)
for French, English and Arabic, and written in ``letter_text`` for Spanish and Portuguese. A counterpart working in
another language gets the letter in English, and the officer is told so (``language_note``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, gettext_lazy

from entraide.accounts.models import User
from entraide.audit import log as audit
from entraide.cases import actions as case_actions
from entraide.cases import choices as cc
from entraide.cases.catalogue import MeasureType
from entraide.cases.models import Case, Event
from entraide.cases.queries import can_file, can_work_on
from entraide.core.choices import Confidentiality, Language
from entraide.core.errors import ActionError, Forbidden
from entraide.directory.models import Authority, AuthorityKind
from entraide.execution import checklist, letter_text
from entraide.execution import choices as x
from entraide.execution.models import Decision
from entraide.letters import Block, Letter, country_name, file_letter
from entraide.letters.lexicon import term

ACKNOWLEDGEMENT = "acknowledgement"
STATUS = "status"
LETTER_KINDS: dict[str, Any] = {
    ACKNOWLEDGEMENT: gettext_lazy("Acknowledgement of receipt"),
    "decision": gettext_lazy("Letter on the decision"),
    STATUS: gettext_lazy("State of execution (UNTOC art. 18(24))"),
}
# The languages a letter is written in; any other gets the English letter.
LETTER_LANGUAGES = ("fr", "en", "ar", "es", "pt")
LETTER_LANGUAGE_CHOICES = [(code, label) for code, label in Language.choices if code in LETTER_LANGUAGES]


def _(message: str) -> str:
    """A fixed sentence of the letter in the active language: ``letter_text`` for Spanish and Portuguese, the
    catalogues for the others."""
    texts = letter_text.TEXTS.get(translation.get_language() or "")
    if texts is not None:
        return texts.get(message, message)
    return gettext(message)


def _label(table: dict[str, dict[Any, str]], code: Any, default: Any) -> str:
    """A label the letter quotes (a measure, a status, a checklist item), in the active language."""
    return table.get(translation.get_language() or "", {}).get(code) or str(default)


def _country(country: Any) -> str:
    """The country's name in the letter's language: the directory's own names (English, French, Arabic), the CLDR's
    for the other languages letters are written in."""
    language = translation.get_language() or ""
    if language in letter_text.TEXTS and country is not None:
        return country_name(country.code, language, default=str(country))
    return str(country)


def written_language(language: str) -> str:
    """The language a letter asked in ``language`` is written in."""
    code = (language or "").split("-")[0].lower()
    return code if code in LETTER_LANGUAGES else "en"


def counterpart_languages(case: Case) -> list[str]:
    """The languages the requesting authority, then its country's profile, accept, in their order."""
    accepted: list[str] = []
    if case.counterpart_authority is not None:
        accepted += list(case.counterpart_authority.languages or [])
    profile = getattr(case.counterpart_country, "profile", None)
    if profile is not None:
        accepted += list(profile.languages or [])
    return list(dict.fromkeys(code.split("-")[0].lower() for code in accepted if code))


def counterpart_language(case: Case) -> str:
    """The first language the requesting authority (or its country's profile) accepts that a letter is written in;
    else English."""
    for code in counterpart_languages(case):
        if code in LETTER_LANGUAGES:
            return code
    return "en"


def language_note(case: Case) -> str | None:
    """What the officer must know when the requesting State works in no language a letter is written in."""
    accepted = counterpart_languages(case)
    if not accepted or any(code in LETTER_LANGUAGES for code in accepted):
        return None
    names = ", ".join(str(Language(code).label) if code in Language.values else code for code in accepted)
    return gettext(
        "The requesting State works in {languages}: Entraide has no letter text in that language, so its letters "
        "are written in English. Attach a translation if it is needed."
    ).format(languages=names)


def _date(value: Any) -> str:
    return formats.date_format(value, "DATE_FORMAT") if value else ""


def _central_authority() -> Authority | None:
    return (
        Authority.objects.filter(country_id=settings.ENTRAIDE_COUNTRY, kind=AuthorityKind.CENTRAL_AUTHORITY)
        .order_by("id")
        .first()
    )


def _lines(authority: Authority | None, fallback: str) -> list[str]:
    if authority is None:
        return [fallback]
    lines = [authority.display_name]
    lines += [line for line in (authority.address or "").splitlines() if line.strip()]
    if authority.city:
        lines.append(authority.city)
    return lines


def build_letter(case: Case, *, kind: str, actor: User, language: str, decision: Decision | None = None) -> Letter:
    """The letter, in ``language`` if a letter is written in it, else in English."""
    if kind not in (ACKNOWLEDGEMENT, STATUS) and decision is None:
        raise ActionError(
            gettext("Choose the decision the letter is about."), fields={"decision": gettext("Required.")}
        )
    lang = written_language(language)
    with translation.override(lang):
        our = _central_authority()
        sender = _lines(our, _("Central Authority"))
        recipient = _lines(case.counterpart_authority, _country(case.counterpart_country))
        if case.counterpart_authority is None:
            recipient = [_("Central Authority of {country}").format(country=_country(case.counterpart_country))]
        blocks: list[Block] = []
        about = _("your request for mutual legal assistance concerning “{title}”").format(title=case.title)
        if kind == ACKNOWLEDGEMENT:
            subject = _("Acknowledgement of receipt of your request for mutual legal assistance")
            blocks.append(
                Block.paragraph(
                    _(
                        "We acknowledge receipt on {date} of {about}. It has been registered under our reference "
                        "{reference} and is being examined."
                    ).format(
                        date=_date(case.received_on or timezone.localdate()), about=about, reference=case.reference
                    )
                )
            )
            blocks.append(
                Block.paragraph(
                    _(
                        "We will inform you of the outcome of the examination and of the progress of the execution. "
                        "Please quote our reference in any correspondence."
                    )
                )
            )
        elif kind == STATUS:
            subject, body = _status_body(case, about)
            blocks += body
        else:
            assert decision is not None
            subject, body = _decision_body(case, decision, about)
            blocks += body
        contact = case.officer or actor
        details = ", ".join(part for part in (contact.email, contact.phone) if part)
        blocks.append(
            Block.paragraph(
                _("Contact: {name}{details}.").format(name=contact, details=f" ({details})" if details else "")
            )
        )
        confidentiality = ""
        if case.confidentiality >= Confidentiality.CONFIDENTIAL:
            confidentiality = _label(
                letter_text.CONFIDENTIALITY,
                case.confidentiality,
                str(Confidentiality(case.confidentiality).label).upper(),
            )
        return Letter(
            language=lang,
            subject=subject,
            blocks=blocks,
            sender=sender,
            recipient=recipient,
            our_reference=case.reference,
            their_reference=case.counterpart_reference,
            date=timezone.localdate(),
            signature=[str(actor), _("for the Central Authority")],
            confidentiality=confidentiality,
        )


def _status_body(case: Case, about: str) -> tuple[str, list[Block]]:
    """Where the execution stands, measure by measure: done, pending, expected dates (UNTOC art. 18(24))."""
    subject = _("Your request for mutual legal assistance: state of execution")
    blocks = [
        Block.paragraph(
            _("We inform you of the state of execution of {about} on {date}.").format(
                about=about, date=_date(timezone.localdate())
            )
        )
    ]
    rows = [[_("Measure"), _("Status"), _("Expected by")]]
    for measure in case.measures.all():
        open_tasks = [t for t in measure.execution_tasks.all() if t.is_open]
        expected = max((t.due_on for t in open_tasks), default=None)
        label = _measure(measure)
        status = _label(letter_text.MEASURE_STATUSES, measure.status, measure.get_status_display())
        if measure.status_note and measure.status in {cc.MeasureStatus.REFUSED, cc.MeasureStatus.WITHDRAWN}:
            status += f" ({measure.status_note})"
        when = _date(expected) if expected and not measure.is_done else "—"
        if open_tasks and not measure.is_done and all(t.on_hold_since for t in open_tasks):
            # Its deadline moves by the time on hold when the execution resumes: no date to promise yet.
            when = _("On hold (postponed)")
        rows.append([label, status, when])
    if len(rows) > 1:
        blocks.append(Block.table(rows))
    blocks.append(Block.paragraph(_("We will send you the results as soon as they are available.")))
    return subject, blocks


def _measure(measure: Any) -> str:
    # The same words as the request documents (``letters.lexicon``), so a counterpart always reads the same name.
    kind = MeasureType(measure.type).label if measure.type in MeasureType.values else measure.get_type_display()
    label = term(kind, translation.get_language() or "en")
    return label + (f" — {measure.description}" if measure.description else "")


def _decision_body(case: Case, decision: Decision, about: str) -> tuple[str, list[Block]]:
    blocks: list[Block] = []
    kind = decision.kind
    if kind == x.DecisionKind.ACCEPT:
        subject = _("Your request for mutual legal assistance: accepted")
        blocks.append(
            Block.paragraph(
                _(
                    "We inform you that {about} has been accepted. It is being transmitted to the competent national "
                    "authorities for execution, and we will keep you informed of its progress."
                ).format(about=about)
            )
        )
    elif kind == x.DecisionKind.ACCEPT_IN_PART:
        subject = _("Your request for mutual legal assistance: accepted in part")
        blocks.append(
            Block.paragraph(
                _(
                    "We inform you that {about} has been accepted in part. The following measures cannot be executed:"
                ).format(about=about)
            )
        )
        refused = case.measures.filter(pk__in=decision.refused_measures)
        blocks.append(Block.bullets([_measure(m) for m in refused]))
        blocks.append(Block.heading(_("Reasons")))
        blocks.append(Block.paragraph(decision.reasons))
        blocks.append(Block.paragraph(_("The other measures are being transmitted for execution.")))
    elif kind == x.DecisionKind.ASK_INFORMATION:
        subject = _("Your request for mutual legal assistance: supplementary information needed")
        blocks.append(
            Block.paragraph(
                _("Having examined {about}, we need the following supplementary information to execute it:").format(
                    about=about
                )
            )
        )
        blocks.append(Block.paragraph(decision.reasons))
        missing = [
            _label(letter_text.CHECKLIST, a.code, checklist.BY_CODE[a.code].label) + (f": {a.note}" if a.note else "")
            for a in case.admissibility_items.filter(value=x.Assessment.NOT_MET)
            if a.code in checklist.BY_CODE
        ]
        if missing:
            blocks.append(Block.bullets(missing))
        blocks.append(
            Block.paragraph(
                _(
                    "The examination of your request is suspended until we receive this information. Thank you for "
                    "sending it as soon as possible."
                )
            )
        )
    elif kind == x.DecisionKind.POSTPONE:
        subject = _("Your request for mutual legal assistance: execution postponed")
        blocks.append(
            Block.paragraph(
                _(
                    "After consulting you, we inform you that the execution of {about} is postponed because it would "
                    "interfere with an ongoing investigation, prosecution or judicial proceeding (UNTOC art. 18(25))."
                ).format(about=about)
            )
        )
        blocks.append(Block.heading(_("Reasons")))
        blocks.append(Block.paragraph(decision.reasons))
    else:
        subject = _("Your request for mutual legal assistance: refused")
        blocks.append(
            Block.paragraph(
                _(
                    "After consulting you, we regret to inform you that {about} cannot be granted, for the following "
                    "reasons (UNTOC art. 18(23)):"
                ).format(about=about)
            )
        )
        blocks.append(
            Block.bullets(
                [
                    _label(letter_text.CHECKLIST, code, checklist.BY_CODE[code].label)
                    for code in decision.grounds
                    if code in checklist.BY_CODE
                ]
            )
        )
        blocks.append(Block.paragraph(decision.reasons))
    return subject, blocks


@transaction.atomic
def generate_letter(
    case: Case,
    *,
    actor: User,
    kind: str,
    decision: Decision | None = None,
    language: str = "",
    sent_by: str = "",
    sent_at: datetime | None = None,
) -> list[Any]:
    """Build the letter, file it on the matter as DOCX and PDF, and record it. An acknowledgement meets the
    acknowledgement clock. ``sent_by`` (a channel) logs the letter as a communication sent, at ``sent_at``."""
    if not can_file(actor, case):
        raise Forbidden(gettext("You may not file documents on this matter."))
    if kind not in LETTER_KINDS:
        raise ActionError(gettext("Unknown kind of letter."), fields={"kind": gettext("Unknown kind.")})
    if decision is not None and decision.case_id != case.pk:
        raise ActionError(
            gettext("This decision belongs to another matter."), fields={"decision": gettext("Not on this matter.")}
        )
    asked = (language or counterpart_language(case)).lower()[:8]
    letter = build_letter(case, kind=kind, actor=actor, language=asked, decision=decision)
    language, title = letter.language, letter.subject
    documents = file_letter(case, letter, actor=actor, title=title)
    fallback = {"asked": asked} if asked != language else {}
    Event.objects.create(
        case=case,
        actor=actor,
        verb="execution_letter",
        params={"kind": kind, "language": language, "title": title, **fallback},
    )
    audit.record(
        "execution.letter",
        actor=actor,
        obj=case,
        case_id=case.pk,
        after={
            "kind": kind,
            "decision": decision.pk if decision else None,
            "language": language,
            **fallback,
            "documents": [d.pk for d in documents],
        },
    )
    if sent_by:
        case_actions.log_communication(
            case,
            actor=actor,
            at=sent_at or timezone.now(),
            channel=sent_by,
            direction=cc.CommDirection.SENT,
            summary=gettext("Letter sent: {title}").format(title=title),
            counterpart=str(case.counterpart_authority or case.counterpart_country),
        )
    if kind == ACKNOWLEDGEMENT:
        for deadline in case.deadlines.filter(
            rule__code="incoming-acknowledge", status__in=[cc.DeadlineStatus.RUNNING, cc.DeadlineStatus.PAUSED]
        ):
            if can_work_on(actor, case):
                case_actions.meet_deadline(deadline, actor=actor, note=gettext("Acknowledgement of receipt filed."))
    return documents


def file_transmittal(case: Case, package: Any, *, actor: User, language: str = "") -> list[Any]:
    """The transmittal letter of a return package, filed on the matter (DOCX and PDF)."""
    language = (language or counterpart_language(case)).lower()[:8]
    letter = build_letter(case, kind=ACKNOWLEDGEMENT, actor=actor, language=language)
    with translation.override(letter.language):
        about = _("your request for mutual legal assistance concerning “{title}”").format(title=case.title)
        if package.partial:
            letter.subject = _("Execution of your request for mutual legal assistance: partial return {number}").format(
                number=package.number
            )
            opening = _("Please find enclosed, as a partial return, the following results of the execution of {about}:")
        else:
            letter.subject = _("Execution of your request for mutual legal assistance: return {number}").format(
                number=package.number
            )
            opening = _("Please find enclosed the following results of the execution of {about}:")
        rows = [[_("Item"), _("Seal number or SHA-256 fingerprint")]]
        for item in package.items.all():
            rows.append([item.description, item.seal_number or item.sha256])
        blocks = [Block.paragraph(opening.format(about=about)), Block.table(rows)]
        blocks.append(
            Block.paragraph(
                _(
                    "This evidence may not be used for proceedings other than those stated in the request without our "
                    "prior consent (UNTOC art. 18(19)). Please acknowledge receipt."
                )
            )
        )
        if package.partial:
            blocks.append(Block.paragraph(_("Further results will follow as the execution proceeds.")))
        letter.blocks = blocks + letter.blocks[-1:]  # keep the contact line
        title = letter.subject
    return file_letter(case, letter, actor=actor, title=title)
