"""What a user may see of execution tasks.

The Central Authority's staff see the tasks of the matters they may see (``cases.queries``). A user of a
national executing authority sees the tasks assigned to their authority and nothing else: the matter itself stays
hidden from them (``visible_cases`` gives them only what they were explicitly granted), and a task of another
authority answers 404 as if it did not exist.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from entraide.accounts.models import Role
from entraide.cases.queries import NOTHING, can_work_on, visible_cases
from entraide.execution.models import ExecutionTask

CA_READERS = {Role.HEAD, Role.OFFICER, Role.AUDITOR, Role.CLERK}


def is_executor(user: Any) -> bool:
    return bool(user.is_authenticated and user.role == Role.EXECUTING and user.authority_id)


def visible_tasks_filter(user: Any) -> Q:
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    if is_executor(user):
        return Q(authority_id=user.authority_id, case__confidentiality__lte=user.clearance)
    if user.role in CA_READERS:
        return Q(case__in=visible_cases(user))
    return NOTHING


def visible_tasks(user: Any) -> QuerySet[ExecutionTask]:
    return ExecutionTask.objects.filter(visible_tasks_filter(user))


def get_task_for(user: Any, pk: Any) -> ExecutionTask:
    try:
        return visible_tasks(user).select_related("case", "measure", "authority", "contact").get(pk=int(pk))
    except (ValueError, TypeError, ExecutionTask.DoesNotExist) as exc:
        raise Http404 from exc


def sees_case(user: Any, task: ExecutionTask) -> bool:
    """Whether the reader may see the matter behind the task (its reference, its page)."""
    return not is_executor(user) and visible_cases(user).filter(pk=task.case_id).exists()


def can_manage_tasks(user: Any, case: Any) -> bool:
    """Create, reassign, cancel and answer: the Central Authority's officer working on the matter, or the head."""
    return bool(user.is_authenticated and user.role in {Role.HEAD, Role.OFFICER} and can_work_on(user, case))


def can_report(user: Any, task: ExecutionTask) -> bool:
    """Record progress, upload results, ask questions: the users of the executing authority."""
    return is_executor(user) and user.authority_id == task.authority_id


def find_duplicates(
    user: Any, *, country: Any = None, reference: str = "", names: list[str] | None = None
) -> dict[str, Any]:
    """Registered matters that may be the same request: the same counterpart reference from the same country, or
    the same subject's name in another open matter.

    Only the matters ``user`` may see are named (reference, title, why); the others are only counted, so that the
    user knows to ask the head without learning anything of a matter they have no need to know.
    """
    from entraide.cases.models import Case, Subject
    from entraide.core.text import fold

    reasons: dict[int, set[str]] = {}
    reference = (reference or "").strip()
    if reference and country is not None:
        for pk in Case.objects.filter(counterpart_reference__iexact=reference, counterpart_country=country).values_list(
            "pk", flat=True
        ):
            reasons.setdefault(pk, set()).add("reference")
    folded = {fold(name) for name in names or [] if fold(name)}
    if folded:
        condition = Q()
        for name in folded:
            condition |= Q(search_name=name) | Q(search_name__startswith=name + " ")
        for pk in (
            Subject.objects.filter(condition, case__is_open=True).values_list("case_id", flat=True).distinct()[:200]
        ):
            reasons.setdefault(pk, set()).add("subject")
    if not reasons:
        return {"visible": [], "restricted": 0}
    visible = {
        case.pk: case
        for case in visible_cases(user).filter(pk__in=list(reasons)).only("pk", "reference", "title", "status")
    }
    return {
        "visible": [{"case": visible[pk], "reasons": sorted(reasons[pk])} for pk in sorted(visible, reverse=True)],
        "restricted": len(set(reasons) - set(visible)),
    }
