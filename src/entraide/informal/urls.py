"""Informal cooperation register."""

from django.urls import path

from entraide.informal import views

app_name = "informal"
urlpatterns = [
    path("", views.contact_list, name="list"),
    path("feed/", views.feed, name="feed"),
    path("advisor/", views.advisor, name="advisor"),
    path("new/", views.create, name="create"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/subjects/add/", views.subject_add, name="subject-add"),
    path("<int:pk>/subjects/<int:subject_id>/remove/", views.subject_remove, name="subject-remove"),
    path("<int:pk>/links/add/", views.link_add, name="link-add"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/grant/", views.grant, name="grant"),
]
