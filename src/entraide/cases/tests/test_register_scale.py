"""What the register's fast paths (docs/performance.md) must keep: the same matters, the same rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from entraide.cases import actions
from entraide.cases.filters import IdIn, search_cases
from entraide.cases.models import Case, CaseMember
from entraide.cases.queries import case_rows, visible_cases
from entraide.testing import country, make_case


@pytest.fixture
def register(head, officer, officer2, clerk):
    """Matters of several officers, one shared with the officer, one whose sharing has expired, one confidential."""
    mine = actions.assign(make_case(head, title="The officer's own"), officer, actor=head)
    other = actions.assign(make_case(head, title="Another officer's"), officer2, actor=head)
    shared = actions.assign(make_case(head, title="Shared with the officer"), officer2, actor=head)
    actions.grant_access(shared, officer, actor=head, reason="Second pair of eyes")
    expired = actions.assign(make_case(head, title="Shared, expired"), officer2, actor=head)
    actions.grant_access(
        expired, officer, actor=head, reason="For a week", expires_at=timezone.now() + dt.timedelta(days=1)
    )
    CaseMember.objects.filter(case=expired, user=officer).update(expires_at=timezone.now() - dt.timedelta(days=1))
    secret = make_case(head, title="Secret", confidentiality=3)
    filed = make_case(clerk, title="Filed by the clerk")
    return {"mine": mine, "other": other, "shared": shared, "expired": expired, "secret": secret, "filed": filed}


@pytest.mark.parametrize("persona", ["head", "officer", "officer2", "clerk", "auditor", "prosecutor", "executor"])
def test_memberships_read_at_once_give_the_same_matters(request, register, persona):
    user = request.getfixturevalue(persona)
    lazy = set(visible_cases(user).values_list("pk", flat=True))
    now = set(visible_cases(user, now=True).values_list("pk", flat=True))
    assert now == lazy


def test_the_officer_sees_their_own_and_shared_matters_not_expired_ones(officer, register):
    seen = set(visible_cases(officer, now=True).values_list("pk", flat=True))
    assert register["mine"].pk in seen and register["shared"].pk in seen
    assert register["expired"].pk not in seen and register["other"].pk not in seen


def test_rows_carry_what_the_matters_show(head, register):
    rows = {row.pk: row for row in case_rows(visible_cases(head).order_by("pk"))}
    for case in Case.objects.select_related("counterpart_country", "officer"):
        row = rows[case.pk]
        assert (row.reference, row.title, row.status_label) == (case.reference, case.title, case.status_label)
        assert str(row.counterpart_country) == str(case.counterpart_country)
        assert (row.officer.username if row.officer else None) == (case.officer.username if case.officer else None)


def test_an_id_list_lookup_writes_integers_only(head, register):
    ids = [register["mine"].pk, register["other"].pk]
    assert set(Case.objects.filter(IdIn(F("pk"), ids)).values_list("pk", flat=True)) == set(ids)
    with pytest.raises((TypeError, ValueError)):
        list(Case.objects.filter(IdIn(F("pk"), ["1) OR (1=1"])))


def test_a_search_finds_subjects_and_titles_within_what_the_user_sees(officer, register):
    actions.add_subject(
        register["mine"],
        actor=officer,
        kind="person",
        role="suspect",
        name="Ana TOUATI",
        given_names="Ana",
        family_name="Touati",
    )
    found = set(search_cases(visible_cases(officer, now=True), "touati").values_list("pk", flat=True))
    assert found == {register["mine"].pk}
    assert set(search_cases(visible_cases(officer, now=True), "Another officer").values_list("pk", flat=True)) == set()


def test_my_work_shows_a_matter_in_each_of_its_sections(client, officer, head):
    case = actions.assign(make_case(head, counterpart_country=country("FR")), officer, actor=head)
    Case.objects.filter(pk=case.pk).update(next_due_at=timezone.now() - dt.timedelta(days=1), waiting_on_others=True)
    client.force_login(officer)
    page = client.get(reverse("cases:my-work")).content.decode()
    for section in ("assigned", "overdue", "waiting"):
        pane = page.split(f'data-section="{section}"', 1)[1].split("</section>", 1)[0]
        assert f'data-reference="{case.reference}"' in pane, section


@pytest.mark.parametrize("persona", ["head", "officer"])
def test_a_search_with_many_hits_lists_and_counts_the_same_matters(request, client, register, persona, monkeypatch):
    """Reading the register in its order for long id lists (``+id``) and counting the ids found change nothing."""
    user = request.getfixturevalue(persona)
    for case in register.values():
        actions.add_subject(
            case, actor=request.getfixturevalue("head"), kind="person", role="suspect", name="Ana Lopez"
        )
    client.force_login(user)
    url = reverse("cases:list") + "?q=lopez"

    def listed() -> tuple[list[str], str]:
        page = client.get(url).content.decode()
        refs = [c.reference for c in Case.objects.order_by("-created_at", "-id") if c.reference in page]
        return refs, page

    slow, slow_page = listed()
    monkeypatch.setattr(IdIn, "SCAN_FROM", 1)
    fast, fast_page = listed()
    assert fast == slow and fast
    expected = visible_cases(user).filter(subjects__search_name__contains="lopez").distinct().count()
    assert len(fast) == expected
    assert ("{} ".format(expected) in fast_page) == ("{} ".format(expected) in slow_page)


def test_the_count_of_a_search_over_every_matter_is_the_number_found(head, register):
    found = search_cases(Case.objects.all(), "Shared")
    assert found.count() == 2
    # The search hands the page an id list, whose length is the count.
    assert IdIn.exact_count(found) == 2
    assert IdIn.exact_count(found.filter(officer__isnull=False)) is None


def test_the_name_index_follows_subjects_added_renamed_moved_and_removed(head, register):
    """Subjects' names are indexed by matter (``cases.search``): each change of a subject rewrites its matter's row."""
    mine, other = register["mine"], register["other"]

    def found(text):
        return set(search_cases(Case.objects.all(), text).values_list("pk", flat=True))

    subject = actions.add_subject(mine, actor=head, kind="person", role="suspect", name="Oleksandr Chevtchenko")
    actions.add_subject(mine, actor=head, kind="person", role="witness", name="Ilse Várnai")
    assert found("chevtchenko") == {mine.pk} and found("VARNAI") == {mine.pk}
    # Two names of one matter do not join into a third.
    assert found("chevtchenko ilse") == set()
    actions.update_subject(subject, actor=head, name="Oleksandr Shevchenko")
    assert found("chevtchenko") == set() and found("shevchenko") == {mine.pk} and found("varnai") == {mine.pk}
    # The subject moves to another matter by a raw update, as a data import might.
    type(subject).objects.filter(pk=subject.pk).update(case=other)
    assert found("shevchenko") == {other.pk} and found("varnai") == {mine.pk}
    actions.remove_subject(type(subject).objects.get(pk=subject.pk), actor=head, reason="Entered twice")
    assert found("shevchenko") == set()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("SELECT rowid, names FROM cases_case_search_fts WHERE names IS NOT NULL")
            assert dict(cursor.fetchall()) == {mine.pk: " ilse varnai "}


def test_a_search_of_one_or_two_characters_finds_that_name_part(officer, head, register):
    """Li, Wu, Ng: too short for a trigram, and as a substring it would match most of the register."""
    mine, shared, other = register["mine"], register["shared"], register["other"]
    actions.add_subject(mine, actor=head, kind="person", role="suspect", name="Li Wei")
    actions.add_subject(shared, actor=head, kind="person", role="suspect", name="Wei LÍ")
    actions.add_subject(other, actor=head, kind="person", role="suspect", name="Alina Lim")
    actions.add_subject(register["secret"], actor=head, kind="person", role="witness", name="Chen Li")

    def found(user, text):
        queryset = visible_cases(user, now=True) if user else Case.objects.all()
        return set(search_cases(queryset, text).values_list("pk", flat=True))

    assert found(None, "Li") == found(None, "li") == {mine.pk, shared.pk, register["secret"].pk}
    assert found(officer, "LI") == {mine.pk, shared.pk}  # only what the officer may see
    assert found(None, "Wu") == set()
    assert found(None, "Se") == set()  # not a substring of titles ("Secret", "Shared")
    assert found(None, "%") == found(None, "_") == set()  # LIKE's wildcards are plain characters


def test_a_short_search_meets_name_parts_cut_by_punctuation(head, register):
    mine, shared, other, filed = register["mine"], register["shared"], register["other"], register["filed"]
    actions.add_subject(mine, actor=head, kind="person", role="suspect", name="LI, Wei")
    actions.add_subject(shared, actor=head, kind="person", role="suspect", name="Jean-Li Dupont")
    actions.add_subject(other, actor=head, kind="person", role="suspect", name="O\u2019Li Brennan")
    actions.add_subject(filed, actor=head, kind="person", role="suspect", name="Olivia Lim-Hart")

    def found(text):
        return set(search_cases(Case.objects.all(), text).values_list("pk", flat=True))

    assert found("li") == {mine.pk, shared.pk, other.pk}
    # The names as written are still found by a longer substring, punctuation included.
    assert found("jean-li") == {shared.pk} and found("li, wei") == {mine.pk}


def test_one_or_two_characters_of_a_script_without_spaces_are_a_substring(head, register):
    """李伟 has no space between its parts: 李 is searched as a piece of the name, as before."""
    mine, shared = register["mine"], register["shared"]
    actions.add_subject(mine, actor=head, kind="person", role="suspect", name="李伟")
    actions.add_subject(shared, actor=head, kind="person", role="suspect", name="Li Wei 李小龙")

    def found(text):
        return set(search_cases(Case.objects.all(), text).values_list("pk", flat=True))

    assert found("李") == {mine.pk, shared.pk}
    assert found("李小") == {shared.pk}
    assert found("伟") == {mine.pk}


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's full-text index")
def test_an_index_written_by_an_earlier_version_is_rebuilt(head, register):
    from entraide.cases import search

    assert search.SEARCH_FTS == "cases_case_search_fts"
    actions.add_subject(register["mine"], actor=head, kind="person", role="suspect", name="Li Wei")
    with connection.cursor() as cursor:
        # As an earlier version wrote it: names without their spaces, by a trigger of that layout.
        cursor.execute("UPDATE cases_case_search_fts SET names = 'li wei' WHERE rowid = %s", [register["mine"].pk])
        cursor.execute("DROP TRIGGER cases_case_search_fts_subject_ai")
        cursor.execute(
            "CREATE TRIGGER cases_case_search_fts_subject_ai AFTER INSERT ON cases_subject BEGIN "
            "DELETE FROM cases_case_search_fts WHERE rowid = new.case_id; END"
        )
    search.install(connection)
    assert set(search_cases(Case.objects.all(), "li").values_list("pk", flat=True)) == {register["mine"].pk}
    actions.add_subject(register["other"], actor=head, kind="person", role="suspect", name="Wu Fang")
    assert set(search_cases(Case.objects.all(), "wu").values_list("pk", flat=True)) == {register["other"].pk}


def test_the_nightly_upkeep_merges_the_search_index_and_it_still_finds(head, register):
    from entraide.cases.tasks import cases_optimize_search_index

    for n in range(12):  # each write through the triggers adds a segment to SQLite's full-text index
        actions.add_subject(register["mine"], actor=head, kind="person", role="witness", name=f"Merged Witness{n}")

    def segments():
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(DISTINCT segid) FROM cases_case_search_fts_idx")
            return cursor.fetchone()[0]

    if connection.vendor == "sqlite":
        assert segments() > 1
    assert cases_optimize_search_index.call_local() is (connection.vendor == "sqlite")
    if connection.vendor == "sqlite":
        assert segments() == 1
    assert set(search_cases(Case.objects.all(), "witness7").values_list("pk", flat=True)) == {register["mine"].pk}


@pytest.mark.parametrize("persona", ["head", "officer"])
def test_a_list_of_hits_too_long_to_write_finds_the_same_matters(request, head, register, persona, monkeypatch):
    """Beyond ``IdIn.MAX`` the ids go as one parameter (a JSON list on SQLite, an array on PostgreSQL)."""
    user = request.getfixturevalue(persona)
    for case in register.values():
        actions.add_subject(case, actor=head, kind="person", role="suspect", name="Ana Lopez")

    def found(text):
        return set(search_cases(visible_cases(user, now=True), text).values_list("pk", flat=True))

    written = {text: found(text) for text in ("lopez", "Shared", "li")}
    monkeypatch.setattr(IdIn, "MAX", 0)
    assert {text: found(text) for text in written} == written
    assert written["lopez"] and written["Shared"]
