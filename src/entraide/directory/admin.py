"""Administrators edit the directory here. Case models are deliberately registered nowhere in the admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from entraide.directory.models import Authority, Contact, Country, CountryProfile, Instrument


def is_directory_admin(user: Any) -> bool:
    return bool(user.is_active and (user.is_superuser or getattr(user, "is_admin_role", False)))


class AdministratorRoleMixin:
    """Users with the administrator role manage reference data without needing per-model permissions.

    The admin site itself still requires ``is_staff``; everyone else falls back to Django's permissions.
    """

    formfield_overrides: Any = {models.URLField: {"assume_scheme": "https"}}

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_directory_admin(request.user) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_directory_admin(request.user) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_directory_admin(request.user) or super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_directory_admin(request.user) or super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_directory_admin(request.user) or super().has_delete_permission(request, obj)  # type: ignore[misc]


@admin.register(Country)
class CountryAdmin(AdministratorRoleMixin, admin.ModelAdmin):
    list_display = ["code", "alpha3", "name", "name_fr", "name_ar"]
    search_fields = ["code", "alpha3", "name", "name_fr", "name_ar"]
    ordering = ["name"]


class ContactInline(AdministratorRoleMixin, admin.TabularInline):
    model = Contact
    extra = 1
    fields = ["name", "position", "email", "phone", "languages", "notes"]


@admin.register(Authority)
class AuthorityAdmin(AdministratorRoleMixin, admin.ModelAdmin):
    list_display = ["name", "country", "kind", "city", "active"]
    list_filter = ["kind", "active", "country"]
    search_fields = ["name", "name_fr", "name_ar", "city", "email", "country__name", "country__code"]
    autocomplete_fields = ["country"]
    list_select_related = ["country"]
    inlines = [ContactInline]
    fieldsets = [
        (None, {"fields": ["name", "name_fr", "name_ar", "kind", "country", "active"]}),
        (
            _("How to reach it"),
            {"fields": ["city", "address", "email", "phone", "website", "languages", "channels"]},
        ),
        (_("More"), {"fields": ["regional_networks", "notes"]}),
    ]


@admin.register(Instrument)
class InstrumentAdmin(AdministratorRoleMixin, admin.ModelAdmin):
    list_display = ["code", "title", "kind", "scope", "confidence", "parties_known", "parties_as_of"]
    list_filter = ["kind", "scope", "confidence", "parties_known", "binding"]
    search_fields = ["code", "title", "title_fr", "title_ar", "title_es", "title_pt"]
    filter_horizontal = ["parties"]
    fieldsets = [
        (
            None,
            {"fields": ["code", "title", "title_fr", "title_ar", "title_es", "title_pt", "kind", "scope", "binding"]},
        ),
        (_("Dates and depositary"), {"fields": ["adopted", "in_force", "depositary", "articles"]}),
        (
            _("Parties"),
            {
                "description": _(
                    "When you check the party list against the depositary, update the as-of date, the source"
                    " and the confidence with it."
                ),
                "fields": [
                    "parties_known",
                    "parties",
                    "parties_rule",
                    "parties_as_of",
                    "parties_source",
                    "non_parties",
                    "confidence",
                ],
            },
        ),
        (_("Sources and notes"), {"fields": ["sources", "notes", "details"]}),
    ]


@admin.register(CountryProfile)
class CountryProfileAdmin(AdministratorRoleMixin, admin.ModelAdmin):
    list_display = [
        "country",
        "electronic_transmission",
        "originals_required",
        "dual_criminality_required",
        "updated_at",
    ]
    list_filter = ["electronic_transmission", "originals_required", "certification_required"]
    search_fields = ["country__name", "country__name_fr", "country__name_ar", "country__code"]
    autocomplete_fields = ["country"]
    list_select_related = ["country"]
    readonly_fields = ["updated_at"]
