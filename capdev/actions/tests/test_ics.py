"""iCalendar output (RFC 5545): parsed back; DTSTART/DTEND/SUMMARY/UID, folding, CRLF, escaping."""

from __future__ import annotations

import datetime
from typing import Any

from capdev.actions import ics
from capdev.experts.tests.conftest import D, make_activity, roster  # noqa: F401


def test_action_feed_parses_back(cast: Any, roster: Any) -> None:  # noqa: F811
    response = cast.client("focal").get(f"/actions/{roster.action_a.pk}/calendar.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n") and text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")  # every line ends with CRLF
    (event,) = ics.parse(text)
    assert event["DTSTART"] == "20220704" and event["DTEND"] == "20220709"  # exclusive end
    assert event["SUMMARY"] == "Training of Trainers (Brazil III)"
    assert event["UID"] == f"activity-{roster.activity_a.uuid}@capdev"
    assert event["URL"].endswith(f"/activities/{roster.activity_a.pk}/")
    assert "DTSTART;VALUE=DATE:20220704" in text


def test_lines_are_folded_at_75_octets_without_splitting_characters(cast: Any, roster: Any) -> None:  # noqa: F811
    long_title = "Formação de formadores em proteção internacional, asilo e apatridia — módulo " * 3
    make_activity(
        roster.action_a, long_title.strip(), D(2022, 8, 1), 2, description="Línea 1\nLínea 2; coma, fin"
    )
    text = cast.client("staff").get(f"/actions/{roster.action_a.pk}/calendar.ics").content.decode("utf-8")
    lines = text.split("\r\n")
    assert max(len(line.encode("utf-8")) for line in lines) <= 75
    assert any(line.startswith(" ") for line in lines)
    events = {e["SUMMARY"]: e for e in ics.parse(text)}
    summary = next(s for s in events if s.startswith("Formação"))
    assert summary == ics.escape_text(f"{long_title.strip()} (Brazil III)")
    assert "Línea 1\\nLínea 2\\; coma\\, fin" in events[summary]["DESCRIPTION"]


def test_fold_unit() -> None:
    line = "SUMMARY:" + "é" * 100
    folded = ics.fold(line)
    parts = folded.split("\r\n")
    assert all(len(p.encode()) <= 75 for p in parts)
    assert all(p.startswith(" ") for p in parts[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(parts)) == line


def test_cancelled_activity_is_marked_cancelled(cast: Any, roster: Any) -> None:  # noqa: F811
    roster.activity_a.status = "cancelled"
    roster.activity_a.save()
    text = cast.client("staff").get(f"/actions/{roster.action_a.pk}/calendar.ics").content.decode()
    assert ics.parse(text)[0]["STATUS"] == "CANCELLED"


def test_dtstamp_is_utc(roster: Any) -> None:  # noqa: F811
    event = ics.activity_event(roster.activity_a, base_url="https://capdev.example")
    text = ics.render([event], name="x")
    stamp = ics.parse(text)[0]["DTSTAMP"]
    assert stamp.endswith("Z") and datetime.datetime.strptime(stamp, "%Y%m%dT%H%M%SZ")


def test_action_feed_for_an_outsider_is_404(cast: Any, roster: Any) -> None:  # noqa: F811
    assert cast.client("outsider").get(f"/actions/{roster.action_a.pk}/calendar.ics").status_code == 404
