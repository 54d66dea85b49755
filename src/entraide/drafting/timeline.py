"""Timeline sentences for the steps of a request's review, in the reader's language.

``drafting.actions`` writes these events on the matter (besides the lifecycle's own "status changed" events):
submission, reviewer's comment, accepted warning, the reviewer's and the head's approval, changes asked and
reopening of an approved request. The reason or justification is the event's ``reason``, shown under the sentence.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _


def _section(key: str) -> str:
    from .schema import SECTION_INDEX

    section = SECTION_INDEX.get(key)
    return str(section.label) if section is not None else key


def describe(event: Any) -> str | None:
    verb = event.verb
    if not verb.startswith("draft_"):
        return None
    p = dict(event.params or {})
    version = p.get("hash", "")
    if verb == "draft_submitted":
        return _("Draft request submitted for review (version {hash})").format(hash=version)
    if verb == "draft_comment":
        return _("Reviewer's comment on the step “{section}”").format(section=_section(p.get("section", "")))
    if verb == "draft_warning_accepted":
        return _("Warning {rule} accepted by the reviewer").format(rule=p.get("rule", ""))
    if verb == "draft_review_approved":
        return _("Review approved (version {hash}): the head approves next").format(hash=version)
    if verb == "draft_approved":
        return _("Request approved (version {hash})").format(hash=version)
    if verb == "draft_changes_requested":
        return _("Changes asked: the draft went back to its author")
    if verb == "draft_reopened":
        return _("Approved request (version {hash}) reopened for changes: it must be reviewed again").format(
            hash=version
        )
    return None
