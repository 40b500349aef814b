"""The upload form of the import page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from capdev.competencies.exchange.common import MAX_IMPORT_BYTES
from capdev.core.forms import BootstrapFormMixin
from capdev.core.roles import Role, roles_of
from capdev.organisations.models import Organisation

AUTO, CASE, MOODLE = "auto", "case", "moodle"


class ImportForm(BootstrapFormMixin, forms.Form):
    """A framework file, its format (recognised from the file unless chosen) and, for a new
    framework, the organisation that owns it."""

    file = forms.FileField(label=_("Framework file"))
    format = forms.ChoiceField(
        label=_("Format"),
        choices=[
            (AUTO, _("Recognise from the file")),
            (CASE, _("1EdTech CASE 1.1 package (JSON)")),
            (MOODLE, _("Moodle competency framework (CSV)")),
        ],
        initial=AUTO,
    )
    owner = forms.ModelChoiceField(
        label=_("Owner organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("For a new framework. A new version of a framework capdev already has keeps its owner."),
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = gettext(
            "A CASE 1.1 package (.json) or a Moodle competency framework (.csv), in UTF-8, at most %(mb)d MB."
        ) % {"mb": MAX_IMPORT_BYTES // (1024 * 1024)}
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ModelChoiceField)
        owner.queryset = Organisation.objects.visible_to(user).order_by("name")
        mine = sorted(roles_of(user).orgs(Role.PROGRAMME_STAFF))
        if mine:
            owner.initial = mine[0]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                gettext("The file is %(size).1f MB; the limit is %(limit)d MB.")
                % {"size": upload.size / (1024 * 1024), "limit": MAX_IMPORT_BYTES // (1024 * 1024)}
            )
        return upload

    def chosen_format(self, head: bytes) -> str:
        """The format chosen, or recognised from the file's name and first bytes."""
        chosen = self.cleaned_data["format"]
        if chosen != AUTO:
            return str(chosen)
        name = (self.cleaned_data["file"].name or "").lower()
        if name.endswith(".json"):
            return CASE
        if name.endswith(".csv"):
            return MOODLE
        return CASE if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{") else MOODLE
