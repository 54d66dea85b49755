"""Keep the index current: a saved or deleted subject or identifier re-indexes and deconflicts its subject.

Deleting a subject deletes its entry and matches through the foreign keys (CASCADE). A failure here is logged
and never stops the change the user made: ``entraide matching reindex`` repairs the index.
"""

from __future__ import annotations

import logging
from typing import Any

log = logging.getLogger("entraide.matching")


def _run(what: str, obj: Any) -> None:
    from entraide.matching.deconflict import deconflict_entry
    from entraide.matching.index import index_informal_subject, index_subject

    try:
        entry = index_subject(obj) if what == "subject" else index_informal_subject(obj)
        deconflict_entry(entry)
    except Exception:  # the index must never block recording a subject; logged for repair
        log.exception("matching: could not index %s %s", what, getattr(obj, "pk", None))


def subject_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _run("subject", instance)


def _reindex_subject(subject_id: int) -> None:
    from entraide.cases.models import Subject

    subject = Subject.objects.filter(pk=subject_id).first()
    if subject is not None:
        _run("subject", subject)


def identifier_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _reindex_subject(instance.subject_id)


def identifier_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    # After the commit: the identifier may be going with its subject, whose entry goes too.
    from django.db import transaction

    subject_id = instance.subject_id
    transaction.on_commit(lambda: _reindex_subject(subject_id))


def informal_subject_saved(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    if not raw:
        _run("informal", instance)


def connect() -> None:
    from django.db.models.signals import post_delete, post_save

    from entraide.cases.models import Identifier, Subject
    from entraide.informal.models import InformalSubject

    post_save.connect(subject_saved, sender=Subject, dispatch_uid="matching.subject_saved")
    post_save.connect(identifier_saved, sender=Identifier, dispatch_uid="matching.identifier_saved")
    post_delete.connect(identifier_deleted, sender=Identifier, dispatch_uid="matching.identifier_deleted")
    post_save.connect(informal_subject_saved, sender=InformalSubject, dispatch_uid="matching.informal_saved")
