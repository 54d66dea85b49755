"""``core.prepared``: a query compiled once gives what the ORM gives, for any value, and only its value varies."""

from __future__ import annotations

import pytest
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce

from entraide.cases import actions
from entraide.cases.models import Case, Subject
from entraide.core import prepared as p
from entraide.testing import make_case


def _query(pk):
    subjects = Subject.objects.filter(case=OuterRef("pk")).order_by().values("case")
    return (
        Case.objects.filter(pk=pk)
        .annotate(n=Coalesce(Subquery(subjects.annotate(n=Count("pk")).values("n")[:1]), 0))
        .values("reference", "n", "created_at", "received_on", "counterpart_country__name")
    )


def test_a_prepared_query_gives_what_the_orm_gives_for_every_value(head):
    first = make_case(head)
    second = make_case(head, title="Another")
    actions.add_subject(second, actor=head, kind="person", role="suspect", name="Ivan Petrov")
    actions.add_subject(second, actor=head, kind="person", role="witness", name="Olga Petrova")
    for case in (first, second, first):
        assert p.prepared("test.prepared", _query, case.pk) == list(_query(case.pk))
    assert p.prepared("test.prepared", _query, second.pk)[0]["n"] == 2
    assert p.prepared("test.prepared", _query, 10**9) == []


def test_a_query_that_ignores_its_value_is_refused(head):
    with pytest.raises(ValueError):
        p.prepared("test.unused", lambda _pk: Case.objects.values("pk"), 1)
