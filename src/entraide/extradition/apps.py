"""Extradition: judicial phase, statutory clocks, custody, surrender."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExtraditionConfig(AppConfig):
    name = "entraide.extradition"
    label = "extradition"
    verbose_name = _("Extradition")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from entraide.core.extensions import (
            CasePanel,
            DeadlineOwner,
            NavItem,
            TransitionOwner,
            register_case_marks,
            register_case_panel,
            register_deadline_owner,
            register_nav,
            register_timeline_describer,
            register_transition_guard,
            register_transition_owner,
        )
        from entraide.extradition import actions, queries, timeline, views

        register_timeline_describer(timeline.describe)
        # The arrest, the formal request, the surrender and the release each need their record (date and time,
        # the person, the agreed date and its limits…): the generic "Next steps" send the user to the panel.
        register_transition_owner(
            TransitionOwner(
                key=actions.OWNER_KEY,
                label=_("Extradition panel: arrest, formal request, surrender, release"),
                claims=actions.claims_step,
                url=views.panel_url,
            )
        )
        # The custody clocks are met by what they wait for (the formal request received, the surrender carried
        # out…), recorded on the panel; "mark as met" elsewhere would stop a clock with nothing on record.
        register_deadline_owner(
            DeadlineOwner(
                key=actions.OWNER_KEY,
                label=_("Record it on the extradition panel"),
                claims=queries.claims_deadline,
                url=lambda deadline: views.panel_url(deadline.case),
            )
        )
        # No grant nor surrender of an incoming extradition while a mandatory ground for refusal is established.
        register_transition_guard(queries.transition_guard)
        # Red on the register and on "my work" with less than 10 days left on a custody clock.
        register_case_marks(queries.red_marks)

        def staff(user: object) -> bool:
            return getattr(user, "role", None) in {"officer", "head", "auditor"}

        register_nav(
            NavItem(
                key="custody",
                label=_("Persons in custody"),
                url_name="extradition:custody",
                visible=staff,
                order=40,
                icon="person-lock",
            )
        )
        register_nav(
            NavItem(
                key="calendar",
                label=_("Hearings and deadlines"),
                url_name="extradition:calendar",
                visible=staff,
                order=41,
                icon="calendar-week",
            )
        )
        register_nav(
            NavItem(
                key="extradition-registers",
                label=_("Extradition registers"),
                url_name="extradition:registers",
                visible=staff,
                order=42,
                icon="journal-text",
            )
        )
        register_case_panel(
            CasePanel(key="extradition", template="extradition/_panel.html", context=views.panel_context, order=10)
        )
