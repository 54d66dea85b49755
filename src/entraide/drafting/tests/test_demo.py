from django.utils import timezone

from entraide.drafting.demo import load_demo
from entraide.drafting.models import CountryGuide, Draft

from .helpers import reference_data


def test_the_demo_adds_drafts_and_guides_once(prosecutor, officer, head):
    reference_data()
    from entraide.testing import country

    country("ES")
    users = {"prosecutor": prosecutor, "officer": officer, "head": head}
    result = load_demo(timezone.now(), users)
    assert "under review" in result
    assert Draft.objects.count() == 2 and CountryGuide.objects.count() == 4
    assert Draft.objects.filter(review_state="submitted", comments__isnull=False).exists()
    assert load_demo(timezone.now(), users) == ""
