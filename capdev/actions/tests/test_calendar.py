"""The month calendar: navigation, activities spanning days and months, the phone list."""

from __future__ import annotations

from typing import Any

from capdev.experts.tests.conftest import D, make_activity, roster  # noqa: F401


def test_month_grid_places_each_activity_on_each_of_its_days(cast: Any, roster: Any) -> None:  # noqa: F811
    response = cast.client("staff").get("/activities/calendar/?month=2022-07")
    assert response.status_code == 200
    days = {
        cell["date"].day: [a.title for a in cell["activities"]]
        for week in response.context["weeks"]
        for cell in week
        if cell["in_month"]
    }
    assert days[4] == days[8] == ["Training of Trainers"]
    assert days[9] == []
    assert days[18] == ["Protocol drafting workshop"]
    assert response.context["count"] == 2
    assert [d.day for d, _items in response.context["agenda"]] == [4, 18]


def test_navigation_between_months(cast: Any, roster: Any) -> None:  # noqa: F811
    response = cast.client("staff").get("/activities/calendar/?month=2022-12")
    assert response.context["previous"] == D(2022, 11, 1) and response.context["next"] == D(2023, 1, 1)
    html = response.content.decode()
    assert "?month=2023-01" in html and "?month=2022-11" in html


def test_activity_spanning_two_months_appears_in_both(cast: Any, roster: Any) -> None:  # noqa: F811
    make_activity(roster.action_a, "Online course", D(2022, 5, 30), 7, mode="online")
    may = cast.client("staff").get("/activities/calendar/?month=2022-05").context
    june = cast.client("staff").get("/activities/calendar/?month=2022-06").context
    assert may["count"] == june["count"] == 1
    assert june["agenda"][0][0] == D(2022, 6, 1)  # listed on the 1st in the month it continues into


def test_busy_day_shows_three_and_a_link_to_the_rest(cast: Any, roster: Any) -> None:  # noqa: F811
    for i in range(5):
        make_activity(roster.action_a, f"Session {i}", D(2022, 9, 14))
    response = cast.client("staff").get("/activities/calendar/?month=2022-09")
    cell = next(c for w in response.context["weeks"] for c in w if c["date"] == D(2022, 9, 14))
    assert len(cell["activities"]) == 3 and cell["more"] == 2
    assert "?on=2022-09-14" in response.content.decode()


def test_calendar_is_scoped_and_filtered(cast: Any, roster: Any) -> None:  # noqa: F811
    trainer = cast.client("trainer").get("/activities/calendar/?month=2022-07").context
    assert trainer["count"] == 1
    tot = cast.client("staff").get("/activities/calendar/?month=2022-07&type=tot").context
    assert tot["count"] == 1
    bad = cast.client("staff").get("/activities/calendar/?month=garbage")
    assert bad.status_code == 200  # falls back to the current month


def test_phone_list_and_table_are_both_rendered(cast: Any, roster: Any) -> None:  # noqa: F811
    html = cast.client("staff").get("/activities/calendar/?month=2022-07").content.decode()
    assert 'class="agenda-phone-only"' in html and "<caption" in html and 'scope="col"' in html


def test_busy_month_list_is_paginated_and_loads_only_what_it_shows(cast: Any, roster: Any) -> None:  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from capdev.actions.activity_views import AGENDA_PAGE

    for i in range(AGENDA_PAGE + 5):
        make_activity(roster.action_a, f"Replica {i:02d}", D(2022, 10, 1 + i % 28))
    client = cast.client("staff")
    with CaptureQueriesContext(connection) as small:
        client.get("/activities/calendar/?month=2022-07")
    with CaptureQueriesContext(connection) as busy:
        first = client.get("/activities/calendar/?month=2022-10")
    assert len(busy.captured_queries) == len(small.captured_queries)
    listed = [a.title for _day, items in first.context["agenda"] for a in items]
    assert first.context["count"] == AGENDA_PAGE + 5 and len(listed) == AGENDA_PAGE
    html = first.content.decode()
    assert "?month=2022-10&amp;page=2" in html or "?month=2022-10&page=2" in html
    second = client.get("/activities/calendar/?month=2022-10&page=2")
    rest = [a.title for _day, items in second.context["agenda"] for a in items]
    assert len(rest) == 5 and not set(rest) & set(listed)
    cells = [c for w in first.context["weeks"] for c in w if c["in_month"]]
    assert all(len(c["activities"]) <= 3 for c in cells)
    assert sum(len(c["activities"]) + c["more"] for c in cells) == AGENDA_PAGE + 5
