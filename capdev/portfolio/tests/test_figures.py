"""Dashboard figures against values counted by hand (the portfolio in conftest.py), scoping,
filters, caching and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.portfolio.figures import Filters, portfolio_figures
from capdev.portfolio.tables import build_tables
from capdev.portfolio.tests.conftest import make_action, make_activity, make_request
from capdev.reference.models import ThematicArea


def tables(user, **filters):
    return build_tables(portfolio_figures(user, Filters(**filters)))


def rows(table) -> dict:
    return {row[0]: row[1:] if len(row) > 2 else row[1] for row in table.rows}


def test_programme_figures_for_staff(cast, portfolio):
    t = tables(cast.staff)
    assert rows(t["requests-by-status"]) == {
        "Received": 1,
        "Submitted to the steering committee": 1,
        "Approved": 1,
        "Rejected": 1,
    }
    assert t["requests-by-status"].total == ["Total", 4]
    assert rows(t["actions-by-phase"]) == {"Assessment": 1, "Design": 1, "Implementation": 1, "Completed": 1}
    assert rows(t["actions-by-type"]) == {"Classic": 3, "Holistic (institution-wide, all three levels)": 1}
    assert rows(t["actions-by-region"]) == {"Africa": 1, "Latin America & Caribbean": 3}
    assert rows(t["actions-by-thematic-area"]) == {
        "International Protection & Asylum": 1,
        "Legal Migration & Mobility": 1,
        "Horizontal Interventions": 2,
    }
    assert rows(t["countries-by-region"]) == {"Africa": 1, "Latin America & Caribbean": 2}
    assert [r[1] for r in t["countries"].rows] == ["KE", "BR", "CR"]
    # Tina and Jan: Eva was only invited, Max's activity was cancelled.
    assert rows(t["experts-by-sex"]) == {"Female": 1, "Male": 1}
    assert rows(t["experts-by-nationality"]) == {"Germany": [0, 1, 0, 1], "Malta": [1, 0, 0, 1]}
    assert t["activities-by-year"].columns[:2] == ["Year", "Activities"]
    assert {r[0]: r[1] for r in t["activities-by-year"].rows} == {2018: 1, 2021: 1, 2022: 3, 2023: 1}
    assert rows(t["activities-by-type"]) == {
        "Workshop": 2,
        "Training needs assessment": 1,
        "Training": 1,
        "Training of Trainers": 1,
        "Online course": 1,
    }
    # Participants of activities held: the planned training and the cancelled workshop are out.
    assert rows(t["participants-by-year"]) == {
        2018: [2, 2, 0, 4],
        2021: [5, 3, 1, 9],
        2022: [11, 9, 0, 20],
        2023: [20, 10, 1, 31],
    }
    assert t["participants-by-year"].total == ["Total", 38, 24, 2, 64]


def test_activities_per_year_break_down_by_type(cast, portfolio):
    table = tables(cast.staff)["activities-by-year"]
    row_2022 = dict(zip(table.columns, next(r for r in table.rows if r[0] == 2022), strict=True))
    assert row_2022["Training of Trainers"] == 1 and row_2022["Training"] == 1 and row_2022["Workshop"] == 1
    assert row_2022["Training needs assessment"] == 0


def test_a_focal_point_sees_only_their_organisations_figures(cast, portfolio):
    t = tables(cast.focal)
    assert rows(t["requests-by-status"]) == {"Received": 1, "Submitted to the steering committee": 1}
    assert t["actions-by-phase"].total == ["Total", 2]
    assert [r[1] for r in t["countries"].rows] == ["BR"]
    assert rows(t["experts-by-sex"]) == {"Female": 1, "Male": 1}
    assert {r[0]: r[1] for r in t["activities-by-year"].rows} == {2018: 1, 2021: 1, 2022: 2}
    assert t["participants-by-year"].total == ["Total", 14, 10, 1, 25]

    other = tables(cast.outsider)
    assert rows(other["requests-by-status"]) == {"Approved": 1, "Rejected": 1}
    assert other["actions-by-phase"].total == ["Total", 2]
    assert rows(other["experts-by-sex"]) == {"Female": 1}  # Tina on Costa Rica I
    assert other["participants-by-year"].total == ["Total", 24, 14, 1, 39]


def test_steering_members_see_every_action_and_the_requests_before_the_committee(cast, portfolio):
    t = tables(cast.steering)
    assert rows(t["requests-by-status"]) == {
        "Submitted to the steering committee": 1,
        "Approved": 1,
        "Rejected": 1,
    }
    assert t["actions-by-phase"].total == ["Total", 4]


def test_year_range_filter(cast, portfolio):
    t = tables(cast.staff, year_from=2022, year_to=2022)
    assert rows(t["requests-by-status"]) == {"Rejected": 1}
    assert rows(t["actions-by-phase"]) == {"Design": 1, "Implementation": 1}  # running in 2022
    assert {r[0]: r[1] for r in t["activities-by-year"].rows} == {2022: 3}
    assert rows(t["experts-by-sex"]) == {"Female": 1, "Male": 1}  # Tina (Costa Rica I), Jan (ToT)
    t = tables(cast.staff, year_from=2023)
    assert rows(t["actions-by-phase"]) == {"Design": 1, "Assessment": 1}  # B1 has no end date
    assert rows(t["experts-by-sex"]) == {}


def test_region_thematic_area_and_type_filters(cast, portfolio):
    t = tables(cast.staff, region="africa")
    assert rows(t["requests-by-status"]) == {"Rejected": 1}  # by its country's region
    assert t["actions-by-phase"].total == ["Total", 1]
    assert t["activities-by-type"].rows == []
    horizontal = ThematicArea.objects.get(code="horizontal").pk
    t = tables(cast.staff, thematic_area=horizontal)
    assert rows(t["requests-by-status"]) == {"Approved": 1}
    assert {r[0] for r in t["actions-by-phase"].rows} == {"Completed", "Design"}
    assert t["participants-by-year"].total == ["Total", 26, 16, 1, 43]
    t = tables(cast.staff, type="holistic")
    assert t["actions-by-phase"].total == ["Total", 1]
    assert rows(t["activities-by-type"]) == {"Training needs assessment": 1}
    assert t["requests-by-status"].total == ["Total", 4]  # requests have no type


def test_figures_are_cached_per_scope_and_filters(cast, portfolio):
    portfolio_figures(cast.staff, Filters())
    with CaptureQueriesContext(connection) as ctx:
        portfolio_figures(cast.staff, Filters())
    assert len(ctx.captured_queries) == 0
    with CaptureQueriesContext(connection) as ctx:
        portfolio_figures(cast.staff, Filters(region="africa"))
        portfolio_figures(cast.focal, Filters())
    assert len(ctx.captured_queries) > 0
    make_request(cast.org_a, "received", datetime.date(2024, 1, 1), "BR")
    assert tables(cast.staff)["requests-by-status"].total == ["Total", 4]  # a minute behind
    cache.clear()
    assert tables(cast.staff)["requests-by-status"].total == ["Total", 5]


def _figure_queries(user) -> int:
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        portfolio_figures(user, Filters(year_from=2010, region="latin_america"))
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["staff", "focal"])
def test_query_count_is_constant_as_the_portfolio_grows(cast, portfolio, role):
    user = getattr(cast, role)
    _figure_queries(user)  # the user's roles are read once, then cached on the user
    before = _figure_queries(user)
    for n in range(15):
        org = cast.org_a if n % 2 else cast.org_b
        action = make_action(
            f"Synthetic {n}",
            org,
            "AR" if n % 3 else "PY",
            "latin_america",
            type="classic",
            phase="design",
            start_date=datetime.date(2015 + n % 8, 1, 1),
        )
        for k in range(3):
            make_activity(action, "workshop", datetime.date(2016 + k + n % 8, 3, 1), "done", (n, k, 0))
        make_request(org, "received", datetime.date(2020, 1, 1 + n), "AR")
    assert _figure_queries(user) == before
    assert before <= 8


def test_page_query_count_is_constant(cast, portfolio):
    client = cast.client("staff")

    def page_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/portfolio/").status_code == 200
        return len(ctx.captured_queries)

    page_queries()
    before = page_queries()
    for n in range(10):
        action = make_action(
            f"Synthetic {n}",
            cast.org_b,
            "MX",
            "latin_america",
            type="regional",
            phase="handover",
            start_date=datetime.date(2020, 1, 1),
        )
        make_activity(action, "seminar", datetime.date(2020, 5, 1), "done", (1, 1, 1))
    assert page_queries() == before
    assert before <= 14
