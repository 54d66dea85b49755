"""The status letter to the counterpart (good practice 8): where the extradition stands, generated from the matter.

Built as an ``entraide.letters.Letter`` in the counterpart's language (this app's catalogue, through
``translation.override``; a language without a catalogue gets the English text) and filed on the matter as DOCX
and PDF. It names the person (the counterpart knows who it is) and carries the matter's confidentiality banner.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from entraide.accounts.models import User
from entraide.cases import choices as cc
from entraide.cases.models import Case
from entraide.core.choices import Confidentiality
from entraide.directory.models import Authority, AuthorityKind
from entraide.extradition import choices as c
from entraide.extradition.models import Assurance, Custody, JudicialStep
from entraide.extradition.queries import case_clocks
from entraide.letters import LABEL_LANGUAGES, Block, Letter


def counterpart_language(case: Case) -> str:
    """The first language of the counterpart authority (or its country's profile) we write; else English."""
    accepted: list[str] = []
    if case.counterpart_authority is not None:
        accepted += list(case.counterpart_authority.languages or [])
    profile = getattr(case.counterpart_country, "profile", None)
    if profile is not None:
        accepted += list(profile.languages or [])
    for code in (a.split("-")[0].lower() for a in accepted if a):
        if code in LABEL_LANGUAGES:
            return code
    return "en"


def _when(value: Any, with_time: bool = True) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
        return formats.date_format(value, "DATETIME_FORMAT" if with_time else "DATE_FORMAT")
    return formats.date_format(value, "DATE_FORMAT")


def _lines(authority: Authority | None, fallback: str) -> list[str]:
    if authority is None:
        return [fallback]
    lines = [authority.display_name]
    lines += [line for line in (authority.address or "").splitlines() if line.strip()]
    if authority.city:
        lines.append(authority.city)
    return lines


def build_status_letter(case: Case, *, actor: User, language: str) -> Letter:
    lang = language if language in LABEL_LANGUAGES else "en"
    with translation.override(lang):
        ours = (
            Authority.objects.filter(country_id=settings.ENTRAIDE_COUNTRY, kind=AuthorityKind.CENTRAL_AUTHORITY)
            .order_by("id")
            .first()
        )
        recipient = _lines(case.counterpart_authority, str(case.counterpart_country))
        if case.counterpart_authority is None:
            recipient = [_("Central Authority of {country}").format(country=case.counterpart_country)]
        outgoing = case.direction == cc.Direction.OUTGOING
        about = (
            _("our request for the extradition of the person concerned (“{title}”)")
            if outgoing
            else _("your request for the extradition of the person concerned (“{title}”)")
        ).format(title=case.title)
        blocks: list[Block] = [
            Block.paragraph(
                _("We write to inform you of the progress of {about}, our reference {reference}.").format(
                    about=about, reference=case.reference
                )
            ),
            Block.paragraph(_("Present stage: {stage}.").format(stage=case.status_label)),
        ]
        custodies = list(Custody.objects.filter(case=case))
        if custodies:
            blocks.append(Block.heading(_("Custody")))
            blocks.append(
                Block.bullets(
                    [
                        _("{person}: arrested on {arrested}; {status} since {since}.").format(
                            person=x.person_name,
                            arrested=_when(x.arrested_at),
                            status=str(x.get_status_display()).lower(),
                            since=_when(x.status_since, with_time=False),
                        )
                        for x in custodies
                    ]
                )
            )
        steps = list(JudicialStep.objects.filter(case=case))
        if steps:
            blocks.append(Block.heading(_("Judicial phase")))
            rows = [[_("Date"), _("Step"), _("Court or authority"), _("Outcome")]]
            rows += [
                [_when(s.at), str(s.get_kind_display()), s.court, str(s.get_outcome_display()) if s.outcome else ""]
                for s in steps
            ]
            blocks.append(Block.table(rows))
        clocks = [v for v in case_clocks(case) if v.clock != c.Clock.STATUS_UPDATE]
        if clocks:
            blocks.append(Block.heading(_("Time limits running")))
            blocks.append(
                Block.bullets(
                    [
                        _("{name}: {due} ({source}).").format(name=v.name, due=_when(v.due_at), source=v.source)
                        for v in clocks
                    ]
                )
            )
        pending = [a for a in Assurance.objects.filter(case=case) if a.received_on is None]
        if pending and not outgoing:
            blocks.append(Block.heading(_("Assurances awaited")))
            blocks.append(
                Block.bullets(
                    [
                        _("{kind} (asked on {date})").format(kind=a.get_kind_display(), date=_when(a.asked_on))
                        for a in pending
                    ]
                )
            )
        blocks.append(
            Block.paragraph(
                _("We will keep you informed of any further step. Please quote our reference in any correspondence.")
            )
        )
        contact = case.officer or actor
        details = ", ".join(part for part in (contact.email, getattr(contact, "phone", "")) if part)
        blocks.append(
            Block.paragraph(
                _("Contact: {name}{details}.").format(name=contact, details=f" ({details})" if details else "")
            )
        )
        banner = ""
        if case.confidentiality >= Confidentiality.CONFIDENTIAL:
            banner = str(Confidentiality(case.confidentiality).label).upper()
        return Letter(
            language=language,
            subject=_("Extradition: status of the proceedings"),
            blocks=blocks,
            sender=_lines(ours, _("Central Authority")),
            recipient=recipient,
            our_reference=case.reference,
            their_reference=case.counterpart_reference,
            date=timezone.localdate(),
            signature=[str(actor), _("for the Central Authority")],
            confidentiality=banner,
        )
