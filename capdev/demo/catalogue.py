"""The demo catalogue of standard products (DOMAIN.md, seeds 000, 003 and 004).

- The **Vocational Train the Trainers** course of the capacity-development facility: an online
  self-paced part (training cycle, design, objectives, principles of adult learning, delivery and
  methods, evaluation and closing) that must be completed before five face-to-face days of practice
  and coaching. Version 1 was published before the Brazil III pilot (July 2022); version 2 is a
  draft with the revisions the pilot's feedback suggested.
- An **accredited award** of the Mediterranean training institute: 2 ECTS over 4 days, 18 contact
  + 29 self-study + 3 assessment hours (= 50 hours), MQF level 5, accredited by the Malta Further
  and Higher Education Authority, in English and Arabic.
- The **Migration Management Diploma Programme**: three courses of four weeks, each closing with a
  field trip (The Hague, Geneva, Brussels).

The online self-paced parts get their lessons (and the ToT its SCORM quiz) while each product is
a draft: `capdev.demo.delivery.content`.

Objectives are mapped to the trainer competency framework when it is available (it is written
by `capdev.demo.competencies.load_trainer_framework`). Everything is written through the services,
so it is validated and audited; `load_catalogue()` is deterministic (fixed dates, identifiers
derived from the demo keys) and idempotent (a course whose `demo_key` exists is left alone).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from capdev.catalogue import services
from capdev.catalogue.models import Course, CourseVersion, DeliveryMode, Module, PartKind, RuleKind
from capdev.competencies.models import CompetencyItem, FrameworkVersion, ProficiencyLevel
from capdev.organisations.models import Organisation, OrganisationType
from capdev.reference.models import ThematicArea

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://capdev.example/demo/catalogue")
Progress = Callable[[str], None]


def _at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 9, 0, tzinfo=datetime.UTC)


# --- organisations ---------------------------------------------------------------------------

# demo key -> (name, acronym, type, country): created only when the demo loader has not run.
OWNERS = {
    "icmpd": (
        "International Centre for Migration Policy Development",
        "ICMPD",
        OrganisationType.IMPLEMENTING,
        "AT",
    ),
    "mcp-med-ti": (
        "Training Institute on Migration Capacity Partnership for the Mediterranean",
        "MCP Med TI",
        OrganisationType.TRAINING_INSTITUTION,
        "MT",
    ),
    "unu-merit": (
        "United Nations University – Maastricht Economic and Social Research Institute on Innovation "
        "and Technology",
        "UNU-MERIT",
        OrganisationType.TRAINING_INSTITUTION,
        "NL",
    ),
}


def _owner(key: str) -> Organisation:
    org = Organisation.objects.filter(demo_key=key).first()
    if org is None:
        name, acronym, kind, country = OWNERS[key]
        org = Organisation.objects.filter(acronym=acronym).first()
        if org is None:
            org = Organisation.objects.create(name=name, acronym=acronym, type=kind, country_id=country)
        if not org.demo_key:
            Organisation.objects.filter(pk=org.pk).update(demo_key=key)
    return org


# --- the products ----------------------------------------------------------------------------

# (text, is_core, [(competency code, target level), ...])
Objective = tuple[str, bool, list[tuple[str, str]]]


@dataclass
class ModuleSpec:
    title: str
    part: int  # position of its delivery part
    summary: str = ""
    objectives: list[Objective] = field(default_factory=list)
    # (language, title, kind "pdf" | "txt" | "link", text or URL)
    materials: list[tuple[str, str, str, str]] = field(default_factory=list)


@dataclass
class ProductSpec:
    key: str
    code: str
    owner: str
    title: str
    summary: str
    target_audience: str
    mode: str
    languages: list[str]
    thematic_areas: list[str]
    hours: tuple[int, int, int]  # contact, self-study, assessment
    parts: list[dict[str, Any]]
    modules: list[ModuleSpec]
    rules: list[tuple[str, Any]]  # (kind, threshold or level name)
    published_at: datetime.datetime
    uses_framework: bool = True
    ects: Decimal | None = None
    qualification: tuple[str, int] | None = None
    accredited_by: str = ""
    change_note: str = ""


LMS = "https://learning.capdev.example"

TOT = ProductSpec(
    key="tot-standard",
    code="vocational-train-the-trainers",
    owner="icmpd",
    title="Vocational Train the Trainers",
    summary=(
        "The standard Training of Trainers course: participants learn to design, deliver and evaluate "
        "an engaging training session on any migration topic. A self-paced online part prepares them for "
        "five face-to-face days where they practise with their peers, with expert guidance and coaching."
    ),
    target_audience=(
        "Staff of partner authorities who train their colleagues: trainers of training units, public "
        "administration schools, diplomatic academies and migration institutes."
    ),
    mode=DeliveryMode.BLENDED,
    languages=["en", "fr", "es"],
    thematic_areas=["horizontal"],
    hours=(35, 12, 3),
    parts=[
        {
            "kind": PartKind.ONLINE_SELF_PACED,
            "title": "On the learning platform",
            "weeks": 3,
            "hours": 12,
            "gates_next": True,
        },
        {"kind": PartKind.FACE_TO_FACE, "title": "Practice and coaching", "days": 5, "hours": 35},
    ],
    modules=[
        ModuleSpec(
            "The training cycle",
            1,
            "From the request to the follow-up: needs analysis, design, development, delivery and evaluation.",
            [
                (
                    "Describe the stages of the training cycle and the output of each stage.",
                    True,
                    [("T1.1", "Proficient")],
                ),
                (
                    "Plan a training activity from the request to the follow-up.",
                    False,
                    [("T1.2", "Developing")],
                ),
            ],
            [
                ("en", "The training cycle (slides)", "pdf", "The training cycle"),
                ("es", "El ciclo de formación (vídeo)", "link", f"{LMS}/tot/es/ciclo-de-formacion"),
            ],
        ),
        ModuleSpec(
            "Training design",
            1,
            "Analysing needs and the target group, and turning them into a course outline.",
            [
                (
                    "Analyse the target group of a training: roles, prior knowledge, languages.",
                    True,
                    [("T2.3", "Proficient")],
                ),
                ("Sequence content and activities with realistic timing.", False, [("T3.3", "Developing")]),
            ],
            [("en", "Design template", "link", f"{LMS}/tot/en/design-template")],
        ),
        ModuleSpec(
            "Learning objectives",
            1,
            "Writing objectives that are specific, observable and measurable, and aligning them.",
            [
                (
                    "Write learning objectives that are specific, observable and measurable.",
                    True,
                    [("T3.1", "Proficient")],
                ),
                ("Align objectives, content, methods and assessment.", True, [("T3.2", "Proficient")]),
            ],
        ),
        ModuleSpec(
            "Principles of adult learning",
            1,
            "How adults learn, and how to build on participants' experience.",
            [
                (
                    "Explain the principles of adult learning and the experiential learning cycle.",
                    True,
                    [("T4.1", "Proficient"), ("T4.2", "Developing")],
                ),
                (
                    "Create a safe, respectful and inclusive learning environment.",
                    False,
                    [("T4.4", "Proficient")],
                ),
            ],
            [("en", "Adult learning in a nutshell", "pdf", "Principles of adult learning")],
        ),
        ModuleSpec(
            "Delivery and methods",
            1,
            "Participatory methods, presenting, facilitating groups, online and blended sessions.",
            [
                ("Choose participatory methods suited to the objectives.", True, [("T5.1", "Proficient")]),
                ("Deliver an online or blended session.", False, [("T5.4", "Developing")]),
            ],
        ),
        ModuleSpec(
            "Evaluation and closing",
            1,
            "Evaluating reaction, learning, behaviour and results; closing a session so learning transfers.",
            [
                ("Assess learning against the objectives.", True, [("T6.2", "Proficient")]),
                (
                    "Close a session so that learning is consolidated and transferred to work.",
                    False,
                    [("T6.3", "Developing")],
                ),
            ],
        ),
        ModuleSpec(
            "Practice and coaching",
            2,
            "Micro-teaching: each participant designs and delivers a session, observed and coached by the "
            "trainers and their peers.",
            [
                (
                    "Deliver a 20-minute micro-teaching session to peers.",
                    True,
                    [("T5.2", "Proficient"), ("T5.3", "Proficient")],
                ),
                ("Give and receive structured feedback on a session.", False, [("T6.5", "Proficient")]),
            ],
            [("en", "Micro-teaching observation rubric", "pdf", "Micro-teaching observation rubric")],
        ),
    ],
    rules=[
        (RuleKind.ONLINE_COMPLETED, None),
        (RuleKind.ATTENDANCE_MIN, Decimal(80)),
        (RuleKind.POST_TEST_MIN, Decimal(70)),
        (RuleKind.PRACTICAL_CORE_LEVEL, "Proficient"),
    ],
    published_at=_at(2022, 6, 1),
    change_note="First standard version, developed with MIEUX+ experts.",
)

TOT_V2_NOTE = (
    "After the Brazil III pilot (July 2022, 14 participants): more practice time in the online part, "
    "a module on online and blended delivery, examples from several migration topics."
)

AWARD = ProductSpec(
    key="mcp-award-training",
    code="award-training-migration-practitioners",
    owner="mcp-med-ti",
    title="Award in Training for Migration Practitioners",
    summary=(
        "An accredited award for officials of migration authorities who train their colleagues: planning, "
        "delivering and assessing training, with a practical assessment observed by a certified trainer."
    ),
    target_audience=(
        "Trainers and training coordinators of migration authorities in Jordan, Lebanon, Libya, Morocco "
        "and Tunisia."
    ),
    mode=DeliveryMode.BLENDED,
    languages=["en", "ar"],
    thematic_areas=["horizontal", "legal", "irregular"],
    hours=(18, 29, 3),
    parts=[
        {
            "kind": PartKind.ONLINE_SELF_PACED,
            "title": "Preparatory reading and tasks",
            "hours": 29,
            "gates_next": True,
        },
        {"kind": PartKind.FACE_TO_FACE, "title": "Workshop in Valletta", "days": 4, "hours": 21},
    ],
    modules=[
        ModuleSpec(
            "Planning training for migration authorities",
            1,
            objectives=[
                (
                    "Plan a training activity with the partner authority, from needs to follow-up.",
                    True,
                    [("T1.2", "Proficient"), ("T2.2", "Developing")],
                ),
            ],
            materials=[
                ("en", "Award handbook", "pdf", "Award in Training for Migration Practitioners: handbook"),
                (
                    "ar",
                    "دليل المشارك",
                    "txt",
                    "دليل المشارك في برنامج تدريب المدربين للعاملين في مجال الهجرة.\n"
                    "يتضمن الدليل أهداف التعلم وجدول الورشة ومعايير التقييم.",
                ),
            ],
        ),
        ModuleSpec(
            "Designing and delivering sessions",
            2,
            objectives=[
                (
                    "Write measurable objectives and align methods and assessment with them.",
                    True,
                    [("T3.1", "Proficient"), ("T3.2", "Proficient")],
                ),
                (
                    "Deliver a participatory session adapted to adult learners.",
                    True,
                    [("T5.1", "Proficient"), ("T4.3", "Proficient")],
                ),
            ],
        ),
        ModuleSpec(
            "Assessing learners",
            2,
            objectives=[
                ("Assess learning against objectives with a rubric.", True, [("T6.2", "Proficient")]),
            ],
        ),
        ModuleSpec(
            "Evaluation and quality assurance",
            2,
            objectives=[
                (
                    "Use evaluation results to improve a course, as the accreditation rules require.",
                    False,
                    [("T6.4", "Developing"), ("T3.5", "Developing")],
                ),
            ],
            materials=[("ar", "تقييم التدريب (عرض)", "link", f"{LMS}/award/ar/evaluation")],
        ),
    ],
    rules=[
        (RuleKind.ATTENDANCE_MIN, Decimal(100)),
        (RuleKind.PILLAR_POINTS_MIN, Decimal(60)),
        (RuleKind.PRACTICAL_CORE_LEVEL, "Proficient"),
    ],
    published_at=_at(2022, 11, 15),
    ects=Decimal(2),
    qualification=("MQF", 5),
    accredited_by="Malta Further and Higher Education Authority (MFHEA)",
)


def _diploma_course(n: int, title: str, summary: str, trip: str, modules: list[ModuleSpec]) -> ProductSpec:
    return ProductSpec(
        key=f"mmdp-course-{n}",
        code=f"mmdp-course-{n}",
        owner="unu-merit",
        title=f"Migration Management Diploma, course {n}: {title}",
        summary=summary,
        target_audience=(
            "Civil servants and policy practitioners working on migration in partner countries, selected "
            "from country analyses and candidate profiles."
        ),
        mode=DeliveryMode.FACE_TO_FACE,
        languages=["en"],
        thematic_areas=["legal", "irregular", "protection", "development"],
        hours=(100, 60, 0),
        parts=[
            {
                "kind": PartKind.FACE_TO_FACE,
                "title": "Four weeks of courses in Maastricht",
                "weeks": 4,
                "hours": 100,
            },
            {"kind": PartKind.FIELD_TRIP, "title": trip, "days": 1},
        ],
        modules=modules,
        rules=[(RuleKind.ATTENDANCE_MIN, Decimal(80)), (RuleKind.PILLAR_POINTS_MIN, Decimal(60))],
        published_at=_at(2020, 10, 1),  # before the call for the first cohort (November 2020)
        uses_framework=False,
    )


DIPLOMA = [
    _diploma_course(
        1,
        "Migration governance and EU cooperation",
        "The central tenets of the EU's migration cooperation: legal migration, irregular migration and "
        "trafficking, migration and development, international protection.",
        "Field trip to The Hague: the Dutch Ministry of Security and Justice",
        [
            ModuleSpec(
                "EU migration cooperation frameworks",
                1,
                objectives=[
                    (
                        "Explain the EU's frameworks for cooperation with partner countries on migration.",
                        True,
                        [],
                    ),
                ],
            ),
            ModuleSpec(
                "State-level migration responsibilities",
                2,
                objectives=[
                    ("Compare a partner country's institutional set-up with the Dutch one.", False, []),
                ],
            ),
        ],
    ),
    _diploma_course(
        2,
        "Global migration governance",
        "How states, intergovernmental organisations and NGOs interact in global migration governance.",
        "Field trip to Geneva: UNHCR headquarters",
        [
            ModuleSpec(
                "Actors of global migration governance",
                1,
                objectives=[
                    ("Map the actors of global migration governance and their mandates.", True, []),
                ],
            ),
            ModuleSpec(
                "International protection in practice",
                2,
                objectives=[
                    ("Describe how UNHCR supports states in international protection.", False, []),
                ],
            ),
        ],
    ),
    _diploma_course(
        3,
        "Evidence-based policy and multi-level governance",
        "Assessing policy systems with common standards, using research in policy design, and the "
        "perspectives of supranational bodies.",
        "Field trip to Brussels: DG HOME",
        [
            ModuleSpec(
                "Evidence for migration policy",
                1,
                objectives=[
                    ("Assess a national policy system against common standards and methods.", True, []),
                ],
            ),
            ModuleSpec(
                "The EU as a multi-level actor",
                2,
                objectives=[
                    (
                        "Explain how EU institutions shape migration policy with member and partner states.",
                        False,
                        [],
                    ),
                ],
            ),
        ],
    ),
]

PRODUCTS = [TOT, AWARD, *DIPLOMA]


# --- files -----------------------------------------------------------------------------------


def demo_pdf(title: str, lines: list[str]) -> bytes:
    """A one-page PDF with a title and a few lines of Latin text (Helvetica)."""

    def esc(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = [f"BT /F1 18 Tf 72 770 Td ({esc(title)}) Tj ET"]
    y = 740
    for line in lines:
        body.append(f"BT /F1 11 Tf 72 {y} Td ({esc(line)}) Tj ET")
        y -= 16
    stream = "\n".join(body).encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + obj + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _slug(text: str) -> str:
    from django.utils.text import slugify

    return slugify(text)[:60] or "material"


# --- loading ---------------------------------------------------------------------------------


def _framework() -> FrameworkVersion | None:
    """The published trainer framework version, when the competency demo exists."""
    try:
        from capdev.demo.competencies import load_trainer_framework
    except ImportError:
        return None
    framework = load_trainer_framework()
    return framework.versions.filter(status="published").order_by("-number").first()


def _build(spec: ProductSpec, fv: FrameworkVersion | None, say: Progress) -> CourseVersion:
    fv = fv if spec.uses_framework else None
    items: dict[str, CompetencyItem] = {}
    levels: dict[str, ProficiencyLevel] = {}
    if fv is not None:
        items = {i.code: i for i in CompetencyItem.objects.filter(version=fv)}
        levels = {lv.name: lv for lv in ProficiencyLevel.objects.filter(version=fv)}
    contact, self_study, assessment = spec.hours
    version = services.create_course(
        actor=None,
        owner=_owner(spec.owner),
        title=spec.title,
        code=spec.code,
        mode=spec.mode,
        summary=spec.summary,
        target_audience=spec.target_audience,
        languages=spec.languages,
        thematic_areas=list(ThematicArea.objects.filter(code__in=spec.thematic_areas)),
        framework_version=fv,
        contact_hours=Decimal(contact),
        self_study_hours=Decimal(self_study),
        assessment_hours=Decimal(assessment),
        ects_credits=spec.ects,
        qualification_framework=spec.qualification[0] if spec.qualification else "",
        qualification_level=spec.qualification[1] if spec.qualification else None,
        accredited_by=spec.accredited_by,
        change_note=spec.change_note,
    )
    parts = [services.add_part(version, actor=None, **p) for p in spec.parts]
    for m in spec.modules:
        module = services.add_module(
            version, actor=None, title=m.title, summary=m.summary, part=parts[m.part - 1]
        )
        for text, core, mappings in m.objectives:
            pairs = [(items[c], levels[lv]) for c, lv in mappings if c in items and lv in levels]
            services.add_objective(module, actor=None, text=text, is_core=core, mappings=pairs)
        _materials(module, m, spec)
    for kind, value in spec.rules:
        if kind == RuleKind.PRACTICAL_CORE_LEVEL:
            if value in levels:
                services.set_completion_rule(version, actor=None, kind=kind, level=levels[value])
        else:
            services.set_completion_rule(version, actor=None, kind=kind, threshold=value)
    _online_content(spec, version)
    say(f"  catalogue: {spec.title}")
    return version


def _online_content(spec: ProductSpec, version: CourseVersion) -> None:
    """The lessons (and the ToT's SCORM quiz) of the online self-paced part, written while the
    version is a draft; derived versions and adaptations get copies."""
    from capdev.demo.delivery import content

    if spec is TOT:
        content.add_lessons(version, content.TOT_LESSONS)
        content.add_scorm_package(version)
    elif spec is AWARD:
        content.add_lessons(version, content.AWARD_LESSONS)


def _materials(module: Module, m: ModuleSpec, spec: ProductSpec) -> None:
    for language, title, kind, content in m.materials:
        if kind == "link":
            services.add_material_link(module, actor=None, language=language, url=content, title=title)
            continue
        if kind == "pdf":
            data = demo_pdf(
                content,
                [spec.title, f"Module: {m.title}", "Demo material written for capdev."],
            )
            name = f"{_slug(title)}.pdf"
        else:
            data = content.encode("utf-8")
            name = f"{spec.code}-{module.position}-{language}.txt"
        upload = SimpleUploadedFile(name, data)
        services.add_material_file(module, actor=None, language=language, upload=upload, title=title)


def _stable_ids(spec: ProductSpec, version: CourseVersion) -> None:
    Course.objects.filter(pk=version.course_id).update(
        demo_key=spec.key, uuid=uuid.uuid5(NAMESPACE, f"course/{spec.key}")
    )
    CourseVersion.objects.filter(pk=version.pk).update(uuid=uuid.uuid5(NAMESPACE, f"version/{spec.key}/1"))


def load_catalogue(progress: Progress | None = None) -> dict[str, int]:
    """Write the demo products that do not exist yet; return how many courses and versions exist."""
    say: Progress = progress or (lambda _message: None)
    fv = _framework()
    existing = set(
        Course.objects.filter(demo_key__in=[p.key for p in PRODUCTS]).values_list("demo_key", flat=True)
    )
    for spec in PRODUCTS:
        if spec.key in existing:
            continue
        with transaction.atomic():
            version = _build(spec, fv, say)
            _stable_ids(spec, version)
            services.publish_version(version, actor=None)
            CourseVersion.objects.filter(pk=version.pk).update(published_at=spec.published_at)
            if spec is TOT:
                _tot_v2(version)
    return {
        "courses": Course.objects.filter(demo_key__in=[p.key for p in PRODUCTS]).count(),
        "versions": CourseVersion.objects.filter(course__demo_key__in=[p.key for p in PRODUCTS]).count(),
    }


def _tot_v2(v1: CourseVersion) -> None:
    """Version 2 of the ToT: a draft with the revisions the Brazil III pilot suggested."""
    v2 = services.derive_version(v1, actor=None, change_note=TOT_V2_NOTE)
    CourseVersion.objects.filter(pk=v2.pk).update(uuid=uuid.uuid5(NAMESPACE, f"version/{TOT.key}/2"))
    services.update_version(v2, actor=None, self_study_hours=Decimal(15), languages=["en", "fr", "es", "pt"])
    online = v2.parts.get(position=1)
    services.update_part(online, actor=None, hours=Decimal(15), weeks=4)
    delivery = v2.modules.get(title="Delivery and methods")
    services.add_objective(
        delivery,
        actor=None,
        text="Adapt a face-to-face activity for an online session.",
        mappings=_pairs(v2, [("T5.4", "Proficient")]),
    )
    from capdev.demo.delivery import content

    content.add_lessons(v2, content.TOT_V2_LESSONS)


def _pairs(
    version: CourseVersion, mappings: list[tuple[str, str]]
) -> list[tuple[CompetencyItem, ProficiencyLevel]]:
    if version.framework_version_id is None:
        return []
    items = {i.code: i for i in CompetencyItem.objects.filter(version_id=version.framework_version_id)}
    levels = {lv.name: lv for lv in ProficiencyLevel.objects.filter(version_id=version.framework_version_id)}
    return [(items[c], levels[lv]) for c, lv in mappings if c in items and lv in levels]
