"""Subject normalisation, the index of subjects, deconfliction."""

from django.urls import path

from entraide.matching import views

app_name = "matching"
urlpatterns = [
    path("cases/<int:pk>/run/", views.case_run, name="case-run"),
    path("informal/<int:pk>/run/", views.informal_run, name="informal-run"),
    path("matches/<int:pk>/<str:op>/", views.decide, name="decide"),
    path("search/", views.search, name="search"),
]
