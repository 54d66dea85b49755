"""Two-factor sign-in, the security policy and the auditor's pages."""

from django.urls import path

from entraide.audit import views as audit_views
from entraide.security import views

app_name = "security"
urlpatterns = [
    path("two-factor/", views.two_factor, name="two-factor"),
    path("verify/", views.verify, name="verify"),
    path("policy/", views.policy, name="policy"),
    path("break-glass/", views.break_glass, name="break-glass"),
    path("retention/", views.retention, name="retention"),
    path("archive/", views.archive, name="archive"),
    path("audit/", audit_views.audit_list, name="audit"),
    path("audit/export/", audit_views.audit_export, name="audit-export"),
]
