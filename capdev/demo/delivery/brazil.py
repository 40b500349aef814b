"""Brazil III: the Training of Trainers pilot with the DPU (July 2022), the revised ToT for the
pilot cohort (2027) and the open call for a second DPU cohort.

- **The pilot** delivers the activity `act-br3-tot` (4–8 July 2022, Escola Superior da DPU,
  Brasília) with the DPU's Portuguese adaptation of the ToT, version 1. ICMPD organises it for
  the DPU; expert-01 (the trainer demo login) leads with expert-12. A call takes nominations
  only, 14 places for the DPU: the DPU focal point (the focal demo login) nominates the 14
  officers `dpu-tot-01..14` in May, staff accept them. In June each participant takes the
  online part (every lesson, then the SCORM quiz, passed). The five days are marked by the lead
  trainer each afternoon: mostly present, a late arrival corrected the next morning, an excused
  absence for an urgent hearing, and Rodrigo (dpu-tot-09), called back to Boa Vista, misses
  the last three days. Outcome: 13 completed, 1 did not complete; the run is completed.
- **Ahead**: version 2 of the standard ToT, in Portuguese, for the 13 who completed the pilot,
  run by ESDPU (the course was handed over): online part from 11 January 2027 with a live
  online kick-off, face-to-face 8–12 February 2027 in Brasília. The participant demo login has
  done two lessons (a few days before the load), four others the first one.
- **Second cohort**: an open call (deadline 40 days after the load) into a run that starts
  about four months after the load; the focal point has nominated nine officers, staff have
  shortlisted three.

Past events are replayed at their own dates (`clock.replay`); the dates of "ahead" and the
second cohort are relative to the day the demo is loaded.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction

from capdev.actions.models import Activity
from capdev.cohorts import services as cohort_services
from capdev.cohorts.models import Call, CourseRun, Enrolment, RunStatus, TrainerRole
from capdev.delivery import services as delivery_services
from capdev.demo.delivery import common
from capdev.demo.delivery.clock import replay, system_today
from capdev.demo.delivery.common import ABSENT, EXCUSED, LATE, Cast, at
from capdev.learning import services as learning_services
from capdev.reference.models import Country

PILOT = "run-br3-tot-pilot"
AHEAD = "run-dpu-tot-v2-2027"
SECOND = "run-dpu-tot-v2-second-cohort"
PILOT_CALL = "call-br3-tot-pilot"
SECOND_CALL = "call-dpu-tot-second-cohort"
SP = "America/Sao_Paulo"
D = datetime.date

NOT_COMPLETED = "dpu-tot-09"
CITIES = (
    "Brasília",
    "Boa Vista",
    "Manaus",
    "São Paulo",
    "Porto Alegre",
    "Rio de Janeiro",
    "Recife",
    "Foz do Iguaçu",
    "Pacaraima",
    "Belém",
    "Curitiba",
    "Fortaleza",
    "Salvador",
    "Campo Grande",
)
# Day -> {person key: status or (status, note)}; everyone else present.
PILOT_DAYS: tuple[dict[str, str | tuple[str, str]], ...] = (
    {"dpu-tot-06": (ABSENT, "")},  # corrected to late the next morning (see CORRECTION)
    {"dpu-tot-13": (LATE, "Audiência pela manhã; chegou às 11h.")},
    {"dpu-tot-04": (EXCUSED, "Audiência de custódia urgente."), NOT_COMPLETED: (ABSENT, "")},
    {NOT_COMPLETED: (ABSENT, "Retornou a Boa Vista: emergência na unidade."), "dpu-tot-11": (LATE, "")},
    {NOT_COMPLETED: (ABSENT, "")},
)
CORRECTION = ("dpu-tot-06", LATE, "Voo de Manaus atrasado; chegou às 10h40.")


def load(cast: Cast) -> int:
    """Load the three Brazilian runs that do not exist yet; return how many were loaded."""
    existing = set(
        CourseRun.objects.filter(demo_key__in=[PILOT, AHEAD, SECOND]).values_list("demo_key", flat=True)
    )
    loaded = 0
    if PILOT not in existing:
        _pilot(cast)
        loaded += 1
    if AHEAD not in existing:
        _ahead(cast)
        loaded += 1
    if SECOND not in existing:
        _second_cohort(cast)
        loaded += 1
    return loaded


def _motivation(i: int) -> str:
    city = CITIES[(i - 1) % len(CITIES)]
    return (
        f"Atua no atendimento a migrantes e solicitantes de refúgio em {city}; vai multiplicar a "
        "formação para os colegas da sua unidade e para a rede local de acolhimento."
    )


@transaction.atomic
def _pilot(cast: Cast) -> None:
    rng = random.Random("capdev-demo:delivery:pilot")
    adaptation = common.version("adaptation-dpu-tot-pt")
    activity = Activity.objects.filter(demo_key="act-br3-tot").select_related("action").first()
    people = cast.people("dpu-tot", 14)
    dpu = cast.org("dpu")
    with replay() as clock:
        clock.go(at(D(2022, 5, 9), 10, zone=SP))
        run = common.new_run(
            cast,
            key=PILOT,
            trainers=(("expert-01", TrainerRole.LEAD), ("expert-12", TrainerRole.CO_TRAINER)),
            title="Formação de Formadores em Proteção Internacional e Refúgio – turma piloto",
            course_version=adaptation,
            action=activity.action if activity else None,
            activity=activity,
            organiser=cast.org("icmpd"),
            host=dpu,
            cohort_label="Turma piloto 2022",
            language="pt",
            start_date=D(2022, 7, 4),
            end_date=D(2022, 7, 8),
            venue="Escola Superior da DPU",
            city="Brasília",
            country=Country.objects.get(code="BR"),
            capacity=14,
        )
        cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.OPEN)
        call = cohort_services.create_call(
            actor=cast.staff,
            run=run,
            countries=Country.objects.filter(code="BR"),
            title="Indicações para a turma piloto da Formação de Formadores",
            description=(
                "A DPU indica 14 defensoras e defensores que atuam com migrantes e solicitantes de "
                "refúgio e que se comprometem a multiplicar a formação. Parte online em junho de "
                "2022; parte presencial de 4 a 8 de julho de 2022 na ESDPU, em Brasília."
            ),
            deadline=at(D(2022, 5, 31), 23, 59, zone=SP),
            accepts_applications=False,
            accepts_nominations=True,
            organisation_types=["partner"],
            positions=["Defensor", "Defensora"],
            languages=[{"language": "pt", "level": "C1"}],
            women_target_percent=50,
        )
        Call.objects.filter(pk=call.pk).update(demo_key=PILOT_CALL)
        cohort_services.set_quota(call, dpu, actor=cast.staff, places=14)
        cohort_services.open_call(call, actor=cast.staff)
        applications = []
        for i, person in enumerate(people, start=1):
            clock.go(at(D(2022, 5, 11) + datetime.timedelta(days=i // 3), 9 + i % 8, zone=SP))
            applications.append(
                cohort_services.nominate_candidate(call, person, actor=cast.focal, motivation=_motivation(i))
            )
        clock.go(at(D(2022, 6, 1), 9, zone=SP))
        cohort_services.close_call(call, actor=cast.staff)
        clock.go(at(D(2022, 6, 1), 11, zone=SP))
        for application in applications:
            cohort_services.accept_application(application, actor=cast.staff)

        # June 2022: the online part, each at their own pace.
        enrolments = common.enrolments_by_person(run)
        for person in people:
            enrolment = enrolments[person.demo_key or ""]
            start = at(D(2022, 6, 2) + datetime.timedelta(days=rng.randrange(0, 9)), 8, zone=SP)
            common.take_online_part(
                clock,
                enrolment,
                cast.login_of(person),
                start=start,
                days=rng.randrange(10, 18),
                rng=rng,
                score=common.quiz_score(rng),
            )

        clock.go(at(D(2022, 6, 28), 15, zone=SP))
        trainers = common.run_trainers(run)
        f2f = common.f2f_part(adaptation)
        delivery_services.add_daily_sessions(
            run,
            actor=cast.staff,
            part=f2f,
            first_day=D(2022, 7, 4),
            days=5,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(17, 0),
            timezone=SP,
            room="Escola Superior da DPU, sala 2",
            trainers=trainers,
        )
        clock.go(at(D(2022, 7, 4), 8, zone=SP))
        cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.IN_PROGRESS)
        sessions = common.sessions_of(run)
        for day, (session, exceptions) in enumerate(zip(sessions, PILOT_DAYS, strict=True)):
            if day == 1:  # in the morning of day 2, the trainer corrects day 1
                key, status, note = CORRECTION
                clock.go(at(session.date, 9, 15, zone=SP))
                common.mark(sessions[0], run, cast.trainer, {key: (status, note)}, skip=_others(run, key))
            clock.go(at(session.date, 17, 30, zone=SP))
            common.mark(session, run, cast.trainer, exceptions)
        clock.go(at(D(2022, 7, 8), 18, zone=SP))
        for key, enrolment in common.enrolments_by_person(run).items():
            cohort_services.record_outcome(enrolment, actor=cast.staff, completed=key != NOT_COMPLETED)
        clock.go(at(D(2022, 7, 11), 10, zone=SP))
        cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.COMPLETED)
    delivery_services.refresh_run_attendance(run)
    cast.say("Delivery demo: Brazil III ToT pilot (14 participants, July 2022).")


def _others(run: CourseRun, key: str) -> list[str]:
    return [k for k in common.enrolments_by_person(run) if k != key]


def _relative(days: int, hour: int) -> datetime.datetime:
    return common.relative(days, hour, SP)


@transaction.atomic
def _ahead(cast: Cast) -> None:
    rng = random.Random("capdev-demo:delivery:ahead")
    v2 = common.version("tot-standard", 2)
    graduates = [
        e.person
        for e in Enrolment.objects.filter(run__demo_key=PILOT, status="completed")
        .select_related("person")
        .order_by("person__demo_key")
    ] or [p for p in cast.people("dpu-tot", 14) if p.demo_key != NOT_COMPLETED]
    with replay() as clock:
        clock.go(_relative(32, 10))
        run = common.new_run(
            cast,
            key=AHEAD,
            trainers=(("expert-01", TrainerRole.LEAD), ("expert-14", TrainerRole.CO_TRAINER)),
            title="Formação de Formadores, versão revisada – turma piloto da DPU",
            course_version=v2,
            organiser=cast.org("esdpu"),
            host=cast.org("dpu"),
            cohort_label="Turma piloto, versão 2",
            language="pt",
            start_date=D(2027, 1, 11),
            end_date=D(2027, 2, 12),
            venue="Escola Superior da DPU",
            city="Brasília",
            country=Country.objects.get(code="BR"),
            capacity=16,
        )
        cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.OPEN)
        trainers = common.run_trainers(run)
        delivery_services.create_session(
            run,
            actor=cast.staff,
            trainers=trainers,
            kind="live_online",
            title="Abertura online da turma",
            part=common.part(v2, "online_self_paced"),
            date=D(2027, 1, 11),
            start_time=datetime.time(15, 0),
            end_time=datetime.time(16, 30),
            timezone=SP,
            online_link="https://meet.esdpu.dpu.example/formacao-de-formadores-2027",
            notes="Apresentação da plataforma, do calendário e da avaliação prática.",
        )
        delivery_services.add_daily_sessions(
            run,
            actor=cast.staff,
            part=common.f2f_part(v2),
            first_day=D(2027, 2, 8),
            days=5,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(17, 0),
            timezone=SP,
            room="Escola Superior da DPU, sala 2",
            trainers=trainers,
        )
        clock.go(_relative(25, 11))
        for person in graduates:
            cohort_services.enrol_participant(run, person, actor=cast.staff)
        # A few started early: the first lesson (and the participant demo login two of them).
        lessons = learning_services.online_content(v2.pk).lessons[:2]
        early = [
            p for p in graduates if p.demo_key in ("dpu-tot-04", "dpu-tot-06", "dpu-tot-11", "dpu-tot-13")
        ]
        for person, days in zip(early, (21, 17, 12, 8), strict=False):
            started = Enrolment.objects.get(run=run, person=person)
            clock.go(_relative(days, 19))
            learning_services.open_lesson(started, lessons[0], actor=None)
            clock.go(_relative(days, 19) + datetime.timedelta(minutes=lessons[0].estimated_minutes + 4))
            learning_services.complete_lesson(started, lessons[0], actor=None)
        enrolment = Enrolment.objects.get(run=run, person=cast.participant.person)
        for days, lesson in zip((6, 2), lessons, strict=False):
            clock.go(_relative(days, 20))
            learning_services.open_lesson(enrolment, lesson, actor=cast.participant)
            clock.go(
                _relative(days, 20)
                + datetime.timedelta(minutes=lesson.estimated_minutes + rng.randrange(3, 9))
            )
            learning_services.complete_lesson(enrolment, lesson, actor=cast.participant)
    cast.say("Delivery demo: revised ToT for the DPU pilot cohort (January–February 2027).")


def _monday_after(day: datetime.date) -> datetime.date:
    return day + datetime.timedelta(days=(7 - day.weekday()) % 7)


@transaction.atomic
def _second_cohort(cast: Cast) -> None:
    v2 = common.version("tot-standard", 2)
    today = system_today()
    kickoff = _monday_after(today + datetime.timedelta(days=84))
    first_day = kickoff + datetime.timedelta(days=28)
    people = cast.people("dpu-tot2", 12)
    dpu = cast.org("dpu")
    with replay() as clock:
        clock.go(_relative(20, 10))
        run = common.new_run(
            cast,
            key=SECOND,
            trainers=(("expert-14", TrainerRole.LEAD),),
            title="Formação de Formadores – segunda turma da DPU",
            course_version=v2,
            organiser=cast.org("esdpu"),
            host=dpu,
            cohort_label="Segunda turma",
            language="pt",
            start_date=kickoff,
            end_date=first_day + datetime.timedelta(days=4),
            venue="Escola Superior da DPU",
            city="Brasília",
            country=Country.objects.get(code="BR"),
            capacity=14,
        )
        cohort_services.change_run_status(run, actor=cast.staff, status=RunStatus.OPEN)
        delivery_services.add_daily_sessions(
            run,
            actor=cast.staff,
            part=common.f2f_part(v2),
            first_day=first_day,
            days=5,
            start_time=datetime.time(9, 0),
            end_time=datetime.time(17, 0),
            timezone=SP,
            room="Escola Superior da DPU, sala 2",
            trainers=common.run_trainers(run),
        )
        call = cohort_services.create_call(
            actor=cast.staff,
            run=run,
            countries=Country.objects.filter(code="BR"),
            title="Indicações para a segunda turma da Formação de Formadores",
            description=(
                "Segunda turma de multiplicadores da DPU, com a versão revisada do curso. A DPU "
                "indica até 14 servidoras e servidores que atuam com migrantes e refugiados."
            ),
            deadline=at(today + datetime.timedelta(days=40), 18, zone=SP),
            accepts_applications=False,
            accepts_nominations=True,
            organisation_types=["partner"],
            positions=["Defensor", "Defensora", "Analista"],
            languages=[{"language": "pt", "level": "C1"}],
            women_target_percent=50,
        )
        Call.objects.filter(pk=call.pk).update(demo_key=SECOND_CALL)
        cohort_services.set_quota(call, dpu, actor=cast.staff, places=14)
        clock.go(_relative(14, 9))
        cohort_services.open_call(call, actor=cast.staff)
        applications = []
        for i, person in enumerate(people[:9], start=1):
            clock.go(_relative(13 - i, 10 + i % 6))
            applications.append(
                cohort_services.nominate_candidate(
                    call, person, actor=cast.focal, motivation=_motivation(i + 3)
                )
            )
        clock.go(_relative(1, 16))
        for application in applications[:3]:
            cohort_services.shortlist_application(application, actor=cast.staff)
    cast.say("Delivery demo: open call for a second DPU cohort (deadline in 40 days).")
