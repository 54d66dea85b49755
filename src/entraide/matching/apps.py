"""Subject normalisation, the index of subjects, deconfliction."""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "entraide.matching"
    label = "matching"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Deconfliction")

    def ready(self) -> None:
        from entraide.core.extensions import CasePanel, NavItem, register_case_panel, register_nav
        from entraide.matching import signals
        from entraide.matching.panel import case_panel
        from entraide.matching.search import may_search

        signals.connect()
        register_case_panel(
            CasePanel(key="matches", template="matching/case_panel.html", context=case_panel, column="main", order=30)
        )
        register_nav(
            NavItem(
                key="subject-search",
                label=_("Subjects"),
                url_name="matching:search",
                visible=may_search,
                order=45,
                icon="person-vcard",
            )
        )

    def after_generate(self, stdout: Any = None) -> None:
        """``entraide generate`` writes matters without the ORM's signals: index the subjects it wrote (those
        without an entry yet), in bulk. Deconfliction itself runs on demand or as subjects change."""
        from entraide.matching.index import index_missing

        count = index_missing()
        if stdout is not None:
            stdout.write(f"Index of subjects for deconfliction: {count} subjects indexed.")
