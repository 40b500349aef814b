"""Serializers of sessions and attendance marks (reads), and of the bulk marking request."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from capdev.catalogue.models import DeliveryPart
from capdev.cohorts.models import CourseRun, RunTrainer
from capdev.delivery.models import Attendance, AttendanceStatus, Session


class SessionSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:session-detail")
    trainers: serializers.PrimaryKeyRelatedField[Any] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="Ids of the run's trainers (RunTrainer) leading the session."
    )

    class Meta:
        model = Session
        fields = [
            "id",
            "url",
            "uuid",
            "run",
            "kind",
            "title",
            "part",
            "date",
            "start_time",
            "end_time",
            "timezone",
            "starts_at",
            "ends_at",
            "room",
            "online_link",
            "host_institution",
            "destination_city",
            "destination_country",
            "trainers",
            "notes",
            "cancelled",
            "cancellation_reason",
            "cancelled_at",
            "attendance_taken_at",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class SessionWriteSerializer(serializers.ModelSerializer):
    """What a client sends to plan or change a session; the services check the rules."""

    run = serializers.PrimaryKeyRelatedField(queryset=CourseRun.objects.all())
    part = serializers.PrimaryKeyRelatedField(
        queryset=DeliveryPart.objects.all(), required=False, allow_null=True
    )
    trainers = serializers.PrimaryKeyRelatedField(
        queryset=RunTrainer.objects.all(), many=True, required=False
    )
    timezone = serializers.CharField(
        max_length=64,
        required=False,
        help_text="IANA time zone, e.g. America/Sao_Paulo (default: the run's).",
    )

    class Meta:
        model = Session
        fields = [
            "run",
            "kind",
            "title",
            "part",
            "date",
            "start_time",
            "end_time",
            "timezone",
            "room",
            "online_link",
            "host_institution",
            "destination_city",
            "destination_country",
            "trainers",
            "notes",
        ]


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField()


class MarkSerializer(serializers.Serializer):
    enrolment = serializers.IntegerField(help_text="Id of the participant's enrolment in the run.")
    status = serializers.ChoiceField(choices=AttendanceStatus.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=255, default="")


class MarkAttendanceSerializer(serializers.Serializer):
    marks = MarkSerializer(many=True, help_text="The marks of the class, all saved at once (or none).")


class SheetRowSerializer(serializers.Serializer):
    """A participant on a session's attendance sheet, with their mark."""

    enrolment = serializers.IntegerField(source="pk")
    person = serializers.IntegerField(source="person_id")
    name = serializers.CharField(source="person.full_name")
    organisation = serializers.CharField(source="person.organisation.name", default="")
    status = serializers.CharField(source="mark_status", allow_null=True)
    note = serializers.CharField(source="mark_note", allow_null=True)
    online_part_cleared = serializers.BooleanField(source="cleared_for_face_to_face")


class SheetSerializer(serializers.Serializer):
    session = serializers.IntegerField()
    online_part_required = serializers.BooleanField(
        help_text="Whether present/late needs the online part completed (or a staff waiver)."
    )
    created = serializers.IntegerField(required=False)
    corrected = serializers.IntegerField(required=False)
    unchanged = serializers.IntegerField(required=False)
    participants = SheetRowSerializer(many=True)


class AttendanceSerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="api:attendance-detail")
    run = serializers.IntegerField(source="session.run_id", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "url", "session", "run", "enrolment", "status", "note", "marked_by", "marked_at"]
        read_only_fields = fields
