"""Administrators edit the drafting rules that depend on a country or an instrument."""

from django.contrib import admin

from entraide.directory.admin import AdministratorRoleMixin
from entraide.drafting.models import DraftRule


@admin.register(DraftRule)
class DraftRuleAdmin(AdministratorRoleMixin, admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ("code", "severity", "condition", "section", "source", "active")
    list_filter = ("severity", "condition", "active")
    search_fields = ("code", "message", "message_fr", "message_ar", "source")
