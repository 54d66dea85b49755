"""The directory over REST: every signed-in user reads it, administrators write it."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, permissions, serializers, status, viewsets

from entraide.core.choices import Channel
from entraide.directory.filters import (
    AuthorityApiFilter,
    CountryFilter,
    CountryProfileFilter,
    InstrumentFilter,
)
from entraide.directory.models import Authority, Contact, Country, CountryProfile, Instrument


def language_codes() -> serializers.ListField:
    code = serializers.RegexField(
        r"^[a-z]{2}$",
        error_messages={"invalid": _("Use a two-letter ISO 639-1 code in lower case, e.g. “fr”.")},
    )
    return serializers.ListField(child=code, required=False)


def channel_codes() -> serializers.ListField:
    # Choices keyed by code alone give this list its own schema enum ("ChannelsEnum"); with the labelled
    # choices, drf-spectacular warns that the enum of a case communication's channel has two names.
    choice = serializers.ChoiceField(choices=[(value, value) for value in Channel.values])
    return serializers.ListField(child=choice, required=False)


class IsAdministratorOrReadOnly(permissions.BasePermission):
    """Reading is open to every signed-in user; writing to the administrator role and superusers."""

    message = _("Only administrators may change the directory.")

    def has_permission(self, request: Any, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        return bool(user.is_superuser or getattr(user, "is_admin_role", False))


class InUse(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This record is still referred to (by matters, users or other records) and cannot be deleted.")
    default_code = "in_use"


class CountryCodeField(serializers.SlugRelatedField):
    """A country given by its ISO 3166-1 alpha-2 code."""

    default_error_messages = {
        "does_not_exist": _("Unknown country code “{value}”: use an ISO 3166-1 alpha-2 code, e.g. “FR”."),
        "invalid": _("A country is given by its ISO 3166-1 alpha-2 code, as a string."),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "code")
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Country.objects.all())
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> Any:
        return super().to_internal_value(data.upper() if isinstance(data, str) else data)


class CountrySerializer(serializers.ModelSerializer):
    display_name = serializers.CharField(read_only=True, help_text=_("Name in the language of the request."))

    class Meta:
        model = Country
        fields = ["code", "alpha3", "numeric", "name", "name_fr", "name_ar", "display_name"]


class ContactSerializer(serializers.ModelSerializer):
    languages = language_codes()

    class Meta:
        model = Contact
        fields = ["id", "name", "position", "email", "phone", "languages", "notes"]


class AuthoritySerializer(serializers.ModelSerializer):
    country = CountryCodeField()
    display_name = serializers.CharField(read_only=True)
    languages = language_codes()
    channels = channel_codes()
    contacts = ContactSerializer(
        many=True,
        required=False,
        help_text=_("When given on update, replaces all the authority's contacts."),
    )

    class Meta:
        model = Authority
        fields = [
            "id",
            "name",
            "name_fr",
            "name_ar",
            "display_name",
            "kind",
            "country",
            "city",
            "address",
            "email",
            "phone",
            "website",
            "languages",
            "channels",
            "regional_networks",
            "notes",
            "active",
            "contacts",
        ]

    @transaction.atomic
    def create(self, validated_data: dict[str, Any]) -> Authority:
        contacts = validated_data.pop("contacts", [])
        authority = Authority.objects.create(**validated_data)
        Contact.objects.bulk_create(Contact(authority=authority, **item) for item in contacts)
        return authority

    @transaction.atomic
    def update(self, instance: Authority, validated_data: dict[str, Any]) -> Authority:
        contacts = validated_data.pop("contacts", None)
        instance = super().update(instance, validated_data)
        if contacts is not None:
            instance.contacts.all().delete()
            Contact.objects.bulk_create(Contact(authority=instance, **item) for item in contacts)
        return instance


class InstrumentSerializer(serializers.ModelSerializer):
    parties = CountryCodeField(many=True, required=False)
    non_parties = serializers.ListField(
        child=serializers.CharField(max_length=2),
        required=False,
        help_text=_("ISO 3166-1 alpha-2 codes of States reported as not parties."),
    )
    display_title = serializers.CharField(read_only=True)
    articles = serializers.DictField(child=serializers.CharField(), required=False)
    sources = serializers.ListField(child=serializers.CharField(max_length=500), required=False)

    class Meta:
        model = Instrument
        fields = [
            "id",
            "code",
            "title",
            "title_fr",
            "title_ar",
            "title_es",
            "title_pt",
            "display_title",
            "kind",
            "scope",
            "binding",
            "adopted",
            "in_force",
            "depositary",
            "articles",
            "parties_known",
            "parties",
            "parties_rule",
            "parties_as_of",
            "parties_source",
            "non_parties",
            "confidence",
            "sources",
            "notes",
            "details",
        ]

    def validate_non_parties(self, value: list[str]) -> list[str]:
        codes = {code.upper() for code in value}
        unknown = sorted(codes - set(Country.objects.filter(code__in=codes).values_list("code", flat=True)))
        if unknown:
            raise serializers.ValidationError(_("Unknown country codes: {codes}.").format(codes=", ".join(unknown)))
        return sorted(codes)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        parties = attrs.get("parties")
        known = attrs.get("parties_known", getattr(self.instance, "parties_known", False))
        if parties and not known:
            raise serializers.ValidationError(
                {"parties_known": _("Set parties_known to true when you give a checked party list.")}
            )
        return attrs


class CountryProfileSerializer(serializers.ModelSerializer):
    country = CountryCodeField()
    languages = language_codes()
    channels = channel_codes()

    class Meta:
        model = CountryProfile
        fields = [
            "country",
            "languages",
            "channels",
            "electronic_transmission",
            "originals_required",
            "certification_required",
            "dual_criminality_required",
            "notes",
            "source",
            "updated_at",
        ]
        read_only_fields = ["updated_at"]


class DirectoryViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAdministratorOrReadOnly]

    def perform_destroy(self, instance: Any) -> None:
        try:
            instance.delete()
        except (ProtectedError, RestrictedError) as exc:
            raise InUse() from exc


class CountryViewSet(viewsets.ReadOnlyModelViewSet):
    """ISO 3166-1 countries. Read-only: they are loaded from the standard, not edited."""

    queryset = Country.objects.all()
    serializer_class = CountrySerializer
    filterset_class = CountryFilter
    lookup_field = "code"
    lookup_value_regex = "[A-Za-z]{2}"
    ordering_fields = ["code", "name", "name_fr", "name_ar"]
    ordering = ["name"]

    def get_object(self) -> Country:
        self.kwargs["code"] = self.kwargs["code"].upper()
        return super().get_object()


class AuthorityViewSet(DirectoryViewSet):
    """Authorities with their contacts."""

    queryset = Authority.objects.select_related("country").prefetch_related("contacts")
    serializer_class = AuthoritySerializer
    filterset_class = AuthorityApiFilter
    ordering_fields = ["name", "country", "kind", "city"]
    ordering = ["country__name", "name"]


class InstrumentViewSet(DirectoryViewSet):
    """Legal bases of cooperation, each with its confidence and the date of its party data."""

    queryset = Instrument.objects.prefetch_related("parties")
    serializer_class = InstrumentSerializer
    filterset_class = InstrumentFilter
    lookup_field = "code"
    ordering_fields = ["code", "kind", "scope", "confidence", "parties_as_of"]
    ordering = ["kind", "code"]


class CountryProfileViewSet(DirectoryViewSet):
    """What each country requires of the requests it receives, looked up by country code."""

    queryset = CountryProfile.objects.select_related("country")
    serializer_class = CountryProfileSerializer
    filterset_class = CountryProfileFilter
    lookup_field = "country"
    lookup_value_regex = "[A-Za-z]{2}"
    ordering_fields = ["country", "updated_at"]
    ordering = ["country__name"]

    def get_object(self) -> CountryProfile:
        self.kwargs["country"] = self.kwargs["country"].upper()
        return super().get_object()
