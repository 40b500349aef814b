"""Forms for authoring standard products. They parse input; the services decide."""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from django import forms
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

from capdev.catalogue.materials import MAX_MATERIAL_SIZE, TYPES, accepted_types
from capdev.catalogue.models import (
    CourseVersion,
    DeliveryMode,
    DeliveryPart,
    LearningObjective,
    Module,
    RuleKind,
)
from capdev.catalogue.services import LEVEL_RULES, PERCENT_RULES, POINTS_RULES
from capdev.competencies.models import CompetencyItem, FrameworkVersion, ItemKind, ProficiencyLevel
from capdev.core.forms import BootstrapFormMixin
from capdev.organisations.models import Organisation, OrganisationType
from capdev.reference.data import LANGUAGE_CODES
from capdev.reference.models import ThematicArea


def language_name(code: str) -> str:
    info = LANG_INFO.get(code)
    return str(_(info["name"])) if info else code


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in LANGUAGE_CODES if code in LANG_INFO]


def framework_choices(user: Any, current: FrameworkVersion | None = None) -> Any:
    qs = FrameworkVersion.objects.visible_to(user).filter(status="published")
    if current is not None:
        qs = qs | FrameworkVersion.objects.filter(pk=current.pk)
    return qs.select_related("framework").order_by("title", "-number")


class LanguagesField(forms.MultipleChoiceField):
    widget = forms.SelectMultiple(attrs={"size": 6})

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(choices=language_choices, **kwargs)


VERSION_FORM_FIELDS = [
    "title",
    "summary",
    "target_audience",
    "thematic_areas",
    "languages",
    "mode",
    "framework_version",
    "contact_hours",
    "self_study_hours",
    "assessment_hours",
    "ects_credits",
    "qualification_framework",
    "qualification_level",
    "accredited_by",
    "change_note",
]


class VersionForm(BootstrapFormMixin, forms.ModelForm):
    """A draft's description, hours, credits and qualification."""

    languages = LanguagesField(
        label=_("Languages"),
        required=False,
        help_text=_("The languages the product is offered in. Hold Ctrl (⌘ on a Mac) to choose several."),
    )

    class Meta:
        model = CourseVersion
        fields = VERSION_FORM_FIELDS
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "target_audience": forms.Textarea(attrs={"rows": 2}),
            "change_note": forms.Textarea(attrs={"rows": 2}),
            "thematic_areas": forms.CheckboxSelectMultiple,
        }
        help_texts = {
            "ects_credits": _("1 ECTS = 25 hours: contact + self-study + assessment hours must add up."),
            "qualification_level": _("EQF/MQF level 1–8, for accredited awards."),
        }

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["framework_version"].queryset = framework_choices(  # type: ignore[attr-defined]
            user, self.instance.framework_version if self.instance.pk else None
        )
        self.fields["thematic_areas"].queryset = ThematicArea.objects.all()  # type: ignore[attr-defined]
        if "qualification_level" in self.fields:
            self.fields["qualification_level"].widget = forms.Select(
                choices=[("", "—")] + [(i, str(i)) for i in range(1, 9)], attrs={"class": "form-select"}
            )
        self.fields["thematic_areas"].widget.attrs["class"] = "form-check-input"
        if self.instance.pk:
            self.initial["languages"] = list(self.instance.languages or [])

    def _post_clean(self) -> None:
        """Keep the instance untouched: the service validates and saves."""

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["thematic_areas"] = list(data.get("thematic_areas") or [])
        return data


class CourseCreateForm(VersionForm):
    """A new standard product: its owner and code, then the first version's description."""

    owner = forms.ModelChoiceField(label=_("Owner organisation"), queryset=Organisation.objects.none())
    code = forms.SlugField(
        label=_("Code"), required=False, help_text=_("Short identifier; made from the title when left empty.")
    )

    class Meta(VersionForm.Meta):
        fields = [
            "title",
            "summary",
            "target_audience",
            "thematic_areas",
            "languages",
            "mode",
            "framework_version",
        ]

    field_order = ["title", "code", "owner"]

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.exclude(  # type: ignore[attr-defined]
            type=OrganisationType.DONOR
        ).only("id", "name", "acronym")
        self.fields["owner"].widget.attrs["class"] = "form-select"
        self.fields["code"].widget.attrs["class"] = "form-control"
        self.fields["mode"].initial = DeliveryMode.BLENDED


class PartForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = DeliveryPart
        fields = ["kind", "title", "days", "weeks", "hours", "gates_next"]
        help_texts = {
            "title": _("Optional, e.g. “Field trip to The Hague”."),
            "days": _("Required for a face-to-face part (or give weeks)."),
        }

    def _post_clean(self) -> None:
        pass


class ModuleForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = Module
        fields = ["title", "part", "summary", "local_examples"]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "local_examples": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, version: CourseVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["part"].queryset = version.parts.order_by("position")  # type: ignore[attr-defined]
        self.fields["part"].label_from_instance = lambda p: f"{p.position}. {p.description}"  # type: ignore[attr-defined]

    def _post_clean(self) -> None:
        pass


class ObjectiveForm(BootstrapFormMixin, forms.ModelForm):
    class Meta:
        model = LearningObjective
        fields = ["text", "is_core"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"is_core": _("Core objectives must be kept by every adaptation.")}

    def _post_clean(self) -> None:
        pass


class MappingForm(forms.Form):
    """One select per competency of the version's framework: the target level, or none."""

    def __init__(
        self, *args: Any, version: CourseVersion, objective: LearningObjective, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        framework = version.framework_version
        self.items: list[CompetencyItem] = []
        self.levels: dict[int, ProficiencyLevel] = {}
        if framework is None:
            return
        self.levels = {
            lv.pk: lv for lv in ProficiencyLevel.objects.filter(version=framework).order_by("position")
        }
        items = list(CompetencyItem.objects.filter(version=framework).order_by("parent_id", "position", "id"))
        self.items = _tree_order(items)
        current = {m.competency_id: m.target_level_id for m in objective.mappings.all()}
        choices = [("", "—"), *((pk, lv.name) for pk, lv in self.levels.items())]
        for item in self.items:
            if item.kind == ItemKind.DOMAIN:
                continue
            self.fields[f"c{item.pk}"] = forms.TypedChoiceField(
                label=f"{item.code} {item.statement}",
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
                initial=current.get(item.pk),
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )

    def rows(self) -> Iterator[tuple[CompetencyItem, Any]]:
        for item in self.items:
            field = self.fields.get(f"c{item.pk}")
            yield item, self[f"c{item.pk}"] if field is not None else None

    def mappings(self) -> list[tuple[CompetencyItem, ProficiencyLevel]]:
        by_pk = {item.pk: item for item in self.items}
        out = []
        for name, value in self.cleaned_data.items():
            if value:
                out.append((by_pk[int(name[1:])], self.levels[value]))
        return out


def _tree_order(items: list[CompetencyItem]) -> list[CompetencyItem]:
    children: dict[int | None, list[CompetencyItem]] = {}
    for item in items:
        children.setdefault(item.parent_id, []).append(item)
    out: list[CompetencyItem] = []

    def walk(parent: int | None, depth: int) -> None:
        for item in children.get(parent, []):
            item.depth = depth  # type: ignore[attr-defined]
            out.append(item)
            walk(item.pk, depth + 1)

    walk(None, 0)
    return out


class RulesForm(forms.Form):
    """Every kind of completion rule with a tick box and, where it applies, its threshold or level."""

    def __init__(self, *args: Any, version: CourseVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {r.kind: r for r in version.rules.all()}
        levels = (
            ProficiencyLevel.objects.filter(version_id=version.framework_version_id).order_by("position")
            if version.framework_version_id
            else ProficiencyLevel.objects.none()
        )
        self.kinds = list(RuleKind)
        for kind in self.kinds:
            rule = current.get(kind)
            self.fields[kind.value] = forms.BooleanField(
                label=kind.label,
                required=False,
                initial=rule is not None,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            if kind in PERCENT_RULES or kind in POINTS_RULES:
                self.fields[f"{kind.value}_threshold"] = forms.DecimalField(
                    label=_("Percentage") if kind in PERCENT_RULES else _("Points"),
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(100) if kind in PERCENT_RULES else None,
                    decimal_places=2,
                    initial=rule.threshold if rule else None,
                    widget=forms.NumberInput(attrs={"class": "form-control form-control-sm", "step": "any"}),
                )
            if kind in LEVEL_RULES:
                self.fields[f"{kind.value}_level"] = forms.ModelChoiceField(
                    label=_("Minimum level"),
                    queryset=levels,
                    required=False,
                    initial=rule.level_id if rule else None,
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                )

    def rows(self) -> Iterator[dict[str, Any]]:
        for kind in self.kinds:
            yield {
                "kind": kind,
                "enabled": self[kind.value],
                "threshold": self[f"{kind.value}_threshold"]
                if f"{kind.value}_threshold" in self.fields
                else None,
                "level": self[f"{kind.value}_level"] if f"{kind.value}_level" in self.fields else None,
            }


class MaterialFileForm(BootstrapFormMixin, forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    language = forms.ChoiceField(label=_("Language"))
    title = forms.CharField(
        label=_("Title"), max_length=255, required=False, help_text=_("Defaults to the file name.")
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("Accepted: %(types)s; at most %(mb)s MB.")
        % {"types": accepted_types(), "mb": MAX_MATERIAL_SIZE // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ",".join(f".{ext}" for ext in TYPES)}),
    )

    def __init__(self, *args: Any, version: CourseVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = version.modules.order_by("position")  # type: ignore[attr-defined]
        codes = version.languages or [c for c, _n in language_choices()]
        self.fields["language"].choices = [(c, language_name(c)) for c in codes]  # type: ignore[attr-defined]


class MaterialLinkForm(BootstrapFormMixin, forms.Form):
    module = forms.ModelChoiceField(label=_("Module"), queryset=Module.objects.none())
    language = forms.ChoiceField(label=_("Language"))
    title = forms.CharField(label=_("Title"), max_length=255)
    url = forms.CharField(label=_("Link (https://…)"), max_length=200)

    def __init__(self, *args: Any, version: CourseVersion, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = version.modules.order_by("position")  # type: ignore[attr-defined]
        codes = version.languages or [c for c, _n in language_choices()]
        self.fields["language"].choices = [(c, language_name(c)) for c in codes]  # type: ignore[attr-defined]
