"""Forms for activities: plan/edit, cancel, complete, and inviting an expert from the shortlist."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capdev.actions.models import Activity
from capdev.catalogue.models import CourseVersion
from capdev.competencies.models import VersionStatus

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ActivityForm(forms.ModelForm):
    """An activity's plan. The catalogue product offered is any published version."""

    class Meta:
        model = Activity
        fields = [
            "type",
            "title",
            "description",
            "start_date",
            "end_date",
            "mode",
            "venue",
            "city",
            "country",
            "course_version",
            "participants_women",
            "participants_men",
            "participants_other",
        ]
        widgets = {"start_date": DATE, "end_date": DATE, "description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = CourseVersion.objects.filter(status=VersionStatus.PUBLISHED).select_related("course")
        field = self.fields["course_version"]
        field.queryset = versions.order_by("title")  # type: ignore[attr-defined]
        field.label_from_instance = lambda v: f"{v.title} (v{v.number})"  # type: ignore[attr-defined]
        field.help_text = _(
            "When the activity delivers a product of the catalogue (published versions only)."
        )
        for name in ("participants_women", "participants_men", "participants_other"):
            self.fields[name].required = False
            self.fields[name].widget.attrs["min"] = 0
        self.fields["country"].help_text = _("Where it takes place; empty for online activities.")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The last day cannot be before the first day."))
        return data

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the cancellation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Kept in the change history. Pending invitations to experts are withdrawn."),
    )


class CompleteForm(forms.Form):
    participants_women = forms.IntegerField(label=_("Participants (women)"), min_value=0, required=False)
    participants_men = forms.IntegerField(label=_("Participants (men)"), min_value=0, required=False)
    participants_other = forms.IntegerField(
        label=_("Participants (other / not stated)"), min_value=0, required=False
    )


class InviteForm(forms.Form):
    expert = forms.IntegerField(widget=forms.HiddenInput)
    role = forms.CharField(label=_("Role"), max_length=60, required=False)
