"""Extradition pages: custody, calendar, and the forms of the case panel."""

from django.urls import path

from entraide.extradition import views

app_name = "extradition"
urlpatterns = [
    path("custody/", views.custody, name="custody"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/address/new/", views.calendar_token_new, name="calendar-token-new"),
    path("calendar/address/revoke/", views.calendar_token_revoke, name="calendar-token-revoke"),
    path("calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path("cases/<int:pk>/arrest/", views.arrest, name="arrest"),
    path("cases/<int:pk>/formal-request/", views.formal_request, name="formal-request"),
    path("cases/<int:pk>/steps/add/", views.step_add, name="step-add"),
    path("cases/<int:pk>/status-update/", views.status_update, name="status-update"),
    path("cases/<int:pk>/status-letter/", views.status_letter, name="status-letter"),
    path("cases/<int:pk>/grounds/", views.grounds, name="grounds"),
    path("cases/<int:pk>/logistics/", views.logistics, name="logistics"),
    path("registers/", views.registers, name="registers"),
    path("cases/<int:pk>/competing/add/", views.competing_add, name="competing-add"),
    path("cases/<int:pk>/competing/<int:item_id>/decide/", views.competing_decide, name="competing-decide"),
    path("cases/<int:pk>/<str:register>/<int:item_id>/correct/", views.entry_edit, name="entry-edit"),
    path("cases/<int:pk>/assurances/add/", views.assurance_add, name="assurance-add"),
    path("cases/<int:pk>/assurances/<int:item_id>/assess/", views.assurance_assess, name="assurance-assess"),
    path("cases/<int:pk>/speciality/add/", views.speciality_add, name="speciality-add"),
    path("cases/<int:pk>/speciality/<int:item_id>/decide/", views.speciality_decide, name="speciality-decide"),
]
