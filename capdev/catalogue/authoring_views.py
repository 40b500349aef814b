"""Authoring a draft's content: delivery parts, modules, objectives and their competencies,
completion rules and materials.

Each section is one page. With htmx, changes are made inline: a form replaces the row it edits
and a successful change answers with the re-rendered section (or module card); without
JavaScript, the same URLs render full pages and redirect after POST.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db import transaction
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from capdev.catalogue import services
from capdev.catalogue.forms import (
    MappingForm,
    MaterialFileForm,
    MaterialLinkForm,
    ModuleForm,
    ObjectiveForm,
    PartForm,
    RulesForm,
)
from capdev.catalogue.models import (
    CourseVersion,
    DeliveryPart,
    LearningObjective,
    Material,
    Module,
    ObjectiveCompetency,
    RuleKind,
)
from capdev.catalogue.views import get_standard_draft
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.views import is_partial

FORM_PAGE = "catalogue/edit_form.html"


def _redirect_detail(pk: int) -> HttpResponse:
    return redirect("catalogue:version-detail", pk)


def _ctx(version: CourseVersion, section: str, **extra: Any) -> dict[str, Any]:
    return {"version": version, "course": version.course, "section": section, **extra}


def _move(rows: list[Any], pk: int, direction: str) -> list[int]:
    ids = [r.pk for r in rows]
    i = ids.index(pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(ids):
        ids[i], ids[j] = ids[j], ids[i]
    return ids


def _retarget(request: HttpRequest, response: HttpResponse, target: str) -> HttpResponse:
    """An inline form answered with errors replaces itself, not the section it would update."""
    if is_partial(request) and request.method == "POST":
        response["HX-Retarget"] = target
        response["HX-Reswap"] = "innerHTML"
    return response


def _try(request: HttpRequest, form: Any, call: Callable[[], Any]) -> bool:
    """Run a service call; on DomainError put the message on the form (or flash it)."""
    try:
        call()
    except DomainError as exc:
        if form is not None:
            add_domain_error(form, exc)
        else:
            messages.error(request, exc.message)
        return False
    return True


# --- delivery parts ------------------------------------------------------------------------------


def _parts_context(version: CourseVersion, form: PartForm | None = None) -> dict[str, Any]:
    return _ctx(
        version,
        "parts",
        parts=list(version.parts.order_by("position")),
        form=form or PartForm(prefix="new"),
    )


def _parts_response(
    request: HttpRequest, version: CourseVersion, form: PartForm | None = None
) -> HttpResponse:
    if is_partial(request):
        return render(request, "catalogue/_parts_editor.html", _parts_context(version, form))
    if form is not None and form.errors:
        return render(request, "catalogue/version_parts.html", _parts_context(version, form))
    return redirect("catalogue:version-parts", version.pk)


@require_http_methods(["GET", "POST"])
def version_parts(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    if request.method == "POST":
        form = PartForm(request.POST, prefix="new")
        if form.is_valid() and _try(
            request, form, lambda: services.add_part(version, actor=request.user, **form.cleaned_data)
        ):
            return _parts_response(request, version)
        return _parts_response(request, version, form)
    return render(request, "catalogue/version_parts.html", _parts_context(version))


@require_http_methods(["GET", "POST"])
def part_edit(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    obj = get_object_or_404(DeliveryPart, pk=part, version=version)
    form = PartForm(request.POST or None, instance=obj, prefix=f"part{obj.pk}")
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(request, form, lambda: services.update_part(obj, actor=request.user, **form.cleaned_data))
    ):
        return _parts_response(request, version)
    template = "catalogue/_part_form.html" if is_partial(request) else FORM_PAGE
    response = render(
        request,
        template,
        _ctx(
            version,
            "parts",
            form=form,
            part=obj,
            title=_("Edit delivery part"),
            action=reverse("catalogue:part-edit", args=[pk, obj.pk]),
            back=reverse("catalogue:version-parts", args=[pk]),
        ),
    )
    return _retarget(request, response, f"#part-{obj.pk}")


@require_http_methods(["GET", "POST"])
def part_delete(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    obj = get_object_or_404(DeliveryPart, pk=part, version=version)
    if request.method == "POST":
        if _try(request, None, lambda: services.remove_part(obj, actor=request.user)):
            messages.success(request, _("Part removed."))
        return _parts_response(request, version)
    return render(
        request,
        "catalogue/confirm_delete.html",
        _ctx(version, "parts", thing=obj.description, back=reverse("catalogue:version-parts", args=[pk])),
    )


@require_http_methods(["GET", "POST"])
def part_move(request: HttpRequest, pk: int, part: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    parts = list(version.parts.order_by("position"))
    get_object_or_404(DeliveryPart, pk=part, version=version)
    order = _move(parts, part, request.POST.get("direction", "up"))
    _try(request, None, lambda: services.reorder_parts(version, actor=request.user, order=order))
    return _parts_response(request, version)


# --- modules and objectives ----------------------------------------------------------------------


def _modules(version: CourseVersion) -> list[Module]:
    mappings = ObjectiveCompetency.objects.select_related("competency", "target_level").order_by(
        "competency__code"
    )
    objectives = LearningObjective.objects.order_by("position").prefetch_related(
        Prefetch("mappings", queryset=mappings)
    )
    return list(
        version.modules.select_related("part")
        .order_by("position")
        .prefetch_related(Prefetch("objectives", queryset=objectives))
    )


def _module_card(request: HttpRequest, version: CourseVersion, module_pk: int) -> HttpResponse:
    modules = _modules(version)
    module = next(m for m in modules if m.pk == module_pk)
    return render(
        request,
        "catalogue/_module_card.html",
        _ctx(version, "modules", module=module, is_first=module is modules[0], is_last=module is modules[-1]),
    )


def _modules_context(version: CourseVersion, form: ModuleForm | None = None) -> dict[str, Any]:
    return _ctx(
        version,
        "modules",
        modules=_modules(version),
        form=form or ModuleForm(prefix="new", version=version),
    )


def _modules_response(
    request: HttpRequest, version: CourseVersion, form: ModuleForm | None = None, anchor: str = ""
) -> HttpResponse:
    if is_partial(request):
        return render(request, "catalogue/_modules_editor.html", _modules_context(version, form))
    if form is not None and form.errors:
        return render(request, "catalogue/version_modules.html", _modules_context(version, form))
    return redirect(reverse("catalogue:version-modules", args=[version.pk]) + anchor)


@require_http_methods(["GET", "POST"])
def version_modules(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    if request.method == "POST":
        form = ModuleForm(request.POST, prefix="new", version=version)
        created: list[Module] = []
        if form.is_valid() and _try(
            request,
            form,
            lambda: created.append(services.add_module(version, actor=request.user, **form.cleaned_data)),
        ):
            return _modules_response(request, version, anchor=f"#module-{created[0].pk}")
        return _modules_response(request, version, form)
    return render(request, "catalogue/version_modules.html", _modules_context(version))


@require_http_methods(["GET", "POST"])
def module_edit(request: HttpRequest, pk: int, module: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    obj = get_object_or_404(Module, pk=module, version=version)
    form = ModuleForm(request.POST or None, instance=obj, prefix=f"module{obj.pk}", version=version)
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(request, form, lambda: services.update_module(obj, actor=request.user, **form.cleaned_data))
    ):
        if is_partial(request):
            return _module_card(request, version, obj.pk)
        return redirect(reverse("catalogue:version-modules", args=[pk]) + f"#module-{obj.pk}")
    template = "catalogue/_module_form.html" if is_partial(request) else FORM_PAGE
    response = render(
        request,
        template,
        _ctx(
            version,
            "modules",
            form=form,
            module=obj,
            title=_("Edit module"),
            action=reverse("catalogue:module-edit", args=[pk, obj.pk]),
            back=reverse("catalogue:version-modules", args=[pk]) + f"#module-{obj.pk}",
        ),
    )
    return _retarget(request, response, f"#module-{obj.pk}-head")


@require_http_methods(["GET", "POST"])
def module_delete(request: HttpRequest, pk: int, module: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    obj = get_object_or_404(Module, pk=module, version=version)
    if request.method == "POST":
        if _try(request, None, lambda: services.remove_module(obj, actor=request.user)):
            messages.success(request, _("Module “%(title)s” removed.") % {"title": obj.title})
        return _modules_response(request, version)
    return render(
        request,
        "catalogue/confirm_delete.html",
        _ctx(
            version,
            "modules",
            thing=obj.title,
            warning=_("Its learning objectives and materials are removed with it."),
            back=reverse("catalogue:version-modules", args=[pk]),
        ),
    )


@require_http_methods(["GET", "POST"])
def module_move(request: HttpRequest, pk: int, module: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    get_object_or_404(Module, pk=module, version=version)
    rows = list(version.modules.order_by("position", "pk"))
    order = _move(rows, module, request.POST.get("direction", "up"))
    _try(request, None, lambda: services.reorder_modules(version, actor=request.user, order=order))
    return _modules_response(request, version, anchor=f"#module-{module}")


def _objective_page(
    request: HttpRequest,
    version: CourseVersion,
    form: ObjectiveForm,
    *,
    title: str,
    action: str,
    module: Module,
    target: str,
) -> HttpResponse:
    template = "catalogue/_objective_form.html" if is_partial(request) else FORM_PAGE
    response = render(
        request,
        template,
        _ctx(
            version,
            "modules",
            form=form,
            module=module,
            title=title,
            action=action,
            back=reverse("catalogue:version-modules", args=[version.pk]) + f"#module-{module.pk}",
        ),
    )
    return _retarget(request, response, target)


def _after_objective(request: HttpRequest, version: CourseVersion, module_pk: int) -> HttpResponse:
    if is_partial(request):
        return _module_card(request, version, module_pk)
    return redirect(reverse("catalogue:version-modules", args=[version.pk]) + f"#module-{module_pk}")


@require_http_methods(["GET", "POST"])
def objective_add(request: HttpRequest, pk: int, module: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    mod = get_object_or_404(Module, pk=module, version=version)
    form = ObjectiveForm(request.POST or None, prefix=f"new-objective{mod.pk}")
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(request, form, lambda: services.add_objective(mod, actor=request.user, **form.cleaned_data))
    ):
        return _after_objective(request, version, mod.pk)
    return _objective_page(
        request,
        version,
        form,
        title=_("New learning objective in “%(module)s”") % {"module": mod.title},
        action=reverse("catalogue:objective-add", args=[pk, mod.pk]),
        module=mod,
        target=f"#module-{mod.pk}-new",
    )


def _objective(version: CourseVersion, pk: int) -> LearningObjective:
    return get_object_or_404(
        LearningObjective.objects.select_related("module"), pk=pk, module__version=version
    )


@require_http_methods(["GET", "POST"])
def objective_edit(request: HttpRequest, pk: int, objective: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    obj = _objective(version, objective)
    form = ObjectiveForm(request.POST or None, instance=obj, prefix=f"objective{obj.pk}")
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request, form, lambda: services.update_objective(obj, actor=request.user, **form.cleaned_data)
        )
    ):
        return _after_objective(request, version, obj.module_id)
    return _objective_page(
        request,
        version,
        form,
        title=_("Edit learning objective"),
        action=reverse("catalogue:objective-edit", args=[pk, obj.pk]),
        module=obj.module,
        target=f"#objective-{obj.pk}",
    )


@require_http_methods(["GET", "POST"])
def objective_delete(request: HttpRequest, pk: int, objective: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    obj = _objective(version, objective)
    if request.method == "POST":
        if _try(request, None, lambda: services.remove_objective(obj, actor=request.user)) and not is_partial(
            request
        ):
            messages.success(request, _("Objective removed."))
        return _after_objective(request, version, obj.module_id)
    return render(
        request,
        "catalogue/confirm_delete.html",
        _ctx(
            version,
            "modules",
            thing=str(obj),
            back=reverse("catalogue:version-modules", args=[pk]) + f"#module-{obj.module_id}",
        ),
    )


@require_http_methods(["GET", "POST"])
def objective_move(request: HttpRequest, pk: int, objective: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    obj = _objective(version, objective)
    rows = list(obj.module.objectives.order_by("position", "pk"))
    order = _move(rows, obj.pk, request.POST.get("direction", "up"))
    _try(request, None, lambda: services.reorder_objectives(obj.module, actor=request.user, order=order))
    return _after_objective(request, version, obj.module_id)


@require_http_methods(["GET", "POST"])
def objective_competencies(request: HttpRequest, pk: int, objective: int) -> HttpResponse:
    """Map an objective to competencies of the version's framework, each with a target level."""
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    obj = _objective(version, objective)
    form = MappingForm(request.POST or None, version=version, objective=obj)
    if (
        request.method == "POST"
        and form.is_valid()
        and _try(
            request, form, lambda: services.set_mappings(obj, actor=request.user, mappings=form.mappings())
        )
    ):
        messages.success(request, _("Competencies saved."))
        return redirect(reverse("catalogue:version-modules", args=[pk]) + f"#module-{obj.module_id}")
    return render(
        request,
        "catalogue/objective_competencies.html",
        _ctx(version, "modules", form=form, objective=obj, module=obj.module),
    )


# --- completion rules ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def version_rules(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    form = RulesForm(request.POST or None, version=version)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        existing = {r.kind: r for r in version.rules.all()}
        with transaction.atomic():
            for kind in RuleKind:
                try:
                    if data.get(kind.value):
                        services.set_completion_rule(
                            version,
                            actor=request.user,
                            kind=kind.value,
                            threshold=data.get(f"{kind.value}_threshold"),
                            level=data.get(f"{kind.value}_level"),
                        )
                    elif kind.value in existing:
                        services.remove_completion_rule(existing[kind.value], actor=request.user)
                except DomainError as exc:
                    name = f"{kind.value}_{exc.field}"
                    form.add_error(name if name in form.fields else None, exc.message)
            if form.errors:
                transaction.set_rollback(True)
        if not form.errors:
            messages.success(request, _("Completion rules saved."))
            return _redirect_detail(pk)
    return render(request, "catalogue/version_rules.html", _ctx(version, "rules", form=form))


# --- materials -----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def version_materials(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    kind = request.POST.get("kind") if request.method == "POST" else None
    file_form = MaterialFileForm(
        request.POST if kind == "file" else None,
        request.FILES if kind == "file" else None,
        version=version,
        prefix="file",
    )
    link_form = MaterialLinkForm(request.POST if kind == "link" else None, version=version, prefix="link")
    if kind == "file" and file_form.is_valid():
        d = file_form.cleaned_data
        if _try(
            request,
            file_form,
            lambda: services.add_material_file(
                d["module"], actor=request.user, language=d["language"], upload=d["file"], title=d["title"]
            ),
        ):
            messages.success(request, _("File added."))
            return redirect("catalogue:version-materials", pk)
    if kind == "link" and link_form.is_valid():
        d = link_form.cleaned_data
        if _try(
            request,
            link_form,
            lambda: services.add_material_link(
                d["module"], actor=request.user, language=d["language"], url=d["url"], title=d["title"]
            ),
        ):
            messages.success(request, _("Link added."))
            return redirect("catalogue:version-materials", pk)
    modules = list(
        version.modules.order_by("position").prefetch_related(
            Prefetch("materials", queryset=Material.objects.order_by("language", "title"))
        )
    )
    return render(
        request,
        "catalogue/version_materials.html",
        _ctx(version, "materials", modules=modules, file_form=file_form, link_form=link_form),
    )


@require_http_methods(["GET", "POST"])
def material_delete(request: HttpRequest, pk: int, material: int) -> HttpResponse:
    version = get_standard_draft(request, pk)
    if version is None:
        return _redirect_detail(pk)
    obj = get_object_or_404(Material, pk=material, module__version=version)
    if request.method == "POST":
        if _try(request, None, lambda: services.remove_material(obj, actor=request.user)):
            messages.success(request, _("“%(title)s” removed.") % {"title": obj.title})
        return redirect("catalogue:version-materials", pk)
    return render(
        request,
        "catalogue/confirm_delete.html",
        _ctx(version, "materials", thing=obj.title, back=reverse("catalogue:version-materials", args=[pk])),
    )
