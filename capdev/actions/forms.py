"""Forms for requests, Actions, budgets, deliverables and the memorandum of understanding.

Forms parse and present; the rules (eligibility, budget consistency, phases) live in the
services, whose DomainErrors are shown on the field they name (capdev.core.forms).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from capdev.actions.models import (
    Action,
    ActionType,
    Activity,
    BudgetLine,
    Channel,
    Deliverable,
    EligibleCountry,
    Level,
    Phase,
    Request,
)
from capdev.actions.services import PHASES, REQUESTING_TYPES
from capdev.actions.uploads import MAX_UPLOAD_SIZE, accept_attribute, accepted_types
from capdev.core.roles import Role, roles_of
from capdev.organisations.models import Organisation, OrganisationType
from capdev.organisations.querysets import scoped_org_ids
from capdev.reference.models import Country, Region, SpecificArea, ThematicArea

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
REGIONS = [("", "—"), *[(v, label) for v, label in Region.choices if v not in ("eu_ms", "other")]]


def requestable_organisations() -> QuerySet[Organisation]:
    """Organisations that may be named on a request (public bodies and civil society)."""
    return Organisation.objects.filter(type__in=REQUESTING_TYPES)


def search_organisations(query: str, *, limit: int = 15) -> list[Organisation]:
    query = " ".join((query or "").split())
    if len(query) < 2:
        return []
    return list(
        requestable_organisations()
        .filter(Q(name__icontains=query) | Q(acronym__icontains=query))
        .select_related("country")
        .order_by("name", "id")[:limit]
    )


@dataclass
class OrgRow:
    organisation: Organisation
    checked: bool
    lead: bool


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (checked one by one by the service)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": accept_attribute()}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def _country_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Eligible countries grouped by region (what a requester can choose)."""
    groups: dict[str, list[tuple[str, str]]] = {}
    labels = dict(Region.choices)
    for country in Country.objects.filter(eligibility__isnull=False).order_by("region", "name"):
        groups.setdefault(str(labels.get(country.region, country.region)), []).append(
            (country.pk, country.label)
        )
    return sorted(groups.items())


class OrganisationRowsMixin:
    """Requesting organisations (or partners) as rows with an "include" checkbox and a "lead"
    radio; more are found by name (htmx) and appended as rows."""

    fields: dict[str, forms.Field]
    data: Any
    initial: Any

    def _org_fields(self, user: Any, *, own: bool = True) -> None:
        self.fields["organisations"] = forms.ModelMultipleChoiceField(
            queryset=requestable_organisations(), label=_("Requesting organisations"), required=False
        )
        self.fields["lead"] = forms.ModelChoiceField(
            queryset=requestable_organisations(), label=_("Lead organisation"), required=False
        )
        self._own = (
            list(
                requestable_organisations()
                .filter(pk__in=scoped_org_ids(user, Role.FOCAL_POINT))
                .select_related("country")
                .order_by("name")
            )
            if own
            else []
        )

    def org_rows(self) -> list[OrgRow]:
        if self.is_bound:  # type: ignore[attr-defined]
            chosen = [v for v in self.data.getlist("organisations") if str(v).isdigit()]
            lead = str(self.data.get("lead") or "")
        else:
            chosen = [str(o.pk) for o in self.initial.get("organisations", [])]
            lead = str(getattr(self.initial.get("lead"), "pk", "") or "")
        extra = list(
            Organisation.objects.filter(pk__in=chosen)
            .exclude(pk__in=[o.pk for o in self._own])
            .select_related("country")
        )
        rows = [OrgRow(o, str(o.pk) in chosen, str(o.pk) == lead) for o in self._own + extra]
        if rows and not any(r.lead for r in rows):
            first = next((r for r in rows if r.checked), None)
            if first:
                first.lead = True
        return rows


class RequestForm(OrganisationRowsMixin, forms.Form):
    """File or edit a request. A focal point's own organisations are listed and preselected;
    staff find the requesting organisations by name."""

    title = forms.CharField(label=_("Title"), max_length=255)
    countries = forms.ModelMultipleChoiceField(
        queryset=Country.objects.all(),
        label=_("Country or countries"),
        required=False,
        help_text=_(
            "Only countries on the programme's eligible list can be chosen. Several for a joint or regional request."
        ),
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    region = forms.ChoiceField(label=_("Region (regional requests)"), choices=REGIONS, required=False)
    thematic_area = forms.ModelChoiceField(queryset=ThematicArea.objects.all(), label=_("Thematic area"))
    specific_areas = forms.ModelMultipleChoiceField(
        queryset=SpecificArea.objects.select_related("thematic_area"),
        label=_("Specific areas"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    statement_of_need = forms.CharField(
        label=_("Statement of need"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should change, for whom, and why now."),
    )
    expected_results = forms.CharField(
        label=_("Expected results"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    target_groups = forms.CharField(
        label=_("Target groups"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Who would take part: units, positions, approximate numbers."),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=Channel.choices, initial=Channel.DIRECT, widget=forms.RadioSelect
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=format_lazy(
            _("For example the official letter. {types}; up to {mb} MB each."),
            types=accepted_types(),
            mb=MAX_UPLOAD_SIZE // 1024 // 1024,
        ),
    )
    received_on = forms.DateField(label=_("Received on"), required=False, widget=DATE)

    def __init__(
        self, *args: Any, user: Any = None, request_obj: Request | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._org_fields(user)
        rs = roles_of(user)
        if not rs.is_staff or request_obj is not None:
            del self.fields["received_on"]
        self.fields["countries"].widget.choices = _country_choices()
        theme = self._theme()
        areas = SpecificArea.objects.select_related("thematic_area")
        # The specific areas of the chosen thematic area (htmx reloads them when it changes).
        self.fields["specific_areas"].widget.choices = (
            [(a.pk, str(a)) for a in areas.filter(thematic_area=theme)] if theme else []
        )
        if not self.is_bound and request_obj is None and self._own:
            direct = set(roles_of(user).orgs(Role.FOCAL_POINT))
            preselected = [o for o in self._own if o.pk in direct] or self._own[:1]
            self.initial.setdefault("organisations", preselected)
            self.initial.setdefault("lead", preselected[0])
            countries = {o.country_id for o in preselected if o.country_id}
            self.initial.setdefault("countries", sorted(countries))

    def _theme(self) -> ThematicArea | None:
        raw = self.data.get("thematic_area") if self.is_bound else self.initial.get("thematic_area")
        if isinstance(raw, ThematicArea):
            return raw
        if raw and str(raw).isdigit():
            return ThematicArea.objects.filter(pk=raw).first()
        return None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        orgs = list(data.get("organisations") or [])
        if not orgs:
            self.add_error(None, _("Choose at least one requesting organisation."))
        return data

    def service_values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["organisations"] = list(data.get("organisations") or [])
        data["countries"] = list(data.get("countries") or [])
        data["specific_areas"] = list(data.get("specific_areas") or [])
        if data.get("received_on") is None:
            data.pop("received_on", None)
        return data


def request_initial(request: Request) -> dict[str, Any]:
    lead = request.requesters.filter(is_lead=True).select_related("organisation").first()
    return {
        "title": request.title,
        "organisations": list(request.organisations.all()),
        "lead": lead.organisation if lead else None,
        "countries": list(request.countries.values_list("pk", flat=True)),
        "region": request.region,
        "thematic_area": request.thematic_area,
        "specific_areas": list(request.specific_areas.values_list("pk", flat=True)),
        "statement_of_need": request.statement_of_need,
        "expected_results": request.expected_results,
        "target_groups": request.target_groups,
        "channel": request.channel,
    }


class NoteForm(forms.Form):
    """A step of the request workflow with an optional note."""

    note = forms.CharField(
        label=_("Note (optional)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class DecisionForm(forms.Form):
    """The steering committee's decision."""

    decided_on = forms.DateField(label=_("Decision date"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 4}), required=False)

    def __init__(self, *args: Any, reject: bool = False, regional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if reject:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _(
                "Give the reason for the rejection; it is sent to the requesting organisations."
            )
            self.fields["reason"].help_text = _("Required. It is sent to the requesting organisations.")
        else:
            self.fields["reason"].label = _("Reason or conditions (optional)")
            self.fields["action_name"] = forms.CharField(
                label=_("Name of the Action"),
                required=False,
                max_length=120,
                help_text=_("For regional Actions, e.g. “Gran Chaco”; leave empty to use the region's name.")
                if regional
                else _(
                    "Leave empty for the usual name: the country and the next number (e.g. “Brazil III”)."
                ),
            )
            self.fields["action_type"] = forms.ChoiceField(
                label=_("Type of Action"),
                choices=ActionType.choices,
                initial=ActionType.REGIONAL if regional else ActionType.CLASSIC,
            )

    def clean_reason(self) -> str:
        reason = (self.cleaned_data.get("reason") or "").strip()
        if self.fields["reason"].required and not reason:
            raise forms.ValidationError(
                _("Give the reason for the rejection; it is sent to the requesting organisations.")
            )
        return reason


class EligibleCountryForm(forms.Form):
    country = forms.ModelChoiceField(queryset=Country.objects.none(), label=_("Country"))
    since = forms.DateField(label=_("Eligible since"), required=False, widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["country"].queryset = Country.objects.exclude(  # type: ignore[attr-defined]
            pk__in=EligibleCountry.objects.values("country_id")
        ).exclude(region__in=("eu_ms",))


# --- Actions -------------------------------------------------------------------------------


LEVEL_FIELDS = {
    Level.INDIVIDUAL: "objectives_individual",
    Level.ORGANISATIONAL: "objectives_organisational",
    Level.ENABLING: "objectives_enabling",
}


class ActionForm(forms.ModelForm):
    """Staff edit everything; the partners' focal points the co-design fields (summary and
    objectives at the three levels, one objective per line)."""

    objectives_individual = forms.CharField(
        label=_("Objectives: individual level"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Skills and knowledge of people. One objective per line."),
    )
    objectives_organisational = forms.CharField(
        label=_("Objectives: organisational level"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("The institution's ability to fulfil its mandate. One objective per line."),
    )
    objectives_enabling = forms.CharField(
        label=_("Objectives: enabling environment"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Policies, laws, coordination mechanisms. One objective per line."),
    )

    class Meta:
        model = Action
        fields = [
            "name",
            "type",
            "region",
            "countries",
            "thematic_area",
            "specific_areas",
            "start_date",
            "end_date",
            "summary",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 5}),
            "start_date": DATE,
            "end_date": DATE,
            "countries": forms.SelectMultiple(attrs={"size": 6}),
            "specific_areas": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, staff: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.staff = staff
        if not staff:
            for name in list(self.fields):
                if name != "summary" and name not in LEVEL_FIELDS.values():
                    del self.fields[name]
        else:
            self.fields["region"].choices = REGIONS  # type: ignore[attr-defined]
            self.fields["countries"].widget.choices = [
                (c.pk, c.label) for c in Country.objects.exclude(region="eu_ms")
            ]
            self.fields["specific_areas"].widget.choices = [
                (a.pk, f"{a.thematic_area} · {a}")
                for a in SpecificArea.objects.select_related("thematic_area")
            ]
        if self.instance.pk and not self.is_bound:
            texts: dict[str, list[str]] = {level: [] for level in LEVEL_FIELDS}
            for o in self.instance.objectives.all():
                texts[o.level].append(o.text)
            for level, name in LEVEL_FIELDS.items():
                self.initial[name] = "\n".join(texts[level])

    def objectives(self) -> dict[str, list[str]]:
        return {
            level: [line.strip() for line in (self.cleaned_data.get(name) or "").splitlines() if line.strip()]
            for level, name in LEVEL_FIELDS.items()
        }

    def action_values(self) -> dict[str, Any]:
        data = {k: v for k, v in self.cleaned_data.items() if k not in LEVEL_FIELDS.values()}
        if self.staff:
            data["countries"] = list(data.get("countries") or [])
            data["specific_areas"] = list(data.get("specific_areas") or [])
        return data


class PhaseForm(forms.Form):
    """Move an Action to the next phase, or back with a note."""

    to_phase = forms.ChoiceField(label=_("New phase"), widget=forms.RadioSelect)
    on = forms.DateField(label=_("Date"), widget=DATE, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Required when going back to an earlier phase."),
    )

    def __init__(self, *args: Any, action_obj: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = PHASES.index(action_obj.phase)
        labels = dict(Phase.choices)
        choices = []
        if current + 1 < len(PHASES):
            nxt = PHASES[current + 1]
            choices.append((nxt, _("Forward to %(phase)s") % {"phase": labels[nxt]}))
        for earlier in reversed(PHASES[:current]):
            choices.append((earlier, _("Back to %(phase)s") % {"phase": labels[earlier]}))
        self.fields["to_phase"].choices = choices  # type: ignore[attr-defined]
        if choices:
            self.fields["to_phase"].initial = choices[0][0]


class PartnersForm(OrganisationRowsMixin, forms.Form):
    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._org_fields(user, own=False)
        self.fields["organisations"].label = _("Partners")


class BudgetLineForm(forms.ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["label", "category", "planned", "committed", "spent", "over_plan_reason"]
        widgets = {"over_plan_reason": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "planned": _("Planned (EUR)"),
            "committed": _("Committed (EUR)"),
            "spent": _("Spent (EUR)"),
        }


class FunderShareForm(forms.Form):
    funder = forms.ModelChoiceField(queryset=Organisation.objects.none(), label=_("Funder"), required=False)
    fund = forms.CharField(label=_("Fund"), max_length=120, required=False)
    percent = forms.DecimalField(label=_("Share (%)"), max_digits=5, decimal_places=2, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["funder"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            type__in=(OrganisationType.DONOR, OrganisationType.IMPLEMENTING, OrganisationType.INTERNATIONAL)
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("funder") and data.get("percent") is None:
            self.add_error("percent", _("Give this funder's share."))
        if data.get("percent") is not None and not data.get("funder"):
            self.add_error("funder", _("Choose the funder of this share."))
        return data


FunderShareFormSet = forms.formset_factory(FunderShareForm, extra=2, max_num=12)


class DeliverableForm(forms.ModelForm):
    file = forms.FileField(
        label=_("File"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
        help_text=format_lazy(
            _("{types}; up to {mb} MB."), types=accepted_types(), mb=MAX_UPLOAD_SIZE // 1024 // 1024
        ),
    )

    class Meta:
        model = Deliverable
        fields = ["kind", "title", "language", "status", "due_date", "delivered_on", "activity"]
        widgets = {"due_date": DATE, "delivered_on": DATE}

    def __init__(self, *args: Any, action_obj: Action, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from capdev.people.models import language_choices

        self.fields["language"] = forms.ChoiceField(
            label=_("Language"), choices=[("", "—"), *language_choices()], required=False
        )
        self.fields["activity"].queryset = Activity.objects.filter(action=action_obj).order_by("start_date")  # type: ignore[attr-defined]


class MouForm(forms.Form):
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    signatories = forms.CharField(
        label=_("Signatories"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    valid_until = forms.DateField(label=_("Valid until"), required=False, widget=DATE)
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    file = forms.FileField(
        label=_("Signed copy"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": accept_attribute()}),
        help_text=format_lazy(
            _("{types}; up to {mb} MB."), types=accepted_types(), mb=MAX_UPLOAD_SIZE // 1024 // 1024
        ),
    )
