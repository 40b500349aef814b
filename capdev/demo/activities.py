"""Demo activities: those of the named Actions (DOMAIN.md, "Facts a realistic demo reflects")
with the experts deployed on them and feedback on their work, and ten synthetic activities per
synthetic Action for benchmarks.

Needs `load_demo`, `load_actions` and `load_experts` first. The named part goes through the
services (plan → invite → accept → complete → feedback) so that it carries an audit trail and
respects the double-booking rule; the synthetic part is bulk-created, and its deployments are
drawn so that no expert is deployed twice on overlapping dates. Deterministic and idempotent
(`demo_key` on every activity; a loaded activity is never touched again).
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db import transaction
from django.db.models import Avg, Count
from django.utils import timezone

from capdev.actions import activities as services
from capdev.actions.models import Action, ActionPartner, Activity, ActivityStatus, ActivityType, Phase
from capdev.core.errors import DomainError
from capdev.experts import services as expert_services
from capdev.experts.models import Deployment, DeploymentStatus, ExpertProfile
from capdev.reference.models import Country, ThematicArea

Progress = Callable[[str], None]
D = datetime.date
TRAINER = "expert-01"
ROUNDTABLES = "roundtables-2018"
SYN_ACTIVITIES_PER_ACTION = 10


@dataclass(frozen=True)
class Spec:
    key: str
    action: str  # Action demo key
    type: str
    title: str
    start: D
    end: D
    mode: str = "face_to_face"
    city: str = ""
    country: str = ""
    venue: str = ""
    participants: tuple[int, int, int] = (0, 0, 0)  # women, men, other
    experts: tuple[str, ...] = ()  # expert demo keys deployed (accepted)
    invited: tuple[str, ...] = ()  # invitations left pending
    description: str = ""


F2F, ONLINE, BLENDED = "face_to_face", "online", "blended"

# fmt: off
NAMED: tuple[Spec, ...] = (
    # Brazil III: assessment, TNA, the online course (five weekly modules, 2022), the ToT of July 2022 (14), handover
    Spec("act-br3-mission", "brazil-3", "assessment_mission", "Assessment mission with the DPU and ESDPU", D(2021, 4, 12), D(2021, 4, 16), F2F, "Brasília", "BR", "DPU headquarters", (4, 3, 0), ("expert-01", "expert-07")),
    Spec("act-br3-tna", "brazil-3", "tna", "Training needs assessment of public defenders", D(2021, 6, 7), D(2021, 8, 27), BLENDED, "Brasília", "BR", "", (38, 29, 1), ("expert-07",)),
    Spec("act-br3-online", "brazil-3", "online_course", "Online course on international protection and asylum (five weekly modules)", D(2022, 5, 2), D(2022, 6, 3), ONLINE, "", "", "ESDPU learning platform", (61, 42, 2), ("expert-01",), description="Five weekly modules, self-paced, with a live session each Friday."),
    Spec("act-br3-tot", "brazil-3", "tot", "Training of Trainers on international protection and asylum", D(2022, 7, 4), D(2022, 7, 8), F2F, "Brasília", "BR", "Escola Superior da DPU", (9, 5, 0), ("expert-01", "expert-12")),
    Spec("act-br3-handover", "brazil-3", "workshop", "Handover workshop: the course in ESDPU's training plan", D(2022, 11, 7), D(2022, 11, 8), F2F, "Brasília", "BR", "Escola Superior da DPU", (8, 6, 0), ("expert-12",)),
    # Costa Rica IV: protocol drafting and the online course
    Spec("act-cr4-drafting", "costarica-4", "drafting", "Drafting of the inter-institutional protocol on migration and health", D(2021, 4, 19), D(2021, 4, 30), BLENDED, "San José", "CR", "", (7, 5, 0), ("expert-14", "expert-22")),
    Spec("act-cr4-validation", "costarica-4", "workshop", "Validation workshop of the protocol", D(2021, 10, 12), D(2021, 10, 13), F2F, "San José", "CR", "Ministerio de Salud", (18, 11, 0), ("expert-22",)),
    Spec("act-cr4-online", "costarica-4", "online_course", "Online course on migration and health", D(2022, 2, 7), D(2022, 3, 18), ONLINE, "", "", "DGME training platform", (83, 51, 1), ("expert-14",)),
    # Costa Rica V: ToT and replica trainings in 2024, coaching ahead
    Spec("act-cr5-tot", "costarica-5", "tot", "Training of Trainers on migration and health", D(2023, 11, 6), D(2023, 11, 10), F2F, "San José", "CR", "DGME training unit", (10, 6, 0), ("expert-01", "expert-14")),
    Spec("act-cr5-replica-limon", "costarica-5", "training", "Replica training on migration and health (Limón)", D(2024, 4, 15), D(2024, 4, 16), F2F, "Limón", "CR", "", (14, 9, 0)),
    Spec("act-cr5-replica-liberia", "costarica-5", "training", "Replica training on migration and health (Liberia)", D(2024, 6, 10), D(2024, 6, 11), F2F, "Liberia", "CR", "", (12, 10, 0)),
    Spec("act-cr5-coaching", "costarica-5", "coaching", "Coaching of the new trainers", D(2026, 12, 7), D(2026, 12, 9), F2F, "San José", "CR", "DGME training unit", experts=("expert-14",), invited=("expert-01",)),
    # El Salvador II: TNA and handbook drafting; a replica in 2024 (with the Diplomatic Academy)
    Spec("act-sv2-tna", "elsalvador-2", "tna", "Training needs assessment of consular staff", D(2020, 6, 15), D(2020, 9, 25), ONLINE, "", "", "", (21, 17, 0), ("expert-05", "expert-01")),
    Spec("act-sv2-handbook", "elsalvador-2", "drafting", "Drafting of the training handbook on consular protection", D(2021, 2, 15), D(2021, 2, 26), BLENDED, "San Salvador", "SV", "", (6, 4, 0), ("expert-05",)),
    Spec("act-sv2-replica", "elsalvador-2", "training", "Replica training on consular protection", D(2024, 3, 11), D(2024, 3, 13), F2F, "San Salvador", "SV", "Academia Diplomática", (13, 8, 0)),
    # Gran Chaco: regional workshops
    Spec("act-gc-asuncion", "granchaco", "workshop", "Regional workshop on climate change and human mobility (Asunción)", D(2022, 6, 20), D(2022, 6, 22), F2F, "Asunción", "PY", "", (19, 17, 0), ("expert-09", "expert-18")),
    Spec("act-gc-santacruz", "granchaco", "workshop", "Regional workshop: disaster displacement (Santa Cruz de la Sierra)", D(2023, 4, 18), D(2023, 4, 20), F2F, "Santa Cruz de la Sierra", "BO", "", (16, 18, 0), ("expert-18",)),
    Spec("act-gc-salta", "granchaco", "workshop", "Regional workshop: coordination mechanism (Salta)", D(2023, 11, 14), D(2023, 11, 16), F2F, "Salta", "AR", "", (15, 14, 1), ("expert-09",)),
    Spec("act-gc-launch", "granchaco", "launch", "Launch of the regional coordination mechanism", D(2024, 5, 28), D(2024, 5, 28), F2F, "Asunción", "PY", "", (22, 25, 0), ("expert-18",)),
    # Kyrgyzstan: ToT and replica trainings in 2024
    Spec("act-kg-tot", "kyrgyzstan-1", "tot", "Training of Trainers for the SMS training centre", D(2023, 5, 15), D(2023, 5, 19), F2F, "Bishkek", "KG", "SMS training centre", (7, 5, 0), ("expert-30",)),
    Spec("act-kg-replica-osh", "kyrgyzstan-1", "training", "Replica training in Osh", D(2024, 4, 22), D(2024, 4, 24), F2F, "Osh", "KG", "", (9, 13, 0)),
    Spec("act-kg-replica-karakol", "kyrgyzstan-1", "training", "Replica training in Karakol", D(2024, 9, 16), D(2024, 9, 18), F2F, "Karakol", "KG", "", (8, 12, 0)),
    # The 2018 regional roundtables (partners' consultations for MIEUX+)
    Spec("act-rt-bangkok", ROUNDTABLES, "roundtable", "Regional roundtable: Asia (Bangkok)", D(2018, 3, 20), D(2018, 3, 21), F2F, "Bangkok", "TH", "", (14, 17, 0), ("expert-02",)),
    Spec("act-rt-mexico", ROUNDTABLES, "roundtable", "Regional roundtable: Latin America & Caribbean (Mexico City)", D(2018, 5, 15), D(2018, 5, 16), F2F, "Ciudad de México", "MX", "", (19, 15, 0), ("expert-05",)),
    Spec("act-rt-nairobi", ROUNDTABLES, "roundtable", "Regional roundtable: East and Southern Africa (Nairobi)", D(2018, 6, 26), D(2018, 6, 27), F2F, "Nairobi", "KE", "", (13, 18, 0), ("expert-02",)),
    Spec("act-rt-cotonou", ROUNDTABLES, "roundtable", "Regional roundtable: West and Central Africa (Cotonou)", D(2018, 10, 9), D(2018, 10, 10), F2F, "Cotonou", "BJ", "", (11, 19, 0), ("expert-09",)),
    # Ahead: planned activities to match experts for; the trainer has invitations to answer
    Spec("act-ng-mission", "nigeria-1", "assessment_mission", "Assessment mission to the Immigration Training School", D(2026, 12, 8), D(2026, 12, 11), F2F, "Kano", "NG", "", invited=("expert-01",)),
    Spec("act-tn-workshop", "tunisia-1", "workshop", "Design workshop of the pre-departure course", D(2027, 1, 18), D(2027, 1, 20), F2F, "Tunis", "TN", "", invited=("expert-01",)),
    Spec("act-ph-tna", "philippines-1", "tna", "Training needs assessment of labour attachés", D(2027, 2, 8), D(2027, 2, 19), BLENDED, "Manila", "PH", ""),
)
# fmt: on

FEEDBACK = (
    (5, "Excellent: practical, well prepared, adapted to the partner's context."),
    (5, "Counterparts asked for the expert to come back for the next phase."),
    (4, "Very good command of the subject; materials arrived a little late."),
    (4, "Good facilitation; more local examples would have helped."),
    (3, "Solid content, but the pace was too fast for the group."),
)


def _roundtables_action() -> Action:
    """The 2018 partners' consultations are not an Action of any partner: a programme-level
    record holds their roundtables (created here, completed)."""
    action = Action.objects.filter(demo_key=ROUNDTABLES).first()
    if action is None:
        action = Action.objects.create(
            name="Partner consultations 2018 (regional roundtables)",
            type="regional",
            thematic_area=ThematicArea.objects.get(code="horizontal"),
            phase=Phase.IMPLEMENTATION,
            start_date=D(2018, 3, 1),
            end_date=D(2018, 12, 14),
            summary="Four regional roundtables where partner authorities shaped the design of MIEUX+.",
            demo_key=ROUNDTABLES,
        )
        action.countries.set(Country.objects.filter(code__in=["TH", "MX", "KE", "BJ"]))
    return action


def _load_named(say: Progress) -> int:
    from capdev.accounts.models import User

    staff = User.objects.filter(email="staff@capdev.example").first()
    actions = {a.demo_key: a for a in Action.objects.filter(demo_key__in={s.action for s in NAMED})}
    if ROUNDTABLES not in actions:
        actions[ROUNDTABLES] = _roundtables_action()
    experts = {e.demo_key: e for e in ExpertProfile.objects.filter(demo_key__startswith="expert-")}
    done = set(
        Activity.objects.filter(demo_key__in=[s.key for s in NAMED]).values_list("demo_key", flat=True)
    )
    today = timezone.localdate()
    rng = random.Random("capdev-demo:named-feedback")
    created = 0
    reopen: dict[int, str] = {}
    for spec in NAMED:
        action = actions.get(spec.action)
        if action is None or spec.key in done:
            continue
        if action.phase == Phase.COMPLETED:  # plan inside a completed Action, then close it again
            reopen[action.pk] = action.phase
            Action.objects.filter(pk=action.pk).update(phase=Phase.IMPLEMENTATION)
            action.phase = Phase.IMPLEMENTATION
        activity = services.create_activity(
            action,
            actor=staff,
            type=spec.type,
            title=spec.title,
            description=spec.description,
            start_date=spec.start,
            end_date=spec.end,
            mode=spec.mode,
            venue=spec.venue,
            city=spec.city,
            country_id=spec.country or None,
        )
        Activity.objects.filter(pk=activity.pk).update(demo_key=spec.key)
        deployments = []
        for key in spec.experts:
            if key in experts:
                try:
                    dep = expert_services.invite_expert(activity, experts[key], actor=staff, role="Expert")
                    deployments.append(expert_services.accept_invitation(dep, actor=None))
                except DomainError as exc:
                    say(f"Demo deployment of {key} on {spec.key} skipped: {exc.message}")
        for key in spec.invited:
            if key in experts:
                expert_services.invite_expert(activity, experts[key], actor=staff, role="Expert")
        if spec.end < today:
            women, men, other = spec.participants
            services.complete_activity(
                activity,
                actor=staff,
                participants_women=women,
                participants_men=men,
                participants_other=other,
            )
            for dep in deployments:
                score, text = rng.choice(FEEDBACK)
                expert_services.record_feedback(dep, actor=staff, score=score, feedback=text)
        created += 1
    for pk, phase in reopen.items():
        Action.objects.filter(pk=pk).update(phase=phase)
    Action.objects.filter(demo_key=ROUNDTABLES).update(phase=Phase.COMPLETED)
    say(f"Named activities: {created} created, {len(done)} already there.")
    return created


TYPE_WEIGHTS = (
    (ActivityType.ASSESSMENT_MISSION, 8),
    (ActivityType.TNA, 6),
    (ActivityType.FOCUS_GROUP, 5),
    (ActivityType.SEMINAR, 8),
    (ActivityType.WORKSHOP, 22),
    (ActivityType.TRAINING, 16),
    (ActivityType.TOT, 8),
    (ActivityType.ONLINE_COURSE, 5),
    (ActivityType.STUDY_VISIT, 7),
    (ActivityType.ROUNDTABLE, 3),
    (ActivityType.LAUNCH, 3),
    (ActivityType.COACHING, 4),
    (ActivityType.DRAFTING, 5),
)
TITLES = {
    "assessment_mission": "Assessment mission",
    "tna": "Training needs assessment",
    "focus_group": "Focus group",
    "seminar": "Seminar",
    "workshop": "Workshop",
    "training": "Training",
    "tot": "Training of Trainers",
    "online_course": "Online course",
    "study_visit": "Study visit",
    "roundtable": "Roundtable",
    "launch": "Launch event",
    "coaching": "Coaching",
    "drafting": "Drafting of guidelines",
}


def _load_synthetic(say: Progress) -> int:
    """Ten activities per synthetic Action, spread over its dates, with one or two experts on
    the finished ones and feedback on most of them."""
    existing_actions = set(
        Activity.objects.filter(demo_key__startswith="syn-activity-")
        .values_list("action_id", flat=True)
        .distinct()
    )
    actions = [
        a
        for a in Action.objects.filter(demo_key__startswith="syn-action-").values_list(
            "pk", "demo_key", "country_id", "start_date", "end_date", "phase"
        )
        if a[0] not in existing_actions
    ]
    if not actions:
        return 0
    experts = list(
        ExpertProfile.objects.filter(consent_to_contact=True).order_by("pk").values_list("pk", flat=True)
    )
    busy: dict[int, list[tuple[D, D]]] = {}
    for expert_id, d_start, d_end in Deployment.objects.accepted().values_list(
        "expert_id", "activity__start_date", "activity__end_date"
    ):
        busy.setdefault(expert_id, []).append((d_start, d_end))
    types = [t for t, _w in TYPE_WEIGHTS]
    weights = [w for _t, w in TYPE_WEIGHTS]
    today = timezone.localdate()
    created = 0
    for block in range(0, len(actions), 500):
        rows: list[Activity] = []
        for pk, key, country, start, end, phase in actions[block : block + 500]:
            n = int(str(key).rsplit("-", 1)[1])
            rng = random.Random(f"capdev-demo:syn-activities:{n}")
            begin: D = start or D(2015, 1, 1)
            span = max(((end or begin + datetime.timedelta(days=700)) - begin).days, 30)
            for i in range(SYN_ACTIVITIES_PER_ACTION):
                kind = rng.choices(types, weights=weights)[0]
                first = begin + datetime.timedelta(
                    days=span * i // SYN_ACTIVITIES_PER_ACTION + rng.randrange(0, 20)
                )
                days = 1 if kind in ("launch", "roundtable") else rng.randrange(1, 6)
                last = first + datetime.timedelta(days=days - 1)
                status = ActivityStatus.DONE if last < today else ActivityStatus.PLANNED
                if phase == Phase.COMPLETED:
                    status = ActivityStatus.DONE if rng.random() > 0.03 else ActivityStatus.CANCELLED
                mode = (
                    "online" if kind == "online_course" else rng.choice(("face_to_face",) * 4 + ("blended",))
                )
                done = status == ActivityStatus.DONE
                rows.append(
                    Activity(
                        action_id=pk,
                        demo_key=f"syn-activity-{n}-{i + 1}",
                        type=kind,
                        title=f"{TITLES[kind]} {i + 1}",
                        start_date=first,
                        end_date=last,
                        mode=mode,
                        country_id=country or None,
                        status=status,
                        participants_women=rng.randrange(4, 20) if done else 0,
                        participants_men=rng.randrange(4, 20) if done else 0,
                    )
                )
        Activity.objects.bulk_create(rows, batch_size=2000)
        deployments = []
        rng = random.Random(f"capdev-demo:syn-deployments:{block}")
        for activity in rows:
            if activity.status != ActivityStatus.DONE or not experts:
                continue
            for _ in range(rng.choice((1, 1, 2))):
                for _attempt in range(5):
                    expert_id = rng.choice(experts)
                    windows = busy.setdefault(expert_id, [])
                    if all(activity.end_date < s or activity.start_date > e for s, e in windows):
                        windows.append((activity.start_date, activity.end_date))
                        score = rng.choice((3, 4, 4, 5, 5)) if rng.random() < 0.7 else None
                        deployments.append(
                            Deployment(
                                activity_id=activity.pk,
                                expert_id=expert_id,
                                status=DeploymentStatus.ACCEPTED,
                                feedback_score=score,
                            )
                        )
                        break
        Deployment.objects.bulk_create(deployments, batch_size=2000, ignore_conflicts=True)
        created += len(rows)
        if (block // 500) % 10 == 9:
            say(f"Synthetic activities: {created:,} created.")
    _refresh_feedback()
    say(f"Synthetic activities: {created:,} created.")
    return created


def _refresh_feedback() -> None:
    """Recompute every expert's average feedback (bulk-created deployments bypass the service)."""
    rows = (
        Deployment.objects.filter(feedback_score__isnull=False)
        .values("expert_id")
        .annotate(avg=Avg("feedback_score"), n=Count("id"))
    )
    profiles = []
    for row in rows:
        profiles.append(
            ExpertProfile(
                pk=row["expert_id"],
                feedback_average=Decimal(str(row["avg"])).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
                feedback_count=row["n"],
            )
        )
    ExpertProfile.objects.bulk_update(profiles, ["feedback_average", "feedback_count"], batch_size=2000)


@transaction.atomic
def load_activities(scale: int = 1, progress: Progress | None = None) -> dict[str, Any]:
    """The named activities with their experts, and ten per synthetic Action."""
    say: Progress = progress or (lambda _message: None)
    _load_named(say)
    _load_synthetic(say)
    return {
        "activities": Activity.objects.count(),
        "deployments": Deployment.objects.count(),
        "partnered actions": ActionPartner.objects.values("action_id").distinct().count(),
    }
