from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from entraide.accounts.urls import auth_urlpatterns

urlpatterns = [
    *auth_urlpatterns,
    path("", include("entraide.core.urls")),
    path("accounts/", include("entraide.accounts.urls")),
    path("directory/", include("entraide.directory.urls")),
    path("cases/", include("entraide.cases.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("entraide.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
