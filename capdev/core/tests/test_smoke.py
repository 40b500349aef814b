import pytest


@pytest.mark.parametrize("who", ["staff", "steering", "focal", "trainer", "participant", "outsider"])
def test_dashboard_renders_for_every_role(cast, who):
    response = cast.client(who).get("/dashboard/")
    assert response.status_code == 200
