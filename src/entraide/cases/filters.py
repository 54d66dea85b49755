"""Filters of the register, shared by the pages and the API."""

from __future__ import annotations

import copy
import json
from html import escape
from typing import TYPE_CHECKING, Any

import django_filters
from django import forms
from django.db import connections
from django.db.models import F, Lookup, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import QueryDict
from django.utils import timezone
from django.utils.choices import normalize_choices
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_filters.fields import ChoiceField, ChoiceIterator

from entraide.accounts.models import Role, User
from entraide.cases import choices as c
from entraide.cases import search
from entraide.cases.catalogue import MeasureType
from entraide.cases.lifecycles import all_states
from entraide.cases.models import Case, CaseLink, Communication, Deadline, Document, Measure, Offence, Subject
from entraide.core.choices import Channel
from entraide.core.i18n import current_language
from entraide.core.text import fold
from entraide.directory.models import Country


def _attrs(attrs: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``."""
    return "".join(
        f" {escape(name)}" if value is True else f' {escape(name)}="{escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


if TYPE_CHECKING:
    _SelectBase = forms.Select
else:
    _SelectBase = object

# The options of each select, escaped, by its choices: the same choices (the countries in one language, say) are
# rendered again on every page of the register. Keyed by the choices themselves, so never stale; bounded.
_OPTIONS: dict[tuple[tuple[str, str], ...], tuple[list[str], list[str], list[str]]] = {}
_OPTIONS_MAX = 64


def _options(choices: tuple[tuple[str, str], ...]) -> tuple[list[str], list[str], list[str]]:
    """(values, each option's HTML, each option's HTML when selected)."""
    cached = _OPTIONS.get(choices)
    if cached is None:
        values, plain, selected = [], [], []
        for value, label in choices:
            head, tail = f'\n  <option value="{escape(value)}"', f">{escape(label)}</option>\n"
            values.append(value)
            plain.append(head + tail)
            selected.append(head + " selected" + tail)
        if len(_OPTIONS) >= _OPTIONS_MAX:
            _OPTIONS.clear()
        cached = _OPTIONS[choices] = (values, plain, selected)
    return cached


class QuickRender(_SelectBase):
    """A select widget's HTML, the same as Django's, rendered in Python: its templates (one per option) and option
    dicts cost as much as the rest of the register's page, whose filter form lists 250 countries and 60 states.
    The options' HTML is kept by choices (``_options``)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        selected_values = self.format_value(value)
        start = f'<select name="{escape(name)}"{_attrs(self.build_attrs(self.attrs, attrs))}>'
        flat: list[tuple[str, str]] = []
        for option_value, option_label in self.choices:
            if isinstance(option_label, list | tuple):
                return self._render_groups(start, selected_values)
            flat.append(("" if option_value is None else str(option_value), str(option_label)))
        values, plain, selected = _options(tuple(flat))
        parts = plain
        for index, option_value in enumerate(values):
            if option_value in selected_values:  # as ChoiceWidget.optgroups: only the first match is selected
                parts = [*plain[:index], selected[index], *plain[index + 1 :]]
                break
        return mark_safe(start + "".join(parts) + "\n</select>")

    def _render_groups(self, start: str, selected_values: list[str]) -> SafeString:
        has_selected = False
        parts = [start]
        # As ChoiceWidget.optgroups and create_option do, for a single choice; every value is escaped.
        for option_value, option_label in self.choices:
            group = isinstance(option_label, list | tuple)
            if group:
                parts.append(f'\n  <optgroup label="{escape(str(option_value))}">')
            for subvalue, sublabel in option_label if group else [(option_value, option_label)]:
                subvalue = "" if subvalue is None and not group else subvalue
                selected = not has_selected and str(subvalue) in selected_values
                has_selected |= selected
                flag = " selected" if selected else ""
                parts.append(f'\n  <option value="{escape(str(subvalue))}"{flag}>{escape(str(sublabel))}</option>\n')
            if group:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))


class QuickSelect(QuickRender, forms.Select):  # type: ignore[misc]
    """``forms.Select``, rendered by ``QuickRender``."""


class QuickNullBooleanSelect(QuickRender, forms.NullBooleanSelect):  # type: ignore[misc]
    """``forms.NullBooleanSelect`` (Unknown / Yes / No), rendered by ``QuickRender``."""


class _Choices(ChoiceIterator):
    """django-filters' choice iterator, normalizing its choices (calling them, if a callable) once for the field
    and its copies rather than on every iteration, and shared rather than copied when the form copies its
    fields: the register's form (250 countries) spent more time copying and normalizing choices than rendering."""

    def __init__(self, field: Any, choices: Any) -> None:
        super().__init__(field, choices)
        self._normalized: list[Any] = []  # shared by the copies: filled once

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        if not self._normalized:
            self._normalized.append(list(normalize_choices(self.choices)))
        yield from self._normalized[0]

    def __deepcopy__(self, memo: dict[int, Any]) -> _Choices:
        result = copy.copy(self)
        result.field = memo.get(id(self.field), self.field)
        return result


class FastChoiceField(ChoiceField):
    iterator = _Choices


class FastChoiceFilter(django_filters.ChoiceFilter):
    """A ``ChoiceFilter`` whose choices are normalized once per form (``_Choices``)."""

    field_class = FastChoiceField


class IdIn(Lookup):  # type: ignore[type-arg]
    """``lhs IN (1, 2, 3)`` with the integers written in the query rather than as parameters: preparing thousands of
    parameters cost more than the query, and a JSON list or a subquery hides from SQLite how many there are."""

    lookup_name = "id_in"
    MAX = 20_000  # beyond, the ids go as one JSON parameter

    def get_prep_lookup(self) -> Any:
        return [int(value) for value in self.rhs]  # integers only: nothing else is ever written into the SQL

    # From this many ids, a page of the register in its default order (newest first) is found faster by reading the
    # matters in that order and keeping those in the list (a few thousand index entries for 50 rows) than by
    # fetching every listed matter and sorting them: ``+`` keeps SQLite from looking the ids up one by one.
    SCAN_FROM = 1_000

    def as_sql(self, compiler: Any, connection: Any) -> Any:
        lhs, params = self.process_lhs(compiler, connection)
        if connection.vendor == "sqlite" and len(self.rhs) >= self.SCAN_FROM and _newest_first_page(compiler.query):
            lhs = f"+{lhs}"
        # The count and the page of one list compile the same lookup: the list is written once.
        written = self.__dict__.get("_written")
        if written is None:
            written = self.__dict__["_written"] = ", ".join(map(str, self.rhs))
        return f"{lhs} IN ({written})", tuple(params)

    @classmethod
    def exact_count(cls, queryset: QuerySet[Any]) -> int | None:
        """The number of rows when the list of ids is the query's only condition (ids of existing rows), else None."""
        where = queryset.query.where
        if where.negated or len(where.children) != 1 or queryset.query.distinct:
            return None
        (only,) = where.children
        if isinstance(only, cls) and getattr(only.lhs, "target", None) == queryset.model._meta.pk:
            return len(set(only.rhs))
        return None


def _newest_first_page(query: Any) -> bool:
    if query.high_mark is None or query.model is not Case:
        return False
    ordering = list(query.order_by) or (list(Case._meta.ordering or []) if query.default_ordering else [])
    return bool(ordering) and ordering[0] == "-created_at"


def search_cases(queryset: QuerySet[Case], text: str) -> QuerySet[Case]:
    """References, titles, summaries and subject names (accents and case ignored for names).

    Substring matches, served by trigram indexes (``cases.search``); a search of one or two characters finds the
    subjects with a name part that is exactly it (Li, Wu, Ng)."""
    text = (text or "").strip()[:200]
    if not text:
        return queryset
    folded = fold(text)
    phrases = (search.sqlite_phrase(text), search.sqlite_phrase(folded))
    short = search.by_name_part(folded)  # Li, Wu, Ng: a name part, not a substring of everything
    fts_query = search.sqlite_short_query(folded) if short else search.sqlite_query(text, folded)
    vendor = connections[queryset.db].vendor
    subject_hits = Subject.objects.filter(search_name__contains=folded).order_by().values("case_id")
    # The matching matters are read once, here, and given to the page's queries (its count, its rows) as a list of
    # ids: each query evaluated the trigram search again (on SQLite two full-text lookups, a union and the subjects'
    # matters; on PostgreSQL a union of five trigram lookups, 25 ms for a surname on 5,000 matters). As a list
    # written in the query, the database knows how many there are and picks its plan: a few ids are looked up one by
    # one, many are checked while it reads an officer's matters or the register in its order (``IdIn``).
    restricted = bool(queryset.query.where.children)  # an officer's matters, or a filter applied before the search
    if vendor == "sqlite" and fts_query:
        # One index holds each matter's text and its subjects' names: its rowids are the matters' ids. The phrases
        # are parameters; the names are constants.
        matching = f"SELECT rowid FROM {search.SEARCH_FTS} WHERE {search.SEARCH_FTS} MATCH %s"  # noqa: S608
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(matching, [fts_query])
            found = [row[0] for row in cursor.fetchall()]
        if found and restricted:
            # The hits are kept among the matters asked for once, here, so a surname on 5,000 matters hands the
            # page's count and rows the few dozen the officer may see, not 5,000 ids to check twice. The full-text
            # query runs alone first: as a subquery of the officer's matters SQLite took twice as long (13 ms
            # against 6 + 0.8 for "Cherkaoui").
            found = list(queryset.filter(_id_in(found, vendor)).order_by().values_list("pk", flat=True))
    elif vendor == "postgresql" and (short or all(phrases)):
        if short:
            hits: Any = RawSQL(search.SHORT_NAME_SQL, [search.short_name_pattern(folded)])  # noqa: S611 - constant
        else:
            # One select per trigram index: costing an OR of four LIKEs, PostgreSQL's planner scans the table.
            per_column = [
                Case.objects.filter(**{f"{column}__icontains": text}).order_by().values("pk")
                for column in search.CASE_COLUMNS
            ]
            hits = per_column[0].union(*per_column[1:], subject_hits)
        if restricted or short:
            found = list(queryset.filter(pk__in=hits).order_by().values_list("pk", flat=True))
        else:
            found = [row["pk"] for row in hits]
    else:
        # Too short for a trigram: one scan.
        text_hits = Case.objects.filter(
            Q(reference__icontains=text)
            | Q(counterpart_reference__icontains=text)
            | Q(title__icontains=text)
            | Q(summary__icontains=text)
        )
        return queryset.filter(pk__in=text_hits.order_by().values("pk").union(subject_hits))
    return queryset.filter(_id_in(found, vendor)) if found else queryset.none()


def _id_in(ids: list[int], vendor: str) -> Any:
    """A condition on the matter's id for a list of ids: written in the query (``IdIn``), or beyond ``IdIn.MAX`` as
    one parameter (a JSON list on SQLite, an array on PostgreSQL)."""
    if len(ids) <= IdIn.MAX:
        return IdIn(F("pk"), ids)
    if vendor == "sqlite":
        return Q(pk__in=RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)]))
    return Q(pk__in=RawSQL("SELECT unnest(%s::bigint[])", [ids]))


def country_choices() -> list[tuple[str, str]]:
    """Countries by code, named in the reader's language (as ``Country.__str__``), in the directory's order: rows
    rather than model instances, for the 250 of them on every page of the register."""
    language = current_language()
    local = "name" if language == "en" else f"name_{language}"
    rows = Country.objects.order_by(*(Country._meta.ordering or [])).values_list("code", "name", local)
    return [(code, str(name_local or name)) for code, name, name_local in rows]


class CaseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="filter_q")
    direction = FastChoiceFilter(label=_("Direction"), choices=c.Direction.choices, widget=QuickSelect)
    kind = FastChoiceFilter(label=_("Kind"), choices=c.Kind.choices, widget=QuickSelect)
    status = FastChoiceFilter(label=_("Status"), method="filter_status", choices=[], widget=QuickSelect)
    priority = FastChoiceFilter(label=_("Priority"), choices=c.Priority.choices, widget=QuickSelect)
    country = FastChoiceFilter(
        label=_("Country"), field_name="counterpart_country", choices=country_choices, widget=QuickSelect
    )
    officer = django_filters.ModelChoiceFilter(
        label=_("Officer"),
        queryset=User.objects.filter(role__in=[Role.OFFICER, Role.HEAD], is_active=True).only(
            "username", "first_name", "last_name"
        ),
        to_field_name="username",
        widget=QuickSelect,
    )
    flag = FastChoiceFilter(label=_("Flag"), choices=c.Flag.choices, method="filter_flag", widget=QuickSelect)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue", widget=QuickNullBooleanSelect)
    is_open = django_filters.BooleanFilter(label=_("Open"), widget=QuickNullBooleanSelect)
    received_after = django_filters.DateFilter(label=_("Received from"), field_name="received_on", lookup_expr="gte")
    received_before = django_filters.DateFilter(label=_("Received until"), field_name="received_on", lookup_expr="lte")
    sort = django_filters.OrderingFilter(
        label=_("Sort"),
        fields=(
            ("created_at", "registered"),
            ("reference", "reference"),
            ("priority", "priority"),
            ("next_due_at", "due"),
            ("received_on", "received"),
            ("updated_at", "updated"),
        ),
        widget=QuickSelect,
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def __init__(
        self, data: Any = None, queryset: Any = None, *, request: Any = None, prefix: str | None = None
    ) -> None:
        # As django-filters' FilterSet.__init__, with a copy of each filter and of its options rather than a deep
        # copy of them all (their choices, labels and widgets: a millisecond a page). Nothing here changes more
        # of a filter than these.
        if queryset is None:
            queryset = self._meta.model._default_manager.all()
        self.is_bound = data is not None
        self.data = data or QueryDict()
        self.queryset = queryset
        self.request = request
        self.form_prefix = prefix
        self.filters = {}
        for name, base in self.base_filters.items():
            filter_ = copy.copy(base)
            filter_.extra = dict(base.extra)
            filter_.__dict__.pop("_field", None)  # built for this filter set, never shared
            if base.method is not None:
                filter_.method = base.method  # binds the method to this copy
            filter_.model = queryset.model
            filter_.parent = self
            self.filters[name] = filter_
        self.filters["status"].extra["choices"] = sorted(
            ((k, str(v)) for k, v in all_states().items()), key=lambda kv: kv[1]
        )

    def filter_q(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return search_cases(queryset, value)

    def filter_status(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(status=value) if value else queryset

    def filter_flag(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(**{f"flag_{value}": True}) if value in c.Flag.values else queryset

    def filter_overdue(self, queryset: QuerySet[Case], name: str, value: bool | None) -> QuerySet[Case]:
        if value is None:
            return queryset
        now = timezone.now()
        overdue = Q(is_open=True, next_due_at__lt=now)
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


# --- the API ------------------------------------------------------------------------------------------------
# The same filters as the pages, under the API's field names; the API orders with ``?ordering=`` instead of
# ``sort``. Filters on a parent matter take its id as a number, never a model choice: a choice would answer
# "does not exist" for an unknown id but not for an invisible one, and so tell one from the other.


def _state_choices() -> list[tuple[str, str]]:
    return sorted(((k, str(v)) for k, v in all_states().items()), key=lambda kv: kv[0])


class CaseApiFilter(CaseFilter):
    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=_state_choices, distinct=False)
    counterpart_country = django_filters.CharFilter(
        label=_("Counterpart country (ISO alpha-2 code)"), method="filter_counterpart_country"
    )
    officer = django_filters.CharFilter(label=_("Lead officer (username, or “me”)"), method="filter_officer")
    received_on = django_filters.DateFromToRangeFilter(label=_("Received between"))
    created_at = django_filters.DateFromToRangeFilter(label=_("Registered between"))
    country = None  # type: ignore[assignment]
    sort = None
    received_after = None
    received_before = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["status"].extra["choices"] = _state_choices

    def filter_counterpart_country(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(counterpart_country_id=value.strip().upper()) if value else queryset

    def filter_officer(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        if not value:
            return queryset
        if value == "me":
            return queryset.filter(officer=self.request.user) if self.request else queryset.none()
        return queryset.filter(officer__username=value)


class _ChildFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(label=_("Matter id"), field_name="case_id")


class SubjectApiFilter(_ChildFilter):
    role = django_filters.ChoiceFilter(choices=c.SubjectRole.choices)

    class Meta:
        model = Subject
        fields: list[str] = []


class MeasureApiFilter(_ChildFilter):
    type = django_filters.ChoiceFilter(choices=MeasureType.choices)
    status = django_filters.ChoiceFilter(choices=c.MeasureStatus.choices)

    class Meta:
        model = Measure
        fields: list[str] = []


class OffenceApiFilter(_ChildFilter):
    class Meta:
        model = Offence
        fields: list[str] = []


class CommunicationApiFilter(_ChildFilter):
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    direction = django_filters.ChoiceFilter(choices=c.CommDirection.choices)

    class Meta:
        model = Communication
        fields: list[str] = []


class LinkApiFilter(django_filters.FilterSet):
    case = django_filters.NumberFilter(label=_("Matter id (either end of the link)"), method="filter_case")
    kind = django_filters.ChoiceFilter(choices=c.LinkKind.choices)

    class Meta:
        model = CaseLink
        fields: list[str] = []

    def filter_case(self, queryset: QuerySet[CaseLink], name: str, value: Any) -> QuerySet[CaseLink]:
        return queryset.filter(Q(source_id=value) | Q(target_id=value)) if value is not None else queryset


class DeadlineApiFilter(_ChildFilter):
    status = django_filters.ChoiceFilter(choices=c.DeadlineStatus.choices)
    overdue = django_filters.BooleanFilter(label=_("Overdue"), method="filter_overdue")

    class Meta:
        model = Deadline
        fields: list[str] = []

    def filter_overdue(self, queryset: QuerySet[Deadline], name: str, value: bool | None) -> QuerySet[Deadline]:
        if value is None:
            return queryset
        overdue = Q(status=c.DeadlineStatus.RUNNING, due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class DocumentApiFilter(_ChildFilter):
    kind = django_filters.ChoiceFilter(choices=c.DocumentKind.choices)

    class Meta:
        model = Document
        fields: list[str] = []
