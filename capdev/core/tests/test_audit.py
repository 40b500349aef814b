from __future__ import annotations

import pytest

from capdev.core import audit
from capdev.core.models import AuditEvent


def test_audit_events_are_append_only(cast):
    event = audit.record(cast.staff, "test.done", cast.org_a, changes={"x": [1, 2]})
    event.verb = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(verb="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).verb == "test.done"


def test_system_actor_and_json_safe_values(cast):
    import datetime
    import decimal

    event = audit.record(
        None,
        "test.values",
        cast.org_a,
        data={"when": datetime.date(2022, 7, 1), "amount": decimal.Decimal("723740.50"), "org": cast.org_b},
    )
    event.refresh_from_db()
    assert event.actor_repr == "system"
    assert event.data == {
        "when": "2022-07-01",
        "amount": "723740.50",
        "org": {"id": cast.org_b.pk, "repr": str(cast.org_b)},
    }


def test_diff_lists_only_changed_fields():
    assert audit.diff({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": 4}) == {"b": [2, 3], "c": [None, 4]}


def test_an_empty_file_field_is_recorded_as_an_empty_name(cast):
    from capdev.catalogue.models import Material

    material = Material(title="Handbook", language="en")
    assert audit.snapshot(material, ["file"]) == {"file": ""}


def test_fast_select_renders_like_a_select_with_the_choice_selected():
    from capdev.core.forms import FastSelect

    html = FastSelect(choices=[("", "—"), ("BR", "Brazil"), ("CR", "Costa <Rica>")]).render(
        "country", "CR", attrs={"id": "id_country", "class": "form-select"}
    )
    assert html.startswith('<select class="form-select" id="id_country" name="country">')
    assert '<option value="CR" selected>Costa &lt;Rica&gt;</option>' in html
    assert '<option value="BR">Brazil</option>' in html and html.endswith("</select>")
