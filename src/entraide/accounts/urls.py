from django.contrib.auth import views as auth_views
from django.urls import path

from entraide.accounts import views

app_name = "accounts"
urlpatterns = [
    path("language/", views.set_language, name="language"),
]

# login and logout keep their global names so Django's settings (LOGIN_URL) find them.
auth_urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
