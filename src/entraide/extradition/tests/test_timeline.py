"""The timeline tells the extradition events in sentences, in the reader's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from entraide.cases.timeline import describe
from entraide.extradition import actions
from entraide.extradition.tests.helpers import extradition_case

pytestmark = pytest.mark.django_db


def test_the_arrest_reads_as_a_sentence_in_french_and_arabic(head, officer):
    case = extradition_case(head, officer)
    person = case.subjects.get()
    actions.record_arrest(case, actor=officer, arrested_at=timezone.now() - timedelta(days=1), subject=person)
    event = case.events.get(verb="extradition_arrest")
    with translation.override("fr"):
        assert f"Arrestation de {person.name} enregistrée" in str(describe(event))
    with translation.override("ar"):
        assert f"سُجّل القبض على {person.name}" in str(describe(event))
    assert "extradition_arrest" not in str(describe(event))
