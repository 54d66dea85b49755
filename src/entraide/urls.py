import base64
import hashlib
import re

from csp.decorators import csp_update
from django.contrib import admin
from django.template.loader import get_template
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from entraide.accounts.urls import auth_urlpatterns
from entraide.api_urls import FEATURE_APPS


def _swagger_style_hashes() -> list[str]:
    """CSP hashes of the inline <style> of drf-spectacular's Swagger page: allow exactly that, no more."""
    source = get_template("drf_spectacular/swagger_ui.html").template.source  # type: ignore[attr-defined]
    return [
        "'sha256-{}'".format(base64.b64encode(hashlib.sha256(style.encode()).digest()).decode())
        for style in re.findall(r"<style>(.*?)</style>", source, flags=re.S)
    ]


_api_docs = csp_update({"style-src": _swagger_style_hashes()})(
    SpectacularSwaggerSplitView.as_view(url_name="api-schema")
)

urlpatterns = [
    *auth_urlpatterns,
    path("", include("entraide.core.urls")),
    path("accounts/", include("entraide.accounts.urls")),
    path("directory/", include("entraide.directory.urls")),
    path("cases/", include("entraide.cases.urls")),
    *[path(f"{app}/", include(f"entraide.{app}.urls")) for app in FEATURE_APPS],
    path("admin/", admin.site.urls),
    path("api/v1/", include("entraide.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", _api_docs, name="api-docs"),
]
