from django.urls import path

from entraide.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("my-work/", views.my_work, name="my-work"),
    path("workload/", views.workload, name="workload"),
    path("new/", views.case_create, name="create"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/edit/", views.case_edit, name="edit"),
    path("<int:pk>/transition/", views.case_transition, name="transition"),
    path("<int:pk>/assign/", views.case_assign, name="assign"),
    path("<int:pk>/access/", views.access_grant, name="access-grant"),
    path("<int:pk>/access/<int:user_id>/revoke/", views.access_revoke, name="access-revoke"),
    path("<int:pk>/waiting/", views.waiting_toggle, name="waiting"),
    path("<int:pk>/offences/new/", views.offence_add, name="offence-add"),
    path("<int:pk>/subjects/new/", views.subject_add, name="subject-add"),
    path("<int:pk>/subjects/<int:subject_id>/edit/", views.subject_edit, name="subject-edit"),
    path("<int:pk>/subjects/<int:subject_id>/identifiers/new/", views.identifier_add, name="identifier-add"),
    path("<int:pk>/measures/new/", views.measure_add, name="measure-add"),
    path("<int:pk>/measures/<int:measure_id>/status/", views.measure_status, name="measure-status"),
    path("<int:pk>/documents/new/", views.document_add, name="document-add"),
    path("<int:pk>/documents/<int:document_id>/versions/new/", views.document_version, name="document-version"),
    path("<int:pk>/documents/versions/<int:version_id>/download/", views.document_download, name="document-download"),
    path("<int:pk>/communications/new/", views.communication_add, name="communication-add"),
    path("<int:pk>/links/new/", views.link_add, name="link-add"),
    path("<int:pk>/deadlines/<int:deadline_id>/<str:op>/", views.deadline_action, name="deadline-action"),
]
