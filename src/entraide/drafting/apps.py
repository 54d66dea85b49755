from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_draft(user: Any) -> bool:
    from entraide.drafting.views import may_draft

    return may_draft(user)


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and not getattr(user, "is_admin_role", False))


def _panel(request: Any, case: Any, base: dict[str, Any]) -> dict[str, Any] | None:
    """The case-page panel: where the draft's review stands. One query (the draft, its people and the number of
    comments); the findings, which take a dozen queries to evaluate, come from the drafting app's own page
    (htmx, once the case page is shown)."""
    from django.db.models import Count

    from entraide.cases.choices import Direction
    from entraide.drafting.models import Draft
    from entraide.drafting.schema import DRAFT_KINDS

    if case.direction != Direction.OUTGOING or case.kind not in DRAFT_KINDS:
        return None
    draft = (
        Draft.objects.filter(case_id=case.pk)
        .select_related("reviewer", "approved_by", "submitted_by")
        .annotate(comment_count=Count("comments"))
        .first()
    )
    if draft is None:
        return {"draft": None, "may_work": base.get("may_work")}
    draft.case = case
    return {"draft": draft, "comment_count": draft.comment_count}  # type: ignore[attr-defined]


# The steps of the outgoing lifecycles that the review drives: the case page's generic "Next steps" and the API
# send the user to the composer for them. Sending an approved MLA or preservation request is the composer's
# "Record the transmission" (documents generated, hashes named); outgoing extradition and provisional arrest
# leave the sending, and what follows, to the extradition app.
REVIEW_STEPS = frozenset(
    {("draft", "under_review"), ("under_review", "draft"), ("under_review", "approved"), ("approved", "draft")}
)


def claims(case: Any, target: str) -> bool:
    from entraide.cases.choices import Direction
    from entraide.drafting.schema import DRAFT_KINDS, EXTRADITION_KINDS

    if case.direction != Direction.OUTGOING or case.kind not in DRAFT_KINDS:
        return False
    step = (case.status, target)
    if step in REVIEW_STEPS:
        return True
    return step == ("approved", "sent") and case.kind not in EXTRADITION_KINDS


def _composer(case: Any) -> str:
    from django.urls import reverse

    return reverse("drafting:compose", args=[case.pk])


class DraftingConfig(AppConfig):
    name = "entraide.drafting"
    label = "drafting"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Drafting of outgoing requests")

    def ready(self) -> None:
        from entraide.core.extensions import (
            CasePanel,
            NavItem,
            TransitionOwner,
            register_case_panel,
            register_nav,
            register_timeline_describer,
            register_transition_owner,
        )
        from entraide.drafting import timeline

        register_nav(NavItem("drafts", _("Drafts"), "drafting:list", _may_draft, order=20, icon="pencil-square"))
        register_nav(NavItem("guides", _("Country guides"), "drafting:guides", _signed_in, order=21, icon="globe"))
        register_case_panel(CasePanel("drafting", "drafting/_case_panel.html", _panel, column="main", order=10))
        register_timeline_describer(timeline.describe)
        register_transition_owner(
            TransitionOwner(key="drafting", label=_("Draft request and its review"), claims=claims, url=_composer)
        )
