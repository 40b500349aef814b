"""API representations of the online part (read-only): lessons with their images, participants'
online progress with each item's status, and SCORM attempts."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from capdev.cohorts.models import Enrolment, EnrolmentStatus
from capdev.learning.filters import state_of
from capdev.learning.models import LessonImage, OnlineLesson, ScormAttempt
from capdev.learning.video import parse_video


def _absolute(context: dict[str, Any], path: str) -> str:
    request = context.get("request")
    return request.build_absolute_uri(path) if request else path


class LessonImageSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = LessonImage
        fields = ["number", "url", "alt_text", "width", "height", "content_type", "size"]
        read_only_fields = fields

    def get_url(self, obj: LessonImage) -> str:
        return _absolute(self.context, reverse("learning:image", args=[obj.pk]))


class OnlineLessonSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:online-lesson-detail")
    version = serializers.IntegerField(source="module.version_id", read_only=True)
    module_title = serializers.CharField(source="module.title", read_only=True)
    video_embed_url = serializers.SerializerMethodField()
    images = LessonImageSerializer(many=True, read_only=True)

    class Meta:
        model = OnlineLesson
        fields = [
            "id",
            "url",
            "version",
            "module",
            "module_title",
            "lineage",
            "position",
            "title",
            "body",
            "video_url",
            "video_embed_url",
            "estimated_minutes",
            "images",
        ]
        read_only_fields = fields

    def get_video_embed_url(self, obj: OnlineLesson) -> str:
        video = parse_video(obj.video_url)
        return video.embed_url if video else ""


class ScormAttemptSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:scorm-attempt-detail")
    package_title = serializers.CharField(source="package.title", read_only=True)
    scorm_version = serializers.CharField(source="package.version", read_only=True)
    done = serializers.BooleanField(source="is_done", read_only=True)

    class Meta:
        model = ScormAttempt
        fields = [
            "id",
            "url",
            "enrolment",
            "package",
            "package_title",
            "scorm_version",
            "sco_id",
            "lesson_status",
            "completion_status",
            "success_status",
            "score_raw",
            "score_min",
            "score_max",
            "score_scaled",
            "progress_measure",
            "total_seconds",
            "location",
            "suspend_data",
            "exit",
            "launches",
            "commits",
            "first_launched_at",
            "last_committed_at",
            "done",
            "done_at",
        ]
        read_only_fields = fields


class OnlineProgressSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:online-progress-detail")
    person_name = serializers.CharField(source="person.full_name", read_only=True)
    # Named apart from other "status" fields, so that the schema's enum keeps a stable name.
    enrolment_status = serializers.ChoiceField(
        source="status", choices=EnrolmentStatus.choices, read_only=True
    )
    state = serializers.SerializerMethodField()
    cleared_for_face_to_face = serializers.BooleanField(read_only=True)

    class Meta:
        model = Enrolment
        fields = [
            "id",
            "url",
            "run",
            "person",
            "person_name",
            "enrolment_status",
            "state",
            "online_progress",
            "online_started_at",
            "online_completed_at",
            "gate_waived_at",
            "cleared_for_face_to_face",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ChoiceField(choices=["not_started", "in_progress", "completed"]))
    def get_state(self, obj: Enrolment) -> str:
        return state_of(obj)


class ProgressItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["lesson", "scorm"], read_only=True)
    id = serializers.IntegerField(read_only=True)
    module = serializers.IntegerField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.ChoiceField(choices=["not_started", "started", "done"], read_only=True)
    score_percent = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True, read_only=True)


class OnlineProgressDetailSerializer(OnlineProgressSerializer):
    items = serializers.SerializerMethodField()

    class Meta(OnlineProgressSerializer.Meta):
        fields = [*OnlineProgressSerializer.Meta.fields, "items"]
        read_only_fields = fields

    @extend_schema_field(ProgressItemSerializer(many=True))
    def get_items(self, obj: Enrolment) -> list[dict[str, Any]]:
        from capdev.learning.course import course_outline

        outline = course_outline(obj, with_materials=False)
        items: list[dict[str, Any]] = []
        for row in outline.modules:
            for lesson in row.lessons:
                items.append(
                    {
                        "kind": "lesson",
                        "id": lesson.lesson.pk,
                        "module": row.module.pk,
                        "title": lesson.lesson.title,
                        "status": lesson.status,
                        "score_percent": None,
                    }
                )
            if row.package is not None:
                scores = [
                    s.attempt.score_percent
                    for s in row.package.scos
                    if s.attempt and s.attempt.score_percent is not None
                ]
                items.append(
                    {
                        "kind": "scorm",
                        "id": row.package.package.pk,
                        "module": row.module.pk,
                        "title": row.package.package.title,
                        "status": row.package.status,
                        "score_percent": scores[0]
                        if len(scores) == 1
                        else (sum(scores) / len(scores) if scores else None),
                    }
                )
        return ProgressItemSerializer(items, many=True).data  # type: ignore[return-value]
