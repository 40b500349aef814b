"""Forms of the cohorts pages. Choice lists are limited to what the user may see; the rules
themselves are the services' (their DomainError lands on the field it names)."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capdev.actions.forms import MultipleFileField, MultipleFileInput
from capdev.actions.models import Action, Activity
from capdev.catalogue.models import CourseVersion
from capdev.cohorts.models import Call, CourseRun, Programme, RunStatus, TrainerRole
from capdev.cohorts.profile import format_languages, parse_languages
from capdev.cohorts.services.runs import FIELDS, TRANSITIONS
from capdev.competencies.models import VersionStatus
from capdev.core.forms import FastSelect
from capdev.organisations.models import Organisation, OrganisationType
from capdev.people.models import Person, language_choices
from capdev.reference.models import Country, country_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
ORGANISERS = (
    OrganisationType.IMPLEMENTING,
    OrganisationType.TRAINING_INSTITUTION,
    OrganisationType.INTERNATIONAL,
    OrganisationType.PARTNER_AUTHORITY,
)


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        kind = _("adaptation") if obj.course.kind == "adaptation" else _("standard")
        return f"{obj.title} · v{obj.number} ({kind})"


class RunForm(forms.ModelForm):
    """A run: what it delivers, where and when, and for whom."""

    course_version = VersionChoiceField(
        label=_("Course version"),
        queryset=CourseVersion.objects.none(),
        help_text=_("Published versions only: a standard product or a partner's adaptation."),
    )
    language = forms.ChoiceField(label=_("Language"), choices=language_choices, widget=FastSelect)
    country = forms.ChoiceField(label=_("Country"), choices=(), required=False, widget=FastSelect)

    class Meta:
        model = CourseRun
        fields = FIELDS  # the fields the run services accept, in the order the form shows them
        widgets = {"start_date": DATE, "end_date": DATE}
        help_texts = {"code": _("Left empty, a code is made from the title and year.")}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["course_version"].queryset = (  # type: ignore[attr-defined]
            CourseVersion.objects.filter(status=VersionStatus.PUBLISHED)
            .select_related("course")
            .order_by("title", "number")
        )
        # Actions still running (and the run's own): completed Actions take no new runs.
        actions = Action.objects.visible_to(user).filter(
            Q(pk=self.instance.action_id) | ~Q(phase="completed")
            if self.instance.pk
            else ~Q(phase="completed")
        )
        self.fields["action"].queryset = actions.only("id", "name").order_by("name")  # type: ignore[attr-defined]
        self.fields["action"].widget = FastSelect(choices=self.fields["action"].choices)  # type: ignore[attr-defined]
        self.fields["action"].help_text = _("Optional: the Action the run belongs to.")
        action_id = self._value("action") or (self.instance.action_id if self.instance.pk else None)
        activities = Activity.objects.filter(action_id=action_id) if action_id else Activity.objects.none()
        self.fields["activity"].queryset = activities.order_by("start_date")  # type: ignore[attr-defined]
        self.fields["activity"].help_text = _("Optional: the activity of that Action the run delivers.")
        organisations = Organisation.objects.only("id", "name", "acronym").order_by("name")
        self.fields["organiser"].queryset = organisations.filter(type__in=ORGANISERS)  # type: ignore[attr-defined]
        self.fields["host"].queryset = organisations.filter(type=OrganisationType.PARTNER_AUTHORITY)  # type: ignore[attr-defined]
        self.fields["country"].choices = [("", "—"), *country_choices()]  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.country_id:
            self.initial.setdefault("country", self.instance.country_id)

    def _value(self, name: str) -> Any:
        if self.is_bound:
            value = self.data.get(self.add_prefix(name))
            return int(value) if value and str(value).isdigit() else None
        value = self.initial.get(name)
        return getattr(value, "pk", value)

    def clean_country(self) -> Country | None:
        code = self.cleaned_data.get("country")
        return Country.objects.filter(pk=code).first() if code else None

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class RunStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=())
    reason = forms.CharField(
        label=_("Reason (required to cancel)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, run: CourseRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, RunStatus(s).label) for s in TRANSITIONS[run.status]]  # type: ignore[attr-defined]


class TrainerForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.ChoiceField(label=_("Role"), choices=TrainerRole.choices)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = Programme
        fields = [
            "title",
            "code",
            "cohort_label",
            "description",
            "organiser",
            "action",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": _("Left empty, a code is made from the title."),
            "start_date": _("Follows the runs once runs are added."),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = False
        self.fields["organiser"].queryset = Organisation.objects.filter(type__in=ORGANISERS).order_by("name")  # type: ignore[attr-defined]
        self.fields["action"].queryset = Action.objects.visible_to(user).only("id", "name").order_by("name")  # type: ignore[attr-defined]
        self.fields["action"].widget = FastSelect(choices=self.fields["action"].choices)  # type: ignore[attr-defined]


class ProgrammeRunForm(forms.Form):
    run = forms.ModelChoiceField(label=_("Run"), queryset=CourseRun.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["run"].queryset = (  # type: ignore[attr-defined]
            CourseRun.objects.filter(
                programme__isnull=True,
                status__in=("planned", "open", "in_progress"),
                end_date__gte=timezone.localdate(),
            )
            .only("id", "title", "start_date")
            .order_by("start_date", "title")
        )
        self.fields["run"].widget = FastSelect(choices=self.fields["run"].choices)  # type: ignore[attr-defined]


class CallForm(forms.ModelForm):
    """A call and its candidate profile."""

    organisation_types = forms.MultipleChoiceField(
        label=_("Organisation types"),
        choices=OrganisationType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.all(),
        required=False,
        help_text=_(
            "Of the candidate's organisation (or nationality). Hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )
    positions_text = forms.CharField(
        label=_("Positions"),
        required=False,
        help_text=_(
            "Words the candidate's position should contain, separated by commas, e.g. “trainer, defender”."
        ),
    )
    languages_text = forms.CharField(
        label=_("Languages"),
        required=False,
        help_text=_("Required languages with a minimum CEFR level, e.g. “pt:B2; en:B1”."),
    )

    class Meta:
        model = Call
        fields = [
            "title",
            "description",
            "opens_at",
            "deadline",
            "accepts_applications",
            "accepts_nominations",
            "organisation_types",
            "countries",
            "positions_text",
            "languages_text",
            "women_target_percent",
            "default_quota",
            "offer_days",
        ]
        widgets = {
            "opens_at": DATETIME,
            "deadline": DATETIME,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {"opens_at": _("Empty: as soon as the call is opened.")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["countries"].widget.attrs["size"] = 8
        if self.instance.pk:
            self.initial.setdefault("organisation_types", self.instance.organisation_types)
            self.initial.setdefault("positions_text", ", ".join(self.instance.positions or []))
            self.initial.setdefault("languages_text", format_languages(self.instance.languages or []))
        for name in ("opens_at", "deadline"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]  # type: ignore[attr-defined]

    def clean_languages_text(self) -> list[dict[str, str]]:
        try:
            return parse_languages(self.cleaned_data.get("languages_text") or "")
        except ValueError as exc:
            raise forms.ValidationError(
                _("“%(part)s” is not a language with a level; write e.g. “pt:B2; en:B1”."),
                params={"part": exc.args[0]},
            ) from exc

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["positions"] = [p.strip() for p in (data.pop("positions_text") or "").split(",") if p.strip()]
        data["languages"] = data.pop("languages_text")
        data["organisation_types"] = list(data.get("organisation_types") or [])
        target = data.get("women_target_percent")
        data["women_target_percent"] = Decimal(target) if target is not None else None
        return data


class QuotaForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    places = forms.IntegerField(label=_("Places"), min_value=0, max_value=10_000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            type=OrganisationType.PARTNER_AUTHORITY
        ).order_by("name")
        self.fields["organisation"].widget = FastSelect(choices=self.fields["organisation"].choices)  # type: ignore[attr-defined]


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Motivation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_(
            "Why you wish to take part and how you will use what you learn (at most 5,000 characters)."
        ),
    )
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        widget=MultipleFileInput(attrs={"accept": ".pdf,.docx"}),
        help_text=_(
            "Optional: your CV, a letter of support. PDF or Word (.docx), at most 5 files of 5 MB each."
        ),
    )


class NominateForm(forms.Form):
    person = forms.ModelChoiceField(label=_("Person to nominate"), queryset=Person.objects.none())
    motivation = forms.CharField(
        label=_("Why this person"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000, required=False
    )

    def __init__(self, *args: Any, org_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = (  # type: ignore[attr-defined]
            Person.objects.filter(organisation_id__in=org_ids, erased_at__isnull=True)
            .only("id", "first_name", "last_name")
            .order_by("last_name", "first_name")
        )
        self.fields["person"].widget = FastSelect(choices=self.fields["person"].choices)  # type: ignore[attr-defined]


class CandidateForm(forms.Form):
    person = forms.IntegerField(widget=forms.HiddenInput)
    motivation = forms.CharField(label=_("Note"), required=False, max_length=5000)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_("CSV (UTF-8) or Excel (.xlsx), at most 5 MB and 5,000 rows."),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Reason for rejecting"), max_length=1000)


def default_deadline() -> Any:
    return (timezone.localtime() + datetime.timedelta(days=30)).replace(
        hour=23, minute=59, second=0, microsecond=0
    )
