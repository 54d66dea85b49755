import importlib

from django.urls import include, path
from rest_framework.authtoken.views import obtain_auth_token
from rest_framework.routers import DefaultRouter

from entraide.cases import api as cases_api
from entraide.directory import api as directory_api

router = DefaultRouter()
router.include_format_suffixes = False
router.register("countries", directory_api.CountryViewSet, basename="country")
router.register("authorities", directory_api.AuthorityViewSet, basename="authority")
router.register("instruments", directory_api.InstrumentViewSet, basename="instrument")
router.register("country-profiles", directory_api.CountryProfileViewSet, basename="country-profile")

router.register("cases", cases_api.CaseViewSet, basename="case")
router.register("subjects", cases_api.SubjectViewSet, basename="subject")
router.register("measures", cases_api.MeasureViewSet, basename="measure")
router.register("measure-types", cases_api.MeasureTypeViewSet, basename="measure-type")
router.register("offences", cases_api.OffenceViewSet, basename="offence")
router.register("communications", cases_api.CommunicationViewSet, basename="communication")
router.register("links", cases_api.LinkViewSet, basename="link")
router.register("deadlines", cases_api.DeadlineViewSet, basename="deadline")
router.register("documents", cases_api.DocumentViewSet, basename="document")

# The apps built on the register add their endpoints from ``<app>/api.py: register(router)``.
FEATURE_APPS = ("notifications", "drafting", "execution", "extradition", "informal", "matching", "security")
for _app in FEATURE_APPS:
    try:
        _module = importlib.import_module(f"entraide.{_app}.api")
    except ModuleNotFoundError as error:
        if error.name != f"entraide.{_app}.api":
            raise
        continue
    _module.register(router)

urlpatterns = [
    path("auth/token/", obtain_auth_token, name="api-token"),
    path("", include(router.urls)),
]
