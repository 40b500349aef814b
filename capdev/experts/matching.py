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

The whole roster is scored in a fixed number of queries (about ten, whatever its size): one per
kind of fact, each a plain indexed read of only the rows that can score; the arithmetic is done
in Python over dictionaries, then the top profiles are loaded once.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf.locale import LANG_INFO
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from capdev.experts.languages import activity_region, working_languages
from capdev.experts.models import Availability, Deployment, ExpertProfile
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

    start: datetime.date
    end: datetime.date
    languages: list[str]
    region: str
    region_label: str
    thematic_name: str
    specific: dict[int, str]


def _points_for_feedback(average: Decimal | None, count: int) -> int:
    if average is None or not count:
        return FEEDBACK_NEUTRAL
    return max(0, min(FEEDBACK_MAX, int((float(average) - 1) * 2.5 + 0.5)))


def _rank(activity: Any, expert_ids: list[int] | None = None) -> tuple[list[Match], _Context]:
    """Score every contactable expert (or only `expert_ids`) for `activity`, best first.

    Only numbers are computed here, for the whole roster; the sentences explaining a score are
    written afterwards for the matches that are shown (`_explain`)."""
    action = activity.action
    start, end = activity.start_date, activity.end_date
    languages = working_languages(activity)
    region = activity_region(activity)
    ctx = _Context(
        start=start,
        end=end,
        languages=languages,
        region=region,
        region_label=str(Region(region).label) if region in Region.values else "",
        thematic_name=str(action.thematic_area) if action.thematic_area_id else "",
        specific=dict(action.specific_areas.values_list("id", "name")),
    )
    experts = ExpertProfile.objects.contactable()
    if expert_ids is not None:
        experts = experts.filter(pk__in=expert_ids)
    # Region membership is tested in SQL: decoding 5,000 JSON lists in Python costs more than the query.
    in_region_sql = ExpressionWrapper(
        Q(regions__icontains=f'"{region}"') if region else Q(pk__in=[]), output_field=BooleanField()
    )
    candidates = list(
        experts.order_by()
        .annotate(in_region=in_region_sql)
        .values_list("id", "person_id", "in_region", "feedback_average", "feedback_count")
    )
    through_t = ExpertProfile.thematic_areas.through
    thematic = set(
        through_t.objects.filter(thematicarea_id=action.thematic_area_id).values_list(
            "expertprofile_id", flat=True
        )
    )
    specific_by_expert: dict[int, list[int]] = defaultdict(list)
    if ctx.specific:
        through_s = ExpertProfile.specific_areas.through
        for expert_id, area_id in through_s.objects.filter(
            specificarea_id__in=list(ctx.specific)
        ).values_list("expertprofile_id", "specificarea_id"):
            specific_by_expert[expert_id].append(area_id)
    levels: dict[int, dict[str, str]] = defaultdict(dict)
    if languages:
        # Driven from the roster (a few thousand people) rather than from every person's languages.
        people = [row[1] for row in candidates]
        spoken_rows = PersonLanguage.objects.filter(language__in=languages).order_by()
        if expert_ids is None:
            spoken_rows = spoken_rows.filter(
                person_id__in=ExpertProfile.objects.contactable().values("person_id")
            )
        else:
            spoken_rows = spoken_rows.filter(person_id__in=people)
        for person_id, code, level in spoken_rows.values_list("person_id", "language", "level"):
            levels[person_id][code] = level
    windows: dict[int, list[tuple[datetime.date, datetime.date]]] = defaultdict(list)
    for expert_id, w_start, w_end in (
        Availability.objects.filter(start_date__lte=end, end_date__gte=start)
        .order_by("start_date")
        .values_list("expert_id", "start_date", "end_date")
    ):
        windows[expert_id].append((w_start, w_end))
    clashes: dict[int, tuple[Any, ...]] = {}
    for expert_id, title, c_start, c_end, action_name in (
        Deployment.objects.accepted()
        .overlapping(start, end)
        .exclude(activity_id=activity.pk)
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
    current = {
        expert_id: (status, pk)
        for expert_id, status, pk in Deployment.objects.filter(activity_id=activity.pk).values_list(
            "expert_id", "status", "pk"
        )
    }

    ranked: list[Match] = []
    for expert_id, person_id, in_region, average, count in candidates:
        shared = specific_by_expert.get(expert_id, [])
        best: tuple[str, str] | None = None
        spoken = levels.get(person_id)
        if spoken:
            for code in languages:
                spoken_level = spoken.get(code)
                if spoken_level and (best is None or LEVEL_RANK[spoken_level] > LEVEL_RANK[best[1]]):
                    best = (code, spoken_level)
        clash = clashes.get(expert_id)
        own = windows.get(expert_id, [])
        if clash:
            availability = 0
        elif any(w_start <= start and w_end >= end for w_start, w_end in own):
            availability = AVAILABLE_POINTS
        else:
            availability = PARTLY_AVAILABLE_POINTS if own else 0
        score = (
            (THEMATIC_POINTS if expert_id in thematic else 0)
            + SPECIFIC_POINTS[min(len(shared), 2)]
            + (LEVEL_POINTS[best[1]] if best else 0)
            + (REGION_POINTS if in_region else 0)
            + availability
            + _points_for_feedback(average, count)
        )
        status, dep_id = current.get(expert_id, ("", None))
        ranked.append(
            Match(
                expert_id=expert_id,
                score=score,
                facts=(
                    expert_id in thematic,
                    shared,
                    best,
                    in_region,
                    own,
                    clash,
                    average,
                    count,
                    levels.get(person_id),
                ),
                conflict="x" if clash else "",
                deployment_status=status,
                deployment_id=dep_id,
            )
        )
    ranked.sort(key=lambda m: (-m.score, m.expert_id))
    return ranked, ctx


def _explain(m: Match, ctx: _Context) -> None:
    """Write the sentences of one match's components (and its exclusion, if any)."""
    is_thematic, shared, _best, in_region, own, clash, average, count, spoken = m.facts
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
    ranked, ctx = _rank(activity)
    kept = [m for m in ranked if not m.excluded][:limit]
    left_out = [m for m in ranked if m.excluded]
    shown_out = left_out[:excluded_limit]
    profiles = ExpertProfile.objects.select_related("person", "person__nationality", "institution").in_bulk(
        [m.expert_id for m in kept + shown_out]
    )
    for m in kept + shown_out:
        m.expert = profiles.get(m.expert_id)
        _explain(m, ctx)
    return Shortlist(
        activity=activity,
        languages=ctx.languages,
        region=ctx.region,
        considered=len(ranked),
        matches=kept,
        excluded=shown_out,
        excluded_count=len(left_out),
    )


def score_of(activity: Any, expert_id: int) -> Match | None:
    """The match of one expert (for the score recorded on an invitation); None when the expert
    is not contactable."""
    ranked, ctx = _rank(activity, [expert_id])
    for m in ranked:
        _explain(m, ctx)
    return ranked[0] if ranked else None
