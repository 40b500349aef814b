"""The dashboard's filter form (GET). Invalid values are ignored, never an error page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from capdev.actions.models import ActionType
from capdev.portfolio.figures import Filters
from capdev.reference.models import Region, ThematicArea

FIRST_YEAR = 2009  # the programme's first phase


def year_choices() -> list[tuple[str, Any]]:
    years = range(FIRST_YEAR, timezone.localdate().year + 2)
    return [("", "—"), *[(str(y), str(y)) for y in years]]


class PortfolioFilterForm(forms.Form):
    year_from = forms.TypedChoiceField(
        label=_("From"), choices=year_choices, coerce=int, required=False, empty_value=None
    )
    year_to = forms.TypedChoiceField(
        label=_("To"), choices=year_choices, coerce=int, required=False, empty_value=None
    )
    region = forms.ChoiceField(
        label=_("Region"),
        required=False,
        choices=[("", _("All regions")), *[c for c in Region.choices if c[0] not in ("eu_ms", "other")]],
    )
    thematic_area = forms.ModelChoiceField(
        label=_("Thematic area"),
        queryset=ThematicArea.objects.all(),
        required=False,
        empty_label=_("All areas"),
    )
    type = forms.ChoiceField(
        label=_("Type of Action"), required=False, choices=[("", _("All types")), *ActionType.choices]
    )

    def filters(self) -> Filters:
        """The valid filters (an invalid field counts as not set); a reversed range is swapped."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        start, end = data.get("year_from"), data.get("year_to")
        if start and end and start > end:
            start, end = end, start
        area = data.get("thematic_area")
        return Filters(
            year_from=start,
            year_to=end,
            region=data.get("region") or "",
            thematic_area=area.pk if area is not None else None,
            type=data.get("type") or "",
        )
