"""User administration: roles, the authority a national user works for, clearance and language."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from entraide.accounts.models import User
from entraide.directory.admin import AdministratorRoleMixin

SUPERUSER_ONLY = ("is_superuser", "groups", "user_permissions")


@admin.register(User)
class UserAdmin(AdministratorRoleMixin, BaseUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "authority",
        "clearance",
        "is_active",
    ]
    list_filter = ["role", "clearance", "is_active", "is_staff", "is_superuser"]
    search_fields = ["username", "first_name", "last_name", "email", "authority__name"]
    list_select_related = ["authority", "authority__country"]
    autocomplete_fields = ["authority"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["first_name", "last_name", "email", "phone", "language"]}),
        (_("Role and access"), {"fields": ["role", "authority", "clearance"]}),
        (
            _("Permissions"),
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["username", "usable_password", "password1", "password2"]}),
        (_("Role and access"), {"fields": ["role", "authority", "clearance", "language"]}),
    ]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            # An administrator by role manages accounts but cannot hand out superuser powers.
            readonly += [name for name in SUPERUSER_ONLY if name not in readonly]
        return readonly

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
