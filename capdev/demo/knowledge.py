"""Demo knowledge base: lessons learnt and good practices drawn from the named portfolio
(DOMAIN.md; seeds 001 and 002), linked to the demo Actions, thematic areas, countries and
activity types, with tags. Most are in English, a few in Spanish, Portuguese and French; two are
drafts.

Written through the services (tags normalised, audit trail), then dated with `.update()`.
Deterministic and idempotent: a lesson whose `demo_key` exists is skipped. Needs the demo
programme (the staff login) and, for the links, the demo Actions (`capdev.demo.actions`);
Actions that are not loaded are left out of the links.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from capdev.accounts.models import User
from capdev.actions.models import Action
from capdev.knowledge import services
from capdev.knowledge.models import Lesson, Tag
from capdev.reference.models import Country, ThematicArea

Progress = Callable[[str], None]
D = datetime.date
STAFF_LOGIN = "staff@capdev.example"
LESSON, PRACTICE = "lesson", "good_practice"


@dataclass(frozen=True)
class LessonSpec:
    key: str
    kind: str
    title: str
    summary: str
    body: str
    written: D
    actions: tuple[str, ...] = ()  # Action demo keys
    themes: tuple[str, ...] = ()  # ThematicArea codes
    countries: tuple[str, ...] = ()
    activity_types: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    language: str = "en"
    published: bool = True


# fmt: off
LESSONS: tuple[LessonSpec, ...] = (
    LessonSpec(
        "kb-tot-pilot", LESSON, "Pilot a standardised ToT before roll-out",
        "Run the Training of Trainers once with a small group and revise it before it becomes the standard course.",
        "The first Training of Trainers on international protection for public defenders was run as a pilot with 14 participants. "
        "Feedback from the participants, the partner and the experts showed that two modules were too long for a five-day week and that the "
        "practice sessions needed more time for micro-teaching.\n\n"
        "Because the course was labelled a pilot from the start, the partner expected changes and the revision took three weeks instead of "
        "a new negotiation. Plan a pilot run, a structured feedback round and a revision step in every Action that produces a standard course.",
        D(2022, 9, 14), actions=("brazil-3", "costarica-5"), themes=("protection", "horizontal"), countries=("BR", "CR"),
        activity_types=("tot",), tags=("ToT", "pilot", "curriculum", "feedback"),
    ),
    LessonSpec(
        "kb-gate-online", PRACTICE, "Gate the face-to-face week on the online part",
        "Participants who finished the self-paced online modules got far more out of the five face-to-face days.",
        "In the blended Training of Trainers, the online self-paced part (training cycle, objectives, adult learning, methods, evaluation) "
        "was made a condition for the face-to-face week. Participants who had not completed it by the deadline were moved to the next cohort.\n\n"
        "The trainers could then spend the face-to-face days on practice and coaching instead of repeating theory. Announce the rule in the "
        "invitation, show progress to the focal point weekly, and keep one catch-up live session before the deadline.",
        D(2022, 7, 20), actions=("brazil-3",), themes=("protection",), countries=("BR",),
        activity_types=("online_course", "tot"), tags=("blended learning", "online course", "ToT"),
    ),
    LessonSpec(
        "kb-diplomatic-academy", LESSON, "Involve the diplomatic academy early so the curriculum is owned",
        "When the academy co-wrote the training needs assessment, it adopted the handbook into its own courses.",
        "In El Salvador II the Ministry of Foreign Affairs asked for a consular protection handbook. The Diplomatic Academy was invited to the "
        "training needs assessment from the first interview, nominated two of its lecturers to the drafting group and validated each chapter.\n\n"
        "At handover the academy did not need to be convinced: the handbook was already its own and entered the course for newly recruited "
        "diplomats the following term. Earlier Actions that brought the academy in at the end saw their materials shelved.",
        D(2021, 12, 10), actions=("elsalvador-2",), themes=("horizontal",), countries=("SV",),
        activity_types=("tna", "drafting"), tags=("ownership", "diplomatic academy", "consular protection", "curriculum"),
    ),
    LessonSpec(
        "kb-rotating-host", LESSON, "Regional partnerships need a rotating host",
        "A regional partnership stays balanced when each country hosts a meeting in turn.",
        "The Gran Chaco partnership brings together migration, environment and civil-protection authorities of Argentina, Bolivia and Paraguay. "
        "The first two meetings were both held in Asunción, and partners in the other countries began to see the Action as a Paraguayan one.\n\n"
        "Rotating the host — Asunción, then Tarija, then Resistencia — gave each government the chair in turn and the visibility that goes with it, "
        "and the coordination mechanism now keeps the rotation in its terms of reference.",
        D(2023, 11, 28), actions=("granchaco",), themes=("horizontal",), countries=("AR", "BO", "PY"),
        activity_types=("workshop", "roundtable"), tags=("regional partnership", "coordination", "climate change"),
    ),
    LessonSpec(
        "kb-translate-handbooks", LESSON, "Translate training handbooks into the working language before the TNA validation workshop",
        "Validation in a language the participants do not read fluently produces polite agreement, not feedback.",
        "The training needs assessment of the State Migration Service's training centre was drafted in English and presented at the validation "
        "workshop with consecutive interpretation. Participants approved it with almost no comments.\n\n"
        "When the Russian translation circulated a month later, the centre sent back thirty pages of corrections. Budget translation into the "
        "working language (and Kyrgyz where needed) before any validation step, and send the documents a week ahead.",
        D(2023, 4, 18), actions=("kyrgyzstan-1",), themes=("horizontal",), countries=("KG",),
        activity_types=("tna", "workshop"), tags=("translation", "TNA", "validation"),
    ),
    LessonSpec(
        "kb-protocolo-ambas", PRACTICE, "Redactar el protocolo con ambas instituciones desde el primer día",
        "El protocolo de migración y salud se firmó porque la Dirección de Migración y el Ministerio de Salud lo redactaron juntos.",
        "En Costa Rica IV, el grupo de redacción reunió desde la primera sesión a personal de la Dirección General de Migración y Extranjería y "
        "del Ministerio de Salud. Cada capítulo se validó en un taller conjunto.\n\n"
        "Cuando llegó el momento de la firma, ninguna de las dos instituciones pidió cambios de fondo. Invitar a todas las instituciones que "
        "aplicarán un protocolo a su redacción ahorra meses de negociación al final.",
        D(2021, 12, 2), actions=("costarica-4",), themes=("horizontal",), countries=("CR",),
        activity_types=("drafting", "workshop"), tags=("protocolo", "migración y salud", "coordinación interinstitucional"), language="es",
    ),
    LessonSpec(
        "kb-replicas-reporte", LESSON, "Las réplicas necesitan un formulario de reporte sencillo",
        "Los nuevos formadores reportan sus réplicas cuando el formulario cabe en una página.",
        "Tras la formación de formadores en Costa Rica, el primer formulario de reporte de réplicas pedía quince campos y un informe narrativo. "
        "Solo tres de dieciséis formadores lo enviaron.\n\n"
        "Con un formulario de una página (fecha, lugar, módulo, participantes por sexo y tres preguntas de retroalimentación) los reportes de "
        "Limón y Liberia llegaron en la misma semana. La cascada solo es visible si reportarla es fácil.",
        D(2024, 7, 1), actions=("costarica-5", "elsalvador-2"), themes=("horizontal",), countries=("CR", "SV"),
        activity_types=("training",), tags=("réplicas", "cascada", "seguimiento"), language="es",
    ),
    LessonSpec(
        "kb-defensores-formadores", PRACTICE, "Formar defensores públicos como formadores garante a continuidade do curso",
        "A escola da DPU passou a oferecer o curso todos os anos com os seus próprios formadores certificados.",
        "No Brasil III, catorze defensores públicos fizeram a formação de formadores em julho de 2022 e foram certificados após uma sessão "
        "prática avaliada. A ESDPU incluiu o curso no seu plano anual de formação e os novos formadores conduzem as turmas seguintes.\n\n"
        "Formar formadores dentro da instituição parceira, em vez de depender de peritos externos, é o que mantém o curso vivo depois do fim da Ação.",
        D(2023, 6, 20), actions=("brazil-3",), themes=("protection",), countries=("BR",),
        activity_types=("tot",), tags=("formação de formadores", "apropriação", "ToT"), language="pt",
    ),
    LessonSpec(
        "kb-ecole-besoins", PRACTICE, "Associer l'école de formation dès l'évaluation des besoins",
        "L'institution qui formera demain doit participer à l'analyse des besoins d'aujourd'hui.",
        "Lors de l'analyse des besoins en formation, les responsables de la formation de l'institution partenaire ont participé aux entretiens "
        "et aux groupes de discussion. Ils ont ensuite défendu les conclusions auprès de leur direction.\n\n"
        "Les modules proposés correspondaient à leur calendrier de formation et ont été repris dans leur plan annuel sans adaptation majeure.",
        D(2019, 9, 30), actions=("morocco-1",), themes=("irregular",), countries=("MA",),
        activity_types=("tna", "focus_group"), tags=("appropriation", "évaluation des besoins"), language="fr",
    ),
    LessonSpec(
        "kb-online-tna", LESSON, "A TNA can be run online, but validate it face to face",
        "Interviews and surveys worked online in 2020; the validation needed people in one room.",
        "The training needs assessment of consular staff was carried out entirely online during the pandemic: an online survey of 38 officials "
        "and twelve video interviews. Response rates were higher than in comparable face-to-face assessments.\n\n"
        "The online validation meeting, however, produced little discussion. A short face-to-face validation, even a year later, would have "
        "surfaced the disagreements that only appeared during drafting.",
        D(2020, 10, 5), actions=("elsalvador-2",), themes=("horizontal",), countries=("SV",),
        activity_types=("tna",), tags=("TNA", "online", "validation"),
    ),
    LessonSpec(
        "kb-mou-before-design", PRACTICE, "Sign the memorandum of understanding before the design phase",
        "A signed MoU settles roles, nominations and handover commitments while everyone still agrees.",
        "Actions whose memorandum of understanding was signed before the design phase — Brazil III, Costa Rica V, Kyrgyzstan I — kept their "
        "calendars; those that negotiated it during implementation lost months over nominations and the use of materials.\n\n"
        "Include in the MoU who nominates participants, who owns the materials and where the course will live after handover.",
        D(2024, 2, 12), actions=("brazil-3", "costarica-5", "kyrgyzstan-1"), themes=("horizontal", "protection"), countries=("BR", "CR", "KG"),
        tags=("MoU", "ownership", "handover"),
    ),
    LessonSpec(
        "kb-gender-nominations", LESSON, "Ask for gender-balanced nominations in the invitation letter",
        "Nominations followed the letter: once it asked for balance, women made up more than half of the trainees.",
        "The first online course on migration and health had 83 women among 135 participants, but the face-to-face trainings that followed were "
        "mostly attended by men because supervisors nominated heads of unit.\n\n"
        "The invitation letter now asks each institution for a gender-balanced list and explains why; the Training of Trainers that followed "
        "had ten women among sixteen trainees.",
        D(2023, 11, 20), actions=("costarica-4", "costarica-5"), themes=("horizontal",), countries=("CR",),
        activity_types=("training", "tot"), tags=("gender", "nominations"),
    ),
    LessonSpec(
        "kb-peer-pairs", PRACTICE, "Pair an EU expert with a peer from the region",
        "Peer pairs combine Member State practice with knowledge of the local institutions.",
        "In the Gran Chaco workshops, each session was run by an expert from an EU Member State administration together with an official from "
        "another country of the region who had faced the same problem.\n\n"
        "Participants rated the paired sessions higher than single-expert sessions, and the regional peers stayed in contact with the partners "
        "after the Action, which no external expert could do.",
        D(2024, 6, 10), actions=("granchaco", "costarica-5"), themes=("horizontal",), countries=("AR", "BO", "PY", "CR"),
        activity_types=("workshop",), tags=("peer-to-peer", "experts", "regional partnership"),
    ),
    LessonSpec(
        "kb-yearly-plan", LESSON, "Put the course in the partner's yearly training plan before handover",
        "A course that is not in next year's training plan is not handed over, whatever the final report says.",
        "At the end of Kyrgyzstan I, the training centre's 2025 plan already listed the two courses developed with the Action, with dates, "
        "trainers and a budget line. In an earlier Action the handover meeting took place, but the course never appeared in the plan.\n\n"
        "Make the entry in the yearly training plan a handover criterion and check it before the Action moves to completed.",
        D(2025, 3, 28), actions=("kyrgyzstan-1", "brazil-3"), themes=("horizontal",), countries=("KG", "BR"),
        tags=("handover", "sustainability", "training plan"),
    ),
    LessonSpec(
        "kb-study-visit-questions", LESSON, "Study visits work when participants prepare questions in advance",
        "Hosts answer better and participants bring back more when questions are sent a month before the visit.",
        "For the study visit on reintegration, each participant sent three questions to the hosting authorities a month ahead. The hosts "
        "organised the programme around them and prepared the documents that answered them.\n\n"
        "Participants came back with procedures they could adapt rather than general impressions. Ask for questions in the nomination form.",
        D(2019, 6, 3), actions=("morocco-1",), themes=("irregular",), countries=("MA",),
        activity_types=("study_visit",), tags=("study visit", "preparation"),
    ),
    LessonSpec(
        "kb-document-specimens", LESSON, "Document-fraud modules need genuine specimens",
        "Participants learn to detect forgeries only when they can compare them with genuine documents.",
        "The first draft of the document-fraud module relied on photographs. The training school asked for a reference set of genuine specimens "
        "and security features to be handled in class.\n\n"
        "Agree early with the partner who provides the specimens and how they are stored; it affects the budget and the schedule.",
        D(2025, 2, 17), actions=("nigeria-1",), themes=("irregular",), countries=("NG",),
        activity_types=("training", "drafting"), tags=("document fraud", "materials"), published=False,
    ),
    LessonSpec(
        "kb-shared-study", PRACTICE, "Start regional climate-mobility work with a shared study",
        "A regional study gave migration and environment authorities of three countries a common baseline.",
        "Before any training, the Gran Chaco partnership commissioned a regional study on climate change and human mobility, validated in "
        "Asunción by all ten partners. It gave authorities that rarely talk to each other a common vocabulary and data.\n\n"
        "The study then framed the workshops, the coordination mechanism and the guidelines on disaster displacement.",
        D(2022, 4, 6), actions=("granchaco",), themes=("horizontal",), countries=("AR", "BO", "PY"),
        activity_types=("workshop",), tags=("climate change", "data", "regional partnership"),
    ),
    LessonSpec(
        "kb-consular-simulation", PRACTICE, "Scenario-based exercises for consular crisis response",
        "Consular officers remember the procedure they rehearsed in a realistic scenario.",
        "The consular protection course uses scenarios built from real cases: a national detained abroad, a natural disaster, a death abroad. "
        "Teams work through the steps of the handbook under time pressure and then compare their decisions.\n\n"
        "Labour attachés in crisis-response training asked for the same format.",
        D(2025, 9, 1), actions=("elsalvador-2", "philippines-1"), themes=("horizontal",), countries=("SV", "PH"),
        activity_types=("training",), tags=("consular protection", "simulation", "crisis response"),
    ),
    LessonSpec(
        "kb-weekly-live", LESSON, "Keep a weekly live session in self-paced online courses",
        "A short live session each week keeps participants of a self-paced course on track.",
        "The five-week online course on international protection had a live session each Friday, and 92 % of participants finished it. "
        "A comparable course without live sessions lost half its participants after the second module.\n\n"
        "Schedule the live sessions at a time that suits the participants' working hours, record them and keep them short.",
        D(2022, 6, 15), actions=("brazil-3", "costarica-4"), themes=("protection", "horizontal"), countries=("BR", "CR"),
        activity_types=("online_course",), tags=("online course", "engagement", "blended learning"),
    ),
    LessonSpec(
        "kb-conseillers", PRACTICE, "Des conseillers formés valent mieux qu'une brochure",
        "Les candidats au départ font confiance à un conseiller qui connaît les voies légales de migration de travail.",
        "Pour l'information sur la migration légale de travail, l'Action forme les conseillers des agences pour l'emploi plutôt que de produire "
        "des brochures. Les conseillers disposent d'une fiche par pays de destination, mise à jour chaque trimestre.\n\n"
        "Les premiers retours montrent que les candidats reviennent vers le même conseiller à chaque étape de leur projet.",
        D(2024, 10, 14), actions=("tunisia-1",), themes=("legal",), countries=("TN",),
        activity_types=("training",), tags=("migration légale", "information", "conseillers"), language="fr",
    ),
    LessonSpec(
        "kb-listen-partners", LESSON, "Listen to partners before redesigning a programme",
        "The 2018 regional roundtables shaped the holistic and regional Actions of MIEUX+.",
        "Before designing the new phase, the programme held regional roundtables with partner authorities in Bangkok, Mexico City, Nairobi and "
        "Cotonou. Partners asked for capacity development embedded in career progression and institutional development, and for ways to work "
        "with neighbouring countries.\n\n"
        "These requests became the holistic Actions (institution-wide, at all three levels) and the regional capacity-development partnerships.",
        D(2019, 2, 20), themes=("horizontal",), countries=("TH", "MX", "KE", "BJ"),
        activity_types=("roundtable",), tags=("consultation", "MIEUX+", "programme design"),
    ),
    LessonSpec(
        "kb-interpretation-budget", LESSON, "Interpretation budgets are always underestimated",
        "Regional meetings in three countries need interpretation and translation far beyond the first estimate.",
        "The Gran Chaco budget line for interpretation and translation was revised twice. Indigenous-language interpretation for community "
        "consultations and translation of the study had not been foreseen.\n\n"
        "Estimate interpretation per meeting and per language from the start, with a reserve.",
        D(2024, 3, 4), actions=("granchaco",), themes=("horizontal",), countries=("AR", "BO", "PY"),
        activity_types=("workshop", "roundtable"), tags=("budget", "interpretation"), published=False,
    ),
)
# fmt: on


@transaction.atomic
def load_knowledge(progress: Progress | None = None) -> dict[str, int]:
    """Load the demo lessons (skipping those already there); return how many lessons and tags
    exist afterwards."""
    say: Progress = progress or (lambda _message: None)
    author = User.objects.filter(email=STAFF_LOGIN).first()
    if author is None:
        raise RuntimeError("Load the demo programme first (capdev.demo.loader.load_demo).")
    done = set(
        Lesson.objects.filter(demo_key__in=[s.key for s in LESSONS]).values_list("demo_key", flat=True)
    )
    actions = {
        a.demo_key: a for a in Action.objects.filter(demo_key__in={k for s in LESSONS for k in s.actions})
    }
    themes = {t.code: t for t in ThematicArea.objects.all()}
    countries = Country.objects.in_bulk({c for s in LESSONS for c in s.countries})
    created = 0
    for spec in LESSONS:
        if spec.key in done:
            continue
        lesson = services.create_lesson(
            actor=author,
            published=spec.published,
            kind=spec.kind,
            title=spec.title,
            summary=spec.summary,
            body=spec.body,
            language=spec.language,
            actions=[actions[k] for k in spec.actions if k in actions],
            thematic_areas=[themes[c] for c in spec.themes],
            countries=[countries[c] for c in spec.countries],
            activity_types=list(spec.activity_types),
            tags=list(spec.tags),
        )
        written = datetime.datetime.combine(spec.written, datetime.time(9, 30), tzinfo=datetime.UTC)
        Lesson.objects.filter(pk=lesson.pk).update(demo_key=spec.key, created_at=written, updated_at=written)
        created += 1
    missing = {k for s in LESSONS for k in s.actions} - set(actions)
    if missing:
        say(f"Lessons: Actions not loaded, links left out: {', '.join(sorted(missing))}.")
    say(f"Lessons: {created} created, {len(LESSONS) - created} already there.")
    return {"lessons": Lesson.objects.count(), "tags": Tag.objects.count()}
