"""Forms of the delivery pages: a session, one session per day, cancelling a session. The
attendance sheet is not a Django form (one radio group per participant, read by the view)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from capdev.catalogue.models import PartKind
from capdev.cohorts.models import CourseRun
from capdev.core.forms import BootstrapFormMixin, FastSelect
from capdev.delivery import timezones
from capdev.delivery.models import Session, SessionKind
from capdev.reference.models import country_choices

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class TrainerChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.person.full_name} ({obj.get_role_display()})"


class SessionForm(BootstrapFormMixin, forms.Form):
    """A session of `run`. Values are checked again by the services (dates within the run, end
    after start, time zone, part, trainers, field trip destination)."""

    kind = forms.ChoiceField(label=_("Kind of session"), choices=SessionKind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=255,
        required=False,
        help_text=_("Optional, e.g. “Day 1: the training cycle”."),
    )
    part: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Part of the course"), queryset=None, required=False, empty_label=_("(none)")
    )
    date = forms.DateField(label=_("Date"), widget=DATE)
    start_time = forms.TimeField(label=_("Starts"), widget=TIME)
    end_time = forms.TimeField(label=_("Ends"), widget=TIME)
    timezone = forms.ChoiceField(
        label=_("Time zone"),
        widget=FastSelect,
        help_text=_("The times are local times where the session takes place."),
    )
    room = forms.CharField(label=_("Venue or room"), max_length=255, required=False)
    online_link = forms.URLField(
        label=_("Online meeting link"), max_length=500, required=False, assume_scheme="https"
    )
    host_institution = forms.CharField(
        label=_("Host institution"),
        max_length=255,
        required=False,
        help_text=_("Field trips: the institution visited."),
    )
    destination_city = forms.CharField(label=_("Destination city"), max_length=120, required=False)
    destination_country = forms.ChoiceField(label=_("Destination country"), required=False, widget=FastSelect)
    trainers = TrainerChoices(
        label=_("Trainers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, run: CourseRun, session: Session | None = None, **kwargs: Any) -> None:
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "kind": session.kind,
                "title": session.title,
                "part": session.part_id,
                "date": session.date,
                "start_time": session.start_time,
                "end_time": session.end_time,
                "timezone": session.timezone,
                "room": session.room,
                "online_link": session.online_link,
                "host_institution": session.host_institution,
                "destination_city": session.destination_city,
                "destination_country": session.destination_country_id or "",
                "trainers": [t.pk for t in session.trainers.all()],
                "notes": session.notes,
            }
        super().__init__(*args, **kwargs)
        self.run = run
        self.fields["part"].queryset = run.course_version.parts.order_by("position")  # type: ignore[attr-defined]
        self.fields["trainers"].queryset = run.trainers.select_related("person").order_by(  # type: ignore[attr-defined]
            "role", "person__last_name"
        )
        self.fields["timezone"].choices = timezones.zone_choices(run.country_id)  # type: ignore[attr-defined]
        self.fields["destination_country"].choices = [("", _("(none)")), *country_choices()]  # type: ignore[attr-defined]
        self.fields["trainers"].widget.attrs.pop("class", None)

    def values(self) -> dict[str, Any]:
        """Keyword arguments for services.create_session / update_session."""
        data = dict(self.cleaned_data)
        data.pop("trainers", None)
        data["destination_country_id"] = data.pop("destination_country") or None
        return data


class DailySessionsForm(BootstrapFormMixin, forms.Form):
    """One face-to-face session per day for a part of the course."""

    part: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Part of the course"), queryset=None, empty_label=None
    )
    first_day = forms.DateField(label=_("First day"), widget=DATE)
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=60)
    skip_weekends = forms.BooleanField(
        label=_("Leave out Saturdays and Sundays"), required=False, initial=True
    )
    start_time = forms.TimeField(label=_("Starts"), widget=TIME, initial="09:00")
    end_time = forms.TimeField(label=_("Ends"), widget=TIME, initial="17:00")
    timezone = forms.ChoiceField(label=_("Time zone"), widget=FastSelect)
    room = forms.CharField(label=_("Venue or room"), max_length=255, required=False)
    trainers = TrainerChoices(
        label=_("Trainers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, run: CourseRun, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parts = run.course_version.parts.filter(kind=PartKind.FACE_TO_FACE).order_by("position")
        self.fields["part"].queryset = parts  # type: ignore[attr-defined]
        self.fields["trainers"].queryset = run.trainers.select_related("person").order_by(  # type: ignore[attr-defined]
            "role", "person__last_name"
        )
        self.fields["timezone"].choices = timezones.zone_choices(run.country_id)  # type: ignore[attr-defined]
        self.fields["trainers"].widget.attrs.pop("class", None)
        first = parts.first()
        if not self.is_bound:
            self.initial.setdefault("part", first.pk if first else None)
            self.initial.setdefault("days", (first.days if first and first.days else None) or 5)
            self.initial.setdefault("first_day", run.start_date)
            self.initial.setdefault("timezone", timezones.default_zone(run))


class CancelSessionForm(BootstrapFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Participants see it on the timetable, e.g. “Public holiday: moved to Friday”."),
    )
