"""The register's rows and filter selects are rendered in Python for speed (see docs/performance.md): they must
give the same HTML as the templates they replace."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone, translation

from entraide.cases import actions
from entraide.cases.filters import CaseFilter, QuickSelect, country_choices
from entraide.cases.models import Case
from entraide.cases.queries import visible_cases
from entraide.directory.models import Country
from entraide.testing import country, make_case

# The loop that ``{% case_rows %}`` replaced in cases/_table.html.
TEMPLATE_ROWS = """{% load entraide %}{% for case in cases %}
    <tr data-reference="{{ case.reference }}">
      <td><a class="ref" href="{% url 'cases:detail' case.pk %}">{{ case.reference }}</a><div class="small text-secondary">{% if case.direction == 'incoming' %}<i class="bi bi-box-arrow-in-down"></i>{% else %}<i class="bi bi-box-arrow-up"></i>{% endif %} {{ case.get_direction_display }}</div></td>
      <td class="min-w-0">{{ case.title|truncatechars:80 }}</td>
      <td>{{ case.get_kind_display }}</td>
      <td>{{ case.counterpart_country }}</td>
      <td>{% status_badge case %}</td>
      <td>{% priority_badge case %}</td>
      <td>{{ case.officer.username|default:"—" }}</td>
      <td>{% if case.next_due_at %}<span class="text-nowrap">{{ case.next_due_at|date:"SHORT_DATE_FORMAT" }}</span> {% due_badge case %}{% else %}—{% endif %}</td>
    </tr>
  {% empty %}
    <tr><td colspan="8" class="text-secondary">{% load i18n %}{% translate "No matters." %}</td></tr>
  {% endfor %}"""  # noqa: E501


def _squeeze(html: str) -> str:
    return re.sub(r">\s+<", "><", html).strip()


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_case_rows_are_the_rows_the_template_gave(head, officer, language):
    title = "A title long enough to be cut: " + "x" * 90 + " & <b>"
    first = make_case(head, title=title, priority=1, priority_reason="Custody")
    actions.assign(first, officer, actor=head)
    make_case(head, direction="outgoing", counterpart_reference="")
    Case.objects.filter(pk=first.pk).update(next_due_at=timezone.now() - dt.timedelta(days=2))
    cases = list(visible_cases(head).select_related("counterpart_country", "officer"))
    assert len(cases) == 2
    engine = engines["django"]
    with translation.override(language):
        expected = engine.from_string(TEMPLATE_ROWS).render({"cases": cases})
        fast = engine.from_string("{% load entraide %}{% case_rows cases %}").render({"cases": cases})
        empty = engine.from_string("{% load entraide %}{% case_rows cases %}").render({"cases": []})
        no_rows = engine.from_string(TEMPLATE_ROWS).render({"cases": []})
    assert _squeeze(fast) == _squeeze(expected)
    assert _squeeze(empty) == _squeeze(no_rows)


@pytest.mark.parametrize(
    "title",
    [
        "x" * 80,
        "x" * 81,
        "Entraide judiciaire — saisie des avoirs de la société Élan & fils " * 2,
        "طلب مساعدة قانونية متبادلة بشأن تجميد أموال شركة وهمية " * 2,
        "e\u0301" * 85,  # decomposed accents: NFC joins them
        "a\u0308\u0323" * 85,  # two combining marks a letter: one NFC mark remains, counted as nothing
        "مُحَمَّد بن عَبْد القَادِر " * 6,  # Arabic with its vowel marks (combining)
        "Σωκράτης " * 12,
    ],
)
def test_titles_are_cut_as_truncatechars_cuts_them(title):
    from django.template.defaultfilters import truncatechars

    from entraide.core.templatetags.entraide import _cut

    for language in ("en", "ar"):
        with translation.override(language):
            assert _cut(title) == truncatechars(title, 80)


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_filter_selects_are_the_html_django_gives(head, officer, language):
    request = RequestFactory().get("/cases/", {"country": "FR", "status": "registered", "sort": "-due"})
    request.user = head
    case_filter = CaseFilter(request.GET, queryset=visible_cases(head), request=request)
    selects = [f for f in case_filter.form if isinstance(f.field.widget, QuickSelect)]
    names = {"direction", "kind", "status", "priority", "country", "officer", "flag", "sort"}
    assert {f.name for f in selects} == names
    with translation.override(language):
        for bound in selects:
            widget = bound.field.widget
            plain = forms.Select(attrs=widget.attrs, choices=widget.choices)
            name, value, attrs = bound.html_name, bound.value(), bound.build_widget_attrs({"id": bound.auto_id})
            assert widget.render(name, value, attrs) == plain.render(name, value, attrs), bound.name


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_country_choices_are_the_countries_as_their_model_names_them(db, language):
    for code in ("FR", "ES", "SN", "US"):
        country(code)
    with translation.override(language):
        assert country_choices() == [(country.code, str(country)) for country in Country.objects.all()]


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_the_apis_matters_are_what_drfs_fields_give(head, officer, language):
    from rest_framework import serializers as drf

    from entraide.cases.serializers import CaseSerializer, case_counts

    first = make_case(
        head, priority=1, priority_reason="Custody", flag_cybercrime=True, received_on=dt.date(2026, 1, 5)
    )
    actions.assign(first, officer, actor=head)
    Case.objects.filter(pk=first.pk).update(next_due_at=timezone.now() - dt.timedelta(days=2))
    make_case(head, direction="outgoing", counterpart_reference="", summary="")
    cases = list(visible_cases(head).select_related("counterpart_country", "legal_basis", "officer", "created_by"))
    serializer = CaseSerializer(cases, many=True, context={"counts": case_counts([c.pk for c in cases])})
    with translation.override(language):
        fast = serializer.data
        generic = [drf.ModelSerializer.to_representation(serializer.child, case) for case in cases]
    assert [dict(row) for row in fast] == [dict(row) for row in generic]
    assert set(fast[0]) == set(CaseSerializer.Meta.fields)
