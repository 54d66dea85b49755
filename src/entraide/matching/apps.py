"""Subject normalisation, the index of subjects, deconfliction."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "entraide.matching"
    label = "matching"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Deconfliction")

    def ready(self) -> None:
        from entraide.core.extensions import CasePanel, register_case_panel
        from entraide.matching import signals
        from entraide.matching.panel import case_panel

        signals.connect()
        register_case_panel(
            CasePanel(key="matches", template="matching/case_panel.html", context=case_panel, column="main", order=30)
        )
