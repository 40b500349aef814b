"""Forms of the authoring pages. They only parse input: the services check the rules (the text
is sanitised, the image and the package checked) and their DomainError lands on the field."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from capdev.core.forms import BootstrapFormMixin
from capdev.learning.scorm.archive import MAX_TOTAL_SIZE, MAX_UPLOAD_SIZE
from capdev.learning.services.content import MAX_IMAGE_SIZE, MAX_MINUTES

BODY_HELP = _(
    "Write the lesson in simple HTML: headings <code>&lt;h2&gt;</code>–<code>&lt;h4&gt;</code>, paragraphs "
    "<code>&lt;p&gt;</code>, lists <code>&lt;ul&gt;</code>/<code>&lt;ol&gt;</code> with <code>&lt;li&gt;</code>, "
    '<code>&lt;strong&gt;</code>, <code>&lt;em&gt;</code>, links <code>&lt;a href="https://…"&gt;</code>, '
    'tables, and this lesson\'s images as <code>&lt;img src="image:1"&gt;</code>. Anything else '
    "(scripts, styles, frames, other sites' images) is removed when you save."
)


class OnlineLessonForm(BootstrapFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=255)
    estimated_minutes = forms.IntegerField(
        label=_("Estimated time (minutes)"), min_value=1, max_value=MAX_MINUTES, initial=10
    )
    video_url = forms.CharField(
        label=_("Video link"),
        required=False,
        max_length=500,
        help_text=_(
            "Optional. A YouTube or Vimeo link is embedded without tracking cookies; any other https link "
            "is shown as a link. A text link is always shown too, for offline networks."
        ),
        widget=forms.URLInput(attrs={"placeholder": "https://"}),
    )
    body = forms.CharField(
        label=_("Text"), required=False, help_text=BODY_HELP, widget=forms.Textarea(attrs={"rows": 16})
    )


class ImageForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("Image"),
        help_text=_("PNG or JPEG, at most %(mb)s MB.") % {"mb": MAX_IMAGE_SIZE // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".png,.jpg,.jpeg"}),
    )
    alt_text = forms.CharField(
        label=_("Alternative text"),
        max_length=250,
        help_text=_("What the image shows, in a few words, for people who cannot see it."),
    )


class AltTextForm(BootstrapFormMixin, forms.Form):
    alt_text = forms.CharField(label=_("Alternative text"), max_length=250)


class PackageForm(BootstrapFormMixin, forms.Form):
    file = forms.FileField(
        label=_("SCORM package (.zip)"),
        help_text=_(
            "A SCORM 1.2 or SCORM 2004 zip with imsmanifest.xml at its top; at most %(upload)s MB, "
            "%(total)s MB once extracted."
        )
        % {"upload": MAX_UPLOAD_SIZE // 1024 // 1024, "total": MAX_TOTAL_SIZE // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )
