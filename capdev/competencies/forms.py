"""Competency framework forms. They parse and present; the services validate and decide."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capdev.competencies.models import FrameworkVersion, ItemKind, Nature
from capdev.core.forms import BootstrapFormMixin
from capdev.core.roles import roles_of
from capdev.organisations.models import Organisation
from capdev.organisations.querysets import scoped_org_ids


def owner_choices(user: Any) -> Any:
    """Staff may give a framework to any organisation; others keep it within their own."""
    if roles_of(user).is_staff:
        return Organisation.objects.all().only("id", "name", "acronym")
    return Organisation.objects.filter(id__in=scoped_org_ids(user, "focal_point")).only(
        "id", "name", "acronym"
    )


class LanguagesField(forms.CharField):
    """Language codes typed as "en, fr, pt"; the service checks each code."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class FrameworkCreateForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), empty_label=None
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        initial="en",
        help_text=_("Language codes separated by commas, e.g. en, fr, pt."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=255, required=False)
    licence = forms.CharField(label=_("Licence"), max_length=255, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owner_choices(user)  # type: ignore[attr-defined]


class FrameworkForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"), queryset=Organisation.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, user: Any = None, current_owner: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = owner_choices(user)
        if current_owner is not None:
            choices = choices | Organisation.objects.filter(pk=current_owner.pk).only("id", "name", "acronym")
        self.fields["owner"].queryset = choices.distinct()  # type: ignore[attr-defined]


class VersionForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        help_text=_("Language codes separated by commas, e.g. en, fr, pt."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=255, required=False)
    licence = forms.CharField(label=_("Licence"), max_length=255, required=False)
    change_note = forms.CharField(
        label=_("What changed in this version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ItemForm(BootstrapFormMixin, forms.Form):
    """One item of the tree, edited inline. An empty code on a new item gets the next free one."""

    code = forms.CharField(label=_("Code"), max_length=64, required=False)
    kind = forms.ChoiceField(label=_("Level"), choices=ItemKind.choices)
    nature = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *Nature.choices], required=False)
    statement = forms.CharField(label=_("Statement"), widget=forms.Textarea(attrs={"rows": 2}))
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    alignments = forms.CharField(
        label=_("Alignments"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 1}),
        help_text=_("Web addresses of matching external skills (e.g. ESCO), one per line."),
    )

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["code"].required = not creating
        if creating:
            self.fields["code"].help_text = _("Leave empty to number it after its parent.")

    def clean_alignments(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["alignments"].split() if line.strip()]


class ScaleLevelForm(BootstrapFormMixin, forms.Form):
    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(label=_("Level"), max_length=100, required=False)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


ScaleFormSet = forms.formset_factory(ScaleLevelForm, extra=2, can_order=True, can_delete=True, max_num=10)


class DeriveForm(BootstrapFormMixin, forms.Form):
    change_note = forms.CharField(
        label=_("What will change in the new version"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: you can complete it while editing the draft."),
    )


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return _("Version %(n)d (%(status)s)") % {"n": obj.number, "status": obj.get_status_display().lower()}


class CompareForm(forms.Form):
    with_version: forms.ModelChoiceField = VersionChoiceField(
        label=_("Compare with"), queryset=FrameworkVersion.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, versions: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["with_version"].queryset = versions  # type: ignore[attr-defined]
        self.fields["with_version"].widget.attrs["class"] = "form-select"
