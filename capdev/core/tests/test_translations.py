"""The UI ships fully translated into French, Spanish, Portuguese and Arabic (see docs/translating.md).

These tests read the catalogues in capdev/locale with polib and fail when a message is untranslated or
fuzzy, when a plural form is missing, when a translation loses or invents a placeholder or an HTML
tag, when the compiled .mo no longer matches its .po, or when a string in the code is not yet in the
catalogues. They also check that Django really serves the translations, and that Arabic pages are
right-to-left.
"""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PACKAGE_DIR = LOCALE_DIR.parent
LANGUAGES = ["fr", "es", "pt", "ar"]
NPLURALS = {"fr": 2, "es": 3, "pt": 2, "ar": 6}
# Which msgstr[i] Django must pick for n = 1 and n = 5 under each language's Plural-Forms.
PLURAL_INDEX = {"fr": {1: 0, 5: 1}, "es": {1: 0, 5: 2}, "pt": {1: 0, 5: 1}, "ar": {1: 1, 5: 3}}
UPDATE_HINT = "Update the catalogues as described in docs/translating.md."

# %(name)s, %s, %d, %.1f ... in python-format messages ("%%" is a literal percent sign).
PRINTF = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifgeExXor%]")
NAMED_PRINTF = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifgeExXor]")
BRACES = re.compile(r"\{[A-Za-z0-9_.\[\]]*\}")
HTML_TAG = re.compile(r"</?([A-Za-z][A-Za-z0-9]*)\b")


def _po(lang: str) -> polib.POFile:
    return polib.pofile(str(LOCALE_DIR / lang / "LC_MESSAGES" / "django.po"))


def _mo(lang: str) -> polib.MOFile:
    return polib.mofile(str(LOCALE_DIR / lang / "LC_MESSAGES" / "django.mo"))


def _entries(po: polib.POFile) -> list[polib.POEntry]:
    return [e for e in po if not e.obsolete]


def _label(entry: polib._BaseEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid!r}" if entry.msgctxt else repr(entry.msgid)


def _placeholders(text: str, python_format: bool) -> Counter[str]:
    printf = PRINTF if python_format else NAMED_PRINTF
    found = [p for p in printf.findall(text) if p != "%%"]
    return Counter(found + BRACES.findall(text) + [f"<{t.lower()}>" for t in HTML_TAG.findall(text)])


def _messages(catalogue: polib._BaseFile) -> dict[tuple[str | None, str], str | tuple[str, ...]]:
    """Every translated message of a catalogue, keyed by (context, msgid); plurals as a tuple."""
    result: dict[tuple[str | None, str], str | tuple[str, ...]] = {}
    for e in catalogue:
        if e.obsolete or getattr(e, "fuzzy", False) or not e.msgid:
            continue
        if e.msgid_plural:
            result[(e.msgctxt, e.msgid)] = tuple(e.msgstr_plural[i] for i in sorted(e.msgstr_plural))
        elif e.msgstr:
            result[(e.msgctxt, e.msgid)] = e.msgstr
    return result


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_header_names_the_language_and_its_plural_forms(lang):
    po = _po(lang)
    assert not po.metadata_is_fuzzy, f"{lang}: the header is marked fuzzy. {UPDATE_HINT}"
    assert po.metadata["Language"] == lang
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert f"nplurals={NPLURALS[lang]};" in po.metadata["Plural-Forms"].replace(" ", "")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(lang):
    po = _po(lang)
    assert len(_entries(po)) > 100, "the catalogue looks truncated"
    fuzzy = [_label(e) for e in _entries(po) if e.fuzzy]
    untranslated = [
        _label(e)
        for e in _entries(po)
        if (not all(e.msgstr_plural.values()) if e.msgid_plural else not e.msgstr)
    ]
    assert not fuzzy, f"{lang}: fuzzy entries to check and unflag: {fuzzy}. {UPDATE_HINT}"
    assert not untranslated, f"{lang}: untranslated entries: {untranslated}. {UPDATE_HINT}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_messages_fill_every_plural_form(lang):
    wrong = [
        (_label(e), sorted(e.msgstr_plural))
        for e in _entries(_po(lang))
        if e.msgid_plural and sorted(e.msgstr_plural) != list(range(NPLURALS[lang]))
    ]
    assert not wrong, f"{lang}: plural entries without exactly {NPLURALS[lang]} forms: {wrong}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_placeholders_and_html_tags(lang):
    problems = []
    for e in _entries(_po(lang)):
        python_format = "python-format" in e.flags
        if e.msgid_plural:
            # Every form is checked against the English plural, which carries the count.
            expected = _placeholders(e.msgid_plural, python_format)
            translations = [e.msgstr_plural[i] for i in sorted(e.msgstr_plural)]
        else:
            expected = _placeholders(e.msgid, python_format)
            translations = [e.msgstr]
        for text in translations:
            found = _placeholders(text, python_format)
            if found != expected:
                problems.append(f"{_label(e)}: expected {dict(expected)}, found {dict(found)} in {text!r}")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_matches_its_source(lang):
    po, mo = _po(lang), _mo(lang)
    po_messages, mo_messages = _messages(po), _messages(mo)
    stale = sorted(str(k) for k in po_messages.keys() ^ mo_messages.keys())
    stale += sorted(
        str(k) for k in po_messages.keys() & mo_messages.keys() if po_messages[k] != mo_messages[k]
    )
    assert not stale, f"{lang}: django.mo differs from django.po on {stale[:20]}; run compilemessages."
    assert mo.metadata.get("Plural-Forms") == po.metadata["Plural-Forms"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_django_serves_every_translation_of_the_catalogue(lang):
    entries = _entries(_po(lang))
    wrong = []
    with translation.override(lang):
        for e in entries:
            if e.msgid_plural:
                for n, index in PLURAL_INDEX[lang].items():
                    got = (
                        translation.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                        if e.msgctxt
                        else translation.ngettext(e.msgid, e.msgid_plural, n)
                    )
                    if got != e.msgstr_plural[index]:
                        wrong.append((_label(e), n, got))
            else:
                got = translation.pgettext(e.msgctxt, e.msgid) if e.msgctxt else translation.gettext(e.msgid)
                if got != e.msgstr:
                    wrong.append((_label(e), got))
    assert not wrong, f"{lang}: Django does not serve the catalogue's translation for {wrong[:20]}"


def _reference_names() -> list[str]:
    from capdev.reference import data

    names = [name for _code, name in data.REGIONS]
    for _code, theme, specific in data.THEMATIC_AREAS:
        names += [theme, *(name for _code, name in specific)]
    return names


@pytest.mark.parametrize("lang", LANGUAGES)
def test_reference_data_names_are_translated(lang):
    """Regions, thematic and specific areas are stored in English and translated when displayed."""
    translated = {e.msgid for e in _entries(_po(lang)) if e.msgstr and not e.fuzzy}
    missing = [name for name in _reference_names() if name not in translated]
    assert not missing, f"{lang}: reference data names missing from the catalogue: {missing}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("msgid", ["Dashboard", "People", "Change history", "Erase personal data"])
def test_real_ui_strings_are_translated(lang, msgid):
    with translation.override(lang):
        assert translation.gettext(msgid) != msgid
    with translation.override("en"):
        assert translation.gettext(msgid) == msgid


def test_organisations_and_plurals_are_translated():
    with translation.override("es"):
        assert translation.gettext("Organisations") == "Organizaciones"
    with translation.override("ar"):
        assert translation.gettext("Organisations") == "المنظمات"
        assert translation.ngettext("%(n)s person", "%(n)s people", 2) % {"n": 2} == "2 شخصان"
        assert translation.ngettext("%(n)s person", "%(n)s people", 11) % {"n": 11} == "11 شخصًا"
    with translation.override("fr"):
        assert translation.ngettext("%(n)s person", "%(n)s people", 0) % {"n": 0} == "0 personne"


def test_arabic_pages_are_right_to_left(cast):
    client = cast.client("staff")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "ar"
    response = client.get("/dashboard/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'lang="ar"' in html
    assert 'dir="rtl"' in html
    assert "bootstrap.rtl" in html
    assert "لوحة المعلومات" in html  # Dashboard
    assert "موظفو البرنامج" in html  # Programme staff


@pytest.mark.parametrize(
    ("lang", "dashboard"), [("fr", "Tableau de bord"), ("es", "Panel"), ("pt", "Painel")]
)
def test_other_languages_are_left_to_right(cast, lang, dashboard):
    client = cast.client("focal")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    html = client.get("/dashboard/").content.decode()
    assert f'lang="{lang}"' in html
    assert 'dir="ltr"' in html
    assert dashboard in html


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext (apt-get install gettext)")
def test_catalogues_contain_every_string_of_the_code(tmp_path, monkeypatch):
    """Extract the strings again from a copy of the package and compare with the committed catalogue."""
    source = tmp_path / "capdev"
    shutil.copytree(
        PACKAGE_DIR,
        source,
        ignore=shutil.ignore_patterns("locale", "static", "tests", "__pycache__", "*.pyc"),
    )
    (source / "locale").mkdir()
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[source / "locale"]):
        call_command(
            "makemessages", locale=["fr"], ignore_patterns=["tests/*"], no_obsolete=True, verbosity=0
        )
    extracted = polib.pofile(str(source / "locale" / "fr" / "LC_MESSAGES" / "django.po"))
    fresh = {(e.msgctxt, e.msgid, e.msgid_plural) for e in _entries(extracted)}
    committed = {(e.msgctxt, e.msgid, e.msgid_plural) for e in _entries(_po("fr"))}
    missing = sorted(str(m) for m in fresh - committed)
    unused = sorted(str(m) for m in committed - fresh)
    assert not missing, f"strings in the code but not in the catalogues: {missing}. {UPDATE_HINT}"
    assert not unused, f"catalogue entries no longer in the code: {unused}. {UPDATE_HINT}"
