"""Matching: a ranked shortlist of roster experts for one activity, each score explained.

Points (100 at most):

| component | points |
|---|---|
| thematic expertise: the Action's thematic area | 20 |
| specific expertise: one of the Action's specific areas / two or more | 10 / 15 |
| language: best level in a working language — C2 or native / C1 / B2 / B1 / below | 25 / 20 / 15 / 5 / 0 |
| regional experience: has worked in the activity's region | 15 |
| availability: a window covers the dates / covers part of them / none | 15 / 5 / 0 |
| feedback: average of past feedback, 1 → 0 … 5 → 10; none yet → 5 (neutral) | 0–10 |

An expert already deployed (accepted) on overlapping dates is excluded: matching lists them apart
with the clash explained, and invitation and acceptance refuse them anyway (services).

The database ranks the whole roster in one query: each component is an SQL expression (see
`_score`), the total orders the experts and a window function keeps the first rows of the kept
and of the excluded ones (`_rank`). Only the matches shown are then read in full and explained
in plain language (`_load_facts`, `_explain`): a fixed number of small queries whatever the size
of the roster. Ties are ordered by the profile's id, so the order is stable.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf.locale import LANG_INFO
from django.db import connections
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from capdev.experts.languages import activity_region, working_languages
from capdev.experts.models import Availability, Deployment, ExpertProfile, InstitutionType
from capdev.people.models import PersonLanguage
from capdev.reference.models import Region

THEMATIC_POINTS = 20
SPECIFIC_POINTS = (0, 10, 15)
LEVEL_POINTS = {"native": 25, "C2": 25, "C1": 20, "B2": 15, "B1": 5, "A2": 0, "A1": 0}
LEVEL_RANK = {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6, "native": 7}
REGION_POINTS = 15
AVAILABLE_POINTS = 15
PARTLY_AVAILABLE_POINTS = 5
FEEDBACK_MAX = 10
FEEDBACK_NEUTRAL = 5
MAX_POINTS = THEMATIC_POINTS + SPECIFIC_POINTS[-1] + 25 + REGION_POINTS + AVAILABLE_POINTS + FEEDBACK_MAX


def date_range(start: datetime.date, end: datetime.date) -> str:
    """ "4–8 July 2022", "30 June – 2 July 2022", "28 December 2022 – 3 January 2023"."""
    if start == end:
        return date_format(start, "j F Y")
    if (start.year, start.month) == (end.year, end.month):
        return f"{date_format(start, 'j')}–{date_format(end, 'j F Y')}"
    if start.year == end.year:
        return f"{date_format(start, 'j F')} – {date_format(end, 'j F Y')}"
    return f"{date_format(start, 'j F Y')} – {date_format(end, 'j F Y')}"


def language_name(code: str) -> str:
    info = LANG_INFO.get(code)
    return _(info["name"]) if info else code


@dataclass
class Component:
    """One scored criterion: its points and a sentence saying why."""

    key: str
    label: str
    points: int
    max_points: int
    explanation: str

    @property
    def signed_points(self) -> str:
        """ "+20", or "0" (a string: the page shows hundreds of them, unlocalised)."""
        return f"+{self.points}" if self.points else "0"

    @property
    def css_class(self) -> str:
        return "pts" if self.points else "pts zero"


@dataclass
class Match:
    expert_id: int
    score: int
    facts: Any = None  # what the score was computed from; turned into sentences for shown matches
    components: list[Component] = field(default_factory=list)
    conflict: str = ""
    deployment_status: str = ""
    deployment_id: int | None = None
    expert: ExpertProfile | None = None
    institution_type_label: str = ""

    @property
    def excluded(self) -> bool:
        return bool(self.conflict)

    @property
    def percent(self) -> int:
        return round(100 * self.score / MAX_POINTS)


@dataclass
class Shortlist:
    activity: Any
    languages: list[str]
    region: str
    considered: int
    matches: list[Match] = field(default_factory=list)
    excluded: list[Match] = field(default_factory=list)
    excluded_count: int = 0

    @property
    def language_names(self) -> str:
        return ", ".join(language_name(c) for c in self.languages)

    @property
    def region_label(self) -> str:
        return str(Region(self.region).label) if self.region in Region.values else ""


def _language_component(levels: dict[str, str], languages: list[str]) -> Component:
    label = _("Language")
    if not languages:
        return Component("language", label, 0, 25, _("No working language is known for this activity (0)"))
    best: tuple[int, str, str] | None = None
    for code in languages:
        level = levels.get(code)
        if level and (best is None or LEVEL_RANK[level] > best[0]):
            best = (LEVEL_RANK[level], code, level)
    if best is None:
        names = _(" or ").join(language_name(c) for c in languages)
        return Component("language", label, 0, 25, _("Does not speak %(langs)s (0)") % {"langs": names})
    _rank, code, level = best
    points = LEVEL_POINTS[level]
    shown = _("as a native speaker") if level == "native" else _("at %(level)s") % {"level": level}
    if points:
        text = _("Speaks %(lang)s %(level)s (+%(points)s)") % {
            "lang": language_name(code),
            "level": shown,
            "points": points,
        }
    else:
        text = _("Speaks %(lang)s only %(level)s, below B1 (0)") % {
            "lang": language_name(code),
            "level": shown,
        }
    return Component("language", label, points, 25, text)


def _availability_component(
    windows: list[tuple[datetime.date, datetime.date]], start: datetime.date, end: datetime.date
) -> Component:
    label = _("Availability")
    for w_start, w_end in windows:
        if w_start <= start and w_end >= end:
            return Component(
                "availability",
                label,
                AVAILABLE_POINTS,
                AVAILABLE_POINTS,
                _("Available %(dates)s (+%(points)s)")
                % {"dates": date_range(start, end), "points": AVAILABLE_POINTS},
            )
    if windows:
        w_start, w_end = windows[0]
        return Component(
            "availability",
            label,
            PARTLY_AVAILABLE_POINTS,
            AVAILABLE_POINTS,
            _("Available only %(dates)s (+%(points)s)")
            % {"dates": date_range(max(w_start, start), min(w_end, end)), "points": PARTLY_AVAILABLE_POINTS},
        )
    return Component(
        "availability",
        label,
        0,
        AVAILABLE_POINTS,
        _("No availability given for %(dates)s (0)") % {"dates": date_range(start, end)},
    )


def _feedback_component(average: Decimal | None, count: int) -> Component:
    label = _("Feedback")
    if average is None or not count:
        return Component(
            "feedback",
            label,
            FEEDBACK_NEUTRAL,
            FEEDBACK_MAX,
            _("No feedback yet (+%(p)s, neutral)") % {"p": 5},
        )
    points = _points_for_feedback(average, count)
    return Component(
        "feedback",
        label,
        points,
        FEEDBACK_MAX,
        _("Average feedback %(avg)s/5 from %(n)s deployment(s) (+%(points)s)")
        % {"avg": f"{Decimal(average):.1f}", "n": count, "points": points},
    )


@dataclass
class _Context:
    """What every expert is scored against (one activity)."""

    activity_id: int
    start: datetime.date
    end: datetime.date
    languages: list[str]
    region: str
    region_label: str
    thematic_id: int | None
    thematic_name: str
    specific: dict[int, str]


def _points_for_feedback(average: Decimal | None, count: int) -> int:
    if average is None or not count:
        return FEEDBACK_NEUTRAL
    return max(0, min(FEEDBACK_MAX, int((float(average) - 1) * 2.5 + 0.5)))


def _feedback_thresholds() -> list[tuple[int, Decimal]]:
    """For each number of feedback points (10 down to 1), the lowest average that earns it.

    Derived from `_points_for_feedback` over every value the column can hold (two decimals), so
    the SQL ranking and the Python explanation can never disagree (1.20, for instance, earns 0
    points in floating point, not 1: the SQL threshold for 1 point is therefore 1.21)."""
    lowest: dict[int, Decimal] = {}
    for hundredths in range(1000):  # 0.00 … 9.99, the range of DecimalField(3, 2)
        value = Decimal(hundredths) / 100
        points = _points_for_feedback(value, 1)
        if points and points not in lowest:
            lowest[points] = value
    return sorted(lowest.items(), reverse=True)


FEEDBACK_THRESHOLDS = _feedback_thresholds()

# The two constant parts of the score, written once as SQL (composing them from Case/When
# expressions on every request cost a third of the ranking's ORM compilation). Column names are
# unqualified: `level` is read inside the subquery on people_personlanguage, the feedback columns
# in the query on experts_expertprofile, the only table of its FROM.
_LEVEL_POINTS_SQL = (
    "CASE "
    + " ".join(
        "WHEN level IN ({}) THEN {}".format(
            ", ".join(f"'{lvl}'" for lvl, p in LEVEL_POINTS.items() if p == value), value
        )
        for value in sorted({p for p in LEVEL_POINTS.values() if p}, reverse=True)
    )
    + " ELSE 0 END"
)
_FEEDBACK_POINTS_SQL = (
    f"CASE WHEN feedback_count = 0 OR feedback_average IS NULL THEN {FEEDBACK_NEUTRAL} "
    + " ".join(f"WHEN feedback_average >= {lowest} THEN {p}" for p, lowest in FEEDBACK_THRESHOLDS)
    + " ELSE 0 END"
)


def _context(activity: Any) -> _Context:
    action = activity.action
    region = activity_region(activity)
    return _Context(
        activity_id=activity.pk,
        start=activity.start_date,
        end=activity.end_date,
        languages=working_languages(activity),
        region=region,
        region_label=str(Region(region).label) if region in Region.values else "",
        thematic_id=action.thematic_area_id,
        thematic_name=str(action.thematic_area) if action.thematic_area_id else "",
        specific=dict(action.specific_areas.values_list("id", "name")),
    )


def _in_region(region: str, db: str) -> Q:
    """Has the expert worked in `region`? `regions` is a JSON list of region codes.

    PostgreSQL tests containment (`regions @> '["asia"]'`); SQLite has no JSON containment, so it
    looks for the quoted code in the JSON text (`LIKE '%"asia"%'`): codes are lower-case
    identifiers, so the quotes make the match exact."""
    if connections[db].vendor == "postgresql":
        return Q(regions__contains=[region])
    return Q(regions__icontains=f'"{region}"')


def _clashing(ctx: _Context) -> QuerySet[Deployment, Any]:
    """Experts deployed (accepted) elsewhere on overlapping dates, as a subquery of expert ids."""
    return (
        Deployment.objects.accepted()
        .overlapping(ctx.start, ctx.end)
        .exclude(activity_id=ctx.activity_id)
        .order_by()
        .values("expert_id")
    )


def _score(ctx: _Context, db: str) -> tuple[Q, Expression]:
    """The exclusion condition and the total score of an expert, as SQL expressions.

    Every membership test is an uncorrelated `id IN (SELECT …)`: the database reads the few
    matching rows once and probes a hash per expert. Only the language level is a correlated
    subquery, answered from the unique (person, language) index."""
    integer: IntegerField[Any, Any] = IntegerField()
    zero = Value(0, output_field=integer)

    def points(condition: Q, value: int) -> Case:
        return Case(When(condition, then=Value(value)), default=zero, output_field=integer)

    thematic: Expression = zero
    if ctx.thematic_id is not None:
        thematic = points(
            Q(
                pk__in=ExpertProfile.thematic_areas.through.objects.filter(
                    thematicarea_id=ctx.thematic_id
                ).values("expertprofile_id")
            ),
            THEMATIC_POINTS,
        )
    specific: Expression = zero
    if ctx.specific:
        shared = ExpertProfile.specific_areas.through.objects.filter(specificarea_id__in=list(ctx.specific))
        specific = Case(
            When(
                pk__in=shared.values("expertprofile_id")
                .annotate(n=Count("id"))
                .filter(Q(n__gte=2))
                .values("expertprofile_id"),
                then=Value(SPECIFIC_POINTS[2]),
            ),
            When(pk__in=shared.values("expertprofile_id"), then=Value(SPECIFIC_POINTS[1])),
            default=zero,
            output_field=integer,
        )
    language: Expression = zero
    if ctx.languages:
        # The points of the best level are the highest points (LEVEL_POINTS grows with the level).
        level_points = RawSQL(_LEVEL_POINTS_SQL, [], output_field=integer)  # noqa: S611 - constant SQL
        # MAX over the (at most a few) rows of the unique (person, language) index: no sort
        # node per expert, which cost half of the ranking over 5,000 experts.
        best = (
            PersonLanguage.objects.filter(person_id=OuterRef("person_id"), language__in=ctx.languages)
            .order_by()
            .values("person_id")
            .annotate(points=Max(level_points))
            .values("points")
        )
        language = Coalesce(Subquery(best, output_field=integer), zero)
    region: Expression = points(_in_region(ctx.region, db), REGION_POINTS) if ctx.region else zero
    clash = Q(pk__in=_clashing(ctx))
    covering = Availability.objects.filter(start_date__lte=ctx.start, end_date__gte=ctx.end)
    overlapping = Availability.objects.filter(start_date__lte=ctx.end, end_date__gte=ctx.start)
    availability = Case(
        When(clash, then=zero),
        When(pk__in=covering.order_by().values("expert_id"), then=Value(AVAILABLE_POINTS)),
        When(pk__in=overlapping.order_by().values("expert_id"), then=Value(PARTLY_AVAILABLE_POINTS)),
        default=zero,
        output_field=integer,
    )
    feedback = RawSQL(_FEEDBACK_POINTS_SQL, [], output_field=integer)  # noqa: S611 - constant SQL
    total = ExpressionWrapper(
        thematic + specific + language + region + availability + feedback, output_field=integer
    )
    return clash, total


@dataclass
class _Ranking:
    """The matches to show (numbers only) and the sizes of the two groups."""

    kept: list[Match]
    excluded: list[Match]
    considered: int
    excluded_count: int


def _rank(ctx: _Context, *, limit: int, excluded_limit: int, expert_ids: list[int] | None = None) -> _Ranking:
    """The best `limit` contactable experts and the best `excluded_limit` of those excluded by
    a clash, each group ordered by score, then id (a stable order for ties), with the size of
    each group.

    Two queries. The counts first (a cheap one: only the clash is tested); then one scan of
    the roster scores every expert and returns the excluded ones first, then the kept ones,
    each group by score (`ORDER BY excluded DESC, score DESC, id LIMIT excluded + n`): a
    top-N sort, and only the few excluded rows more than the list needs. (One query with a
    window function per group would do without the counts, but PostgreSQL then costs the
    score expression once per plan node and passes its JIT threshold at this size.)"""
    experts = ExpertProfile.objects.contactable().order_by()
    if expert_ids is not None:
        experts = experts.filter(pk__in=expert_ids)
    clash, total = _score(ctx, experts.db)
    counts = experts.aggregate(considered=Count("pk"), excluded=Count("pk", filter=clash))
    rows = (
        experts.annotate(excluded=ExpressionWrapper(clash, output_field=BooleanField()), score=total)
        .order_by(F("excluded").desc(), "-score", "pk")
        .values_list("pk", "score", "excluded")[: counts["excluded"] + limit]
    )
    kept: list[Match] = []
    excluded: list[Match] = []
    for pk, score, is_excluded in rows:
        if is_excluded:
            if len(excluded) < excluded_limit:
                excluded.append(Match(expert_id=pk, score=score, conflict="x"))
        elif len(kept) < limit:  # more only if a clash appeared between the two queries
            kept.append(Match(expert_id=pk, score=score))
    return _Ranking(
        kept=kept, excluded=excluded, considered=counts["considered"], excluded_count=counts["excluded"]
    )


def _load_facts(matches: list[Match], ctx: _Context) -> None:
    """Read what the sentences of the shown matches need (a handful of rows per kind of fact):
    the profiles, shared specific areas, languages, availability windows, clashes and the
    current invitation on this activity. Ties each match to its profile."""
    if not matches:
        return
    ids = [m.expert_id for m in matches]
    on_activity = Deployment.objects.filter(activity_id=ctx.activity_id, expert_id=OuterRef("pk")).order_by()
    profiles = (
        ExpertProfile.objects.select_related("person", "person__nationality", "institution")
        # What the explanations, the cards and the API show: not four whole rows per match.
        .only(
            "id",
            "person_id",
            "institution_id",
            "institution_type",
            "feedback_average",
            "feedback_count",
            "person__first_name",
            "person__last_name",
            "person__nationality__code",
            "person__nationality__name",
            "person__nationality__iso_name",
            "institution__name",
            "institution__acronym",
        )
    ).annotate(
        current_status=Subquery(on_activity.values("status")[:1]),
        current_id=Subquery(on_activity.values("pk")[:1]),
    )
    if ctx.thematic_id is not None:
        profiles = profiles.annotate(
            is_thematic=Exists(
                ExpertProfile.thematic_areas.through.objects.filter(
                    expertprofile_id=OuterRef("pk"), thematicarea_id=ctx.thematic_id
                )
            )
        )
    if ctx.region:
        profiles = profiles.annotate(
            in_region=ExpressionWrapper(_in_region(ctx.region, profiles.db), output_field=BooleanField())
        )
    by_id = profiles.in_bulk(ids)
    shared: dict[int, list[int]] = defaultdict(list)
    if ctx.specific:
        for expert_id, area_id in ExpertProfile.specific_areas.through.objects.filter(
            expertprofile_id__in=ids, specificarea_id__in=list(ctx.specific)
        ).values_list("expertprofile_id", "specificarea_id"):
            shared[expert_id].append(area_id)
    spoken: dict[int, dict[str, str]] = defaultdict(dict)
    if ctx.languages:
        people = [p.person_id for p in by_id.values()]
        for person_id, code, level in (
            PersonLanguage.objects.filter(person_id__in=people, language__in=ctx.languages)
            .order_by()
            .values_list("person_id", "language", "level")
        ):
            spoken[person_id][code] = level
    windows: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for expert_id, w_start, w_end in (
        Availability.objects.filter(expert_id__in=ids, start_date__lte=ctx.end, end_date__gte=ctx.start)
        .order_by("start_date")
        .values_list("expert_id", "start_date", "end_date")
    ):
        windows[expert_id].append((w_start, w_end))
    clashes: dict[int, tuple[Any, ...]] = {}
    excluded_ids = [m.expert_id for m in matches if m.excluded]
    if excluded_ids:
        for expert_id, title, c_start, c_end, action_name in (
            Deployment.objects.accepted()
            .overlapping(ctx.start, ctx.end)
            .exclude(activity_id=ctx.activity_id)
            .filter(expert_id__in=excluded_ids)
            .order_by("activity__start_date")
            .values_list(
                "expert_id",
                "activity__title",
                "activity__start_date",
                "activity__end_date",
                "activity__action__name",
            )
        ):
            clashes.setdefault(expert_id, (c_start, c_end, action_name, title))
    # `get_FOO_display` hashes every lazy choice label on each call: translate them once here.
    type_labels = {value: str(label) for value, label in InstitutionType.choices}
    for m in matches:
        profile = by_id.get(m.expert_id)
        m.expert = profile
        if profile is None:  # pragma: no cover - deleted between the two reads
            continue
        m.institution_type_label = type_labels.get(profile.institution_type, profile.institution_type)
        m.deployment_status = getattr(profile, "current_status", None) or ""
        m.deployment_id = getattr(profile, "current_id", None)
        m.facts = (
            bool(getattr(profile, "is_thematic", False)),
            shared.get(m.expert_id, []),
            bool(getattr(profile, "in_region", False)),
            windows.get(m.expert_id, []),
            clashes.get(m.expert_id),
            profile.feedback_average,
            profile.feedback_count,
            spoken.get(profile.person_id, {}),
        )


def _explain(m: Match, ctx: _Context) -> None:
    """Write the sentences of one match's components (and its exclusion, if any)."""
    if m.facts is None:  # pragma: no cover - the profile vanished between the two reads
        return
    is_thematic, shared, in_region, own, clash, average, count, spoken = m.facts
    comps: list[Component] = []
    if is_thematic:
        text = _("Expert in %(area)s (+%(points)s)") % {"area": ctx.thematic_name, "points": THEMATIC_POINTS}
    else:
        text = _("No declared expertise in %(area)s (0)") % {"area": ctx.thematic_name}
    comps.append(
        Component(
            "thematic", _("Thematic expertise"), THEMATIC_POINTS if is_thematic else 0, THEMATIC_POINTS, text
        )
    )
    names = sorted(str(_(ctx.specific[a])) for a in shared)
    points = SPECIFIC_POINTS[min(len(names), 2)]
    if not ctx.specific:
        text = _("The Action names no specific area (0)")
    elif names:
        text = _("Specific expertise: %(areas)s (+%(points)s)") % {
            "areas": ", ".join(names),
            "points": points,
        }
    else:
        text = _("None of the Action's specific areas (0)")
    comps.append(Component("specific", _("Specific expertise"), points, SPECIFIC_POINTS[-1], text))
    comps.append(_language_component(spoken or {}, ctx.languages))
    if in_region:
        text = _("Has worked in %(region)s (+%(points)s)") % {
            "region": ctx.region_label,
            "points": REGION_POINTS,
        }
    else:
        text = _("No experience in %(region)s declared (0)") % {
            "region": ctx.region_label or _("this region")
        }
    comps.append(
        Component("region", _("Regional experience"), REGION_POINTS if in_region else 0, REGION_POINTS, text)
    )
    if clash:
        c_start, c_end, action_name, title = clash
        m.conflict = _("Already deployed %(dates)s in %(action)s (%(activity)s) (0, excluded)") % {
            "dates": date_range(c_start, c_end),
            "action": action_name,
            "activity": title,
        }
        comps.append(Component("availability", _("Availability"), 0, AVAILABLE_POINTS, m.conflict))
    else:
        comps.append(_availability_component(own, ctx.start, ctx.end))
    comps.append(_feedback_component(average, count))
    m.components = comps


def shortlist(activity: Any, *, limit: int = 25, excluded_limit: int = 10) -> Shortlist:
    """Rank every contactable roster expert for `activity`; return the best `limit`, plus up to
    `excluded_limit` experts left out because they are deployed elsewhere on those dates."""
    ctx = _context(activity)
    ranking = _rank(ctx, limit=limit, excluded_limit=excluded_limit)
    shown = ranking.kept + ranking.excluded
    _load_facts(shown, ctx)
    for m in shown:
        _explain(m, ctx)
    return Shortlist(
        activity=activity,
        languages=ctx.languages,
        region=ctx.region,
        considered=ranking.considered,
        matches=ranking.kept,
        excluded=ranking.excluded,
        excluded_count=ranking.excluded_count,
    )


def score_of(activity: Any, expert_id: int) -> Match | None:
    """The match of one expert (for the score recorded on an invitation); None when the expert
    is not contactable."""
    ctx = _context(activity)
    ranking = _rank(ctx, limit=1, excluded_limit=1, expert_ids=[expert_id])
    shown = ranking.kept + ranking.excluded
    _load_facts(shown, ctx)
    for m in shown:
        _explain(m, ctx)
    return shown[0] if shown else None
