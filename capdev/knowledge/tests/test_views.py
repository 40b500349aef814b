"""Knowledge-base pages: list, filters, search, scoping of Action links, writing and publishing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.actions.models import ActionPartner
from capdev.knowledge.models import Lesson
from capdev.knowledge.search import search_lessons
from capdev.knowledge.tests.conftest import make_action, make_lesson, theme
from capdev.reference.models import Country


def body(client, url, data=None, **extra) -> str:
    response = client.get(url, data or {}, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- list, filters, search ------------------------------------------------------------------


def test_staff_see_drafts_others_do_not(cast, kb):
    assert "Interpretation budgets" in body(cast.client("staff"), "/knowledge/")
    for role in ("steering", "focal", "trainer", "participant", "outsider"):
        page = body(cast.client(role), "/knowledge/")
        assert "Pilot a standardised ToT" in page and "Interpretation budgets" not in page, role


def test_drafts_are_marked_and_can_be_filtered_by_staff(cast, kb):
    page = body(cast.client("staff"), "/knowledge/", {"status": "draft"})
    assert "Interpretation budgets" in page and "Pilot a standardised ToT" not in page
    assert ">Draft<" in page


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"kind": "good_practice"}, "Keep a weekly live session", "Pilot a standardised ToT"),
        ({"thematic_area": "protection"}, "Pilot a standardised ToT", "Keep a weekly live session"),
        ({"country": "CR"}, "Keep a weekly live session", "Pilot a standardised ToT"),
        ({"activity_type": "tot"}, "Pilot a standardised ToT", "Keep a weekly live session"),
        ({"activity_type": "online_course"}, "Keep a weekly live session", "Pilot a standardised ToT"),
        ({"tag": "ownership"}, "Pilot a standardised ToT", "Keep a weekly live session"),
        ({"action": "action_a"}, "Pilot a standardised ToT", "Keep a weekly live session"),
        ({"action_name": "brazil"}, "Pilot a standardised ToT", "Keep a weekly live session"),
        ({"tag": "TOT"}, "Pilot a standardised ToT", "Keep a weekly live session"),
        ({"tag": "no such tag"}, "No lesson matches these filters", "Pilot a standardised ToT"),
        ({"q": "weekly"}, "live session in online courses", "Pilot a standardised ToT"),
        (
            {"q": "pilot", "kind": "good_practice"},
            "No lesson matches this search",
            "Pilot a standardised ToT",
        ),
    ],
)
def test_list_filters(cast, kb, query, shown, hidden):
    query = dict(query)
    if "thematic_area" in query:
        query["thematic_area"] = theme(query["thematic_area"]).pk
    if query.get("action") == "action_a":
        query["action"] = kb.action_a.pk
    page = body(cast.client("staff"), "/knowledge/", query)
    assert shown in page
    assert hidden not in page


def test_a_chosen_action_is_named_with_a_way_back(cast, kb):
    page = body(cast.client("focal"), "/knowledge/", {"action": kb.action_a.pk, "kind": "lesson"})
    assert (
        "Lessons linked to the Action" in page and f'href="/actions/{kb.action_a.pk}/">Brazil I</a>' in page
    )
    assert 'href="?kind=lesson"' in page


def test_action_name_filter_never_finds_actions_outside_the_scope(cast, kb):
    page = body(cast.client("focal"), "/knowledge/", {"action_name": "costa"})
    assert "No lesson matches these filters" in page


def test_tag_suggestions_leave_out_tags_of_drafts(cast, kb):
    page = body(cast.client("focal"), "/knowledge/")
    assert '<option value="ToT">' in page and '<option value="budget">' not in page
    assert '<option value="budget">' in body(cast.client("staff"), "/knowledge/")


def test_activity_type_filter_does_not_match_inside_another_code(cast, kb):
    make_lesson(cast.staff, title="Assessment missions", activity_types=["assessment_mission"])
    page = body(cast.client("staff"), "/knowledge/", {"activity_type": "tna"})
    assert "Assessment missions" not in page


def test_search_results_come_best_first_with_highlighted_snippets(cast, kb):
    make_lesson(cast.staff, title="Notes", body="Another pilot, in the text only.")
    page = body(cast.client("focal"), "/knowledge/", {"q": "pilot"})
    assert page.index("a standardised ToT") < page.index("Notes")
    assert "<mark>pilot</mark>" in page
    assert "<mark>Pilot</mark> a standardised ToT" in page


@pytest.mark.parametrize("q", ['"', "AND (", "-", "title:*", "\x00"])
def test_bad_search_syntax_gives_a_page(cast, kb, q):
    body(cast.client("participant"), "/knowledge/", {"q": q})


def test_htmx_gets_only_the_results(cast, kb):
    response = cast.client("staff").get("/knowledge/", {"q": "pilot"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content
    assert b"<mark>" in response.content


def test_unknown_filter_values_are_ignored_with_a_notice(cast, kb):
    page = body(cast.client("staff"), "/knowledge/", {"kind": "nonsense", "action": "999999"})
    assert "Pilot a standardised ToT" in page
    assert "not understood" in page


def _card(page: str, title: str) -> str:
    start = page.index(title)
    return page[start : page.index("</li>", start)]


def _chips(card: str, css: str) -> list[str]:
    return [unescape(text) for text in re.findall(rf'class="chip{css}"[^>]*>(?:<bdi>)?([^<]*)<', card)]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_list_cards_show_each_link_of_the_lesson_in_order(cast, kb, language):
    """The cards read their links for the page's rows only; they must show what the lesson's
    relations hold, in their models' order, in the reader's language."""
    from django.utils import translation

    lesson = make_lesson(
        cast.staff,
        title="Card of many links",
        thematic_areas=[theme("horizontal"), theme("protection")],
        countries=[
            Country.objects.get(code="CR"),
            Country.objects.get(code="BR"),
            Country.objects.get(code="DE"),
        ],
        tags=["zeta", "Alpha", "#ToT"],
        actions=[kb.action_b, kb.action_a],
    )
    client = cast.client("staff")
    client.cookies["django_language"] = language
    card = _card(body(client, "/knowledge/", HTTP_ACCEPT_LANGUAGE=language), "Card of many links")
    with translation.override(language):
        assert _chips(card, " chip-area") == [str(t) for t in lesson.thematic_areas.all()]
        assert _chips(card, "") == [c.label for c in lesson.countries.all()]
    assert _chips(card, " chip-tag") == ["#" + t.name for t in lesson.tags.order_by("key")]
    assert _chips(card, " chip-action") == ["Brazil I", "Costa Rica I"]
    focal_card = _card(body(cast.client("focal"), "/knowledge/"), "Card of many links")
    assert _chips(focal_card, " chip-action") == ["Brazil I"]  # never an Action outside the scope


def test_search_pages_hold_every_match_once_best_first_with_an_exact_count(cast, kb, settings):
    """A ranked search reads the keys of all its matches in one query (the count too): each page
    must hold the right slice of the search's order."""
    settings.CAPDEV_PAGE_SIZE = 2
    for n in range(6):
        make_lesson(cast.staff, title=f"Cascade {n}", body="cascade " * (n + 1))
    client = cast.client("staff")
    page = body(client, "/knowledge/", {"q": "cascade"})
    assert "6 results · page 1 of 3" in page and ">Last<" in page
    titles = [
        row.title
        for n in (1, 2, 3)
        for row in client.get("/knowledge/", {"q": "cascade", "page": n}).context["object_list"]
    ]
    best_first = [row.title for row in search_lessons(Lesson.objects.all(), "cascade")]
    assert titles == best_first  # the order of the search, each match once
    assert sorted(titles) == [f"Cascade {n}" for n in range(6)]
    with CaptureQueriesContext(connection) as ctx:
        client.get("/knowledge/", {"q": "cascade", "page": 2})
    assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)  # no counting pass


def test_a_search_with_more_matches_than_the_limit_says_more_than_and_still_pages_in_order(
    cast, kb, settings, monkeypatch
):
    """Like the people search, a lesson search counts up to SEARCH_COUNT_LIMIT (500) matches; the
    pages up to there keep the ranked order, and a page asked for beyond it is read too."""
    from capdev.knowledge import views

    monkeypatch.setattr(views, "SEARCH_COUNT_LIMIT", 3)
    settings.CAPDEV_PAGE_SIZE = 2
    for n in range(7):
        make_lesson(cast.staff, title=f"Cascade {n}", body="cascade " * (n + 1))
    client = cast.client("staff")
    page = body(client, "/knowledge/", {"q": "cascade"})
    assert "More than 3 results · page 1" in page and ">Last<" not in page
    best_first = [row.title for row in search_lessons(Lesson.objects.all(), "cascade")]
    titles = [
        row.title
        for n in (1, 2, 3, 4)
        for row in client.get("/knowledge/", {"q": "cascade", "page": n}).context["object_list"]
    ]
    assert titles == best_first and len(titles) == 7


# --- never leak an Action --------------------------------------------------------------------


def test_partner_sees_the_lesson_but_not_the_link_to_an_action_outside_their_scope(cast, kb):
    page = body(cast.client("focal"), f"/knowledge/{kb.lesson.pk}/")
    assert f"/actions/{kb.action_a.pk}/" in page and "Brazil I" in page
    assert f"/actions/{kb.action_b.pk}/" not in page and "Costa Rica I" not in page

    page = body(cast.client("outsider"), f"/knowledge/{kb.lesson.pk}/")
    assert f"/actions/{kb.action_b.pk}/" in page
    assert f"/actions/{kb.action_a.pk}/" not in page and "Brazil I" not in page

    page = body(cast.client("participant"), f"/knowledge/{kb.practice.pk}/")
    assert "Costa Rica I" not in page


def test_partner_list_and_filter_choices_leave_out_actions_outside_their_scope(cast, kb):
    page = body(cast.client("focal"), "/knowledge/")
    assert "Brazil I" in page
    assert "Costa Rica I" not in page
    page = body(cast.client("focal"), "/knowledge/", {"action": kb.action_b.pk})
    assert "Costa Rica I" not in page  # an invalid choice, ignored like an unknown id


def test_staff_and_steering_see_every_link(cast, kb):
    for role in ("staff", "steering"):
        page = body(cast.client(role), f"/knowledge/{kb.lesson.pk}/")
        assert "Brazil I" in page and "Costa Rica I" in page, role


def test_detail_shows_related_lessons_and_staff_actions(cast, kb):
    make_lesson(cast.staff, title="Ownership matters", tags=["ownership"])
    page = body(cast.client("staff"), f"/knowledge/{kb.lesson.pk}/")
    assert "Ownership matters" in page
    assert f"/knowledge/{kb.lesson.pk}/edit/" in page and f"/knowledge/{kb.lesson.pk}/unpublish/" in page
    assert "Change history" in page
    page = body(cast.client("focal"), f"/knowledge/{kb.lesson.pk}/")
    assert "/edit/" not in page and "Change history" not in page


def test_content_in_another_language_is_marked(cast):
    lesson = make_lesson(cast.staff, title="Formation des formateurs", language="fr")
    page = body(cast.client("staff"), f"/knowledge/{lesson.pk}/")
    assert '<h1 lang="fr" dir="ltr">Formation des formateurs</h1>' in page


# --- writing ------------------------------------------------------------------------------------


def _form(**extra):
    data = {
        "kind": "good_practice",
        "title": "Gate the face-to-face week on the online part",
        "summary": "Finish online first.",
        "body": "Participants who finished the online part got more out of the week.",
        "language": "en",
        "tags": "ToT, blended learning, tot",
        "activity_types": ["online_course", "tot"],
    }
    data.update(extra)
    return data


def test_staff_publish_a_new_lesson(cast, kb):
    client = cast.client("staff")
    response = client.post(
        "/knowledge/new/",
        _form(
            actions=[kb.action_a.pk], thematic_areas=[theme("protection").pk], countries=["BR"], publish="1"
        ),
    )
    lesson = Lesson.objects.get(title="Gate the face-to-face week on the online part")
    assert response.status_code == 302 and response["Location"] == f"/knowledge/{lesson.pk}/"
    assert lesson.published and lesson.author == cast.staff
    assert sorted(t.name for t in lesson.tags.all()) == ["ToT", "blended learning"]
    assert list(lesson.actions.all()) == [kb.action_a]
    assert lesson.activity_types == ["tot", "online_course"]


def test_staff_save_a_draft(cast):
    cast.client("staff").post("/knowledge/new/", _form(publish="0"))
    assert not Lesson.objects.get().published


def test_form_errors_are_shown(cast):
    response = cast.client("staff").post("/knowledge/new/", _form(title="", activity_types=["picnic"]))
    assert response.status_code == 200
    assert not Lesson.objects.exists()
    assert b"is-invalid" in response.content


def test_others_cannot_write(cast, kb):
    for role in ("steering", "focal", "trainer", "participant", "outsider"):
        response = cast.client(role).post("/knowledge/new/", _form())
        assert response.status_code == 403, role
        response = cast.client(role).post(f"/knowledge/{kb.lesson.pk}/edit/", _form())
        assert response.status_code == 403, role
        response = cast.client(role).post(f"/knowledge/{kb.lesson.pk}/unpublish/")
        assert response.status_code == 403, role
    assert not Lesson.objects.filter(title="Gate the face-to-face week on the online part").exists()
    kb.lesson.refresh_from_db()
    assert kb.lesson.published


def test_edit_keeps_the_links_shown_in_the_form(cast, kb):
    client = cast.client("staff")
    page = body(client, f"/knowledge/{kb.lesson.pk}/edit/")
    assert f'value="{kb.action_a.pk}" checked' in page and f'value="{kb.action_b.pk}" checked' in page
    assert 'value="ToT, ownership"' in page or 'value="ownership, ToT"' in page
    response = client.post(
        f"/knowledge/{kb.lesson.pk}/edit/",
        _form(title="Pilot first", actions=[kb.action_b.pk], kind="lesson"),
    )
    assert response.status_code == 302
    kb.lesson.refresh_from_db()
    assert kb.lesson.title == "Pilot first" and list(kb.lesson.actions.all()) == [kb.action_b]


def test_publish_and_unpublish_pages(cast, kb):
    client = cast.client("staff")
    assert client.post(f"/knowledge/{kb.draft.pk}/publish/").status_code == 302
    kb.draft.refresh_from_db()
    assert kb.draft.published
    response = client.post(f"/knowledge/{kb.draft.pk}/publish/")
    assert response.status_code == 200 and b"already published" in response.content
    assert client.post(f"/knowledge/{kb.draft.pk}/unpublish/", {"reason": "check"}).status_code == 302
    kb.draft.refresh_from_db()
    assert not kb.draft.published


def test_action_picker_finds_actions_and_leaves_out_chosen_ones(cast, kb):
    client = cast.client("staff")
    page = body(client, "/knowledge/actions/", {"action_q": "rica"})
    assert "Costa Rica I" in page and "Brazil I" not in page
    page = body(client, "/knowledge/actions/", {"action_q": "i", "actions": [kb.action_b.pk]})
    assert "Costa Rica I" not in page and "Brazil I" in page


# --- query counts -----------------------------------------------------------------------------


def _queries(client, params, path: str = "/knowledge/") -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("params", [{}, {"q": "pilot"}, {"q": "pilot", "tag": "ToT"}])
@pytest.mark.parametrize("role", ["staff", "focal"])
def test_list_query_count_does_not_grow_with_rows(cast, kb, role, params):
    client = cast.client(role)
    _queries(client, params)
    before = _queries(client, params)
    action = make_action("Brazil II", cast.org_a, "BR")
    ActionPartner.objects.create(action=action, organisation=cast.org_b)
    for n in range(30):
        make_lesson(
            cast.staff,
            title=f"Pilot lesson {n}",
            body="pilot text",
            actions=[action, kb.action_b],
            countries=[Country.objects.get(code="BR")],
            thematic_areas=[theme("protection")],
            tags=["ToT", f"tag {n}"],
        )
    assert _queries(client, params) == before
    assert before <= 15, before  # a search: its keys (the count too) and rows, 4 for the cards


@pytest.mark.parametrize("params", [{}, {"q": "pilot"}])
@pytest.mark.parametrize("role", ["staff", "focal"])
def test_api_list_query_count_does_not_grow_with_rows(cast, kb, role, params):
    """The API's rows carry their links (add_api_links): two queries for the whole page."""
    client = cast.client(role)
    _queries(client, params, "/api/v1/lessons/")
    before = _queries(client, params, "/api/v1/lessons/")
    for n in range(30):
        make_lesson(
            cast.staff,
            title=f"Pilot lesson {n}",
            body="pilot text",
            actions=[kb.action_a, kb.action_b],
            countries=[Country.objects.get(code="BR"), Country.objects.get(code="CR")],
            thematic_areas=[theme("protection")],
            tags=["ToT", f"tag {n}"],
        )
    assert _queries(client, params, "/api/v1/lessons/") == before
    assert before <= 10, before


def test_country_filter_works_after_the_api_schema_was_built(cast, kb):
    """drf-spectacular builds the filter's form field from the class to describe the API; the
    page must still offer the countries of the reader's lessons."""
    from capdev.knowledge.filters import LessonFilter

    assert LessonFilter.base_filters["country"].field is not None  # what the schema generator does
    page = body(cast.client("staff"), "/knowledge/", {"country": "CR"})
    assert "Keep a weekly live session" in page and "Pilot a standardised ToT" not in page
