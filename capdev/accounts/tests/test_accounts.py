from __future__ import annotations

import re

from django.core import mail

from capdev.accounts import services
from capdev.core.models import AuditEvent
from capdev.core.roles import Role, roles_of


def test_granting_programme_staff_opens_the_admin_and_revoking_closes_it(cast):
    user = cast.trainer
    assert not user.is_staff
    membership = services.grant_role(user, cast.implementer, Role.PROGRAMME_STAFF, actor=cast.staff)
    user.refresh_from_db()
    assert user.is_staff and roles_of(user).is_staff
    services.revoke_role(membership, actor=cast.staff)
    user.refresh_from_db()
    assert not user.is_staff
    assert AuditEvent.objects.filter(verb__in=["membership.granted", "membership.revoked"]).count() >= 2


def test_a_user_may_hold_several_roles(cast):
    services.grant_role(cast.trainer, cast.org_a, Role.PARTICIPANT, actor=cast.staff)
    cast.trainer.refresh_from_db()
    roles = roles_of(cast.trainer)
    assert roles.names == [Role.TRAINER, Role.PARTICIPANT]


def test_login_with_email_and_password(cast, client):
    from conftest import PASSWORD

    response = client.post("/accounts/login/", {"username": "bob@dpu.example", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/dashboard/"


def test_wrong_password_shows_a_message(cast, client):
    response = client.post("/accounts/login/", {"username": "bob@dpu.example", "password": "nope-nope"})
    assert response.status_code == 200
    assert "Please enter a correct" in response.content.decode()


def test_password_reset_sends_a_working_link(cast, client):
    response = client.post("/accounts/password/reset/", {"email": "bob@dpu.example"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"http://testserver(/accounts/password/reset/\S+)", mail.outbox[0].body).group(1)
    response = client.get(link, follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "a-new-long-passphrase", "new_password2": "a-new-long-passphrase"},
    )
    assert response.status_code == 302
    assert client.login(email="bob@dpu.example", password="a-new-long-passphrase")


def test_logout_is_a_post(cast):
    client = cast.client("focal")
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/dashboard/").status_code == 302
