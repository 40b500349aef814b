"""Demo adaptations of the Vocational Train the Trainers course (DOMAIN.md, seed 003).

- **DPU, Brazil III** (Portuguese): the Training of Trainers on international protection and asylum
  for the federal public defenders, piloted in July 2022. Built on version 1 of the standard: the
  objectives are translated, a module on legal assistance to asylum seekers is added, the modules
  carry Brazilian examples (the Refugee Act, CONARE, Operação Acolhida), and one non-core objective
  on online delivery is left out. Version 2 of the standard was published afterwards (spring 2023,
  revised after the pilot), so this adaptation is **behind**: its page lists what changed in the
  standard and offers the rebase (the DPU focal point can try it in the demo).
- **DGME, Costa Rica IV** (Spanish): a ToT on migration and health for the directorate of migration
  and the ministry of health, built on version 2 (up to date), with a module on the health-care
  protocol for migrants.

`load_adaptations()` runs after `capdev.demo.catalogue.load_catalogue()` (it needs the standard
course, demo key "tot-standard"). It publishes version 2 of the standard through the catalogue's
services when that version is still a draft. Deterministic (fixed dates and identifiers derived
from the demo keys) and idempotent (an adaptation whose demo key exists is left alone).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from capdev.catalogue import adaptations as svc
from capdev.catalogue import services as catalogue_services
from capdev.catalogue.models import Course, CourseVersion, LearningObjective, Module
from capdev.competencies.models import VersionStatus
from capdev.organisations.models import Organisation

STANDARD_DEMO_KEY = "tot-standard"
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://capdev.example/demo/adaptations")
STANDARD_V2_PUBLISHED_AT = datetime.datetime(2023, 3, 1, 9, 0, tzinfo=datetime.UTC)

Progress = Callable[[str], None]


@dataclass
class AdaptationSpec:
    key: str
    organisation: str  # organisation demo key
    language: str
    standard_number: int
    title: str
    summary: str
    target_audience: str
    published_at: datetime.datetime
    # standard module title -> (new title, new summary, local examples); "" keeps the standard's
    modules: dict[str, tuple[str, str, str]] = field(default_factory=dict)
    # standard objective (exact text) -> the adaptation's wording
    rewordings: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    # (title, summary, local examples, objectives, delivery part position)
    added_modules: list[tuple[str, str, str, list[str], int]] = field(default_factory=list)


DPU = AdaptationSpec(
    key="adaptation-dpu-tot-pt",
    organisation="dpu",
    language="pt",
    standard_number=1,
    title="Formação de Formadores em Proteção Internacional e Refúgio",
    summary=(
        "Adaptação da formação de formadores padrão para a Defensoria Pública da União: preparar, "
        "conduzir e avaliar formações sobre proteção internacional e refúgio para colegas e para a rede "
        "de atendimento a migrantes, refugiados e solicitantes de refúgio."
    ),
    target_audience=(
        "Defensoras e defensores públicos federais e servidores da DPU que formam colegas, em Brasília "
        "e nos estados de fronteira."
    ),
    published_at=datetime.datetime(2022, 7, 4, 9, 0, tzinfo=datetime.UTC),
    modules={
        "The training cycle": (
            "O ciclo de formação",
            "Da solicitação ao acompanhamento: análise de necessidades, desenho, desenvolvimento, "
            "execução e avaliação.",
            "O calendário de formação da Escola Superior da DPU (ESDPU); uma solicitação de formação de "
            "uma defensoria regional, da análise ao acompanhamento.",
        ),
        "Training design": (
            "Desenho da formação",
            "Analisar as necessidades e o público-alvo e transformá-los num roteiro de curso.",
            "Públicos da DPU: defensores recém-empossados, servidores do atendimento, parceiros da rede "
            "de acolhimento em Roraima e no Amazonas.",
        ),
        "Learning objectives": ("Objetivos de aprendizagem", "", ""),
        "Principles of adult learning": ("Princípios da aprendizagem de adultos", "", ""),
        "Delivery and methods": (
            "Execução e métodos",
            "",
            "Estudo de caso: o atendimento jurídico a uma família venezuelana em Pacaraima; simulação de "
            "uma audiência na Polícia Federal.",
        ),
        "Evaluation and closing": ("Avaliação e encerramento", "", ""),
        "Practice and coaching": (
            "Prática e acompanhamento",
            "",
            "Microensino sobre um tema de proteção internacional escolhido por cada participante.",
        ),
    },
    rewordings={
        "Describe the stages of the training cycle and the output of each stage.": (
            "Descrever as etapas do ciclo de formação e o produto de cada etapa."
        ),
        "Plan a training activity from the request to the follow-up.": (
            "Planejar uma atividade de formação da DPU, da solicitação ao acompanhamento."
        ),
        "Analyse the target group of a training: roles, prior knowledge, languages.": (
            "Analisar o público-alvo de uma formação: funções, conhecimentos prévios, línguas."
        ),
        "Sequence content and activities with realistic timing.": (
            "Sequenciar conteúdos e atividades com tempos realistas."
        ),
        "Write learning objectives that are specific, observable and measurable.": (
            "Redigir objetivos de aprendizagem específicos, observáveis e mensuráveis."
        ),
        "Align objectives, content, methods and assessment.": (
            "Alinhar objetivos, conteúdos, métodos e avaliação."
        ),
        "Explain the principles of adult learning and the experiential learning cycle.": (
            "Explicar os princípios da aprendizagem de adultos e o ciclo da aprendizagem experiencial."
        ),
        "Create a safe, respectful and inclusive learning environment.": (
            "Criar um ambiente de aprendizagem seguro, respeitoso e inclusivo, atento a temas sensíveis "
            "como a violência sofrida por solicitantes de refúgio."
        ),
        "Choose participatory methods suited to the objectives.": (
            "Escolher métodos participativos adequados aos objetivos."
        ),
        "Assess learning against the objectives.": "Avaliar a aprendizagem em relação aos objetivos.",
        "Close a session so that learning is consolidated and transferred to work.": (
            "Encerrar uma sessão de modo que a aprendizagem seja consolidada e aplicada no atendimento."
        ),
        "Deliver a 20-minute micro-teaching session to peers.": (
            "Conduzir uma sessão de microensino de 20 minutos para colegas."
        ),
        "Give and receive structured feedback on a session.": (
            "Dar e receber feedback estruturado sobre uma sessão."
        ),
    },
    removed=["Deliver an online or blended session."],
    added_modules=[
        (
            "Assistência jurídica a solicitantes de refúgio",
            "O procedimento de refúgio no Brasil e o papel da Defensoria, para formar colegas e a rede de "
            "atendimento.",
            "Lei 9.474/1997 (Estatuto dos Refugiados) e Lei 13.445/2017 (Lei de Migração); decisões do "
            "CONARE; atendimentos da DPU em Pacaraima e Boa Vista no âmbito da Operação Acolhida.",
            [
                "Explicar o procedimento de solicitação de refúgio, da chegada à decisão do CONARE.",
                "Orientar um solicitante de refúgio sobre os seus direitos e deveres durante o procedimento.",
                "Conduzir uma entrevista de assistência jurídica com um caso simulado.",
            ],
            2,
        )
    ],
)

DGME = AdaptationSpec(
    key="adaptation-dgme-tot-es",
    organisation="dgme",
    language="es",
    standard_number=2,
    title="Formación de Formadores: Migración y Salud",
    summary=(
        "Adaptación de la formación de formadores estándar para la Dirección General de Migración y "
        "Extranjería y el Ministerio de Salud de Costa Rica: formar a colegas en la atención de la salud "
        "de las personas migrantes."
    ),
    target_audience="Personal de la Unidad de Capacitación Migratoria y de las áreas de salud que forma a colegas.",
    published_at=datetime.datetime(2023, 9, 18, 9, 0, tzinfo=datetime.UTC),
    modules={
        "The training cycle": (
            "El ciclo de formación",
            "",
            "El plan anual de capacitación de la Unidad de Capacitación Migratoria.",
        ),
        "Delivery and methods": (
            "Ejecución y métodos",
            "",
            "Casos de atención en los puestos fronterizos de Peñas Blancas y Paso Canoas.",
        ),
    },
    rewordings={
        "Describe the stages of the training cycle and the output of each stage.": (
            "Describir las etapas del ciclo de formación y el producto de cada etapa."
        ),
        "Write learning objectives that are specific, observable and measurable.": (
            "Redactar objetivos de aprendizaje específicos, observables y medibles."
        ),
        "Choose participatory methods suited to the objectives.": (
            "Elegir métodos participativos adecuados a los objetivos y al contexto sanitario."
        ),
    },
    removed=["Plan a training activity from the request to the follow-up."],
    added_modules=[
        (
            "Migración y salud: el protocolo de atención",
            "El protocolo interinstitucional de atención de la salud de las personas migrantes.",
            "Protocolo de atención en salud a personas migrantes (Costa Rica IV); red de los EBAIS.",
            [
                "Explicar el protocolo de atención de la salud de las personas migrantes.",
                "Diseñar una sesión de formación sobre el protocolo para personal de frontera.",
            ],
            2,
        )
    ],
)

ADAPTATIONS = [DPU, DGME]


def _standard_version(course: Course, number: int) -> CourseVersion | None:
    return CourseVersion.objects.filter(course=course, number=number).first()


def _publish_standard_v2(course: Course, say: Progress) -> None:
    """Version 2 of the standard (the catalogue demo leaves it a draft) is published, or derived
    from version 1 and published when it does not exist."""
    v2 = _standard_version(course, 2)
    if v2 is None:
        v1 = _standard_version(course, 1)
        if v1 is None:
            return
        v2 = catalogue_services.derive_version(
            v1, actor=None, change_note="Revised after the Brazil III pilot."
        )
    if v2.status != VersionStatus.DRAFT:
        return
    catalogue_services.publish_version(v2, actor=None)
    CourseVersion.objects.filter(pk=v2.pk).update(published_at=STANDARD_V2_PUBLISHED_AT)
    say("Standard ToT: version 2 published (adaptations on version 1 are now behind).")


def _build(spec: AdaptationSpec, standard: CourseVersion, say: Progress) -> CourseVersion:
    organisation = Organisation.objects.get(demo_key=spec.organisation)
    version = svc.create_adaptation(
        standard, actor=None, organisation=organisation, language=spec.language, title=spec.title
    )
    svc.update_adaptation(version, actor=None, summary=spec.summary, target_audience=spec.target_audience)
    modules = {m.title: m for m in Module.objects.filter(version=version)}
    for standard_title, (title, summary, examples) in spec.modules.items():
        module = modules.get(standard_title)
        if module is None:
            continue  # the standard changed; the rest of the adaptation still loads
        changes = {"title": title or module.title, "summary": summary or module.summary}
        if examples:
            changes["local_examples"] = examples
        svc.update_module(module, actor=None, **changes)
    objectives = {o.text: o for o in LearningObjective.objects.filter(module__version=version)}
    for text, wording in spec.rewordings.items():
        if text in objectives:
            svc.reword_objective(objectives[text], actor=None, text=wording)
    for text in spec.removed:
        if text in objectives:
            svc.remove_objective(objectives[text], actor=None)
    parts = {p.position: p for p in version.parts.all()}
    for title, summary, examples, texts, part in spec.added_modules:
        svc.add_module(
            version,
            actor=None,
            title=title,
            summary=summary,
            local_examples=examples,
            objectives=texts,
            part=parts.get(part),
        )
    svc.publish_adaptation(version, actor=None)
    Course.objects.filter(pk=version.course_id).update(
        demo_key=spec.key, uuid=uuid.uuid5(NAMESPACE, f"course/{spec.key}")
    )
    CourseVersion.objects.filter(pk=version.pk).update(
        uuid=uuid.uuid5(NAMESPACE, f"version/{spec.key}/1"), published_at=spec.published_at
    )
    say(f"Adaptation “{spec.title}” published (based on version {standard.number} of the standard).")
    return version


@transaction.atomic
def load_adaptations(progress: Progress | None = None) -> dict[str, int]:
    """Write the demo adaptations that do not exist yet; return how many exist."""
    say: Progress = progress or (lambda _message: None)
    course = Course.objects.filter(demo_key=STANDARD_DEMO_KEY).first()
    if course is None:
        say("Adaptations skipped: load the demo catalogue first (capdev.demo.catalogue.load_catalogue).")
        return {"adaptations": 0}
    existing = set(
        Course.objects.filter(demo_key__in=[s.key for s in ADAPTATIONS]).values_list("demo_key", flat=True)
    )
    # Adaptations of version 1 are made while it is on offer, then version 2 replaces it.
    for spec in sorted(ADAPTATIONS, key=lambda s: s.standard_number):
        if spec.standard_number > 1:
            _publish_standard_v2(course, say)
        if spec.key in existing:
            continue
        standard = _standard_version(course, spec.standard_number)
        if standard is None or standard.status != VersionStatus.PUBLISHED:
            say(
                f"Adaptation “{spec.title}” skipped: version {spec.standard_number} of the standard is not on offer."
            )
            continue
        _build(spec, standard, say)
    return {"adaptations": Course.objects.filter(demo_key__in=[s.key for s in ADAPTATIONS]).count()}
