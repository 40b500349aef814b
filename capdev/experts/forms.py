"""Roster forms: the profile (with CV upload), availability windows, feedback, withdrawal."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capdev.experts.models import ExpertProfile
from capdev.organisations.models import Organisation, OrganisationType
from capdev.reference.models import Region, SpecificArea

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
HOME_TYPES = (
    OrganisationType.MEMBER_STATE,
    OrganisationType.TRAINING_INSTITUTION,
    OrganisationType.INTERNATIONAL,
    OrganisationType.IMPLEMENTING,
)


class ExpertProfileForm(forms.ModelForm):
    """A roster profile. Experts editing their own profile do not see the "active" switch."""

    regions = forms.MultipleChoiceField(
        label=_("Regions worked in"),
        choices=Region.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cv_upload = forms.FileField(
        label=_("CV"),
        required=False,
        help_text=_("PDF or Word (.docx), at most 5 MB. Replaces the CV on file."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}),
    )
    remove_cv = forms.BooleanField(label=_("Remove the CV on file"), required=False)

    class Meta:
        model = ExpertProfile
        fields = [
            "institution",
            "institution_type",
            "proposed_by",
            "years_experience",
            "thematic_areas",
            "specific_areas",
            "regions",
            "bio",
            "consent_to_contact",
            "active",
        ]
        widgets = {
            "thematic_areas": forms.CheckboxSelectMultiple,
            "specific_areas": forms.CheckboxSelectMultiple,
            "bio": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, staff: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        homes = (
            Organisation.objects.filter(type__in=HOME_TYPES).only("id", "name", "acronym").order_by("name")
        )
        self.fields["institution"].queryset = homes  # type: ignore[attr-defined]
        self.fields["proposed_by"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            type=OrganisationType.MEMBER_STATE
        ).order_by("name")
        self.fields["specific_areas"].queryset = SpecificArea.objects.select_related(  # type: ignore[attr-defined]
            "thematic_area"
        )
        if not staff:
            del self.fields["active"]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        for name in ("cv_upload", "remove_cv"):
            data.pop(name, None)
        return data


class AvailabilityForm(forms.Form):
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), widget=DATE)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class FeedbackForm(forms.Form):
    feedback_score = forms.TypedChoiceField(
        label=_("Score"),
        coerce=int,
        choices=[(5, _("5 – excellent")), (4, "4"), (3, "3"), (2, "2"), (1, _("1 – poor"))],
    )
    feedback = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class DeclineForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=500, required=False)
