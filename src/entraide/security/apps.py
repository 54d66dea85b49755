from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "entraide.security"
    label = "security"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from entraide.core.extensions import CasePanel, NavItem, register_case_panel, register_nav
        from entraide.security.panels import who_saw

        register_case_panel(CasePanel("who-saw", "security/_who_saw.html", who_saw, column="side", order=90))
        from entraide.core.extensions import (
            register_case_marks,
            register_timeline_describer,
            register_transition_guard,
        )
        from entraide.security import guards

        guards.connect()
        register_transition_guard(guards.transition_guard)
        register_case_marks(guards.case_marks)
        register_timeline_describer(guards.describe_event)
        register_case_panel(
            CasePanel("archive", "security/_archive_panel.html", guards.archive_panel, column="side", order=5)
        )
        from entraide.security.actions import may_administer, may_break_glass

        register_nav(
            NavItem(
                key="audit",
                label=_("Audit trail"),
                url_name="security:audit",
                visible=lambda user: bool(getattr(user, "is_auditor", False)),
                order=900,
                icon="journal-check",
            )
        )
        register_nav(
            NavItem(
                key="security",
                label=_("Security"),
                url_name="security:policy",
                visible=may_administer,
                order=910,
                icon="shield-lock",
            )
        )
        register_nav(
            NavItem(
                key="two-factor",
                label=_("Sign-in security"),
                url_name="security:two-factor",
                visible=lambda user: bool(getattr(user, "is_authenticated", False)),
                order=920,
                icon="key",
            )
        )
        register_nav(
            NavItem(
                key="break-glass",
                label=_("Emergency access"),
                url_name="security:break-glass",
                visible=lambda user: bool(getattr(user, "is_head", False)) or may_break_glass(user),
                order=905,
                icon="exclamation-octagon",
            )
        )
        register_nav(
            NavItem(
                key="retention",
                label=_("Retention"),
                url_name="security:retention",
                visible=lambda user: bool(getattr(user, "is_head", False)),
                order=906,
                icon="archive",
            )
        )
        register_nav(
            NavItem(
                key="archive",
                label=_("Archive"),
                url_name="security:archive",
                visible=lambda user: getattr(user, "role", None) in {"head", "officer", "clerk", "auditor"},
                order=907,
                icon="archive-fill",
            )
        )
