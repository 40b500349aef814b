"""Calendar feeds (RFC 5545): timed events with TZID and a VTIMEZONE, UTC events, folding and
escaping, cancelled sessions, the run's feed and the personal feed opened by their tokens, and
revocation."""

from __future__ import annotations

import datetime
import re
import zoneinfo
from typing import Any

import pytest

from capdev.actions import ics
from capdev.cohorts.models import Enrolment, RunTrainer
from capdev.core.models import AuditEvent
from capdev.delivery import services
from capdev.delivery.models import CalendarFeed, SessionKind
from capdev.delivery.tests.conftest import add_session, days

pytestmark = pytest.mark.django_db


def feed(client: Any, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response.content.decode("utf-8")


def test_a_timed_event_carries_its_time_zone_and_a_vtimezone() -> None:
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    event = ics.Event(
        uid="session-1@capdev",
        start=datetime.datetime(2027, 3, 29, 9, 0, tzinfo=brussels),
        end=datetime.datetime(2027, 3, 29, 12, 30, tzinfo=brussels),
        summary="Day 1",
        stamp=datetime.datetime(2027, 1, 1, tzinfo=datetime.UTC),
        tzid="Europe/Brussels",
        busy=True,
    )
    text = ics.render([event], name="Run")
    (parsed,) = ics.parse(text, with_parameters=True)
    assert parsed["DTSTART;TZID=Europe/Brussels"] == "20270329T090000"
    assert parsed["DTEND;TZID=Europe/Brussels"] == "20270329T123000"
    assert parsed["TRANSP"] == "OPAQUE"
    block = text[text.index("BEGIN:VTIMEZONE") : text.index("END:VTIMEZONE")]
    assert "TZID:Europe/Brussels" in block
    # Summer time in 2027 starts on 28 March at 02:00 (+01:00 → +02:00) and ends on 31 October.
    assert "BEGIN:DAYLIGHT\r\nDTSTART:20270328T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\n" in block
    assert "BEGIN:STANDARD\r\nDTSTART:20271031T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\n" in block
    assert text.index("END:VTIMEZONE") < text.index("BEGIN:VEVENT")


def test_a_zone_without_daylight_saving_gets_one_observance_and_utc_events_need_none() -> None:
    lines = ics.vtimezone("America/Sao_Paulo", 2026, 2026)
    assert lines.count("BEGIN:STANDARD") == 1 and "BEGIN:DAYLIGHT" not in lines
    assert "TZOFFSETTO:-0300" in lines
    event = ics.Event(
        uid="x@capdev",
        start=datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC),
        end=datetime.datetime(2026, 12, 7, 15, 30, tzinfo=datetime.UTC),
        summary="UTC",
        stamp=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
    )
    text = ics.render([event], name="x")
    assert "DTSTART:20261207T120000Z\r\nDTEND:20261207T153000Z\r\n" in text
    assert "VTIMEZONE" not in text


def test_all_day_events_are_unchanged() -> None:
    event = ics.Event(
        uid="a@capdev",
        start=datetime.date(2026, 12, 7),
        end=datetime.date(2026, 12, 11),
        summary="ToT",
        stamp=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC),
    )
    text = ics.render([event], name="x")
    assert "DTSTART;VALUE=DATE:20261207\r\nDTEND;VALUE=DATE:20261212\r\n" in text
    assert "TRANSP:TRANSPARENT" in text and "VTIMEZONE" not in text


def test_parse_keeps_quoted_parameters_whole() -> None:
    text = 'BEGIN:VEVENT\r\nLOCATION;ALTREP="https://x.example/a:b":Sala 2\r\nEND:VEVENT\r\n'
    assert ics.parse(text) == [{"LOCATION": "Sala 2"}]
    assert ics.parse(text, with_parameters=True) == [{'LOCATION;ALTREP="https://x.example/a:b"': "Sala 2"}]


def test_the_run_feed_has_each_session_in_its_own_zone(cast: Any, run: Any) -> None:
    lead = RunTrainer.objects.get(run=run)
    day = add_session(
        run,
        cast.staff,
        days(0),
        title="Dia 1: o ciclo de formação; métodos, avaliação",
        room="Sala 2",
        trainers=[lead],
    )
    trip = add_session(
        run,
        cast.staff,
        days(1),
        "10:00",
        "16:00",
        kind=SessionKind.FIELD_TRIP,
        title="Study visit",
        host_institution="Ministry of Justice and Security",
        destination_city="The Hague",
        destination_country_id="NL",
        timezone="Europe/Amsterdam",
        notes="Bring your passport.\nMeet at 9:30 in the lobby.",
    )
    call = add_session(
        run,
        cast.staff,
        days(2),
        "14:00",
        "15:00",
        kind=SessionKind.LIVE_ONLINE,
        online_link="https://meet.example.org/x",
    )
    services.cancel_session(call, actor=cast.staff, reason="Trainer ill")
    token = services.run_feed_token(run)
    text = feed(cast.client(None), f"/runs/{run.pk}/timetable/calendar.ics?token={token}")
    assert "\n" not in text.replace("\r\n", "")
    assert max(len(line.encode()) for line in text.split("\r\n")) <= 75
    events = {e["UID"]: e for e in ics.parse(text, with_parameters=True)}
    first = events[f"session-{day.uuid}@capdev"]
    assert first["DTSTART;TZID=America/Sao_Paulo"] == days(0).strftime("%Y%m%d") + "T090000"
    assert first["SUMMARY"] == ics.escape_text(
        f"Dia 1: o ciclo de formação; métodos, avaliação · {run.title}"
    )
    assert first["LOCATION"] == "Sala 2" and "Tina Borg" in first["DESCRIPTION"]
    assert first["URL"].endswith(f"/sessions/{day.pk}/")
    visit = events[f"session-{trip.uuid}@capdev"]
    assert visit["DTSTART;TZID=Europe/Amsterdam"] == days(1).strftime("%Y%m%d") + "T100000"
    assert visit["LOCATION"] == ics.escape_text("Ministry of Justice and Security, The Hague, Netherlands")
    assert "Bring your passport.\\nMeet at 9:30 in the lobby." in visit["DESCRIPTION"]
    cancelled = events[f"session-{call.uuid}@capdev"]
    assert cancelled["STATUS"] == "CANCELLED" and cancelled["TRANSP"] == "TRANSPARENT"
    assert "TZID:America/Sao_Paulo" in text and "TZID:Europe/Amsterdam" in text
    assert re.search(r"X-WR-CALNAME:Vocational Train the Trainers \(tot-br\)", text)


def test_revoking_the_run_link_closes_the_old_one(cast: Any, run: Any) -> None:
    add_session(run, cast.staff, days(0))
    old = services.run_feed_token(run)
    anonymous = cast.client(None)
    assert anonymous.get(f"/runs/{run.pk}/timetable/calendar.ics?token={old}").status_code == 200
    response = cast.client("trainer").post(f"/runs/{run.pk}/timetable/calendar/reset/")
    assert response.status_code == 302
    run.refresh_from_db()
    assert anonymous.get(f"/runs/{run.pk}/timetable/calendar.ics?token={old}").status_code == 404
    new = services.run_feed_token(run)
    assert (
        new != old and anonymous.get(f"/runs/{run.pk}/timetable/calendar.ics?token={new}").status_code == 200
    )
    assert AuditEvent.objects.filter(verb="run.calendar_link_revoked").count() == 1
    assert anonymous.get(f"/runs/{run.pk}/timetable/calendar.ics?token={new[:-2]}xx").status_code == 404


def test_the_personal_feed_holds_the_runs_one_takes_or_trains(cast: Any, run: Any, world: Any) -> None:
    from capdev.delivery.tests.conftest import move_run

    taken = add_session(run, cast.staff, days(0), title="Taken")
    other = move_run(world.run_b, days(-1), days(1))
    trained = add_session(other, cast.staff, days(0), title="Trained", timezone="America/Costa_Rica")
    RunTrainer.objects.create(run=other, person=cast.participant.person, role="coach")
    token = services.personal_feed_token(cast.participant.person)
    url = f"/calendar/{cast.participant.person.pk}.ics?token={token}"
    uids = {e["UID"] for e in ics.parse(feed(cast.client(None), url))}
    assert uids == {f"session-{taken.uuid}@capdev", f"session-{trained.uuid}@capdev"}
    Enrolment.objects.filter(pk=world.enrolment.pk).update(status="withdrawn")
    uids = {e["UID"] for e in ics.parse(feed(cast.client(None), url))}
    assert uids == {f"session-{trained.uuid}@capdev"}


def test_revoking_the_personal_link_and_erasure_close_it(cast: Any, run: Any) -> None:
    person = cast.participant.person
    old = services.personal_feed_token(person)
    url = f"/calendar/{person.pk}.ics?token="
    assert cast.client(None).get(url + old).status_code == 200
    services.reset_personal_feed(person, actor=cast.participant)
    assert cast.client(None).get(url + old).status_code == 404
    new = services.personal_feed_token(person)
    assert cast.client(None).get(url + new).status_code == 200
    assert cast.client(None).get(f"/calendar/{cast.person_a.pk}.ics?token={new}").status_code == 404
    from capdev.people.services import erase_person

    erase_person(person, actor=cast.staff, reason="Request 2026/17")
    assert not CalendarFeed.objects.filter(person=person).exists()
    assert cast.client(None).get(url + new).status_code == 404
