from __future__ import annotations

from django.test import RequestFactory

from capdev.core.views import error_500


def test_404_uses_the_site_layout(cast):
    response = cast.client("focal").get("/organisations/999999/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and 'id="main"' in body and "Skip to main content" in body


def test_403_uses_the_site_layout_and_explains(cast):
    response = cast.client("participant").get("/organisations/")
    assert response.status_code == 403
    assert "You are not allowed to do this" in response.content.decode()


def test_500_page_renders_without_the_database():
    from django.utils import translation

    with translation.override("en"):
        response = error_500(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()


def test_navigation_depends_on_role(cast):
    staff_page = cast.client("staff").get("/dashboard/").content.decode()
    participant_page = cast.client("participant").get("/dashboard/").content.decode()
    assert 'href="/people/"' in staff_page and 'href="/admin/"' in staff_page
    assert 'href="/people/"' not in participant_page and 'href="/admin/"' not in participant_page
    assert 'href="/organisations/"' not in participant_page


def test_dashboards_show_real_figures(cast):
    staff = cast.client("staff").get("/dashboard/").context["programme"]
    assert staff["partners"] == 2 and staff["countries"] == 3  # BR, CR + the institute's MT
    focal = cast.client("focal").get("/dashboard/").context["focal"]
    assert focal["people"] == 3 and focal["women"] == 2
