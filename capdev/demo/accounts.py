"""The demo logins, one per role (printed by `capdev demo`, used by the browser tests)."""

from __future__ import annotations

DEMO_PASSWORD = "capdev-demo"  # noqa: S105 - demo data only, printed to the operator

# (role, e-mail, who they are in the demo)
DEMO_LOGINS: list[tuple[str, str, str]] = [
    ("Programme staff", "staff@capdev.example", "Capacity-development specialist, implementing organisation"),
    ("Steering committee", "steering@capdev.example", "Steering committee member, donor"),
    (
        "Partner focal point",
        "focal@capdev.example",
        "Focal point, Brazilian Federal Public Defenders' Office",
    ),
    ("Trainer / expert", "trainer@capdev.example", "Expert from an EU Member State"),
    ("Participant", "participant@capdev.example", "Public defender, participant in the ToT pilot"),
    (
        "Partner focal point (2)",
        "focal.costarica@capdev.example",
        "Focal point, Costa Rica's migration directorate: cannot see Brazil's records",
    ),
]
