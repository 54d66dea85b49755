"""The drafting pages in the permission matrix (core/tests/test_permission_matrix.py).

``prepare`` adds an outgoing MLA draft led by ``officer``: the officer, the head and the auditor see it; the
others get 404 as if it did not exist. Only the drafters (officer, head, clerk, requesting authority) get the
start page.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from entraide.testing import rule

DRAFTERS = rule(302, 404, officer=200, officer2=200, head=200, clerk=200, prosecutor=200)
READ = rule(302, 404, officer=200, head=200, auditor=200)
EDIT = rule(302, 404, officer=200, head=200, auditor=403)
POST = rule(302, 404, officer=302, head=302, auditor=302)

MATRIX: dict[str, tuple[str, dict[str, int]]] = {
    "drafting:list": ("get", DRAFTERS | {"auditor": 200}),
    "drafting:start": ("get", DRAFTERS),
    "drafting:legal-bases": ("get", DRAFTERS),
    "drafting:guides": ("get", rule(302, 200)),
    "drafting:guide": ("get", rule(302, 200)),
    "drafting:guide-edit": ("get", rule(302, 404, officer=200, officer2=200, head=200)),
    "drafting:compose": ("get", READ),
    "drafting:findings": ("get", READ),
    "drafting:save": ("post", rule(302, 404, officer=400, head=400, auditor=400)),
    "drafting:matter": ("post", POST),
    "drafting:offence-add": ("get", EDIT),
    "drafting:subject-add": ("get", EDIT),
    "drafting:measure-add": ("get", EDIT),
    "drafting:measure-link": ("post", POST),
    "drafting:annex-add": ("get", EDIT),
    "drafting:annex-remove": ("post", POST),
    "drafting:submit": ("post", POST),
    "drafting:comment": ("post", POST),
    "drafting:accept": ("post", POST),
    "drafting:request-changes": ("post", POST),
    "drafting:approve": ("post", POST),
    "drafting:document": ("post", POST),
    "drafting:advance-copy": ("post", POST),
    "drafting:advance-comments": ("post", rule(302, 404, officer=404, head=404, auditor=404)),  # no such copy
    "drafting:transmit": ("post", POST),
    "drafting:reopen": ("post", POST),
    "drafting:panel-findings": ("get", READ),
    "draft-list": ("get", rule(401, 200)),
    "draft-detail": ("get", rule(401, 404, officer=200, head=200, auditor=200)),
    "draft-findings": ("get", rule(401, 404, officer=200, head=200, auditor=200)),
    # An empty body: 409 (blocking findings) for the author, 403 for the auditor, 404 for the rest.
    "draft-submit": ("post", rule(401, 404, officer=409, head=409, auditor=403)),
    "draft-comment": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
    "draft-accept-warning": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
    "draft-request-changes": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
    "draft-approve": ("post", rule(401, 404, officer=403, head=409, auditor=403)),
    "draft-link-measure": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
    "draft-annexes": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
    "legal-basis-list": ("get", rule(401, 400)),
    "drafting-rule-list": ("get", rule(401, 200)),
    "country-guide-list": ("get", rule(401, 200)),
    "country-guide-detail": ("get", rule(401, 200)),
    "draft-document": ("post", rule(401, 404, officer=409, head=409, auditor=403)),
    "draft-advance-copy": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
    "draft-advance-comments": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
    "draft-transmit": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
    "draft-reopen": ("post", rule(401, 404, officer=400, head=400, auditor=400)),
}


def _pk(objects: dict[str, Any]) -> int:
    return int(objects["draft_case"])


URLS = {
    name: (lambda objects, name=name: reverse(name, kwargs={"pk": _pk(objects)}))
    for name in MATRIX
    if name.startswith("drafting:")
    and name
    not in {
        "drafting:list",
        "drafting:start",
        "drafting:legal-bases",
        "drafting:guides",
        "drafting:measure-link",
        "drafting:annex-remove",
    }
}
for _name in (
    "draft-detail",
    "draft-findings",
    "draft-submit",
    "draft-comment",
    "draft-accept-warning",
    "draft-request-changes",
    "draft-approve",
    "draft-link-measure",
    "draft-annexes",
    "draft-document",
    "draft-advance-copy",
    "draft-advance-comments",
    "draft-transmit",
    "draft-reopen",
):
    URLS[_name] = lambda objects, name=_name: reverse(name, kwargs={"pk": _pk(objects)})
URLS["drafting:measure-link"] = lambda objects: reverse(
    "drafting:measure-link", kwargs={"pk": _pk(objects), "measure_id": objects["draft_measure"]}
)
URLS["drafting:advance-comments"] = lambda objects: reverse(
    "drafting:advance-comments", kwargs={"pk": _pk(objects), "copy_id": 999999}
)
URLS["drafting:guide"] = lambda objects: reverse("drafting:guide", kwargs={"country": "FR"})
URLS["drafting:guide-edit"] = lambda objects: reverse("drafting:guide-edit", kwargs={"country": "FR"})
URLS["country-guide-detail"] = lambda objects: reverse("country-guide-detail", kwargs={"pk": objects["guide"]})
URLS["drafting:annex-remove"] = lambda objects: reverse(
    "drafting:annex-remove", kwargs={"pk": _pk(objects), "annex_id": "nosuchannex"}
)


def prepare(objects: dict[str, Any], request: Any) -> None:
    from entraide.cases import actions as case_actions
    from entraide.drafting import actions
    from entraide.testing import country

    officer = request.getfixturevalue("officer")
    draft = actions.start_draft(actor=officer, kind="mla", counterpart_country=country("FR"), title="Outgoing draft")
    measure = case_actions.add_measure(
        draft.case, actor=officer, type="information", details={"information": "Records"}
    )
    objects["draft_case"] = draft.case_id
    objects["guide"] = actions.save_guide(
        actor=officer, country=country("FR"), language="fr", title="France", body="Écrire en français."
    ).pk
    objects["draft_measure"] = measure.pk
