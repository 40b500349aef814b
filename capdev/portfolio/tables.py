"""The dashboard's tables, built from the cached figures in the reader's language.

Each table is what a chart draws and what the exports write: the same rows, so the picture, the
data table under it, the CSV and the XLSX sheet always agree.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capdev.actions.models import ActionType, ActivityType, Phase, RequestStatus
from capdev.people.models import Sex
from capdev.reference.models import Country, Region

# Series colours (each at least 4.5:1 on white; segments are also separated by white gaps and
# every value is written out, so colour is never the only cue).
SERIES = ("series-0", "series-1", "series-2")


@dataclass
class Table:
    """One table of the dashboard. `chart` is "bars" (column `series[0]` per row), "stacked"
    (columns in `series` per row, one segment each) or "" (table only)."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    chart: str = "bars"
    series: tuple[int, ...] = (1,)
    note: str = ""
    total: list[Any] | None = None
    chart_rows: list[dict[str, Any]] = field(default_factory=list)
    legend: list[tuple[str, str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        if not self.chart:
            return
        totals = [sum(int(row[i] or 0) for i in self.series) for row in self.rows]
        top = max(totals, default=0)
        for row, total in zip(self.rows, totals, strict=True):
            segments = []
            for n, i in enumerate(self.series):
                value = int(row[i] or 0)
                if value:
                    segments.append(
                        {
                            "value": value,
                            # a string: a localised float ("12,5") would not be CSS
                            "width": f"{100 * value / top:.2f}" if top else "0",
                            "css": SERIES[n % len(SERIES)],
                            "label": self.columns[i],
                        }
                    )
            self.chart_rows.append({"label": row[0], "total": total, "segments": segments})
        if self.chart == "stacked":
            self.legend = [(self.columns[i], SERIES[n % len(SERIES)]) for n, i in enumerate(self.series)]

    @property
    def summary(self) -> str:
        """A one-line text of the chart, for its accessible name."""
        parts = [f"{r['label']}: {r['total']}" for r in self.chart_rows[:12]]
        more = len(self.chart_rows) - 12
        return "; ".join(parts) + (f"; … (+{more})" if more > 0 else "")

    @property
    def empty(self) -> bool:
        return not self.rows


def _country_label(code: str, name: str, iso_name: str) -> str:
    return Country(code=code, name=name, iso_name=iso_name or "").label


def build_tables(figures: dict[str, Any]) -> dict[str, Table]:
    """Every table of the dashboard, keyed by their export names, in display order."""
    tables: dict[str, Table] = {}

    # 1. Requests by status
    statuses = dict(RequestStatus.choices)
    by_status = figures["requests_by_status"]
    rows = [[str(label), by_status.get(code, 0)] for code, label in statuses.items() if by_status.get(code)]
    tables["requests-by-status"] = Table(
        "requests-by-status",
        _("Requests by status"),
        [_("Status"), _("Requests")],
        rows,
        total=[_("Total"), sum(by_status.values())],
    )

    # 2. Actions by phase, type, region, thematic area (one query's cells summed four ways)
    cells = figures["action_cells"]
    count_phase: dict[str, int] = defaultdict(int)
    count_type: dict[str, int] = defaultdict(int)
    count_region: dict[str, int] = defaultdict(int)
    count_theme: dict[str, int] = defaultdict(int)
    for phase, kind, region, theme, n in cells:
        count_phase[phase] += n
        count_type[kind] += n
        count_region[region] += n
        count_theme[str(theme)] += n
    total_actions = sum(count_phase.values())

    def by_choices(counts: dict[str, int], choices: list[tuple[str, Any]]) -> list[list[Any]]:
        out = [[str(label), counts[code]] for code, label in choices if counts.get(code)]
        known = {code for code, _label in choices}
        unknown = sum(n for code, n in counts.items() if code not in known)
        if unknown:
            out.append([_("Not stated"), unknown])
        return out

    tables["actions-by-phase"] = Table(
        "actions-by-phase",
        _("Actions by phase"),
        [_("Phase"), _("Actions")],
        by_choices(count_phase, Phase.choices),
        total=[_("Total"), total_actions],
    )
    tables["actions-by-type"] = Table(
        "actions-by-type",
        _("Actions by type"),
        [_("Type"), _("Actions")],
        by_choices(count_type, ActionType.choices),
        total=[_("Total"), total_actions],
    )
    tables["actions-by-region"] = Table(
        "actions-by-region",
        _("Actions by region"),
        [_("Region"), _("Actions")],
        by_choices(count_region, Region.choices),
        total=[_("Total"), total_actions],
    )
    themes = sorted(figures["themes"].items(), key=lambda kv: (kv[1][1], kv[1][0]))
    tables["actions-by-thematic-area"] = Table(
        "actions-by-thematic-area",
        _("Actions by thematic area"),
        [_("Thematic area"), _("Actions")],
        by_choices(count_theme, [(pk, _(name)) for pk, (name, _pos) in themes]),
        total=[_("Total"), total_actions],
    )

    # 3. Countries reached, by region, and the list
    regions = dict(Region.choices)
    per_region: dict[str, int] = defaultdict(int)
    country_rows = []
    for code, name, iso_name, region in figures["countries"]:
        per_region[region] += 1
        country_rows.append([_country_label(code, name, iso_name), code, str(regions.get(region, region))])
    country_rows.sort(key=lambda r: (r[2], r[0]))
    tables["countries-by-region"] = Table(
        "countries-by-region",
        _("Countries reached, by region"),
        [_("Region"), _("Countries")],
        by_choices(per_region, Region.choices),
        total=[_("Total"), len(figures["countries"])],
    )
    tables["countries"] = Table(
        "countries",
        _("Countries reached"),
        [_("Country"), _("ISO code"), _("Region")],
        country_rows,
        chart="",
    )

    # 4. Experts deployed, by sex and by nationality
    sexes = dict(Sex.choices)
    names = {c[0]: (c[1], c[2]) for c in figures["countries"]}
    names.update({code: (v[0], v[1]) for code, v in figures["country_names"].items()})
    per_sex: dict[str, int] = defaultdict(int)
    per_nat: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for nationality, sex, n in figures["experts"]:
        per_sex[sex] += n
        per_nat[nationality][sex] += n
    total_experts = sum(per_sex.values())
    tables["experts-by-sex"] = Table(
        "experts-by-sex",
        _("Experts deployed, by sex"),
        [_("Sex"), _("Experts")],
        by_choices(per_sex, Sex.choices),
        total=[_("Total"), total_experts],
    )
    nat_rows: list[list[Any]] = []
    for code, counts in per_nat.items():
        name, iso = names.get(code, (code or _("Not stated"), ""))
        label = _country_label(code, name, iso) if code else _("Not stated")
        women, men = counts.get(Sex.FEMALE, 0), counts.get(Sex.MALE, 0)
        other = sum(n for s, n in counts.items() if s not in (Sex.FEMALE, Sex.MALE))
        nat_rows.append([label, women, men, other, women + men + other])
    nat_rows.sort(key=lambda r: (-r[4], r[0]))
    tables["experts-by-nationality"] = Table(
        "experts-by-nationality",
        _("Experts deployed, by nationality"),
        [_("Nationality"), str(sexes[Sex.FEMALE]), str(sexes[Sex.MALE]), str(sexes[Sex.OTHER]), _("Total")],
        nat_rows,
        chart="stacked",
        series=(1, 2, 3),
        total=[
            _("Total"),
            per_sex.get(Sex.FEMALE, 0),
            per_sex.get(Sex.MALE, 0),
            total_experts - per_sex.get(Sex.FEMALE, 0) - per_sex.get(Sex.MALE, 0),
            total_experts,
        ],
    )

    # 5. Activities per year (by type) and participants reached
    types = dict(ActivityType.choices)
    per_year: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    per_type: dict[str, int] = defaultdict(int)
    people: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for year, kind, n, women, men, other in figures["activity_cells"]:
        per_year[year][kind] += n
        per_type[kind] += n
        people[year][0] += women
        people[year][1] += men
        people[year][2] += other
    used_types = [code for code in types if per_type.get(code)]
    year_rows = []
    for year in sorted(per_year):
        counts = per_year[year]
        year_rows.append([year, sum(counts.values()), *[counts.get(code, 0) for code in used_types]])
    total_activities = sum(per_type.values())
    tables["activities-by-year"] = Table(
        "activities-by-year",
        _("Activities per year"),
        [_("Year"), _("Activities"), *[str(types[code]) for code in used_types]],
        year_rows,
        note=_("The data table also breaks each year down by type of activity."),
        total=[_("Total"), total_activities, *[per_type[code] for code in used_types]],
    )
    tables["activities-by-type"] = Table(
        "activities-by-type",
        _("Activities by type"),
        [_("Type of activity"), _("Activities")],
        sorted(by_choices(per_type, ActivityType.choices), key=lambda r: -r[1]),
        total=[_("Total"), total_activities],
    )
    people_rows = [[year, *people[year], sum(people[year])] for year in sorted(people) if sum(people[year])]
    sums = [sum(r[i] for r in people_rows) for i in (1, 2, 3, 4)]
    tables["participants-by-year"] = Table(
        "participants-by-year",
        _("Participants reached, by year and sex"),
        [_("Year"), _("Women"), _("Men"), str(sexes[Sex.OTHER]), _("Total")],
        people_rows,
        chart="stacked",
        series=(1, 2, 3),
        note=_("Participants of the activities held (done or under way)."),
        total=[_("Total"), *sums],
    )
    return tables


def headline(tables: dict[str, Table]) -> list[tuple[int, Any]]:
    """The numbers shown in the cards at the top."""

    def total(key: str, column: int = 1) -> int:
        t = tables[key].total
        return int(t[column]) if t else 0

    return [
        (total("requests-by-status"), gettext_lazy("requests")),
        (total("actions-by-phase"), gettext_lazy("Actions")),
        (total("countries-by-region"), gettext_lazy("countries reached")),
        (total("experts-by-sex"), gettext_lazy("experts deployed")),
        (total("activities-by-type"), gettext_lazy("activities")),
        (total("participants-by-year", 4), gettext_lazy("participants reached")),
    ]
