"""The case page at scale: its queries do not grow with the timeline, and links keep need-to-know."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from entraide.cases import actions
from entraide.cases.loaders import load_deadline_rules
from entraide.testing import country, make_case


def test_the_case_page_shows_a_link_only_when_the_other_matter_is_visible(client, case, officer, officer2, head):
    hidden = make_case(head, counterpart_country=country("ES"), title="Hidden from the officer")
    actions.assign(hidden, officer2, actor=head)
    shown = make_case(head, counterpart_country=country("SN"), title="Also the officer's")
    actions.assign(shown, officer, actor=head)
    actions.link_cases(case, hidden, actor=head, kind="related")
    actions.link_cases(shown, case, actor=head, kind="supplementary")
    client.force_login(officer)
    links = _links_section(client.get(reverse("cases:detail", args=[case.pk])).content.decode())
    assert shown.reference in links
    assert hidden.reference not in links
    client.force_login(head)
    links = _links_section(client.get(reverse("cases:detail", args=[case.pk])).content.decode())
    assert shown.reference in links and hidden.reference in links


def _links_section(page: str) -> str:
    return page.split('id="links"', 1)[1].split("</section>", 1)[0]


def test_the_case_pages_queries_do_not_grow_with_deadline_events(client, officer, head):
    load_deadline_rules()
    case = actions.assign(make_case(head), officer, actor=head)
    client.force_login(officer)
    url = reverse("cases:detail", args=[case.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for _ in range(3):
        actions.set_waiting(case, not case.waiting_on_others, actor=officer)
        case.refresh_from_db()
    deadline = case.deadlines.first()
    assert deadline is not None
    actions.pause_deadline(deadline, actor=officer, reason="Waiting for the translation")
    actions.resume_deadline(deadline, actor=officer)
    with CaptureQueriesContext(connection) as after:
        page = client.get(url)
    assert page.status_code == 200
    assert len(after) == len(before)


@pytest.mark.parametrize("url", ["cases:list", "cases:my-work"])
def test_the_lists_queries_do_not_grow_with_their_rows(client, officer, head, url):
    def queries() -> int:
        client.force_login(officer)
        client.get(reverse(url))
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(url)).status_code == 200
        return len(captured)

    actions.assign(make_case(head), officer, actor=head)
    one = queries()
    for code in ("FR", "ES", "SN"):
        actions.assign(make_case(head, counterpart_country=country(code)), officer, actor=head)
    assert queries() == one
