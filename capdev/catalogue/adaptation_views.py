"""Adaptation pages: list, create from a published standard version, side-by-side detail, edits,
publish, new draft, rebase. Views parse, authorise, call a service in `adaptations`, render."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.contrib import messages
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from capdev.catalogue import adaptations as svc
from capdev.catalogue.models import Course, CourseKind, CourseVersion, LearningObjective, Module
from capdev.catalogue.public_filters import language_name
from capdev.competencies.models import VersionStatus
from capdev.core.errors import DomainError
from capdev.core.forms import BootstrapFormMixin, add_domain_error
from capdev.core.models import AuditEvent
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.core.views import is_partial, paginate, query_without_page
from capdev.organisations.models import Organisation
from capdev.reference.data import LANGUAGE_CODES


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in LANGUAGE_CODES]


# --- forms ----------------------------------------------------------------------------------


class AdaptationCreateForm(BootstrapFormMixin, forms.Form):
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(),
        label=gettext_lazy("Partner organisation"),
        help_text=gettext_lazy("The organisation that owns and delivers the adaptation."),
    )
    language = forms.ChoiceField(choices=language_choices, label=gettext_lazy("Language"))
    title = forms.CharField(max_length=255, label=gettext_lazy("Title of the adaptation"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = svc.partner_choices(user)
        field: Any = self.fields["organisation"]
        field.queryset = orgs
        if len(orgs) == 1:
            field.initial = orgs[0].pk


class AdaptationEditForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(max_length=255, label=gettext_lazy("Title"))
    language = forms.ChoiceField(choices=language_choices, label=gettext_lazy("Language"))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label=gettext_lazy("Summary")
    )
    target_audience = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}), required=False, label=gettext_lazy("Target audience")
    )


class ModuleForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(max_length=255, label=gettext_lazy("Module title"))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Summary")
    )
    objectives = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        label=gettext_lazy("Learning objectives"),
        help_text=gettext_lazy("One objective per line."),
    )
    local_examples = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label=gettext_lazy("Local examples"),
        help_text=gettext_lazy("Cases, laws and institutions of the partner's country used in this module."),
    )

    def objective_lines(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["objectives"].splitlines() if line.strip()]


class ModuleEditForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(max_length=255, label=gettext_lazy("Module title"))
    summary = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), required=False, label=gettext_lazy("Summary")
    )
    local_examples = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        label=gettext_lazy("Local examples"),
        help_text=gettext_lazy("Cases, laws and institutions of the partner's country used in this module."),
    )


class ObjectiveForm(BootstrapFormMixin, forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label=gettext_lazy("Learning objective"))


# --- helpers --------------------------------------------------------------------------------


def _adaptation_versions() -> QuerySet[CourseVersion]:
    return CourseVersion.objects.filter(course__kind=CourseKind.ADAPTATION).select_related(
        "course", "course__owner", "course__adapted_from", "based_on", "based_on__course"
    )


def _visible(request: HttpRequest, pk: int) -> CourseVersion:
    return get_visible_or_404(_adaptation_versions(), request.user, pk=pk)


def _draft_for_change(request: HttpRequest, pk: int) -> CourseVersion | HttpResponse:
    """The draft version the user may change, or a redirect to it with a message."""
    version = _visible(request, pk)
    require(request.user, "catalogue.change_adaptation", version)
    if version.status != VersionStatus.DRAFT:
        messages.warning(
            request, _("Version %(n)s is published: start a new draft to change it.") % {"n": version.number}
        )
        return redirect("adaptations:adaptation-detail", version.pk)
    return version


def _detail_url(version: CourseVersion, anchor: str = "") -> str:
    url = reverse("adaptations:adaptation-detail", args=[version.pk])
    return f"{url}#{anchor}" if anchor else url


def _form_page(
    request: HttpRequest,
    version: CourseVersion,
    form: forms.Form,
    *,
    title: str,
    submit: str,
    intro: str = "",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    return render(
        request,
        "catalogue/adaptation_form.html",
        {"version": version, "form": form, "title": title, "submit": submit, "intro": intro, **(extra or {})},
    )


def _run(
    request: HttpRequest, form: forms.Form | None, call: Callable[[], Any], success: str
) -> tuple[bool, Any]:
    """Call a service; a DomainError goes on the form (or into messages without a form)."""
    try:
        result = call()
    except DomainError as exc:
        if form is not None:
            add_domain_error(form, exc)
        else:
            messages.error(request, exc.message)
        return False, None
    messages.success(request, success)
    return True, result


# --- list -----------------------------------------------------------------------------------


class AdaptationFilter(django_filters.FilterSet):
    """Filters of the adaptations list (partner, standard, language, behind)."""

    partner = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(
            Exists(Course.objects.filter(owner=OuterRef("pk"), kind=CourseKind.ADAPTATION))
        ).order_by("name"),
        field_name="course__owner",
        label=gettext_lazy("Partner"),
        empty_label=gettext_lazy("All partners"),
    )
    standard = django_filters.ModelChoiceFilter(
        queryset=Course.objects.filter(kind=CourseKind.STANDARD, adaptations__isnull=False).distinct(),
        field_name="course__adapted_from",
        label=gettext_lazy("Standard product"),
        empty_label=gettext_lazy("All standard products"),
    )
    language = django_filters.ChoiceFilter(
        choices=language_choices,
        method="filter_language",
        label=gettext_lazy("Language"),
        empty_label=gettext_lazy("All languages"),
    )
    behind = django_filters.ChoiceFilter(
        choices=[("yes", gettext_lazy("Behind the standard")), ("no", gettext_lazy("Up to date"))],
        method="filter_behind",
        label=gettext_lazy("Standard"),
        empty_label=gettext_lazy("Behind or up to date"),
    )

    class Meta:
        model = CourseVersion
        fields = ["partner", "standard", "language", "behind"]

    def filter_language(
        self, queryset: QuerySet[CourseVersion], name: str, value: str
    ) -> QuerySet[CourseVersion]:
        return queryset.filter(languages__icontains=f'"{value}"') if value else queryset

    def filter_behind(
        self, queryset: QuerySet[CourseVersion], name: str, value: str
    ) -> QuerySet[CourseVersion]:
        # `is_behind` is annotated by `adaptations.adaptation_versions`
        if value in ("yes", "no"):
            return queryset.filter(**{"is_behind": value == "yes"})
        return queryset


def adaptation_list(request: HttpRequest) -> HttpResponse:
    require(request.user, "catalogue.list_adaptations")
    qs = svc.adaptation_versions(request.user).order_by("course__owner__name", "title", "pk")
    filterset = AdaptationFilter(request.GET, queryset=qs, request=request)
    page = paginate(request, filterset.qs)
    rows = list(page.object_list)
    scores = svc.scores_for(rows)
    for v in rows:
        v.score = scores.get(v.pk)
        v.language_names = [language_name(c) for c in v.languages]
    context = {
        "filter": filterset,
        "page": page,
        "object_list": rows,
        "querystring": query_without_page(request),
        "results_template": "catalogue/adaptation_results.html",
        "can_adapt": can(request.user, "catalogue.adapt"),
    }
    template = (
        "catalogue/adaptation_results.html" if is_partial(request) else "catalogue/adaptation_list.html"
    )
    return render(request, template, context)


# --- create ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def adaptation_create(request: HttpRequest, version_id: int) -> HttpResponse:
    standard = get_visible_or_404(
        CourseVersion.objects.select_related("course", "course__owner"), request.user, pk=version_id
    )
    if standard.course.kind != CourseKind.STANDARD or standard.status != VersionStatus.PUBLISHED:
        raise Http404  # only a published standard version can be adapted
    require(request.user, "catalogue.adapt")
    form = AdaptationCreateForm(request.POST or None, user=request.user, initial={"title": standard.title})
    if request.method == "POST" and form.is_valid():
        ok, version = _run(
            request,
            form,
            lambda: svc.create_adaptation(standard, actor=request.user, **form.cleaned_data),
            _(
                "Adaptation created as a draft: every module and objective of the standard is in it. "
                "Reword, add, replace or remove; core objectives stay."
            ),
        )
        if ok:
            return redirect(_detail_url(version))
    return render(
        request,
        "catalogue/adaptation_create.html",
        {"standard": standard, "form": form, "core": svc.core_lineages(standard).values()},
    )


# --- detail ---------------------------------------------------------------------------------


def adaptation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    version = _visible(request, pk)
    comp = svc.comparison(version)
    can_change = can(request.user, "catalogue.change_adaptation", version)
    history = list(
        CourseVersion.objects.visible_to(request.user).filter(course=version.course).order_by("-number")
    )
    context = {
        "version": version,
        "course": version.course,
        "comparison": comp,
        "behind": svc.behind(version),
        "can_change": can_change,
        "editable": can_change and version.status == VersionStatus.DRAFT,
        "is_newest": history[0].pk == version.pk,
        "has_draft": any(v.status == VersionStatus.DRAFT for v in history),
        "history": history,
        "language_names": [language_name(c) for c in version.languages],
        "audit_events": (
            AuditEvent.objects.for_object(version)[:50]
            if can(request.user, "core.view_audit", version)
            else None
        ),
    }
    return render(request, "catalogue/adaptation_detail.html", context)


# --- edits (drafts) -------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def adaptation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    initial = {
        "title": version.title,
        "language": (version.languages or [""])[0],
        "summary": version.summary,
        "target_audience": version.target_audience,
    }
    form = AdaptationEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _r = _run(
            request,
            form,
            lambda: svc.update_adaptation(version, actor=request.user, **form.cleaned_data),
            _("Changes saved."),
        )
        if ok:
            return redirect(_detail_url(version))
    return _form_page(request, version, form, title=_("Edit the description"), submit=_("Save"))


def _module(version: CourseVersion, module_id: int) -> Module:
    return get_object_or_404(Module, pk=module_id, version=version)


def _objective(version: CourseVersion, objective_id: int) -> LearningObjective:
    return get_object_or_404(
        LearningObjective.objects.select_related("module"), pk=objective_id, module__version=version
    )


@require_http_methods(["GET", "POST"])
def module_add(request: HttpRequest, pk: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, module = _run(
            request,
            form,
            lambda: svc.add_module(
                version,
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                local_examples=data["local_examples"],
                objectives=form.objective_lines(),
            ),
            _("Module added."),
        )
        if ok:
            return redirect(_detail_url(version, f"module-{module.pk}"))
    return _form_page(
        request,
        version,
        form,
        title=_("Add a module"),
        submit=_("Add the module"),
        intro=_("A module of the partner's own: it and its objectives show as added."),
    )


@require_http_methods(["GET", "POST"])
def module_replace(request: HttpRequest, pk: int, module_id: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    module = _module(version, module_id)
    cores = svc.core_lineages(version.based_on)
    carried = [o for o in module.objectives.order_by("position") if o.lineage in cores]
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        ok, new = _run(
            request,
            form,
            lambda: svc.replace_module(
                module,
                actor=request.user,
                title=data["title"],
                summary=data["summary"],
                local_examples=data["local_examples"],
                objectives=form.objective_lines(),
            ),
            _("Module replaced."),
        )
        if ok:
            return redirect(_detail_url(version, f"module-{new.pk}"))
    return _form_page(
        request,
        version,
        form,
        title=_("Replace “%(module)s”") % {"module": module.title},
        submit=_("Replace the module"),
        intro=_("The new module takes this one's place; it and its objectives show as added."),
        extra={"carried": carried},
    )


@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, pk: int, module_id: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    module = _module(version, module_id)
    standard = Module.objects.filter(version_id=version.based_on_id, lineage=module.lineage).first()
    initial = {"title": module.title, "summary": module.summary, "local_examples": module.local_examples}
    form = ModuleEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, _r = _run(
            request,
            form,
            lambda: svc.update_module(module, actor=request.user, **form.cleaned_data),
            _("Module saved."),
        )
        if ok:
            return redirect(_detail_url(version, f"module-{module.pk}"))
    return _form_page(
        request,
        version,
        form,
        title=_("Edit “%(module)s”") % {"module": module.title},
        submit=_("Save"),
        intro=_("Translate or adapt the title and summary, and add the local examples used in this module."),
        extra={"standard_module": standard},
    )


@require_http_methods(["GET", "POST"])
def module_remove(request: HttpRequest, pk: int, module_id: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    module = _module(version, module_id)
    cores = svc.core_lineages(version.based_on)
    blocking = [o for o in module.objectives.order_by("position") if o.lineage in cores]
    if request.method == "POST":
        _run(request, None, lambda: svc.remove_module(module, actor=request.user), _("Module removed."))
        return redirect(_detail_url(version))
    return render(
        request,
        "catalogue/adaptation_confirm.html",
        {
            "version": version,
            "title": _("Remove “%(module)s”?") % {"module": module.title},
            "blocking": blocking,
            "blocking_message": _(
                "This module holds core objectives of the standard, which must be kept. Reword them, or "
                "replace the module: its core objectives move into the new one."
            ),
            "items": [o.text for o in module.objectives.order_by("position")],
            "submit": _("Remove the module"),
            "danger": True,
            "alternative": (
                reverse("adaptations:module-replace", args=[version.pk, module.pk]),
                _("Replace it instead"),
            ),
        },
    )


@require_http_methods(["GET", "POST"])
def objective_add(request: HttpRequest, pk: int, module_id: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    module = _module(version, module_id)
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ok, objective = _run(
            request,
            form,
            lambda: svc.add_objective(module, actor=request.user, **form.cleaned_data),
            _("Objective added."),
        )
        if ok:
            return redirect(_detail_url(version, f"objective-{objective.pk}"))
    return _form_page(
        request,
        version,
        form,
        title=_("Add an objective to “%(module)s”") % {"module": module.title},
        submit=_("Add the objective"),
    )


@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int, objective_id: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    objective = _objective(version, objective_id)
    standard = LearningObjective.objects.filter(
        module__version_id=version.based_on_id, lineage=objective.lineage
    ).first()
    form = ObjectiveForm(request.POST or None, initial={"text": objective.text})
    if request.method == "POST" and form.is_valid():
        ok, _r = _run(
            request,
            form,
            lambda: svc.reword_objective(objective, actor=request.user, **form.cleaned_data),
            _("Objective reworded."),
        )
        if ok:
            return redirect(_detail_url(version, f"objective-{objective.pk}"))
    return _form_page(
        request,
        version,
        form,
        title=_("Reword an objective"),
        submit=_("Save the wording"),
        intro=_("The objective keeps its place in the comparison: a new wording shows as changed."),
        extra={"standard_objective": standard},
    )


@require_http_methods(["GET", "POST"])
def objective_remove(request: HttpRequest, pk: int, objective_id: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    objective = _objective(version, objective_id)
    if request.method == "POST":
        _run(
            request,
            None,
            lambda: svc.remove_objective(objective, actor=request.user),
            _("Objective removed."),
        )
        return redirect(_detail_url(version, f"module-{objective.module_id}"))
    core = svc.core_lineages(version.based_on).get(objective.lineage)
    return render(
        request,
        "catalogue/adaptation_confirm.html",
        {
            "version": version,
            "title": _("Remove this objective?"),
            "items": [objective.text],
            "blocking": [core] if core else [],
            "blocking_message": (
                _("“%(objective)s” is a core objective of the standard and must be kept; you may reword it.")
                % {"objective": svc.short(core.text)}
                if core
                else ""
            ),
            "submit": _("Remove the objective"),
            "danger": True,
            "alternative": (
                reverse("adaptations:objective-edit", args=[version.pk, objective.pk]),
                _("Reword it instead"),
            ),
        },
    )


# --- lifecycle ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def adaptation_publish(request: HttpRequest, pk: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    if request.method == "POST":
        _run(
            request,
            None,
            lambda: svc.publish_adaptation(version, actor=request.user),
            _("Version %(n)s published.") % {"n": version.number},
        )
        return redirect(_detail_url(version))
    return render(
        request,
        "catalogue/adaptation_confirm.html",
        {
            "version": version,
            "title": _("Publish version %(n)s?") % {"n": version.number},
            "blocking": svc.missing_core_objectives(version),
            "blocking_message": _("These core objectives of the standard are missing; add them back first."),
            "message": _(
                "Once published, the version can no longer be changed and appears in the public catalogue; "
                "the previously published version is retired."
            ),
            "submit": _("Publish"),
        },
    )


@require_http_methods(["GET", "POST"])
def adaptation_new_draft(request: HttpRequest, pk: int) -> HttpResponse:
    version = _visible(request, pk)
    require(request.user, "catalogue.change_adaptation", version)
    if request.method == "POST":
        ok, draft = _run(
            request,
            None,
            lambda: svc.start_adaptation_draft(version, actor=request.user),
            _("New draft started."),
        )
        return redirect(_detail_url(draft if ok else version))
    return render(
        request,
        "catalogue/adaptation_confirm.html",
        {
            "version": version,
            "title": _("Start a new draft from version %(n)s?") % {"n": version.number},
            "message": _(
                "The draft copies this version, on the same version of the standard. "
                "The published version stays on offer until the draft is published."
            ),
            "submit": _("Start the draft"),
        },
    )


@require_http_methods(["GET", "POST"])
def adaptation_discard(request: HttpRequest, pk: int) -> HttpResponse:
    version = _draft_for_change(request, pk)
    if isinstance(version, HttpResponse):
        return version
    if request.method == "POST":
        ok, course = _run(
            request,
            None,
            lambda: svc.discard_adaptation_draft(version, actor=request.user),
            _("Draft discarded."),
        )
        if not ok:
            return redirect(_detail_url(version))
        newest = CourseVersion.objects.filter(course=course).order_by("-number").first() if course else None
        return redirect(_detail_url(newest) if newest else reverse("adaptations:adaptation-list"))
    return render(
        request,
        "catalogue/adaptation_confirm.html",
        {
            "version": version,
            "title": _("Discard draft version %(n)s?") % {"n": version.number},
            "message": _("The draft and every change made in it are deleted. This cannot be undone."),
            "submit": _("Discard the draft"),
            "danger": True,
        },
    )


@require_http_methods(["GET", "POST"])
def adaptation_rebase(request: HttpRequest, pk: int) -> HttpResponse:
    version = _visible(request, pk)
    require(request.user, "catalogue.change_adaptation", version)
    report = svc.behind(version)
    if request.method == "POST":
        ok, new = _run(
            request,
            None,
            lambda: svc.rebase_adaptation(version, actor=request.user),
            _(
                "Rebased: a draft on the newest version of the standard, with your local changes kept. "
                "Review it, then publish."
            ),
        )
        return redirect(_detail_url(new if ok else version))
    return render(
        request,
        "catalogue/adaptation_rebase.html",
        {"version": version, "behind": report, "is_draft": version.status == VersionStatus.DRAFT},
    )
