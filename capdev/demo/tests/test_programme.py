"""The whole demo programme loads, and loading it again changes nothing."""

from __future__ import annotations

import pytest
from django.apps import apps

from capdev.demo.programme import load_programme


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_models()
        if model._meta.managed and model._meta.app_label not in {"sessions", "admin", "contenttypes"}
    }


@pytest.mark.django_db(transaction=False)
def test_loading_the_programme_twice_duplicates_nothing_and_every_login_reaches_its_dashboard(client):
    """One test, because loading the programme is the slow part (a minute on PostgreSQL)."""
    from capdev.demo.accounts import DEMO_LOGINS, DEMO_PASSWORD

    summary = load_programme(scale=1)
    assert summary["Actions"] >= 10 and summary["courses"] >= 3 and summary["lessons"] >= 10
    before = _row_counts()
    load_programme(scale=1)
    after = _row_counts()
    changed = {label: (before[label], after[label]) for label in before if before[label] != after[label]}
    assert not changed, f"a second load changed row counts: {changed}"

    for _role, email, _who in DEMO_LOGINS:
        assert client.login(email=email, password=DEMO_PASSWORD), email
        assert client.get("/dashboard/").status_code == 200, email
        client.logout()
