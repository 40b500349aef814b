"""Authoring a version's online content: the overview of its online modules, a module's lessons
and SCORM package, the lesson form with its images, uploads and removals, and the lesson preview.

Pages are read by whoever may preview the content (authors, and the trainers of a run of the
version); changes need `learning.author` and a draft version (the services refuse the others,
and the pages then say so and offer no form). Every change redirects back after POST.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from capdev.catalogue.models import CourseVersion, Material, Module, PartKind
from capdev.core.errors import DomainError
from capdev.core.forms import add_domain_error
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.learning import services
from capdev.learning.forms import AltTextForm, ImageForm, OnlineLessonForm, PackageForm
from capdev.learning.models import LessonImage, OnlineLesson, ScormPackage
from capdev.learning.views.common import lesson_context


def _version(request: HttpRequest, pk: int, perm: str) -> CourseVersion:
    version = get_visible_or_404(
        CourseVersion.objects.select_related("course", "course__owner"), request.user, pk=pk
    )
    require(request.user, perm, version)
    return version


def _module(request: HttpRequest, pk: int, perm: str) -> Module:
    module = Module.objects.select_related("version", "version__course", "part").filter(pk=pk).first()
    if module is None:
        raise Http404
    module.version = _version(request, module.version_id, perm)
    return module


def _lesson(request: HttpRequest, pk: int, perm: str) -> OnlineLesson:
    lesson = OnlineLesson.objects.select_related("module", "module__part").filter(pk=pk).first()
    if lesson is None:
        raise Http404
    lesson.module.version = _version(request, lesson.module.version_id, perm)
    return lesson


def _editable(request: HttpRequest, version: CourseVersion) -> bool:
    """A draft the user may change; otherwise a message saying why not (for GET pages)."""
    if not version.is_editable:
        messages.warning(
            request,
            _(
                "Version %(n)s is %(status)s: its lessons and packages cannot be changed. Start a new version to change them."
            )
            % {"n": version.number, "status": version.get_status_display().lower()},
        )
        return False
    return True


def _module_url(module: Module, anchor: str = "") -> str:
    return reverse("learning:module-detail", args=[module.pk]) + (f"#{anchor}" if anchor else "")


def version_content(request: HttpRequest, pk: int) -> HttpResponse:
    """The online modules of a version with their lessons and packages (constant queries)."""
    version = _version(request, pk, "learning.preview")
    modules = list(
        Module.objects.filter(version=version)
        .select_related("part")
        .annotate(lesson_count=Count("lessons", distinct=True))
        .prefetch_related(Prefetch("scorm_packages", queryset=ScormPackage.objects.order_by("pk")))
        .order_by("position")
    )
    online = [m for m in modules if m.part is not None and m.part.kind == PartKind.ONLINE_SELF_PACED]
    return render(
        request,
        "learning/version_content.html",
        {
            "version": version,
            "course": version.course,
            "online_modules": online,
            "other_modules": [m for m in modules if m not in online],
            "can_author": can(request.user, "learning.author", version) and version.is_editable,
        },
    )


def module_detail(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk, "learning.preview")
    version = module.version
    lessons = list(module.lessons.annotate(image_count=Count("images")).order_by("position", "pk"))
    package = ScormPackage.objects.filter(module=module).first()
    can_author = can(request.user, "learning.author", version)
    return render(
        request,
        "learning/module_detail.html",
        {
            "version": version,
            "course": version.course,
            "module": module,
            "lessons": lessons,
            "package": package,
            "is_online": module.part is not None and module.part.kind == PartKind.ONLINE_SELF_PACED,
            "can_author": can_author and version.is_editable,
            "materials": list(Material.objects.filter(module=module).order_by("language", "title")),
        },
    )


def _lesson_form_page(
    request: HttpRequest, module: Module, lesson: OnlineLesson | None, form: OnlineLessonForm, **extra: Any
) -> HttpResponse:
    images = list(lesson.images.order_by("number")) if lesson is not None else []
    return render(
        request,
        "learning/lesson_form.html",
        {
            "version": module.version,
            "course": module.version.course,
            "module": module,
            "lesson": lesson,
            "form": form,
            "images": images,
            "image_form": extra.pop("image_form", None) or ImageForm(),
            **extra,
        },
    )


@require_http_methods(["GET", "POST"])
def lesson_create(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk, "learning.author")
    if request.method == "GET" and not _editable(request, module.version):
        return redirect(_module_url(module))
    form = OnlineLessonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            lesson = services.create_lesson(module, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("Lesson “%(title)s” added. You can add images to it now.") % {"title": lesson.title},
            )
            return redirect("learning:lesson-edit", lesson.pk)
    return _lesson_form_page(request, module, None, form)


@require_http_methods(["GET", "POST"])
def lesson_edit(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(request, pk, "learning.author")
    module = lesson.module
    if request.method == "GET" and not _editable(request, module.version):
        return redirect("learning:lesson-preview", lesson.pk)
    initial = {
        "title": lesson.title,
        "estimated_minutes": lesson.estimated_minutes,
        "video_url": lesson.video_url,
        "body": lesson.body,
    }
    form = OnlineLessonForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_lesson(lesson, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(request, _("Lesson saved."))
            return redirect(_module_url(module, f"lesson-{lesson.pk}"))
    return _lesson_form_page(request, module, lesson, form)


@require_http_methods(["GET", "POST"])
def lesson_delete(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(request, pk, "learning.author")
    module = lesson.module
    if request.method == "POST":
        try:
            services.delete_lesson(lesson, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Lesson “%(title)s” removed.") % {"title": lesson.title})
        return redirect(_module_url(module))
    if not _editable(request, module.version):
        return redirect(_module_url(module))
    return render(
        request,
        "learning/confirm_delete.html",
        {
            "version": module.version,
            "course": module.version.course,
            "module": module,
            "thing": lesson.title,
            "warning": _("Its text and images are removed with it."),
            "back": _module_url(module),
        },
    )


@require_POST
def lesson_move(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(request, pk, "learning.author")
    try:
        services.move_lesson(lesson, actor=request.user, direction=request.POST.get("direction", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(_module_url(lesson.module, f"lesson-{lesson.pk}"))


def lesson_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The lesson as participants see it (nothing is recorded)."""
    lesson = _lesson(request, pk, "learning.preview")
    module = lesson.module
    context = lesson_context(lesson, request=request)
    return render(
        request,
        "learning/lesson_preview.html",
        {
            **context,
            "version": module.version,
            "course": module.version.course,
            "module": module,
            "can_author": can(request.user, "learning.author", module.version) and module.version.is_editable,
        },
    )


# --- images --------------------------------------------------------------------------------------


@require_POST
def image_add(request: HttpRequest, pk: int) -> HttpResponse:
    lesson = _lesson(request, pk, "learning.author")
    form = ImageForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            image = services.add_lesson_image(
                lesson,
                actor=request.user,
                upload=form.cleaned_data["file"],
                alt_text=form.cleaned_data["alt_text"],
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _(
                    "Image %(n)s added. Place it in the text with %(code)s, or leave it to show after the text."
                )
                % {"n": image.number, "code": image.placeholder},
            )
            return redirect(reverse("learning:lesson-edit", args=[lesson.pk]) + "#images")
    initial = {
        "title": lesson.title,
        "estimated_minutes": lesson.estimated_minutes,
        "video_url": lesson.video_url,
        "body": lesson.body,
    }
    return _lesson_form_page(
        request, lesson.module, lesson, OnlineLessonForm(initial=initial), image_form=form
    )


def _image(request: HttpRequest, pk: int) -> LessonImage:
    image = LessonImage.objects.select_related("lesson", "lesson__module").filter(pk=pk).first()
    if image is None:
        raise Http404
    image.lesson.module.version = _version(request, image.lesson.module.version_id, "learning.author")
    return image


@require_POST
def image_edit(request: HttpRequest, pk: int) -> HttpResponse:
    image = _image(request, pk)
    form = AltTextForm(request.POST)
    if form.is_valid():
        try:
            services.update_lesson_image(image, actor=request.user, alt_text=form.cleaned_data["alt_text"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Alternative text saved."))
    else:
        messages.error(
            request, _("Describe the image in a few words (alternative text) for people who cannot see it.")
        )
    return redirect(reverse("learning:lesson-edit", args=[image.lesson_id]) + "#images")


@require_POST
def image_delete(request: HttpRequest, pk: int) -> HttpResponse:
    image = _image(request, pk)
    try:
        services.remove_lesson_image(image, actor=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Image removed."))
    return redirect(reverse("learning:lesson-edit", args=[image.lesson_id]) + "#images")


# --- SCORM packages ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def package_upload(request: HttpRequest, pk: int) -> HttpResponse:
    module = _module(request, pk, "learning.author")
    if request.method == "GET" and not _editable(request, module.version):
        return redirect(_module_url(module))
    form = PackageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            package = services.upload_scorm_package(
                module, actor=request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            add_domain_error(form, exc)
        else:
            messages.success(
                request,
                _("“%(title)s” (SCORM %(version)s) is ready: %(n)s files checked and stored.")
                % {"title": package.title, "version": package.version, "n": package.file_count},
            )
            return redirect(_module_url(module, "package"))
    return render(
        request,
        "learning/package_form.html",
        {
            "version": module.version,
            "course": module.version.course,
            "module": module,
            "form": form,
            "current": ScormPackage.objects.filter(module=module).first(),
        },
    )


@require_http_methods(["GET", "POST"])
def package_delete(request: HttpRequest, pk: int) -> HttpResponse:
    package = ScormPackage.objects.select_related("module", "module__part").filter(pk=pk).first()
    if package is None:
        raise Http404
    module = package.module
    module.version = _version(request, module.version_id, "learning.author")
    if request.method == "POST":
        try:
            services.remove_scorm_package(package, actor=request.user)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("The SCORM package “%(title)s” was removed.") % {"title": package.title}
            )
        return redirect(_module_url(module))
    if not _editable(request, module.version):
        return redirect(_module_url(module))
    return render(
        request,
        "learning/confirm_delete.html",
        {
            "version": module.version,
            "course": module.version.course,
            "module": module,
            "thing": package.title,
            "warning": _("Its files are deleted once no version uses them any more."),
            "back": _module_url(module, "package"),
        },
    )
