"""The data model's own rules: scoping of runs, calls, applications and enrolments (404 scope)."""

from __future__ import annotations

from capdev.cohorts.models import Application, Call, CourseRun, Enrolment


def test_runs_visible_to_each_role(cast, world):
    def runs(who):
        return set(CourseRun.objects.visible_to(getattr(cast, who)).values_list("code", flat=True))

    assert runs("staff") == {"tot-br", "tot-cr"}
    assert runs("steering") == {"tot-br", "tot-cr"}
    assert runs("focal") == {"tot-br"}  # hosted for org A
    assert runs("outsider") == {"tot-cr"}
    assert runs("trainer") == {"tot-br"}  # trains it
    assert runs("participant") == {"tot-br"}  # enrolled


def test_enrolments_visible_to_each_role(cast, world):
    def people(who):
        return set(Enrolment.objects.visible_to(getattr(cast, who)).values_list("person_id", flat=True))

    everyone = {cast.participant.person.pk, cast.person_b.pk}
    assert people("staff") == everyone
    assert people("steering") == set()  # aggregate figures only
    assert people("focal") == {cast.participant.person.pk}
    assert people("outsider") == {cast.person_b.pk}
    assert people("trainer") == {cast.participant.person.pk}
    assert people("participant") == {cast.participant.person.pk}


def test_open_calls_are_visible_to_everyone_drafts_to_staff(cast, world):
    import datetime

    from django.utils import timezone

    deadline = timezone.now() + datetime.timedelta(days=10)
    open_call = Call.objects.create(title="Open", run=world.run_a, status="open", deadline=deadline)
    draft = Call.objects.create(title="Draft", run=world.run_b, status="draft", deadline=deadline)
    assert set(Call.objects.visible_to(cast.outsider)) == {open_call}
    assert set(Call.objects.visible_to(cast.staff)) == {open_call, draft}
    Application.objects.create(call=draft, person=cast.person_b, organisation=cast.org_b)
    assert set(Call.objects.visible_to(cast.outsider)) == {open_call, draft}
    assert set(Application.objects.visible_to(cast.focal)) == set()
    assert set(Application.objects.visible_to(cast.outsider)).__len__() == 1


def test_queryset_helpers_for_the_dashboards(cast, world):
    import datetime

    from django.utils import timezone

    from capdev.cohorts.models import Enrolment

    today = datetime.date(2026, 12, 1)
    assert set(Enrolment.objects.current(today)) == {world.enrolment, world.enrolment_b}
    assert not Enrolment.objects.current(datetime.date(2027, 1, 1)).exists()
    Enrolment.objects.filter(pk=world.enrolment.pk).update(
        online_started_at=timezone.now(), sessions_attended=2
    )
    assert Enrolment.objects.funnel() == {
        "enrolled": 2,
        "started_online": 1,
        "completed_online": 0,
        "attended": 1,
        "completed": 0,
    }
    rows = list(Enrolment.objects.visible_to(cast.focal).for_listing())
    assert [e.person.organisation.acronym for e in rows] == ["DPU"]
