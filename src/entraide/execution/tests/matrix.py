"""Permission matrix of the execution app (read by core/tests/test_permission_matrix.py).

Two tasks on the matter: ``own`` given to the executor persona's authority, ``other`` to another authority. The
executor reaches its own task (200) and gets 404 for the other one, as for the matter itself; URLs built on
``other`` are marked below.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from entraide.testing import API_CASE_READ, CASE_READ, CASE_WORK, PAGE_OPEN, rule

SEES_OWN = rule(302, 404, officer=200, head=200, auditor=200, executor=200)
MANAGES = rule(302, 404, officer=200, head=200, auditor=403, executor=403)
REPORTS = rule(302, 404, officer=200, head=200, auditor=403, executor=200)
ASKS = rule(302, 404, officer=403, head=403, auditor=403, executor=200)
OTHER_AUTHORITY = rule(302, 404, officer=200, head=200, auditor=403, executor=404)
API_OPEN = rule(401, 200)
API_SEES_OWN = rule(401, 404, officer=200, head=200, auditor=200, executor=200)
API_INPUT_OWN = rule(401, 404, officer=400, head=400, auditor=400, executor=400)
API_CASE_INPUT = rule(401, 404, officer=400, head=400, auditor=400)
API_INPUT_OTHER = rule(401, 404, officer=400, head=400, auditor=400, executor=404)

MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "execution:register": ("get", rule(302, 404, officer=200, officer2=200, head=200, clerk=200)),
    "execution-duplicate-list": ("post", rule(401, 403, officer=200, officer2=200, head=200, clerk=200)),
    "execution:tasks": ("get", PAGE_OPEN),
    "execution:task": ("get", SEES_OWN),
    "execution:task-progress": ("get", OTHER_AUTHORITY),  # another authority's task
    "execution:task-question": ("get", ASKS),
    "execution:task-answer": ("get", MANAGES),
    "execution:task-result-add": ("get", REPORTS),
    "execution:task-result-download": ("get", SEES_OWN),
    "execution:task-reassign": ("get", MANAGES),
    "execution:task-cancel": ("get", OTHER_AUTHORITY),  # another authority's task
    "execution:task-settle": ("post", rule(302, 404, officer=302, head=302, auditor=403, executor=403)),
    "execution:task-create": ("get", CASE_WORK),
    "execution:challenge-add": ("get", MANAGES),
    "execution:challenge-outcome": ("get", MANAGES),
    "execution-task-challenges": ("post", API_INPUT_OWN),
    "execution-task-challenge-outcome": ("post", API_INPUT_OWN),
    "execution:admissibility": ("get", CASE_READ),
    "execution:consultation-add": ("get", CASE_WORK),
    "execution:decide": ("get", CASE_WORK),
    "execution:supplementary-answer": ("get", CASE_WORK),
    "execution:resume": ("get", CASE_WORK),
    "execution:letter": ("get", CASE_WORK),
    "execution:status-schedule": ("get", CASE_WORK),
    "execution:evidence": ("get", CASE_READ),
    "execution:evidence-add": ("get", CASE_WORK),
    "execution:evidence-custody": ("get", CASE_WORK),
    "execution:evidence-return": ("get", CASE_WORK),
    "execution:confidentiality": ("get", CASE_READ),
    "execution:disclosure-add": ("get", CASE_WORK),
    "execution:disclosure-step": ("get", CASE_WORK),
    "execution-evidence-list": ("get", API_OPEN),
    "execution-disclosure-list": ("get", API_OPEN),
    "execution-disclosure-detail": ("get", API_CASE_READ),
    "execution-disclosure-notice": ("post", API_CASE_INPUT),
    "execution-disclosure-notified": ("post", API_CASE_INPUT),
    "execution-evidence-detail": ("get", API_CASE_READ),
    "execution-evidence-return": ("post", rule(401, 400)),
    "admissibility-detail": ("get", API_CASE_READ),
    "admissibility-assess": ("post", API_CASE_INPUT),
    "admissibility-consultations": ("post", API_CASE_INPUT),
    "admissibility-decide": ("post", API_CASE_INPUT),
    "admissibility-answer": ("post", API_CASE_INPUT),
    "admissibility-resume": ("post", API_CASE_INPUT),
    "execution-task-list": ("get", API_OPEN),
    "execution-task-detail": ("get", API_SEES_OWN),
    "execution-task-progress": ("post", API_INPUT_OTHER),  # another authority's task
    "execution-task-question": ("post", API_INPUT_OWN),
    "execution-task-answer": ("post", API_INPUT_OWN),
    "execution-task-results": ("post", API_INPUT_OWN),
    "execution-task-reassign": ("post", API_INPUT_OWN),
    "execution-task-cancel": ("post", API_INPUT_OTHER),  # another authority's task
    "execution-result-list": ("get", API_OPEN),
    "execution-result-detail": ("get", API_SEES_OWN),
    "execution-result-download": ("get", API_SEES_OWN),
}


def _own(o: dict[str, Any]) -> dict[str, Any]:
    return {"pk": o["_exec_own"]}


def _other(o: dict[str, Any]) -> dict[str, Any]:
    return {"pk": o["_exec_other"]}


URLS = {
    "execution:task": lambda o: reverse("execution:task", kwargs=_own(o)),
    "execution:task-progress": lambda o: reverse("execution:task-progress", kwargs=_other(o)),
    "execution:task-question": lambda o: reverse("execution:task-question", kwargs=_own(o)),
    "execution:task-answer": lambda o: reverse(
        "execution:task-answer", kwargs={**_own(o), "entry_id": o["_exec_question"]}
    ),
    "execution:task-result-add": lambda o: reverse("execution:task-result-add", kwargs=_own(o)),
    "execution:task-result-download": lambda o: reverse(
        "execution:task-result-download", kwargs={**_own(o), "result_id": o["_exec_result"]}
    ),
    "execution:task-settle": lambda o: reverse("execution:task-settle", kwargs=_own(o)),
    "execution:task-reassign": lambda o: reverse("execution:task-reassign", kwargs=_own(o)),
    "execution:task-cancel": lambda o: reverse("execution:task-cancel", kwargs=_other(o)),
    "execution:challenge-add": lambda o: reverse("execution:challenge-add", kwargs=_own(o)),
    "execution:challenge-outcome": lambda o: reverse(
        "execution:challenge-outcome", kwargs={**_own(o), "challenge_id": o["_exec_challenge"]}
    ),
    "execution-task-challenges": lambda o: reverse("execution-task-challenges", kwargs=_own(o)),
    "execution-task-challenge-outcome": lambda o: reverse("execution-task-challenge-outcome", kwargs=_own(o)),
    "execution:task-create": lambda o: reverse("execution:task-create", kwargs={"pk": o["pk"]}),
    "execution:evidence-custody": lambda o: reverse(
        "execution:evidence-custody", kwargs={"pk": o["pk"], "item_id": o["_exec_item"]}
    ),
    "execution:disclosure-step": lambda o: reverse(
        "execution:disclosure-step", kwargs={"pk": o["pk"], "duty_id": o["_exec_duty"], "step": "notice"}
    ),
    "execution-disclosure-detail": lambda o: reverse("execution-disclosure-detail", kwargs={"pk": o["_exec_duty"]}),
    "execution-disclosure-notice": lambda o: reverse("execution-disclosure-notice", kwargs={"pk": o["_exec_duty"]}),
    "execution-disclosure-notified": lambda o: reverse("execution-disclosure-notified", kwargs={"pk": o["_exec_duty"]}),
    "execution-evidence-detail": lambda o: reverse("execution-evidence-detail", kwargs={"pk": o["_exec_item"]}),
    "execution-task-detail": lambda o: reverse("execution-task-detail", kwargs=_own(o)),
    "execution-task-progress": lambda o: reverse("execution-task-progress", kwargs=_other(o)),
    "execution-task-question": lambda o: reverse("execution-task-question", kwargs=_own(o)),
    "execution-task-answer": lambda o: reverse("execution-task-answer", kwargs=_own(o)),
    "execution-task-results": lambda o: reverse("execution-task-results", kwargs=_own(o)),
    "execution-task-reassign": lambda o: reverse("execution-task-reassign", kwargs=_own(o)),
    "execution-task-cancel": lambda o: reverse("execution-task-cancel", kwargs=_other(o)),
    "execution-result-detail": lambda o: reverse("execution-result-detail", kwargs={"pk": o["_exec_result"]}),
    "execution-result-download": lambda o: reverse("execution-result-download", kwargs={"pk": o["_exec_result"]}),
}


def prepare(objects: dict[str, Any], request: Any) -> None:
    """Two tasks written directly (the matter's state is left as the other apps need it), a question, a result."""
    from entraide.cases.models import Case
    from entraide.execution import actions
    from entraide.execution.models import Challenge, DisclosureDuty, ExecutionTask
    from entraide.testing import national_authority

    executor = request.getfixturevalue("executor")
    officer = request.getfixturevalue("officer")
    case = Case.objects.get(pk=objects["pk"])
    due = timezone.localdate() + timedelta(days=30)
    common = {"case": case, "title": "Bank records", "instructions": "Obtain", "due_on": due, "contact": officer}
    own = ExecutionTask.objects.create(reference="EXEC/T/1", authority=executor.authority, created_by=officer, **common)
    other = ExecutionTask.objects.create(
        reference="EXEC/T/2", authority=national_authority("court"), created_by=officer, **common
    )
    question = actions.ask_question(own, actor=executor, text="Which period?")
    result = actions.add_result(own, SimpleUploadedFile("r.txt", b"statement"), actor=executor)
    objects.update(
        _exec_own=own.pk,
        _exec_other=other.pk,
        _exec_question=question.pk,
        _exec_result=result.pk,
        _exec_item=result.evidence_item.pk,
        _exec_challenge=Challenge.objects.create(
            task=own,
            by="affected_person",
            challenger="Account holder",
            decision="Production order",
            forum="Court of appeal",
            filed_on=timezone.localdate(),
            created_by=officer,
        ).pk,
        _exec_duty=DisclosureDuty.objects.create(
            case=case, person="Account holder", legal_basis="Banking law art. 12", notify_on=due, created_by=officer
        ).pk,
    )
