"""Outgoing requests: guided composer, checks against the treaty and the requested state, review, the document."""

from django.urls import path

from entraide.drafting import views

app_name = "drafting"
urlpatterns = [
    path("", views.draft_list, name="list"),
    path("new/", views.draft_start, name="start"),
    path("legal-bases/", views.legal_bases, name="legal-bases"),
    path("guides/", views.guide_list, name="guides"),
    path("guides/<str:country>/", views.guide_detail, name="guide"),
    path("guides/<str:country>/edit/", views.guide_edit, name="guide-edit"),
    path("<int:pk>/", views.compose, name="compose"),
    path("<int:pk>/findings/", views.findings, name="findings"),
    path("<int:pk>/save/", views.save, name="save"),
    path("<int:pk>/matter/", views.matter, name="matter"),
    path("<int:pk>/offences/new/", views.offence_add, name="offence-add"),
    path("<int:pk>/subjects/new/", views.subject_add, name="subject-add"),
    path("<int:pk>/measures/new/", views.measure_add, name="measure-add"),
    path("<int:pk>/measures/<int:measure_id>/link/", views.measure_link, name="measure-link"),
    path("<int:pk>/annexes/new/", views.annex_add, name="annex-add"),
    path("<int:pk>/annexes/<str:annex_id>/remove/", views.annex_remove, name="annex-remove"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/panel-findings/", views.panel_findings, name="panel-findings"),
    path("<int:pk>/review/comment/", views.comment, name="comment"),
    path("<int:pk>/review/accept/", views.accept, name="accept"),
    path("<int:pk>/review/changes/", views.request_changes, name="request-changes"),
    path("<int:pk>/review/approve/", views.approve, name="approve"),
    path("<int:pk>/document/", views.document, name="document"),
    path("<int:pk>/advance-copy/", views.advance_copy, name="advance-copy"),
    path("<int:pk>/advance-copy/<int:copy_id>/comments/", views.advance_comments, name="advance-comments"),
    path("<int:pk>/transmit/", views.transmit, name="transmit"),
]
