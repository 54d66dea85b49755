from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_draft(user: Any) -> bool:
    from entraide.drafting.views import may_draft

    return may_draft(user)


def _signed_in(user: Any) -> bool:
    return bool(user.is_authenticated and not getattr(user, "is_admin_role", False))


def _panel(request: Any, case: Any, base: dict[str, Any]) -> dict[str, Any] | None:
    """The case-page panel: where the draft's review stands and its findings."""
    from entraide.cases.choices import Direction
    from entraide.drafting.models import Draft, Severity
    from entraide.drafting.rules import evaluate
    from entraide.drafting.schema import DRAFT_KINDS

    if case.direction != Direction.OUTGOING or case.kind not in DRAFT_KINDS:
        return None
    draft = Draft.objects.filter(case=case).select_related("reviewer", "approved_by", "submitted_by").first()
    if draft is None:
        return {"draft": None, "may_work": base.get("may_work")}
    draft.case = case
    findings = evaluate(draft)
    counts = {s.value: sum(1 for f in findings if f.severity == s.value and not f.accepted) for s in Severity}
    return {"draft": draft, "findings": findings[:8], "counts": counts, "comment_count": draft.comments.count()}


class DraftingConfig(AppConfig):
    name = "entraide.drafting"
    label = "drafting"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Drafting of outgoing requests")

    def ready(self) -> None:
        from entraide.core.extensions import CasePanel, NavItem, register_case_panel, register_nav

        register_nav(NavItem("drafts", _("Drafts"), "drafting:list", _may_draft, order=20, icon="pencil-square"))
        register_nav(NavItem("guides", _("Country guides"), "drafting:guides", _signed_in, order=21, icon="globe"))
        register_case_panel(CasePanel("drafting", "drafting/_case_panel.html", _panel, column="main", order=10))
