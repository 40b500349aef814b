"""The lesson form (staff). Saving goes through services.create_lesson / update_lesson."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capdev.actions.models import Action, ActivityType
from capdev.knowledge.filters import LANGUAGE_CHOICES
from capdev.knowledge.models import Lesson, LessonKind
from capdev.knowledge.services import MAX_TAGS, split_tags
from capdev.reference.models import Country, ThematicArea


class ChosenActionsWidget(forms.CheckboxSelectMultiple):
    """Checkboxes for the chosen Actions only (the portfolio holds thousands); more are found
    with the search box beside it (`knowledge:action-options`) and added as checked boxes."""

    template_name = "knowledge/widgets/chosen_actions.html"

    def optgroups(self, name: str, value: list[Any], attrs: dict[str, Any] | None = None) -> list[Any]:
        ids = [v for v in value if str(v).isdigit()]
        chosen = Action.objects.filter(pk__in=ids).only("id", "name").order_by("name")
        groups = []
        for index, obj in enumerate(chosen):
            option = self.create_option(name, str(obj.pk), obj.name, True, index, attrs=attrs)
            groups.append((None, [option], index))
        return groups


class LessonForm(forms.Form):
    """A lesson learnt or good practice and what it is linked to."""

    kind = forms.ChoiceField(
        label=_("Kind"), choices=LessonKind.choices, widget=forms.RadioSelect, initial=LessonKind.LESSON
    )
    title = forms.CharField(label=_("Title"), max_length=255)
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One or two sentences shown in the list."),
    )
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What happened, what was learnt, and what to do next time."),
    )
    language = forms.ChoiceField(label=_("Written in"), choices=LANGUAGE_CHOICES, initial="en")
    actions = forms.ModelMultipleChoiceField(
        label=_("Actions"), queryset=Action.objects.all(), required=False, widget=ChosenActionsWidget
    )
    thematic_areas = forms.ModelMultipleChoiceField(
        label=_("Thematic areas"),
        queryset=ThematicArea.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Countries"),
        queryset=Country.objects.exclude(region="eu_ms").only("code", "name", "iso_name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    activity_types = forms.MultipleChoiceField(
        label=_("Activity types"),
        choices=ActivityType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=1000,
        help_text=_("Separate tags with commas, e.g. “ToT, ownership, online course”. New tags are created."),
    )

    def __init__(self, *args: Any, instance: Lesson | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": instance.kind,
                "title": instance.title,
                "summary": instance.summary,
                "body": instance.body,
                "language": instance.language,
                "actions": [a.pk for a in instance.actions.all()],
                "thematic_areas": list(instance.thematic_areas.all()),
                "countries": list(instance.countries.all()),
                "activity_types": instance.activity_types,
                "tags": ", ".join(t.name for t in instance.tags.order_by("key")),
            }
        super().__init__(*args, **kwargs)
        self.instance = instance

    def clean_tags(self) -> list[str]:
        names = split_tags(self.cleaned_data.get("tags") or "")
        if len(names) > MAX_TAGS:
            raise forms.ValidationError(_("At most %(n)d tags.") % {"n": MAX_TAGS})
        return names


class UnpublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (kept in the change history)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
