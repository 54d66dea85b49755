"""Informal cooperation register and channel advisor."""

from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _may_see(user: Any) -> bool:
    from entraide.accounts.models import Role

    return bool(user.is_authenticated and user.role in (Role.HEAD, Role.OFFICER, Role.CLERK, Role.AUDITOR))


class InformalConfig(AppConfig):
    name = "entraide.informal"
    label = "informal"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("Informal cooperation")

    def ready(self) -> None:
        from entraide.core.extensions import NavItem, register_nav

        register_nav(NavItem(key="informal", label=_("Informal"), url_name="informal:list", visible=_may_see, order=40))
