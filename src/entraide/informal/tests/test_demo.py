import pytest
from django.utils import timezone

from entraide.cases import actions as case_actions
from entraide.informal.demo import load_demo
from entraide.informal.models import InformalContact
from entraide.matching.models import Match
from entraide.testing import country

pytestmark = pytest.mark.django_db


def test_demo_contacts_echo_the_register(case, officer, officer2, head):
    country("ES")
    case_actions.add_subject(
        case,
        actor=officer,
        kind="person",
        role="suspect",
        name="Youssef Benali",
        original_script_name="يوسف بن علي",
    )
    users = {"officer": officer, "officer2": officer2, "head": head}
    assert load_demo(timezone.now(), users) == 3
    assert load_demo(timezone.now(), users) == 0
    assert InformalContact.objects.count() == 3
    assert Match.objects.exists()
