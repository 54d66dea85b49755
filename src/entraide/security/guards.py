"""An archived matter is read-only: no lifecycle step, no change to it or to what it holds.

Three places, so that no page or endpoint of any app needs to know:

- a transition guard (``core.extensions.register_transition_guard``) refuses every step of an archived matter;
- ``pre_save`` / ``pre_delete`` receivers refuse a change to an archived ``Case`` and to its offences, subjects,
  measures, documents and their versions, and communications (``Conflict``, code ``archived``: the pages show the
  message, the API answers 409). A purge (``retention.purging``) is let through;
- the register and "my work" mark archived rows (``register_case_marks``), and the case page shows a panel.

The checks cost nothing for an open matter (an archived matter is always closed): a query is made only for a
closed matter, or a record whose matter is not already loaded.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import pre_delete, pre_save
from django.http import HttpRequest
from django.utils.translation import gettext as _

from entraide.core.errors import Conflict


def _message(reference: str = "") -> str:
    return _(
        "This matter is archived: it is kept read-only until its purge. The head can bring it back from the "
        "archive (page “Archive”) if it must change."
    )


def _archived(case_id: Any) -> bool:
    from entraide.security.retention import is_archived, purging

    return case_id is not None and case_id not in purging.active and is_archived(case_id)


def transition_guard(case: Any, target: str) -> str | None:
    if case.is_open:
        return None
    return _message() if _archived(case.pk) else None


def _case_of(instance: Any) -> tuple[Any, Any]:
    """(the matter's id, the loaded matter or None) for a record of a matter."""
    cache = instance._state.fields_cache
    if "case" in cache:
        return instance.case_id, cache["case"]
    if hasattr(instance, "case_id"):
        return instance.case_id, None
    document = cache.get("document")  # a document version
    if document is not None:
        return document.case_id, document._state.fields_cache.get("case")
    from entraide.cases.models import Document

    return Document.objects.filter(pk=instance.document_id).values_list("case_id", flat=True).first(), None


def _refuse_case_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw") or instance.pk is None or instance.is_open:  # raw: loaddata (a restore) writes as it was
        return
    if _archived(instance.pk):
        raise Conflict(_message(), code="archived")


def _refuse_record_change(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("raw"):
        return
    case_id, case = _case_of(instance)
    if case is not None and case.is_open:
        return
    if _archived(case_id):
        raise Conflict(_message(), code="archived")


def connect() -> None:
    from entraide.cases import models as m

    for signal in (pre_save, pre_delete):
        signal.connect(_refuse_case_change, sender=m.Case, dispatch_uid=f"archived-case-{signal is pre_save}")
        for model in (m.Offence, m.Subject, m.Measure, m.Document, m.DocumentVersion, m.Communication):
            signal.connect(
                _refuse_record_change,
                sender=model,
                dispatch_uid=f"archived-{model.__name__}-{signal is pre_save}",
            )


def case_marks(rows: list[Any]) -> dict[Any, list[Any]]:
    """The register's and "my work"'s mark for archived rows: one query for a page with closed matters."""
    from entraide.core.extensions import CaseMark
    from entraide.security.models import Archive

    closed = [row.pk for row in rows if not getattr(row, "is_open", True)]
    if not closed:
        return {}
    archived = Archive.objects.filter(case_id__in=closed).values_list("case_id", flat=True)
    mark = CaseMark(_("Archived"), level="secondary", title=_("Archived at the end of its retention period."))
    return {pk: [mark] for pk in archived}


def archive_panel(request: HttpRequest, case: Any, base: dict[str, Any]) -> dict[str, Any] | None:
    """The case page's panel for an archived matter (no query for an open one)."""
    if case.is_open:
        return None
    from entraide.security.models import Archive, RetentionRule

    archive = Archive.objects.filter(case_id=case.pk).first()
    if archive is None:
        return None
    rule = RetentionRule.objects.filter(kind=case.kind).first()
    purge_on = None
    if rule is not None and rule.purge_years is not None:
        from entraide.security.retention import _years_before

        purge_on = _years_before(archive.archived_at, -rule.purge_years)
    return {"archive": archive, "purge_on": purge_on, "may_unarchive": getattr(request.user, "is_head", False)}


def describe_event(event: Any) -> str | None:
    """The timeline's sentences for archival and its undoing."""
    if event.verb == "archived":
        return _("Archived at the end of its retention period (read-only)")
    if event.verb == "unarchived":
        return _("Brought back from the archive to the register")
    return None
