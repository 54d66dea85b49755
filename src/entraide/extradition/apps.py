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
            NavItem,
            register_case_panel,
            register_nav,
            register_timeline_describer,
        )
        from entraide.extradition import timeline, views

        register_timeline_describer(timeline.describe)

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
        register_case_panel(
            CasePanel(key="extradition", template="extradition/_panel.html", context=views.panel_context, order=10)
        )
