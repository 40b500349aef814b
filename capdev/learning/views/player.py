"""The SCORM player, the files of packages and lesson images, and the commit endpoint.

- The player page holds scorm-again (`window.API` for SCORM 1.2, `window.API_1484_11` for 2004)
  and an `<iframe>` on the same origin that loads the SCO from `package_file`. For the
  participant every launch starts or resumes their attempt; staff, the run's trainers and
  authors get a preview in which nothing is recorded.
- `package_file` serves an extracted file only to who may read the version's online content
  (the enrolled participants, the run's trainers, authors, staff): only names listed when the
  package was extracted (no directory listing, no path outside the package), with the content
  type of its extension, `X-Content-Type-Options: nosniff`, and framing allowed from this site
  only.
- `commit` receives scorm-again's commits (flattened JSON). scorm-again sends the final commit
  with `navigator.sendBeacon`, which cannot carry a CSRF header, so the request is authenticated
  by the session cookie and the launch's secret in the URL (unguessable, issued to the
  participant's page only, replaced at every launch), and refused when its Origin or
  Sec-Fetch-Site says it comes from another site.
"""

from __future__ import annotations

import json
import mimetypes
import posixpath
from typing import Any
from urllib.parse import quote, urlencode

from django.core.files.storage import default_storage
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
)
from django.middleware.csrf import get_token
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from capdev.core.errors import DomainError
from capdev.core.permissions import can, get_visible_or_404, require
from capdev.learning import services
from capdev.learning.course import ScoRow
from capdev.learning.models import LessonImage, ScormAttempt, ScormPackage
from capdev.learning.views.course import get_enrolment

MAX_COMMIT_BYTES = 1024 * 1024
CONTENT_TYPES = {
    "html": "text/html",
    "htm": "text/html",
    "xhtml": "application/xhtml+xml",
    "js": "text/javascript",
    "mjs": "text/javascript",
    "css": "text/css",
    "json": "application/json",
    "xml": "application/xml",
    "xsd": "application/xml",
    "dtd": "application/xml-dtd",
    "txt": "text/plain",
    "csv": "text/csv",
    "vtt": "text/vtt",
    "png": "image/png",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "svg": "image/svg+xml",
    "webp": "image/webp",
    "ico": "image/vnd.microsoft.icon",
    "bmp": "image/bmp",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "ogv": "video/ogg",
    "mp3": "audio/mpeg",
    "m4a": "audio/mp4",
    "ogg": "audio/ogg",
    "oga": "audio/ogg",
    "wav": "audio/wav",
    "pdf": "application/pdf",
    "woff": "font/woff",
    "woff2": "font/woff2",
    "ttf": "font/ttf",
    "otf": "font/otf",
    "eot": "application/vnd.ms-fontobject",
    "swf": "application/x-shockwave-flash",
    "wasm": "application/wasm",
}


def content_type_of(name: str) -> str:
    ext = name.rsplit(".", 1)[-1].lower() if "." in name.rsplit("/", 1)[-1] else ""
    return CONTENT_TYPES.get(ext) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def _serve(
    handle: Any, name: str, content_type: str, *, cache: str = "private, max-age=3600"
) -> FileResponse:
    response = FileResponse(handle, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    response["Content-Security-Policy"] = "frame-ancestors 'self'"
    return response


@require_GET
@xframe_options_sameorigin
def package_file(request: HttpRequest, pk: int, path: str) -> FileResponse:
    """One file of an extracted package (404 for anything not extracted from it)."""
    package = get_visible_or_404(
        ScormPackage.objects.select_related("module", "module__version"), request.user, pk=pk
    )
    require(request.user, "learning.open_content", package)
    if not path or "\\" in path or "\x00" in path or path.startswith("/") or ".." in path.split("/"):
        raise Http404
    normalised = posixpath.normpath(path)
    files = package.files or []
    name = normalised if normalised in files else None
    if name is None:  # packages made on Windows often differ in case from their own links
        folded = normalised.casefold()
        matches = [f for f in files if f.casefold() == folded]
        name = matches[0] if len(matches) == 1 else None
    if name is None:
        raise Http404
    try:
        handle = default_storage.open(package.storage_prefix + name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return _serve(handle, name, content_type_of(name))


@require_GET
def image(request: HttpRequest, pk: int) -> FileResponse:
    """A lesson image, to whoever may read the lesson."""
    item = get_visible_or_404(
        LessonImage.objects.select_related("lesson", "lesson__module"), request.user, pk=pk
    )
    require(request.user, "learning.open_content", item)
    try:
        handle = item.file.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    return _serve(handle, item.file.name, item.content_type or "application/octet-stream")


# --- the player ----------------------------------------------------------------------------------


def _player(
    request: HttpRequest,
    *,
    package: ScormPackage,
    sco: dict[str, Any],
    cmi: dict[str, str],
    commit_url: str,
    back_url: str,
    sco_rows: list[ScoRow],
    context: dict[str, Any],
) -> HttpResponse:
    launch_url = reverse("learning:package-file", args=[package.pk, "x"])[:-1] + _quote_href(sco["href"])
    config = {
        "version": package.version,
        "launchUrl": launch_url,
        "commitUrl": commit_url,
        "csrfToken": get_token(request),
        "cmi": cmi,
        "backUrl": back_url,
        "messages": {
            "saved": _("Your progress is saved."),
            "failed": _(
                "Your progress could not be saved. Check your connection, then open the package again."
            ),
            "preview": _("Preview: nothing is recorded."),
            "sent": _("Your results were sent. You can go back to the course."),
        },
    }
    current = sco["id"]
    position = next((i for i, row in enumerate(sco_rows) if row.sco["id"] == current), 0)
    response = render(
        request,
        "learning/player.html",
        {
            **context,
            "package": package,
            "sco": sco,
            "config": config,
            "sco_rows": sco_rows,
            "next_sco": sco_rows[position + 1].sco if position + 1 < len(sco_rows) else None,
            "back_url": back_url,
        },
    )
    response["Cache-Control"] = "no-store"
    return response


def play(request: HttpRequest, pk: int, package: int) -> HttpResponse:
    """Launch a SCO of a package of the participant's course (`?sco=` chooses one)."""
    enrolment = get_enrolment(request, pk, "learning.play")
    item = (
        ScormPackage.objects.online()
        .select_related("module")
        .filter(pk=package, module__version_id=enrolment.run.course_version_id)
        .first()
    )
    if item is None:
        raise Http404
    sco_id = request.GET.get("sco") or None
    sco = item.sco(sco_id)
    if sco is None:
        raise Http404
    back_url = reverse("learning:course", args=[enrolment.pk]) + f"#module-{item.module_id}"
    attempts = {a.sco_id: a for a in ScormAttempt.objects.filter(enrolment=enrolment, package=item)}
    if can(request.user, "learning.take", enrolment):
        attempt, cmi = services.launch_sco(enrolment, item, sco["id"], actor=request.user)
        attempts[attempt.sco_id] = attempt
        commit_url = reverse("learning:commit", args=[enrolment.pk, item.pk, attempt.session_key])
        commit_url += "?" + _query({"sco": sco["id"]})
    else:
        cmi = services.resume_data(
            item, sco, None, learner_id="preview", learner=_("Preview"), entry="ab-initio", credit=False
        )
        commit_url = ""
    rows = [ScoRow(s, attempts.get(s["id"])) for s in item.scos or []]
    return _player(
        request,
        package=item,
        sco=sco,
        cmi=cmi,
        commit_url=commit_url,
        back_url=back_url,
        sco_rows=rows,
        context={"enrolment": enrolment, "run": enrolment.run, "preview": not commit_url},
    )


def _query(params: dict[str, str]) -> str:
    return urlencode(params)


def _quote_href(href: str) -> str:
    """The SCO's launch path URL-encoded; its parameters (?…, #…) kept as the manifest gives them."""
    cut = min((i for i in (href.find("?"), href.find("#")) if i >= 0), default=len(href))
    return quote(href[:cut], safe="/") + href[cut:]


def package_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The package as a participant would see it, for its authors and trainers (nothing recorded)."""
    item = get_visible_or_404(
        ScormPackage.objects.select_related("module", "module__version", "module__version__course"),
        request.user,
        pk=pk,
    )
    require(request.user, "learning.preview", item)
    sco = item.sco(request.GET.get("sco") or None)
    if sco is None:
        raise Http404
    cmi = services.resume_data(
        item, sco, None, learner_id="preview", learner=_("Preview"), entry="ab-initio", credit=False
    )
    back_url = reverse("learning:module-detail", args=[item.module_id]) + "#package"
    return _player(
        request,
        package=item,
        sco=sco,
        cmi=cmi,
        commit_url="",
        back_url=back_url,
        sco_rows=[ScoRow(s, None) for s in item.scos or []],
        context={"preview": True, "module": item.module, "version": item.module.version},
    )


# --- commits -------------------------------------------------------------------------------------


def _error(message: str, status: int, code: str = "invalid") -> JsonResponse:
    return JsonResponse({"result": False, "errorCode": 101, "detail": message, "code": code}, status=status)


def _same_site(request: HttpRequest) -> bool:
    """False when the browser says the request comes from another site (or an opaque origin)."""
    origin = request.headers.get("Origin")
    if origin is not None and origin != f"{request.scheme}://{request.get_host()}":
        return False
    fetch_site = request.headers.get("Sec-Fetch-Site")
    return not fetch_site or fetch_site in ("same-origin", "none")


@csrf_exempt  # the launch secret in the URL is the CSRF token (sendBeacon cannot send headers)
@require_POST
def commit(request: HttpRequest, pk: int, package: int, key: str) -> JsonResponse:
    """Store a commit of a SCO's CMI data; answers scorm-again's `{"result": true, "errorCode": 0}`."""
    if not _same_site(request):
        return _error(_("Results can only be sent from this site."), 403, "cross_site")
    enrolment = get_enrolment(request, pk, "learning.take")
    item = ScormPackage.objects.select_related("module").filter(pk=package).first()
    if item is None or item.module.version_id != enrolment.run.course_version_id:
        raise Http404
    try:
        length = int(request.headers.get("Content-Length") or 0)
    except ValueError:
        length = 0
    if length > MAX_COMMIT_BYTES:
        return _error(_("The commit is larger than 1 MB."), 413, "too_large")
    body = request.body
    if len(body) > MAX_COMMIT_BYTES:
        return _error(_("The commit is larger than 1 MB."), 413, "too_large")
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _error(_("The commit is not valid JSON."), 400)
    try:
        attempt = services.commit_cmi(
            enrolment,
            item,
            request.GET.get("sco") or "",
            actor=request.user,
            session_key=key,
            data=data,
            final=request.GET.get("final") == "true",
        )
    except DomainError as exc:
        return _error(exc.message, exc.status, exc.code)
    return JsonResponse(
        {
            "result": True,
            "errorCode": 0,
            "done": attempt.is_done,
            "completion_status": attempt.completion_status,
            "success_status": attempt.success_status,
        }
    )
