from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _is_executor(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", "") == "executing")


def _is_ca_staff(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", "") in {"head", "officer"})


def _may_register_incoming(user: object) -> bool:
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "role", "") in {"head", "officer", "clerk"})


class ExecutionConfig(AppConfig):
    name = "entraide.execution"
    label = "execution"
    default_auto_field = "django.db.models.BigAutoField"

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
        from entraide.execution import actions, timeline, views

        register_timeline_describer(timeline.describe)
        # Accepting, refusing, postponing an incoming request or asking for more goes through the admissibility
        # review (checklist, consultation before refusal, letter): the case page's "Next steps" links there.
        register_transition_owner(
            TransitionOwner(
                key=actions.OWNER_KEY,
                label=_("Decide in the admissibility review"),
                claims=actions.claims_step,
                url=views.review_url,
            )
        )

        register_nav(
            NavItem(
                key="tasks", label=_("My tasks"), url_name="execution:tasks", visible=_is_executor, icon="list-check"
            )
        )
        register_nav(
            NavItem(
                key="execution-tasks",
                label=_("Execution tasks"),
                url_name="execution:tasks",
                visible=_is_ca_staff,
                order=60,
                icon="list-check",
            )
        )
        register_nav(
            NavItem(
                key="execution-register",
                label=_("Incoming request"),
                url_name="execution:register",
                visible=_may_register_incoming,
                order=10,
                icon="inbox",
            )
        )
        register_case_panel(
            CasePanel(
                key="admissibility",
                template="execution/_admissibility_panel.html",
                context=views.admissibility_panel,
                column="side",
                order=20,
            )
        )
        register_case_panel(
            CasePanel(
                key="evidence",
                template="execution/_evidence_panel.html",
                context=views.evidence_panel,
                column="side",
                order=30,
            )
        )
        register_case_panel(
            CasePanel(key="execution-tasks", template="execution/_tasks_panel.html", context=views.case_panel)
        )
