"""The whole demo programme: the foundation (organisations, people, logins) and every app's demo
data, in dependency order. `capdev demo` calls `load_programme`; each step is deterministic and
idempotent, so running it again never duplicates anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Progress = Callable[[str], None]


def load_programme(scale: int = 1, progress: Progress | None = None) -> dict[str, int]:
    """Load every part of the demo and return the number of rows of the main records."""
    from capdev.demo.actions import load_actions
    from capdev.demo.activities import load_activities
    from capdev.demo.adaptations import load_adaptations
    from capdev.demo.catalogue import load_catalogue
    from capdev.demo.competencies import load_trainer_framework
    from capdev.demo.delivery import load_delivery
    from capdev.demo.experts import load_experts
    from capdev.demo.knowledge import load_knowledge
    from capdev.demo.loader import load_demo

    say: Progress = progress or (lambda _message: None)
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("organisations and people", lambda: load_demo(scale=scale, progress=say)),
        ("trainer competency framework", lambda: load_trainer_framework(say)),
        ("catalogue of standard products", lambda: load_catalogue(say)),
        ("adaptations", lambda: load_adaptations(say)),
        ("requests and Actions", lambda: load_actions(scale, say)),
        ("expert roster", lambda: load_experts(scale, say)),
        ("activities and deployments", lambda: load_activities(scale, say)),
        ("knowledge base", lambda: load_knowledge(say)),
        ("course runs, calls, online learning and attendance", lambda: load_delivery(scale, say)),
    ]
    for label, step in steps:
        say(f"Loading {label}…")
        step()
        refresh_planner_statistics()
    return summary()


def refresh_planner_statistics() -> None:
    """On PostgreSQL, ANALYZE the project's tables. The demo writes thousands of rows in one
    transaction, which autovacuum cannot see; without fresh statistics the planner may take
    tables for empty (after an earlier load was rolled back, say) and pick nested loops that
    turn a count of a hundred enrolments into seconds. ANALYZE inside the transaction samples
    its own new rows. A no-op on SQLite, whose planner needs no statistics for these sizes."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    tables = sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))
    if tables:
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))


def summary() -> dict[str, int]:
    from capdev.accounts.models import User
    from capdev.actions.models import Action, Activity, Request
    from capdev.catalogue.models import Course
    from capdev.cohorts.models import CourseRun, Enrolment
    from capdev.competencies.models import Framework
    from capdev.delivery.models import Attendance
    from capdev.experts.models import ExpertProfile
    from capdev.knowledge.models import Lesson
    from capdev.organisations.models import Organisation
    from capdev.people.models import Person

    return {
        "organisations": Organisation.objects.count(),
        "people": Person.objects.count(),
        "logins": User.objects.count(),
        "competency frameworks": Framework.objects.count(),
        "courses": Course.objects.count(),
        "requests": Request.objects.count(),
        "Actions": Action.objects.count(),
        "activities": Activity.objects.count(),
        "experts": ExpertProfile.objects.count(),
        "lessons": Lesson.objects.count(),
        "course runs": CourseRun.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "attendance marks": Attendance.objects.count(),
    }
