"""Demo requests and Actions: the named portfolio of DOMAIN.md and, for benchmarks, synthetic
Actions in bulk.

The named part goes through the services (eligibility, naming, audit trail): each request is
filed, analysed, submitted and decided with the dates written here; approval creates the Action,
named by the services ("Brazil III" after "Brazil II"; "Gran Chaco" by the decision), whose
phases, objectives, budget, funder shares, deliverables and MoU are then recorded. Timestamps of
the request transitions are set to those dates afterwards, and `demo_key`s with `.update()`.

Deterministic and idempotent: a request whose demo key exists is skipped; synthetic block `unit`
(100 Actions, partnered with the loader's synthetic organisations of the same block) depends on
its number alone. Activities are loaded by `capdev.demo.activities` after this module.

`load_actions(scale)` needs the demo programme (`capdev.demo.loader.load_demo(scale)`) first:
the named organisations and the staff and steering logins.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from capdev.accounts.models import User
from capdev.actions import budget as budget_services
from capdev.actions import deliverables as deliverable_services
from capdev.actions import notifications, services
from capdev.actions.models import (
    Action,
    ActionPartner,
    ActionType,
    BudgetLine,
    EligibleCountry,
    FunderShare,
    Level,
    Objective,
    Phase,
    PhaseTransition,
    Request,
    RequestStatus,
    RequestTransition,
)
from capdev.demo import names
from capdev.organisations.models import Organisation
from capdev.reference.models import Country, SpecificArea, ThematicArea

Progress = Callable[[str], None]
D = datetime.date
STAFF_LOGIN = "staff@capdev.example"
STEERING_LOGIN = "steering@capdev.example"
SYN_ACTIONS_PER_UNIT = 100
SYN_SEQUENCE_START = 10  # synthetic Actions are numbered from XI on, after the named ones
PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
    b"2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
)

IND, ORG, ENV = Level.INDIVIDUAL, Level.ORGANISATIONAL, Level.ENABLING


@dataclass(frozen=True)
class RequestSpec:
    """A request and what became of it. `decision` is "approved", "rejected", "withdrawn" or ""
    (still open: `status` says how far it got)."""

    key: str
    title: str
    orgs: tuple[str, ...]  # demo keys; the first leads
    countries: tuple[str, ...]
    theme: str
    specific: tuple[str, ...]
    need: str
    received: D
    analysed: D | None = None
    submitted: D | None = None
    decided: D | None = None
    decision: str = ""
    reason: str = ""
    region: str = ""
    expected: str = ""
    targets: str = ""
    channel: str = "direct"
    status: str = ""  # for open requests: received, analysis or submitted


@dataclass(frozen=True)
class ActionSpec:
    """What the approved request's Action holds."""

    request: RequestSpec
    name: str = ""  # given in the decision (regional Actions)
    type: str = ActionType.CLASSIC
    end: D | None = None
    summary: str = ""
    phases: tuple[tuple[str, D, str], ...] = ()  # after assessment: (phase, date, note)
    objectives: dict[str, tuple[str, ...]] = field(default_factory=dict)
    budget: tuple[tuple[str, str, str, str, str], ...] = ()  # label, category, planned, committed, spent
    over_plan: dict[str, str] = field(default_factory=dict)  # label -> reason
    shares: tuple[tuple[str, str, str], ...] = ()  # funder key, fund, percent
    deliverables: tuple[
        tuple[str, str, str, str, D | None, D | None], ...
    ] = ()  # kind, title, lang, status, due, delivered
    mou: tuple[D, str, D] | None = None  # signed on, signatories, valid until


INTPA, HOME, ICMPD = "intpa", "home", "icmpd"
DCI = "Development Cooperation Instrument – Migration and Asylum"
NDICI = "NDICI – Global Europe, Migration"
AMIF = "Asylum, Migration and Integration Fund"


def _req(key: str, **kw: Any) -> RequestSpec:
    return RequestSpec(key=key, **kw)


# fmt: off
ACTIONS: tuple[ActionSpec, ...] = (
    # --- Brazil I, II, III ----------------------------------------------------------------
    ActionSpec(
        _req("req-brazil-1", title="Identifying and assisting victims of trafficking at the borders", orgs=("mjsp",), countries=("BR",), theme="irregular", specific=("thb", "border"),
             need="Federal officers at land borders lack common procedures to identify presumed victims of trafficking and refer them to assistance.", expected="Officers trained; a referral checklist adopted.", targets="Federal police and labour inspectors at the northern borders (about 40).",
             received=D(2010, 2, 15), analysed=D(2010, 3, 1), submitted=D(2010, 4, 12), decided=D(2010, 5, 6), decision="approved"),
        end=D(2011, 6, 30), summary="Peer-to-peer workshops with EU Member State experts on identifying and referring victims of trafficking at the borders.",
        phases=(("design", D(2010, 7, 1), ""), ("implementation", D(2010, 10, 4), ""), ("handover", D(2011, 4, 15), ""), ("completed", D(2011, 6, 30), "Final report shared with the ministry.")),
        objectives={IND: ("Border officers identify indicators of trafficking in interviews.",), ORG: ("The ministry adopts a referral checklist for border posts.",)},
        budget=(("Experts' fees and travel", "experts", "62000", "58400", "58400"), ("Workshops and interpretation", "events", "31000", "29850", "29850")),
        shares=((INTPA, DCI, "100"),),
        deliverables=(("guidelines", "Referral checklist for border posts", "pt", "adopted", D(2011, 3, 31), D(2011, 3, 20)),),
    ),
    ActionSpec(
        _req("req-brazil-2", title="Refugee status determination: interview techniques and country information", orgs=("conare", "mjsp"), countries=("BR",), theme="protection", specific=("asylum_procedures",),
             need="A sharp rise in asylum applications strains CONARE's eligibility officers, who need structured interview techniques and reliable country-of-origin information.", expected="Eligibility officers trained; an interview guide in use.", targets="CONARE eligibility officers (25).",
             received=D(2015, 9, 3), analysed=D(2015, 9, 21), submitted=D(2015, 11, 9), decided=D(2015, 12, 2), decision="approved"),
        end=D(2017, 3, 31), summary="Training and coaching of eligibility officers on interview techniques and country-of-origin information.",
        phases=(("design", D(2016, 2, 1), ""), ("implementation", D(2016, 5, 2), ""), ("handover", D(2017, 1, 16), ""), ("completed", D(2017, 3, 31), "")),
        objectives={IND: ("Eligibility officers apply structured interview techniques.",), ORG: ("CONARE uses a common interview guide.",)},
        budget=(("Experts' fees and travel", "experts", "74000", "71200", "71200"), ("Training events", "events", "26000", "24100", "24100")),
        shares=((INTPA, DCI, "100"),),
        deliverables=(("guidelines", "Interview guide for eligibility officers", "pt", "adopted", D(2016, 12, 15), D(2016, 12, 9)),),
        mou=(D(2016, 1, 20), "CONARE, Ministério da Justiça e Segurança Pública and ICMPD", D(2017, 6, 30)),
    ),
    ActionSpec(
        _req("req-brazil-3", title="Training of trainers on international protection and asylum for public defenders", orgs=("dpu", "esdpu"), countries=("BR",), theme="protection", specific=("legal_assistance", "asylum_procedures"),
             need="Public defenders give free legal assistance to a growing number of asylum seekers and refugees, often without specialised training. The DPU's school (ESDPU) wants its own trainers and a course it can run every year.",
             expected="A blended course on international protection in Portuguese; a pool of certified DPU trainers who replicate it; the course in ESDPU's yearly training plan.", targets="Federal public defenders and their legal staff; a first group of 14 trainers.",
             received=D(2020, 10, 5), analysed=D(2020, 10, 19), submitted=D(2021, 1, 11), decided=D(2021, 2, 3), decision="approved", reason="Strong ownership: the DPU's school commits to run the course after the Action."),
        type=ActionType.HOLISTIC, end=D(2023, 6, 30),
        summary="A holistic Action with the DPU and its school: training needs assessment, an online course of five weekly modules (2022), a Training of Trainers in July 2022 with 14 public defenders, and the handover of the course into ESDPU's training plan.",
        phases=(("design", D(2021, 9, 6), "TNA report validated with the DPU."), ("implementation", D(2022, 2, 14), ""), ("handover", D(2022, 11, 7), "Course handed over to ESDPU."), ("completed", D(2023, 6, 30), "Final evaluation shared with the partners.")),
        objectives={
            IND: ("Public defenders apply international refugee law when assisting asylum seekers.", "14 defenders certified as trainers on international protection."),
            ORG: ("ESDPU runs the blended course every year with its own certified trainers.", "A training unit on international protection is set up at ESDPU."),
            ENV: ("The DPU's internal guidance on assisting asylum seekers is updated.",),
        },
        budget=(("Experts' fees", "experts", "68000", "68000", "66450"), ("Travel and subsistence", "travel", "42000", "39800", "39800"), ("Online course production", "materials", "35000", "35000", "35000"), ("Training of Trainers (venue, interpretation)", "events", "28000", "27150", "27150"), ("Evaluation", "evaluation", "9000", "8600", "8600")),
        shares=((INTPA, NDICI, "100"),),
        deliverables=(("tna_report", "Training needs assessment report", "pt", "delivered", D(2021, 8, 31), D(2021, 8, 27)), ("curriculum", "Curriculum: international protection and asylum for public defenders", "pt", "adopted", D(2022, 1, 31), D(2022, 1, 28)), ("handbook", "Trainer's handbook", "pt", "adopted", D(2022, 6, 30), D(2022, 6, 24)), ("video", "Five video lectures of the online course", "pt", "delivered", D(2022, 3, 31), D(2022, 3, 30))),
        mou=(D(2021, 3, 15), "Defensor Público-Geral Federal; Director of ESDPU; ICMPD", D(2023, 12, 31)),
    ),
    # --- Costa Rica I–V ---------------------------------------------------------------------
    ActionSpec(
        _req("req-costarica-1", title="Border management at the northern border", orgs=("dgme",), countries=("CR",), theme="irregular", specific=("border",),
             need="Mixed migration flows at the northern border call for better profiling and referral.", received=D(2012, 3, 1), analysed=D(2012, 3, 20), submitted=D(2012, 5, 7), decided=D(2012, 6, 4), decision="approved"),
        end=D(2013, 5, 31), summary="Workshops on profiling and referral at the northern border.",
        phases=(("design", D(2012, 7, 2), ""), ("implementation", D(2012, 9, 3), ""), ("handover", D(2013, 3, 4), ""), ("completed", D(2013, 5, 31), "")),
        objectives={IND: ("Border officers profile mixed flows and refer vulnerable migrants.",)},
        budget=(("Experts and travel", "experts", "48000", "45200", "45200"),), shares=((INTPA, DCI, "100"),),
    ),
    ActionSpec(
        _req("req-costarica-2", title="Labour migration and integration policy", orgs=("dgme", "mgp-cr"), countries=("CR",), theme="legal", specific=("labour", "integration"),
             need="The new migration law requires integration plans and labour-migration procedures.", received=D(2014, 4, 7), analysed=D(2014, 4, 28), submitted=D(2014, 6, 9), decided=D(2014, 7, 1), decision="approved"),
        end=D(2015, 9, 30), summary="Support to the integration plan and labour-migration procedures.",
        phases=(("design", D(2014, 9, 1), ""), ("implementation", D(2014, 11, 3), ""), ("handover", D(2015, 7, 6), ""), ("completed", D(2015, 9, 30), "")),
        objectives={ORG: ("DGME adopts procedures for seasonal labour migration.",), ENV: ("A national integration plan is drafted.",)},
        budget=(("Experts and travel", "experts", "55000", "52100", "52100"),), shares=((INTPA, DCI, "100"),),
        deliverables=(("plan", "National integration plan (draft)", "es", "delivered", D(2015, 6, 30), D(2015, 6, 26)),),
    ),
    ActionSpec(
        _req("req-costarica-3", title="Migration data and statistics", orgs=("dgme",), countries=("CR",), theme="horizontal", specific=("data",),
             need="Migration statistics are scattered across institutions.", received=D(2017, 2, 6), analysed=D(2017, 2, 20), submitted=D(2017, 4, 3), decided=D(2017, 5, 2), decision="approved"),
        end=D(2018, 6, 29), summary="A common set of migration indicators and a data-sharing protocol.",
        phases=(("design", D(2017, 6, 5), ""), ("implementation", D(2017, 9, 4), ""), ("handover", D(2018, 4, 2), ""), ("completed", D(2018, 6, 29), "")),
        objectives={ORG: ("DGME publishes a yearly statistical report.",)},
        budget=(("Experts and travel", "experts", "51000", "49700", "49700"),), shares=((INTPA, DCI, "100"),),
        deliverables=(("protocol", "Data-sharing protocol between institutions", "es", "adopted", D(2018, 3, 30), D(2018, 3, 22)),),
    ),
    ActionSpec(
        _req("req-costarica-4", title="Migration and health: a protocol and an online course", orgs=("dgme", "minsa-cr"), countries=("CR",), theme="horizontal", specific=("health",),
             need="The pandemic showed gaps in coordination between the migration directorate and the health ministry for migrants' access to health services.", expected="An inter-institutional protocol on migration and health; an online course for officials of both institutions.", targets="Officials of DGME and the Ministry of Health in border and urban areas.",
             received=D(2020, 7, 13), analysed=D(2020, 7, 27), submitted=D(2020, 9, 14), decided=D(2020, 10, 7), decision="approved"),
        end=D(2022, 6, 30), summary="DGME and the Ministry of Health draft an inter-institutional protocol on migration and health and an online course to train officials on it.",
        phases=(("design", D(2021, 1, 18), ""), ("implementation", D(2021, 4, 12), ""), ("handover", D(2022, 3, 7), "Course hosted on the DGME training platform."), ("completed", D(2022, 6, 30), "")),
        objectives={IND: ("Officials of both institutions apply the protocol in their daily work.",), ORG: ("The online course is part of DGME's training plan.",), ENV: ("The protocol on migration and health is signed by both institutions.",)},
        budget=(("Experts' fees", "experts", "46000", "46000", "45100"), ("Online course production", "materials", "38000", "38000", "38000"), ("Validation workshops", "events", "19000", "17650", "17650")),
        shares=((INTPA, NDICI, "100"),),
        deliverables=(("protocol", "Inter-institutional protocol on migration and health", "es", "adopted", D(2021, 11, 30), D(2021, 11, 26)), ("curriculum", "Online course on migration and health", "es", "adopted", D(2022, 2, 28), D(2022, 2, 21))),
        mou=(D(2020, 11, 20), "Director General of DGME; Minister of Health; ICMPD", D(2022, 12, 31)),
    ),
    ActionSpec(
        _req("req-costarica-5", title="Training of trainers on migration and health and replica trainings", orgs=("dgme", "dgme-ucm", "minsa-cr"), countries=("CR",), theme="horizontal", specific=("health", "training_capacities"),
             need="With the protocol in place, DGME's training unit wants its own trainers to run replica trainings across the country.", expected="A pool of trainers; replica trainings in 2024.", targets="Trainers of the DGME training unit and the Ministry of Health (16).",
             received=D(2023, 1, 16), analysed=D(2023, 2, 6), submitted=D(2023, 3, 20), decided=D(2023, 4, 12), decision="approved"),
        type=ActionType.HOLISTIC, end=D(2026, 12, 18), summary="A Training of Trainers on the migration-and-health protocol, followed by replica trainings delivered by the new trainers in 2024.",
        phases=(("design", D(2023, 6, 5), ""), ("implementation", D(2023, 10, 2), "")),
        objectives={IND: ("16 trainers certified; each delivers at least one replica.",), ORG: ("The training unit plans replica trainings yearly.",)},
        budget=(("Experts' fees", "experts", "52000", "48000", "36400"), ("Training of Trainers", "events", "31000", "31000", "30200"), ("Replica support", "events", "24000", "26500", "14800")),
        over_plan={"Replica support": "Two extra replica trainings requested by the Ministry of Health in Limón and Liberia."},
        shares=((INTPA, NDICI, "94.60"), (ICMPD, "Own contribution", "5.40")),
        deliverables=(("handbook", "Trainer's handbook on migration and health", "es", "delivered", D(2024, 2, 29), D(2024, 2, 23)), ("study", "Report on the replica trainings", "es", "in_progress", D(2025, 10, 31), None)),
        mou=(D(2023, 5, 10), "Director General of DGME; Minister of Health; ICMPD", D(2026, 6, 30)),
    ),
    # --- El Salvador I, II ------------------------------------------------------------------
    ActionSpec(
        _req("req-elsalvador-1", title="Diaspora engagement strategy", orgs=("dgvse-sv",), countries=("SV",), theme="development", specific=("diaspora",),
             need="The directorate for Salvadorans abroad needs a strategy to engage the diaspora.", received=D(2013, 5, 6), analysed=D(2013, 5, 27), submitted=D(2013, 7, 8), decided=D(2013, 8, 5), decision="approved"),
        end=D(2014, 9, 30), summary="A diaspora engagement strategy drafted with EU Member State peers.",
        phases=(("design", D(2013, 10, 1), ""), ("implementation", D(2013, 12, 2), ""), ("handover", D(2014, 7, 7), ""), ("completed", D(2014, 9, 30), "")),
        objectives={ENV: ("The diaspora engagement strategy is adopted.",)},
        budget=(("Experts and travel", "experts", "44000", "42600", "42600"),), shares=((INTPA, DCI, "100"),),
    ),
    ActionSpec(
        _req("req-elsalvador-2", title="Consular protection of Salvadorans abroad: training needs and a handbook", orgs=("rree-sv", "ad-sv", "dgvse-sv"), countries=("SV",), theme="horizontal", specific=("consular",),
             need="Consular staff assist nationals in crisis situations abroad without common procedures or structured training.", expected="A training needs assessment; a consular protection handbook; a course at the Diplomatic Academy.", targets="Consular staff and newly recruited diplomats.",
             received=D(2019, 9, 9), analysed=D(2019, 9, 30), submitted=D(2019, 11, 11), decided=D(2019, 12, 4), decision="approved"),
        end=D(2021, 12, 17), summary="With the Ministry of Foreign Affairs and its Diplomatic Academy: a training needs assessment of consular staff, a training handbook on consular protection and its integration into the Academy's courses.",
        phases=(("design", D(2020, 6, 1), "TNA carried out online."), ("implementation", D(2020, 10, 5), ""), ("handover", D(2021, 9, 6), ""), ("completed", D(2021, 12, 17), "")),
        objectives={IND: ("Consular staff apply common procedures for nationals in crisis situations.",), ORG: ("The Diplomatic Academy teaches consular protection with the handbook.",)},
        budget=(("Experts' fees", "experts", "39000", "39000", "38200"), ("Handbook design and printing", "materials", "14000", "13400", "13400"), ("Online workshops", "events", "11000", "9800", "9800")),
        shares=((INTPA, NDICI, "100"),),
        deliverables=(("tna_report", "Training needs assessment of consular staff", "es", "delivered", D(2020, 9, 30), D(2020, 9, 25)), ("handbook", "Training handbook on consular protection", "es", "adopted", D(2021, 6, 30), D(2021, 6, 18))),
        mou=(D(2020, 1, 22), "Vice-Minister for Salvadorans Abroad; Director of the Diplomatic Academy; ICMPD", D(2022, 6, 30)),
    ),
    # --- Gran Chaco (regional) ----------------------------------------------------------------
    ActionSpec(
        _req("req-granchaco", title="Climate change and human mobility in the Gran Chaco", orgs=("dgm-py", "dnm-ar", "digemig-bo", "mades-py", "mayds-ar", "mmaya-bo", "sen-py", "py-chaco"), countries=("AR", "BO", "PY"), region="latin_america", theme="horizontal", specific=("climate",),
             need="Droughts and floods in the Gran Chaco drive displacement across the borders of Argentina, Bolivia and Paraguay; migration and environment authorities have no shared understanding or coordination.", expected="A regional study; a coordination mechanism; trained officials in the three countries.", targets="Migration, environment and civil-protection officials of the three countries.",
             received=D(2021, 3, 8), analysed=D(2021, 3, 29), submitted=D(2021, 5, 10), decided=D(2021, 6, 2), decision="approved", reason="A regional capacity-development partnership: ten partners in three countries."),
        name="Gran Chaco", type=ActionType.REGIONAL, end=D(2026, 12, 18),
        summary="A regional capacity-development partnership of migration, environment and civil-protection authorities of Argentina, Bolivia and Paraguay (with a civil-society network) on climate change and human mobility in the Gran Chaco.",
        phases=(("design", D(2022, 1, 17), "Regional study validated in Asunción."), ("implementation", D(2022, 6, 6), ""), ("handover", D(2024, 6, 3), "Coordination mechanism handed over to the three governments.")),
        objectives={IND: ("Officials of the three countries understand the links between climate change and mobility.",), ORG: ("Each migration authority has a focal point for environmental mobility.",), ENV: ("A regional coordination mechanism on climate-related mobility meets twice a year.",)},
        budget=(("Experts' fees", "experts", "245000", "238500", "231900.50"), ("Regional meetings and travel", "travel", "198000", "186240", "179820"), ("Regional study", "studies", "85000", "85000", "85000"), ("Interpretation and translation", "events", "61740.50", "58200", "56010"), ("Coordination and visibility", "coordination", "134000", "121000", "118400")),
        shares=((INTPA, NDICI, "94.60"), (ICMPD, "Own contribution", "5.40")),
        deliverables=(("study", "Climate change and human mobility in the Gran Chaco: regional study", "es", "delivered", D(2022, 3, 31), D(2022, 3, 25)), ("protocol", "Terms of reference of the regional coordination mechanism", "es", "adopted", D(2023, 11, 30), D(2023, 11, 22)), ("guidelines", "Guidelines for assisting people displaced by disasters", "es", "in_progress", D(2024, 11, 29), None)),
        mou=(D(2021, 9, 14), "Migration directorates of Argentina, Bolivia and Paraguay; ICMPD", D(2025, 6, 30)),
    ),
    # --- Kyrgyzstan and others ----------------------------------------------------------------
    ActionSpec(
        _req("req-kyrgyzstan-1", title="A training centre for the State Migration Service", orgs=("sms-kg", "sms-kg-tc"), countries=("KG",), theme="horizontal", specific=("training_capacities",),
             need="The State Migration Service wants its training centre to design and run its own courses on migration management.", expected="Certified trainers; courses in the centre's plan; replica trainings in the regions.", targets="Trainers of the training centre and regional offices.",
             received=D(2022, 4, 4), analysed=D(2022, 4, 25), submitted=D(2022, 6, 6), decided=D(2022, 7, 6), decision="approved"),
        type=ActionType.HOLISTIC, end=D(2025, 3, 31), summary="Training of Trainers for the State Migration Service's training centre and replica trainings in the regions (2024).",
        phases=(("design", D(2022, 10, 3), ""), ("implementation", D(2023, 3, 6), ""), ("handover", D(2024, 10, 7), "Courses in the training centre's 2025 plan."), ("completed", D(2025, 3, 31), "")),
        objectives={IND: ("12 trainers certified.",), ORG: ("The training centre runs its own yearly training plan.",)},
        budget=(("Experts' fees", "experts", "58000", "56000", "51200"), ("Training events", "events", "34000", "33000", "30900"), ("Translation into Russian and Kyrgyz", "materials", "12000", "12000", "12000")),
        shares=((INTPA, NDICI, "100"),),
        deliverables=(("curriculum", "Curriculum of the training centre", "ru", "adopted", D(2023, 12, 15), D(2023, 12, 8)),),
        mou=(D(2022, 9, 1), "Director of the State Migration Service; ICMPD", D(2025, 6, 30)),
    ),
    ActionSpec(
        _req("req-morocco-1", title="Reintegration of returning Moroccans", orgs=("mre-ma",), countries=("MA",), theme="irregular", specific=("return",),
             need="Returning Moroccans need coordinated reintegration support.", received=D(2018, 3, 5), analysed=D(2018, 3, 26), submitted=D(2018, 5, 7), decided=D(2018, 6, 6), decision="approved"),
        end=D(2019, 10, 31), summary="Reintegration procedures and a referral guide.",
        phases=(("design", D(2018, 9, 3), ""), ("implementation", D(2018, 11, 5), ""), ("handover", D(2019, 7, 1), ""), ("completed", D(2019, 10, 31), "")),
        objectives={ORG: ("A referral guide for reintegration is in use.",)},
        budget=(("Experts and travel", "experts", "47000", "45500", "45500"),), shares=((INTPA, DCI, "100"),),
    ),
    ActionSpec(
        _req("req-tunisia-1", title="Labour migration information for Tunisians abroad", orgs=("ote-tn", "onm-tn"), countries=("TN",), theme="legal", specific=("labour",),
             need="Tunisians seeking work abroad lack reliable information on legal pathways.", received=D(2022, 11, 7), analysed=D(2022, 11, 28), submitted=D(2023, 1, 16), decided=D(2023, 2, 8), decision="approved"),
        end=D(2027, 3, 31), summary="Information services on legal labour migration and a pre-departure course.",
        phases=(("design", D(2023, 5, 2), ""), ("implementation", D(2023, 11, 6), "")),
        objectives={IND: ("Counsellors give accurate information on legal pathways.",), ORG: ("OTE runs a pre-departure course.",)},
        budget=(("Experts' fees", "experts", "51000", "44000", "29800"), ("Pre-departure course", "materials", "22000", "18000", "9500")),
        shares=((INTPA, NDICI, "100"),),
    ),
    ActionSpec(
        _req("req-nigeria-1", title="Training school curriculum on document fraud", orgs=("nis-ng", "nis-ng-ts"), countries=("NG",), theme="irregular", specific=("document_fraud",),
             need="Immigration officers need training on detecting document fraud.", received=D(2024, 2, 5), analysed=D(2024, 2, 26), submitted=D(2024, 4, 8), decided=D(2024, 5, 8), decision="approved"),
        end=D(2027, 10, 29), summary="A document-fraud module for the Immigration Training School, Kano.",
        phases=(("design", D(2024, 9, 2), ""),),
        objectives={ORG: ("The training school teaches the document-fraud module.",)},
        budget=(("Experts' fees", "experts", "43000", "21000", "6200"),), shares=((INTPA, NDICI, "100"),),
    ),
    ActionSpec(
        _req("req-philippines-1", title="Protection of migrant workers in crisis situations", orgs=("dmw-ph", "fsi-ph"), countries=("PH",), theme="horizontal", specific=("consular",),
             need="Labour attachés and consular officers need crisis-response procedures.", received=D(2025, 3, 3), analysed=D(2025, 3, 24), submitted=D(2025, 6, 9), decided=D(2025, 7, 2), decision="approved"),
        end=D(2027, 6, 30), summary="Crisis-response procedures and training for labour attachés.",
        objectives={IND: ("Labour attachés apply crisis-response procedures.",)},
        budget=(("Experts' fees", "experts", "49000", "12000", "2400"),), shares=((INTPA, NDICI, "100"),),
    ),
)

# Requests that did not (or not yet) become Actions.
OTHER_REQUESTS: tuple[RequestSpec, ...] = (
    _req("req-rejected-br-rede", title="Legal aid clinic for migrants in São Paulo", orgs=("br-rede", "conare"), countries=("BR",), theme="protection", specific=("legal_assistance",),
         need="A civil-society legal clinic asks for funding of its staff.", received=D(2022, 5, 9), analysed=D(2022, 5, 30), submitted=D(2022, 7, 4), decided=D(2022, 7, 20), decision="rejected",
         reason="The request asks for running costs of a legal clinic; the programme develops the capacity of public institutions and does not fund services. CONARE is invited to file a request on training its own staff."),
    _req("req-rejected-mx", title="Equipment for border posts", orgs=("inm-mx",), countries=("MX",), theme="irregular", specific=("border",),
         need="Scanners and vehicles for southern border posts.", received=D(2023, 8, 7), analysed=D(2023, 8, 28), submitted=D(2023, 10, 2), decided=D(2023, 10, 18), decision="rejected",
         reason="Equipment is outside the programme's scope (peer-to-peer capacity development)."),
    _req("req-withdrawn-ge", title="Public service hall staff training on residence permits", orgs=("psda-ge",), countries=("GE",), theme="legal", specific=("visa",),
         need="Front-office staff need training on the new residence-permit rules.", received=D(2024, 1, 15), analysed=D(2024, 2, 5), decision="withdrawn", reason="Covered by another donor's project."),
    _req("req-open-ec", title="Human mobility information system", orgs=("mremh-ec",), countries=("EC",), theme="horizontal", specific=("data",),
         need="The ministry wants to build capacity to analyse data from its human-mobility registry.", expected="Analysts trained; a first statistical bulletin.", targets="Analysts of the ministry (10).",
         received=D(2026, 9, 14), status=RequestStatus.RECEIVED, channel="eu_delegation"),
    _req("req-open-gh", title="Migration and development in the curriculum of the GIS Academy", orgs=("gis-gh", "gis-gh-academy"), countries=("GH",), theme="development", specific=("diaspora", "policy_coherence"),
         need="The Academy's curriculum does not yet cover migration and development.", received=D(2026, 6, 8), analysed=D(2026, 6, 29), status=RequestStatus.UNDER_ANALYSIS),
    _req("req-open-sn", title="Support to Senegalese abroad: consular services training", orgs=("dgase-sn", "miaae-sn"), countries=("SN",), theme="horizontal", specific=("consular",),
         need="Consular staff in new consulates need training on services to Senegalese abroad.", expected="Consular staff trained; a handbook.", targets="Consular staff (30).",
         received=D(2026, 4, 6), analysed=D(2026, 4, 27), submitted=D(2026, 9, 7), status=RequestStatus.SUBMITTED),
    _req("req-open-ke", title="Labour migration governance for Kenyan workers in the Gulf", orgs=("dis-ke", "ksg-ke"), countries=("KE",), theme="legal", specific=("labour",),
         need="Pre-departure orientation and bilateral labour agreements need stronger institutional capacity.", received=D(2026, 5, 4), analysed=D(2026, 5, 25), submitted=D(2026, 10, 5), status=RequestStatus.SUBMITTED),
    _req("req-open-md", title="Integration of foreigners: local authorities", orgs=("bma-md",), countries=("MD",), theme="legal", specific=("integration",),
         need="Local authorities have new integration duties under the asylum law.", received=D(2026, 10, 19), status=RequestStatus.RECEIVED),
)
# fmt: on


# --- the named part --------------------------------------------------------------------------


def _at(day: D) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=datetime.UTC)


def _users() -> tuple[User, User]:
    try:
        return User.objects.get(email=STAFF_LOGIN), User.objects.get(email=STEERING_LOGIN)
    except User.DoesNotExist as exc:
        raise RuntimeError("Load the demo programme first (capdev.demo.loader.load_demo).") from exc


def _file_request(spec: RequestSpec, staff: User, steering: User, orgs: dict[str, Organisation]) -> Request:
    """File the request and walk it through the workflow with the spec's dates."""
    request = services.file_request(
        actor=staff,
        organisations=[orgs[k] for k in spec.orgs],
        lead=orgs[spec.orgs[0]],
        countries=list(Country.objects.filter(code__in=spec.countries)),
        specific_areas=list(SpecificArea.objects.filter(code__in=spec.specific)),
        title=spec.title,
        region=spec.region,
        thematic_area=ThematicArea.objects.get(code=spec.theme),
        statement_of_need=spec.need,
        expected_results=spec.expected,
        target_groups=spec.targets,
        channel=spec.channel,
        received_on=spec.received,
    )
    Request.objects.filter(pk=request.pk).update(demo_key=spec.key)
    stamps = {RequestStatus.RECEIVED: spec.received}
    if spec.analysed:
        services.start_analysis(request, actor=staff)
        stamps[RequestStatus.UNDER_ANALYSIS] = spec.analysed
    if spec.submitted:
        services.submit_to_committee(request, actor=staff)
        stamps[RequestStatus.SUBMITTED] = spec.submitted
    if spec.decision == "rejected":
        services.reject_request(request, actor=steering, reason=spec.reason, decided_on=spec.decided)
        stamps[RequestStatus.REJECTED] = spec.decided or spec.received
    elif spec.decision == "withdrawn":
        services.withdraw_request(request, actor=staff, reason=spec.reason)
        stamps[RequestStatus.WITHDRAWN] = spec.decided or spec.analysed or spec.received
    for status, day in stamps.items():
        RequestTransition.objects.filter(request=request, to_status=status).update(at=_at(day))
    request.refresh_from_db()
    return request


def _load_action(spec: ActionSpec, staff: User, steering: User, orgs: dict[str, Organisation]) -> Action:
    rs = spec.request
    request = _file_request(rs, staff, steering, orgs)
    action = services.approve_request(
        request,
        actor=steering,
        decided_on=rs.decided,
        reason=rs.reason,
        action_name=spec.name,
        action_type=spec.type,
    )
    RequestTransition.objects.filter(request=request, to_status=RequestStatus.APPROVED).update(
        at=_at(rs.decided or rs.received)
    )
    Action.objects.filter(pk=action.pk).update(demo_key=rs.key.removeprefix("req-"))
    services.update_action(action, actor=staff, summary=spec.summary, end_date=spec.end)
    if spec.objectives:
        services.set_objectives(
            action, actor=staff, objectives={k: list(v) for k, v in spec.objectives.items()}
        )
    for phase, day, note in spec.phases:
        services.change_phase(action, actor=staff, to_phase=phase, on=day, note=note)
    for label, category, planned, committed, spent in spec.budget:
        budget_services.add_budget_line(
            action,
            actor=staff,
            label=label,
            category=category,
            planned=Decimal(planned),
            committed=Decimal(committed),
            spent=Decimal(spent),
            over_plan_reason=spec.over_plan.get(label, ""),
        )
    if spec.shares:
        budget_services.set_funder_shares(
            action,
            actor=staff,
            shares=[{"funder": orgs[f], "fund": fund, "percent": Decimal(p)} for f, fund, p in spec.shares],
        )
    for kind, title, language, status, due, delivered in spec.deliverables:
        upload = None
        if status in ("delivered", "adopted"):
            upload = SimpleUploadedFile(f"{names.slug(title)[:60]}.pdf", PDF, content_type="application/pdf")
        deliverable_services.add_deliverable(
            action,
            actor=staff,
            upload=upload,
            kind=kind,
            title=title,
            language=language,
            status=status,
            due_date=due,
            delivered_on=delivered,
        )
    if spec.mou:
        signed, signatories, valid = spec.mou
        deliverable_services.save_mou(
            action,
            actor=staff,
            signed_on=signed,
            signatories=signatories,
            valid_until=valid,
            upload=SimpleUploadedFile("mou-signed.pdf", PDF, content_type="application/pdf"),
        )
    return action


def eligible_countries() -> list[str]:
    """Every partner country of the demo (named and synthetic organisations)."""
    codes = {o.country for o in names.PARTNER_ORGS if o.country}
    codes |= set(names.CITIES)
    return sorted(codes)


def _load_eligibility() -> int:
    existing = set(EligibleCountry.objects.values_list("country_id", flat=True))
    rows = [
        EligibleCountry(country_id=code, since=D(2009, 1, 1), note="MIEUX partner country")
        for code in eligible_countries()
        if code not in existing
    ]
    EligibleCountry.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)


def _load_named(say: Progress) -> tuple[int, int]:
    staff, steering = _users()
    keys = [s.request.key for s in ACTIONS] + [s.key for s in OTHER_REQUESTS]
    done = set(Request.objects.filter(demo_key__in=keys).values_list("demo_key", flat=True))
    org_keys = {k for s in ACTIONS for k in s.request.orgs} | {k for s in OTHER_REQUESTS for k in s.orgs}
    org_keys |= {f for s in ACTIONS for f, _fund, _p in s.shares}
    orgs = {o.demo_key: o for o in Organisation.objects.filter(demo_key__in=org_keys)}
    missing = org_keys - set(orgs)
    if missing:
        raise RuntimeError(f"Demo organisations missing: {', '.join(sorted(missing))}; load the demo first.")
    actions = requests = 0
    # Oldest first, so that the services number each country's Actions in order.
    with notifications.muted():
        for spec in sorted(ACTIONS, key=lambda s: s.request.decided or s.request.received):
            if spec.request.key not in done:
                _load_action(spec, staff, steering, orgs)
                actions += 1
        for rspec in OTHER_REQUESTS:
            if rspec.key not in done:
                _file_request(rspec, staff, steering, orgs)
                requests += 1
    say(f"Named Actions: {actions} created; other requests: {requests} created.")
    return actions, requests


# --- the synthetic part ------------------------------------------------------------------------

PHASE_WEIGHTS = (
    (Phase.ASSESSMENT, 8),
    (Phase.DESIGN, 10),
    (Phase.IMPLEMENTATION, 25),
    (Phase.HANDOVER, 9),
    (Phase.COMPLETED, 48),
)
TYPE_WEIGHTS = ((ActionType.CLASSIC, 75), (ActionType.HOLISTIC, 25))
OBJECTIVE_TEXTS = {
    IND: "Officials apply what they learnt in their daily work.",
    ORG: "The institution runs the course with its own trainers.",
    ENV: "A coordination mechanism meets regularly.",
}


@dataclass(frozen=True)
class SyntheticAction:
    n: int
    key: str
    name: str
    country: str
    sequence: int
    partner: str  # organisation demo key
    type: str
    theme: str
    phase: str
    start: D
    end: D


def _country_sequences(upto: int) -> list[int]:
    """The per-country sequence number of synthetic Actions 1..upto (each partnered with the
    synthetic organisation of the same number, in that organisation's country)."""
    from capdev.demo.loader import synthetic_organisation

    counts: dict[str, int] = {}
    out = []
    for n in range(1, upto + 1):
        country = synthetic_organisation(n).country or ""
        counts[country] = counts.get(country, 0) + 1
        out.append(SYN_SEQUENCE_START + counts[country])
    return out


def synthetic_actions(unit: int, sequences: list[int] | None = None) -> list[SyntheticAction]:
    """The synthetic Actions of block `unit` (0-based), 100 per block."""
    from capdev.demo.loader import synthetic_organisation

    first = unit * SYN_ACTIONS_PER_UNIT + 1
    last = first + SYN_ACTIONS_PER_UNIT - 1
    sequences = sequences if sequences is not None and len(sequences) >= last else _country_sequences(last)
    rng = random.Random(f"capdev-demo:syn-actions:{unit}")
    themes = ("irregular", "legal", "protection", "development", "horizontal")
    country_names = dict(Country.objects.values_list("code", "name"))
    out = []
    for n in range(first, last + 1):
        org = synthetic_organisation(n)
        country = org.country or ""
        seq = sequences[n - 1]
        start = D(2009, 1, 1) + datetime.timedelta(days=rng.randrange(0, 17 * 365))
        end = start + datetime.timedelta(days=rng.randrange(180, 3 * 365))
        phase = rng.choices([p for p, _w in PHASE_WEIGHTS], weights=[w for _p, w in PHASE_WEIGHTS])[0]
        if end < D(2026, 1, 1):
            phase = Phase.COMPLETED
        out.append(
            SyntheticAction(
                n=n,
                key=f"syn-action-{n}",
                name=f"{country_names.get(country, country)} {services.to_roman(seq)}",
                country=country,
                sequence=seq,
                partner=org.key,
                type=rng.choices([t for t, _w in TYPE_WEIGHTS], weights=[w for _t, w in TYPE_WEIGHTS])[0],
                theme=rng.choice(themes),
                phase=phase,
                start=start,
                end=end,
            )
        )
    return out


def _load_synthetic(scale: int, say: Progress) -> int:
    if scale <= 1:
        return 0
    total = scale * SYN_ACTIONS_PER_UNIT
    existing = set(
        Action.objects.filter(demo_key__startswith="syn-action-").values_list("demo_key", flat=True)
    )
    if len(existing) >= total and all(f"syn-action-{n}" in existing for n in (1, total)):
        return 0
    sequences = _country_sequences(total)
    themes = dict(ThematicArea.objects.values_list("code", "pk"))
    regions = dict(Country.objects.values_list("code", "region"))
    org_keys = [f"syn-org-{n}" for n in range(1, total + 1)]
    orgs = dict(Organisation.objects.filter(demo_key__in=org_keys).values_list("demo_key", "pk"))
    created = 0
    phases = list(Phase.values)
    for unit in range(scale):
        specs = [s for s in synthetic_actions(unit, sequences) if s.key not in existing and s.partner in orgs]
        if not specs:
            continue
        rows = [
            Action(
                demo_key=s.key,
                name=s.name,
                country_id=s.country,
                sequence=s.sequence,
                region=regions.get(s.country, ""),
                type=s.type,
                thematic_area_id=themes[s.theme],
                phase=s.phase,
                start_date=s.start,
                end_date=s.end,
                summary=f"Capacity development with {s.name.rsplit(' ', 1)[0]} authorities.",
            )
            for s in specs
        ]
        Action.objects.bulk_create(rows)
        through = Action.countries.through
        through.objects.bulk_create(
            through(action_id=a.pk, country_id=s.country) for a, s in zip(rows, specs, strict=True)
        )
        ActionPartner.objects.bulk_create(
            ActionPartner(action_id=a.pk, organisation_id=orgs[s.partner], is_lead=True)
            for a, s in zip(rows, specs, strict=True)
        )
        transitions = []
        for a, s in zip(rows, specs, strict=True):
            reached = phases[: phases.index(s.phase) + 1]
            span = max((s.end - s.start).days, len(reached))
            for i, phase in enumerate(reached):
                on = s.start + datetime.timedelta(days=span * i // len(phases))
                transitions.append(
                    PhaseTransition(
                        action_id=a.pk, from_phase=reached[i - 1] if i else "", to_phase=phase, on=on
                    )
                )
        PhaseTransition.objects.bulk_create(transitions)
        Objective.objects.bulk_create(
            Objective(action_id=a.pk, level=level, text=text, position=1)
            for a in rows
            for level, text in OBJECTIVE_TEXTS.items()
        )
        rng = random.Random(f"capdev-demo:syn-budget:{unit}")
        lines, shares = [], []
        for a, s in zip(rows, specs, strict=True):
            done = 1.0 if s.phase == Phase.COMPLETED else rng.uniform(0.1, 0.8)
            for pos, label in enumerate(("Experts' fees", "Events and travel", "Materials"), start=1):
                planned = Decimal(rng.randrange(10, 90) * 1000)
                committed = (planned * Decimal(str(round(min(1.0, done + 0.15), 2)))).quantize(
                    Decimal("0.01")
                )
                spent = (committed * Decimal(str(round(done, 2)))).quantize(Decimal("0.01"))
                lines.append(
                    BudgetLine(
                        action_id=a.pk,
                        label=label,
                        position=pos,
                        planned=planned,
                        committed=committed,
                        spent=spent,
                    )
                )
        BudgetLine.objects.bulk_create(lines)
        intpa = Organisation.objects.filter(demo_key=INTPA).values_list("pk", flat=True).first()
        if intpa:
            shares = [
                FunderShare(action_id=a.pk, funder_id=intpa, fund=NDICI, percent=Decimal(100)) for a in rows
            ]
            FunderShare.objects.bulk_create(shares)
        created += len(rows)
        if (unit + 1) % 10 == 0 or unit == scale - 1:
            say(f"Synthetic Actions: {(unit + 1) * SYN_ACTIONS_PER_UNIT:,} of {total:,}.")
    return created


@transaction.atomic
def load_actions(scale: int = 1, progress: Progress | None = None) -> dict[str, int]:
    """Load the eligible countries, the named requests and Actions, and (scale > 1) 100 × scale
    synthetic Actions; return how many requests and Actions exist afterwards."""
    say: Progress = progress or (lambda _message: None)
    eligible = _load_eligibility()
    say(f"Eligible countries: {eligible} added.")
    _load_named(say)
    synthetic = _load_synthetic(scale, say)
    if synthetic:
        say(f"Synthetic Actions: {synthetic} created.")
    return {"requests": Request.objects.count(), "actions": Action.objects.count()}
