"""The standard trainer competency framework, written for capdev's demo and as reference data.

What a trainer needs to design, deliver and evaluate a training session (seed 003: the training
cycle, needs analysis, design and objectives, adult-learning principles, delivery and methods,
evaluation and closing). Version 1 is published (spring 2022, before the Brazil III pilot); version 2
is a draft derived from it with the revisions that the pilot suggested.

`load_trainer_framework()` is deterministic and idempotent: the framework carries the demo key
"trainer-competency-framework" and is written once, through the services (so it has an audit
trail); a second call returns it unchanged. Identifiers are derived from the demo key and the item
codes (uuid5), so the CASE identifiers of the demo framework are the same in every demo database.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django.db import transaction

from capdev.competencies import services
from capdev.competencies.models import (
    CompetencyItem,
    Framework,
    FrameworkVersion,
    ItemKind,
    Nature,
    ProficiencyLevel,
)
from capdev.organisations.models import Organisation, OrganisationType

DEMO_KEY = "trainer-competency-framework"
OWNER_DEMO_KEY = "icmpd"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, f"https://capdev.example/demo/{DEMO_KEY}")
PUBLISHED_AT = datetime.datetime(2022, 5, 2, 9, 0, tzinfo=datetime.UTC)

K, S, A = Nature.KNOWLEDGE, Nature.SKILL, Nature.ATTITUDE

# (code, statement, [(code, nature, statement, [(code, nature, indicator), ...]), ...])
Indicator = tuple[str, str, str]
Competency = tuple[str, str, str, list[Indicator]]
TREE: list[tuple[str, str, list[Competency]]] = [
    (
        "T1",
        "Training cycle",
        [
            (
                "T1.1",
                K,
                "Explains the stages of the training cycle (needs analysis, design, development, delivery, "
                "evaluation) and how each one feeds the next.",
                [
                    ("T1.1.1", K, "Names the stages in order and the main output of each."),
                    (
                        "T1.1.2",
                        K,
                        "Shows, with an example from their own institution, how evaluation results feed the "
                        "next needs analysis.",
                    ),
                ],
            ),
            (
                "T1.2",
                S,
                "Plans a training activity from the request to the follow-up, with a realistic timeline "
                "and budget.",
                [
                    (
                        "T1.2.1",
                        S,
                        "Produces a work plan listing the tasks, the people responsible and the deadlines of "
                        "each stage.",
                    ),
                    (
                        "T1.2.2",
                        S,
                        "Lists the logistics a session needs (venue, equipment, interpretation, materials) "
                        "and when to arrange each.",
                    ),
                ],
            ),
            (
                "T1.3",
                S,
                "Coordinates with the partner authority, co-trainers and experts throughout the cycle.",
                [
                    (
                        "T1.3.1",
                        S,
                        "Agrees roles and responsibilities with the co-trainers before the session.",
                    ),
                    (
                        "T1.3.2",
                        S,
                        "Keeps the partner authority's focal point informed of decisions and changes.",
                    ),
                ],
            ),
            (
                "T1.4",
                A,
                "Treats a training as part of the institution's capacity development, not as a one-off "
                "event.",
                [
                    (
                        "T1.4.1",
                        A,
                        "Links each training to the institution's objectives and to what participants will "
                        "do differently afterwards.",
                    ),
                ],
            ),
        ],
    ),
    (
        "T2",
        "Training needs analysis",
        [
            (
                "T2.1",
                K,
                "Distinguishes training needs from needs that training cannot meet (procedures, "
                "equipment, staffing, policy).",
                [
                    (
                        "T2.1.1",
                        K,
                        "Classifies the gaps found in an assessment as training or non-training needs, with "
                        "a reason for each.",
                    ),
                ],
            ),
            (
                "T2.2",
                S,
                "Collects information on needs with suitable methods: questionnaires, interviews, focus "
                "groups, observation and document review.",
                [
                    (
                        "T2.2.1",
                        S,
                        "Designs a short questionnaire or interview guide that targets the tasks of the job.",
                    ),
                    ("T2.2.2", S, "Facilitates a focus group in which every participant contributes."),
                ],
            ),
            (
                "T2.3",
                S,
                "Analyses the target group: roles, prior knowledge, experience, languages and working "
                "conditions.",
                [
                    ("T2.3.1", S, "Writes a participant profile that the design team can use."),
                    (
                        "T2.3.2",
                        S,
                        "Identifies the differences within the group (seniority, sex, region, unit) that "
                        "affect the design.",
                    ),
                ],
            ),
            (
                "T2.4",
                S,
                "Reports needs and priorities in a form the partner authority can act on.",
                [
                    (
                        "T2.4.1",
                        S,
                        "Presents the findings with clear priorities and recommendations, for training and "
                        "beyond it.",
                    ),
                    ("T2.4.2", A, "Validates the findings with the partner authority before design starts."),
                ],
            ),
        ],
    ),
    (
        "T3",
        "Design and learning objectives",
        [
            (
                "T3.1",
                S,
                "Writes learning objectives that are specific, observable and measurable.",
                [
                    (
                        "T3.1.1",
                        S,
                        "Uses action verbs matched to the intended level of learning (e.g. Bloom's "
                        "taxonomy).",
                    ),
                    ("T3.1.2", S, "States the conditions and the standard of performance where relevant."),
                ],
            ),
            (
                "T3.2",
                S,
                "Aligns objectives, content, methods and assessment.",
                [
                    (
                        "T3.2.1",
                        S,
                        "Produces a session plan in which every activity serves a stated objective.",
                    ),
                    ("T3.2.2", S, "Chooses an assessment that shows whether each objective was reached."),
                ],
            ),
            (
                "T3.3",
                S,
                "Sequences content and activities with realistic timing.",
                [
                    ("T3.3.1", K, "Orders content from simple to complex and from the known to the new."),
                    ("T3.3.2", S, "Allocates time for practice, questions and breaks."),
                ],
            ),
            (
                "T3.4",
                S,
                "Develops or adapts training materials for the audience and the context.",
                [
                    (
                        "T3.4.1",
                        S,
                        "Adapts examples and case studies to the participants' legal framework and daily "
                        "work.",
                    ),
                    (
                        "T3.4.2",
                        S,
                        "Prepares slides and handouts that are clear, accessible and consistent with the "
                        "objectives.",
                    ),
                ],
            ),
            (
                "T3.5",
                K,
                "Knows the standards the course must meet: the competency framework, accreditation rules "
                "and quality criteria.",
                [
                    (
                        "T3.5.1",
                        K,
                        "Maps the course objectives to the competencies of the framework it serves.",
                    ),
                ],
            ),
        ],
    ),
    (
        "T4",
        "Adult-learning principles",
        [
            (
                "T4.1",
                K,
                "Explains the principles of adult learning: relevance, experience, self-direction, "
                "problem orientation and motivation.",
                [
                    ("T4.1.1", K, "Describes how each principle changes the way a session is designed."),
                ],
            ),
            (
                "T4.2",
                K,
                "Knows the experiential learning cycle and the different ways adults prefer to learn.",
                [
                    (
                        "T4.2.1",
                        S,
                        "Plans a session that moves through experience, reflection, concept and application.",
                    ),
                ],
            ),
            (
                "T4.3",
                S,
                "Builds on the participants' experience and professional knowledge.",
                [
                    ("T4.3.1", S, "Uses the participants' own cases as learning material."),
                    ("T4.3.2", A, "Invites peer exchange and recognises the expertise in the room."),
                ],
            ),
            (
                "T4.4",
                A,
                "Creates a safe, respectful and inclusive learning environment.",
                [
                    ("T4.4.1", S, "Agrees ground rules with the group and upholds them."),
                    ("T4.4.2", A, "Uses gender-sensitive, inclusive language and examples."),
                    (
                        "T4.4.3",
                        A,
                        "Handles sensitive topics (e.g. testimonies of trafficking survivors) with care for "
                        "the participants' wellbeing.",
                    ),
                ],
            ),
        ],
    ),
    (
        "T5",
        "Delivery and methods",
        [
            (
                "T5.1",
                S,
                "Uses a variety of participatory methods suited to the objectives.",
                [
                    (
                        "T5.1.1",
                        S,
                        "Runs case studies, role plays, simulations and group work with clear instructions "
                        "and a debriefing.",
                    ),
                    ("T5.1.2", S, "Changes method when the group's energy or understanding requires it."),
                ],
            ),
            (
                "T5.2",
                S,
                "Presents clearly and engagingly.",
                [
                    ("T5.2.1", S, "Speaks clearly, uses voice and body language, and keeps to time."),
                    (
                        "T5.2.2",
                        S,
                        "Explains complex legal or technical content with examples and visual aids.",
                    ),
                ],
            ),
            (
                "T5.3",
                S,
                "Facilitates group dynamics.",
                [
                    ("T5.3.1", S, "Asks open questions and manages discussion so that all voices are heard."),
                    ("T5.3.2", A, "Handles difficult situations and challenging participants calmly."),
                ],
            ),
            (
                "T5.4",
                S,
                "Delivers online and blended sessions.",
                [
                    (
                        "T5.4.1",
                        S,
                        "Uses the functions of the online platform (breakout rooms, polls, shared "
                        "documents) with a purpose.",
                    ),
                    ("T5.4.2", S, "Links the online self-paced part to the face-to-face sessions."),
                ],
            ),
            (
                "T5.5",
                A,
                "Models the values of the public service: integrity, impartiality and respect for human "
                "rights.",
                [
                    ("T5.5.1", A, "Presents migration and protection topics accurately and without bias."),
                ],
            ),
        ],
    ),
    (
        "T6",
        "Evaluation and closing",
        [
            (
                "T6.1",
                K,
                "Knows the levels of training evaluation: reaction, learning, behaviour and results.",
                [
                    ("T6.1.1", K, "Chooses evaluation tools for each level the course aims at."),
                ],
            ),
            (
                "T6.2",
                S,
                "Assesses learning against the objectives.",
                [
                    ("T6.2.1", S, "Designs pre- and post-tests aligned with the objectives."),
                    (
                        "T6.2.2",
                        S,
                        "Observes and rates a practical exercise (e.g. a micro-teaching session) against a "
                        "rubric, and gives specific, constructive feedback.",
                    ),
                ],
            ),
            (
                "T6.3",
                S,
                "Closes a session or course so that learning is consolidated and transferred to work.",
                [
                    ("T6.3.1", S, "Summarises the key points and links them to the objectives."),
                    (
                        "T6.3.2",
                        S,
                        "Helps each participant plan how to apply the learning at work, such as a "
                        "commitment to deliver a replica training.",
                    ),
                ],
            ),
            (
                "T6.4",
                S,
                "Uses evaluation results to improve the course.",
                [
                    (
                        "T6.4.1",
                        S,
                        "Analyses the feedback of participants, the partner authority and the experts, and "
                        "reports the lessons learnt.",
                    ),
                    ("T6.4.2", S, "Proposes concrete revisions to the course design and materials."),
                ],
            ),
            (
                "T6.5",
                A,
                "Reflects on their own performance and seeks feedback.",
                [
                    ("T6.5.1", A, "Keeps a reflective log after each delivery and acts on it."),
                ],
            ),
        ],
    ),
]

SCALE = [
    ("Not yet", "Cannot yet do this without substantial help.", False),
    ("Developing", "Does this with guidance; the results are still uneven.", False),
    ("Proficient", "Does this independently, to the standard expected of a certified trainer.", True),
    ("Expert", "Does this with ease, adapts it to new situations and coaches other trainers.", False),
]

V1_NOTE = "First standard version, prepared with MIEUX+ experts for the Training of Trainers course."
V2_NOTE = (
    "Revised after the Brazil III pilot (July 2022): online delivery strengthened, objectives wording "
    "clarified, logistics moved to the course checklist, sensitive topics grouped with group dynamics."
)


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts))


def _owner() -> Organisation:
    """The implementing organisation: the demo loader's (demo key "icmpd"), else ICMPD by acronym,
    else created with the loader's demo key so the loader finds it later instead of duplicating it."""
    owner = (
        Organisation.objects.filter(demo_key=OWNER_DEMO_KEY).first()
        or Organisation.objects.filter(acronym="ICMPD").order_by("pk").first()
    )
    if owner is not None:
        return owner
    from capdev.organisations import services as organisation_services

    owner = organisation_services.create_organisation(
        actor=None,
        name="International Centre for Migration Policy Development",
        acronym="ICMPD",
        type=OrganisationType.IMPLEMENTING,
        country_id="AT",
    )
    Organisation.objects.filter(pk=owner.pk).update(demo_key=OWNER_DEMO_KEY)
    return owner


def _build_v1(version: FrameworkVersion) -> None:
    for d_code, d_statement, competencies in TREE:
        domain = services.add_item(
            version, actor=None, code=d_code, kind=ItemKind.DOMAIN, statement=d_statement
        )
        for c_code, c_nature, c_statement, indicators in competencies:
            competency = services.add_item(
                version,
                actor=None,
                parent=domain,
                code=c_code,
                kind=ItemKind.COMPETENCY,
                nature=c_nature,
                statement=c_statement,
            )
            for i_code, i_nature, i_statement in indicators:
                services.add_item(
                    version,
                    actor=None,
                    parent=competency,
                    code=i_code,
                    kind=ItemKind.INDICATOR,
                    nature=i_nature,
                    statement=i_statement,
                )


def _revise_v2(version: FrameworkVersion) -> None:
    """The changes of the draft v2: one of each kind the comparison shows."""

    def get(code: str) -> CompetencyItem:
        return CompetencyItem.objects.get(version=version, code=code)

    services.update_item(
        get("T3.1.1"),
        actor=None,
        statement=(
            "Uses action verbs matched to the intended level of learning (e.g. Bloom's revised taxonomy) "
            "and avoids verbs that cannot be observed, such as “understand” or “know”."
        ),
    )
    services.update_item(get("T5.4"), actor=None, statement="Delivers online, blended and hybrid sessions.")
    services.add_item(
        version,
        actor=None,
        parent=get("T5.4"),
        code="T5.4.3",
        kind=ItemKind.INDICATOR,
        nature=S,
        statement=(
            "Checks that participants completed the online self-paced part before the face-to-face days "
            "and follows up with those who did not."
        ),
    )
    services.delete_item(get("T1.2.2"), actor=None)
    services.move_item(get("T4.4.3"), actor=None, parent=get("T5.3"), position=None)
    services.shift_item(get("T5.2"), actor=None, direction=services.Direction.UP)
    services.update_version(version, actor=None, change_note=V2_NOTE)


def _stable_identifiers(framework: Framework) -> None:
    """Identifiers derived from the demo key: v1 items from their code (their lineage too, which
    the versions derived later keep), later versions' items from their lineage."""
    Framework.objects.filter(pk=framework.pk).update(uuid=_id("framework"))
    for version in framework.versions.all():
        FrameworkVersion.objects.filter(pk=version.pk).update(uuid=_id("v", version.number))
        for level in version.levels.all():
            ProficiencyLevel.objects.filter(pk=level.pk).update(
                uuid=_id("v", version.number, "level", level.position)
            )
        for item in version.items.all():
            if version.number == 1:
                values = {"lineage": _id("lineage", item.code), "uuid": _id("v", 1, "item", item.code)}
            else:
                values = {"uuid": _id("v", version.number, "item", item.lineage)}
            CompetencyItem.objects.filter(pk=item.pk).update(**values)


@transaction.atomic
def load_trainer_framework(progress: Callable[[str], None] | None = None) -> Framework:
    """Write the trainer competency framework (published v1, draft v2) unless it exists; return it."""
    existing = Framework.objects.filter(demo_key=DEMO_KEY).first()
    if existing is not None:
        return existing
    say = progress or (lambda message: None)
    framework = services.create_framework(
        actor=None,
        title="Trainer competency framework",
        owner=_owner(),
        description=(
            "The skills, knowledge and attitudes a trainer needs to design, deliver and evaluate an "
            "engaging and effective training session on any migration topic. It is the basis of the "
            "standard Training of Trainers course and of trainer certification."
        ),
        languages=["en"],
        subject="Training of trainers",
        licence="CC BY 4.0",
        demo_key=DEMO_KEY,
    )
    v1 = framework.versions.get()
    services.update_version(v1, actor=None, change_note=V1_NOTE)
    services.set_scale(
        v1,
        actor=None,
        levels=[
            {"id": level.pk, "name": name, "description": description, "is_threshold": threshold}
            for level, (name, description, threshold) in zip(v1.levels.all(), SCALE, strict=True)
        ],
    )
    _build_v1(v1)
    # Before deriving, so that v2 (a copy) inherits the stable lineages.
    _stable_identifiers(framework)
    services.publish_version(v1, actor=None)
    FrameworkVersion.objects.filter(pk=v1.pk).update(published_at=PUBLISHED_AT)
    v2 = services.derive_version(v1, actor=None)
    _revise_v2(v2)
    _stable_identifiers(framework)
    say(f"Trainer competency framework: v1 published ({v1.items.count()} items), v2 draft.")
    return framework
