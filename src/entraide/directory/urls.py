from django.urls import path

from entraide.directory import views

app_name = "directory"
urlpatterns = [
    path("", views.index, name="index"),
    path("countries/", views.countries, name="countries"),
    path("countries/<str:code>/", views.country, name="country"),
    path("authorities/", views.authorities, name="authorities"),
    path("authorities/<int:pk>/", views.authority, name="authority"),
    path("instruments/", views.instruments, name="instruments"),
    path("instruments/<str:code>/", views.instrument, name="instrument"),
]
