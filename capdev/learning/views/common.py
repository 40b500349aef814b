"""Helpers shared by the lesson pages (participant's and preview)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

from capdev.catalogue.models import Material
from capdev.learning import richtext
from capdev.learning.course import language_order
from capdev.learning.models import OnlineLesson
from capdev.learning.video import parse_video


def lesson_context(lesson: OnlineLesson, *, request: HttpRequest, run_language: str = "") -> dict[str, Any]:
    """A lesson's text with its images placed, the images left to show after it, the video and
    the module's materials (the reader's language first, then the run's). Two queries."""
    images = list(lesson.images.order_by("number"))
    preferred = [translation.get_language() or "en", *([run_language] if run_language else [])]
    materials = sorted(Material.objects.filter(module_id=lesson.module_id), key=language_order(preferred))
    return {
        "lesson": lesson,
        "body": richtext.render_body(lesson.body, images),
        "figures": [
            (image, richtext.image_tag(image)) for image in richtext.unplaced_images(lesson.body, images)
        ],
        "video": parse_video(lesson.video_url),
        "materials": materials,
    }
