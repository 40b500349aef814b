"""Person forms: the profile and the languages spoken."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capdev.core.roles import roles_of
from capdev.organisations.models import Organisation
from capdev.organisations.querysets import scoped_org_ids
from capdev.people.models import Person, language_choices
from capdev.reference.data import CEFR_LEVELS


class PersonForm(forms.ModelForm):
    """A person's profile. Focal points may only place people in their own organisation(s)."""

    class Meta:
        model = Person
        fields = [
            "first_name",
            "last_name",
            "sex",
            "nationality",
            "organisation",
            "position",
            "email",
            "phone",
        ]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rs = roles_of(user)
        if rs.is_staff:
            orgs = Organisation.objects.all()
        else:
            allowed = scoped_org_ids(user, "focal_point")
            if self.instance.pk and self.instance.organisation_id:
                allowed = allowed | {self.instance.organisation_id}
            orgs = Organisation.objects.filter(id__in=allowed)
            self.fields["organisation"].required = True
        self.fields["organisation"].queryset = orgs.only("id", "name", "acronym")  # type: ignore[attr-defined]
        self.fields["email"].required = False


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "—"), *language_choices()], required=False
    )
    level = forms.ChoiceField(label=_("Level"), choices=[("", "—"), *CEFR_LEVELS], required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("language") and not data.get("level"):
            self.add_error("level", _("Choose a level for this language (A1–C2 or native)."))
        if data.get("level") and not data.get("language"):
            self.add_error("language", _("Choose the language this level is for."))
        return data


class BaseLanguageFormSet(forms.BaseFormSet):
    def clean(self) -> None:
        seen: set[str] = set()
        for form in self.forms:
            code = (form.cleaned_data or {}).get("language")
            if code and code in seen:
                form.add_error("language", _("This language is listed twice."))
            if code:
                seen.add(code)

    def pairs(self) -> list[tuple[str, str]]:
        return [
            (f.cleaned_data["language"], f.cleaned_data["level"])
            for f in self.forms
            if f.cleaned_data.get("language")
        ]


LanguageFormSet = forms.formset_factory(LanguageForm, formset=BaseLanguageFormSet, extra=0, max_num=12)


def language_formset(data: Any, person: Person | None) -> BaseLanguageFormSet:
    initial = (
        [{"language": pl.language, "level": pl.level} for pl in person.languages.all()] if person else []
    )
    fs = LanguageFormSet(data, initial=initial, prefix="lang")
    if data is None:
        # Offer three empty rows beyond what is stored.
        fs = forms.formset_factory(LanguageForm, formset=BaseLanguageFormSet, extra=3, max_num=12)(
            None, initial=initial, prefix="lang"
        )
    return fs  # type: ignore[return-value]


class ErasureForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the erasure"),
        max_length=500,
        help_text=_("For example the reference of the person's request. It is kept in the audit trail."),
    )
    confirm = forms.BooleanField(
        label=_("I understand that this cannot be undone."),
        required=True,
    )
