"""Reading `imsmanifest.xml`: the SCORM version, the default organisation's SCOs in order, where
each one starts and what the LMS must give it (pass mark, launch data, time limits).

The manifest is parsed with defusedxml: a DTD (`<!DOCTYPE>`), entity declarations (billion
laughs) and external references (XXE) are refused before anything is expanded. A package is
accepted when the manifest names an organisation with at least one visible item that launches a
SCO resource (scormtype "sco") whose file is in the zip. Assets (scormtype "asset") and items
marked `isvisible="false"` are not launched.

- Version: `<metadata><schemaversion>` ("1.2"; "CAM 1.3", "2004 3rd/4th Edition"), else the
  namespaces (adlcp_rootv1p2 → 1.2, adlcp_v1p3 → 2004).
- Pass mark: SCORM 1.2 `adlcp:masteryscore` (0–100); SCORM 2004 the primary objective's
  `imsss:minNormalizedMeasure` when `satisfiedByMeasure="true"` (−1…1, 1.0 when absent).
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import asdict, dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml
import defusedxml.ElementTree as SafeET
from django.utils.translation import gettext as _

from capdev.learning.scorm.archive import refuse

XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
MAX_SCOS = 500
URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass
class Sco:
    id: str
    title: str
    href: str  # relative to the package root, with the item's parameters
    launch_data: str = ""
    mastery_score: str | None = None  # SCORM 1.2, 0–100
    scaled_passing_score: str | None = None  # SCORM 2004, −1…1
    completion_threshold: str | None = None  # SCORM 2004, 0…1
    max_time_allowed: str = ""
    time_limit_action: str = ""


@dataclass
class Manifest:
    version: str  # "1.2" or "2004"
    schema_version: str
    identifier: str
    title: str
    scos: list[Sco] = field(default_factory=list)

    @property
    def mastery_percent(self) -> Decimal | None:
        """The first SCO's pass mark as a percentage (for display)."""
        for sco in self.scos:
            if sco.mastery_score is not None:
                return Decimal(sco.mastery_score)
            if sco.scaled_passing_score is not None:
                return (Decimal(sco.scaled_passing_score) * 100).quantize(Decimal("0.01"))
        return None

    def sco_dicts(self) -> list[dict[str, Any]]:
        return [asdict(sco) for sco in self.scos]


def local(tag: Any) -> str:
    """An element's or attribute's name without its namespace."""
    return str(tag).rsplit("}", 1)[-1]


def _children(element: Element, name: str) -> list[Element]:
    return [child for child in element if local(child.tag) == name]


def _child(element: Element, name: str) -> Element | None:
    found = _children(element, name)
    return found[0] if found else None


def _text(element: Element | None) -> str:
    return (element.text or "").strip() if element is not None else ""


def _attr(element: Element, name: str) -> str:
    """An attribute by its local name, whatever its namespace prefix and case."""
    wanted = name.lower()
    for key, value in element.attrib.items():
        if local(key).lower() == wanted:
            return value.strip()
    return ""


def _namespaces(root: Element) -> set[str]:
    spaces: set[str] = set()
    for element in root.iter():
        tag = str(element.tag)
        if tag.startswith("{"):
            spaces.add(tag[1:].split("}", 1)[0].lower())
        for key in element.attrib:
            if key.startswith("{"):
                spaces.add(key[1:].split("}", 1)[0].lower())
    return spaces


def detect_version(root: Element) -> tuple[str, str]:
    metadata = _child(root, "metadata")
    schema_version = _text(_child(metadata, "schemaversion")) if metadata is not None else ""
    lowered = schema_version.lower()
    if lowered == "1.2":
        return "1.2", schema_version
    if "2004" in lowered or "1.3" in lowered:
        return "2004", schema_version
    spaces = _namespaces(root)
    if any("adlcp_v1p3" in s or s.endswith("imscp_v1p1") for s in spaces):
        return "2004", schema_version
    if any("adlcp_rootv1p2" in s or "imscp_rootv1p1p2" in s for s in spaces):
        return "1.2", schema_version
    raise refuse(
        _(
            "The manifest does not say which SCORM version the package follows (no schemaversion and "
            "no SCORM namespace). Export the package again as SCORM 1.2 or SCORM 2004."
        )
    )


def _decimal(value: str, low: Decimal, high: Decimal, what: str) -> str:
    try:
        number = Decimal(value)
    except InvalidOperation as exc:
        raise refuse(
            _("The manifest's %(what)s “%(v)s” is not a number.") % {"what": what, "v": value[:40]}
        ) from exc
    if not number.is_finite() or not low <= number <= high:
        raise refuse(
            _("The manifest's %(what)s %(v)s is outside %(low)s to %(high)s.")
            % {"what": what, "v": value[:40], "low": low, "high": high}
        )
    return format(number.normalize(), "f")


def _base(*elements: Element | None) -> str:
    """The concatenated xml:base of the manifest, the resources element and the resource."""
    base = ""
    for element in elements:
        if element is not None:
            value = element.attrib.get(XML_BASE, "").strip()
            if value:
                base = posixpath.join(base, value) if base else value
    return base


def _launch_path(href: str, base: str, files: dict[str, str], item_title: str) -> str:
    """The SCO's launch path, checked: inside the package and present in the zip."""
    if URL_SCHEME.match(href) or URL_SCHEME.match(base) or href.startswith("//"):
        raise refuse(
            _(
                "The item “%(title)s” launches an address outside the package (%(href)s); only content inside the zip can be played."
            )
            % {"title": item_title[:80], "href": href[:120]}
        )
    cut = re.search(r"[?#]", href)
    path, suffix = (href[: cut.start()], href[cut.start() :]) if cut else (href, "")
    joined = posixpath.join(base, path) if base else path
    if "\\" in joined or joined.startswith("/") or ".." in joined.split("/"):
        raise refuse(
            _("The item “%(title)s” launches “%(href)s”, which points outside the package.")
            % {"title": item_title[:80], "href": href[:120]}
        )
    normalised = posixpath.normpath(joined)
    actual = files.get(normalised.casefold())
    if actual is None:
        raise refuse(
            _("The item “%(title)s” launches “%(href)s”, which is not in the zip.")
            % {"title": item_title[:80], "href": normalised[:120]}
        )
    return actual + suffix


def _with_parameters(href: str, parameters: str) -> str:
    parameters = parameters.strip()
    if not parameters:
        return href
    if parameters.startswith(("?", "#")):
        if parameters.startswith("?") and "?" in href:
            return href + "&" + parameters[1:]
        return href + parameters
    return href + ("&" if "?" in href else "?") + parameters


def _sco_extras(item: Element, version: str) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if version == "1.2":
        mastery = _text(_child(item, "masteryscore"))
        if mastery:
            extras["mastery_score"] = _decimal(mastery, Decimal(0), Decimal(100), _("mastery score"))
        extras["launch_data"] = _text(_child(item, "datafromlms"))[:4096]
        extras["max_time_allowed"] = _text(_child(item, "maxtimeallowed"))[:40]
        extras["time_limit_action"] = _text(_child(item, "timelimitaction"))[:40]
        return extras
    extras["launch_data"] = _text(_child(item, "dataFromLMS"))[:4096]
    extras["time_limit_action"] = _text(_child(item, "timeLimitAction"))[:40]
    threshold = _child(item, "completionThreshold")
    if threshold is not None:
        value = _text(threshold) or (
            _attr(threshold, "minProgressMeasure") if _attr(threshold, "completedByMeasure") == "true" else ""
        )
        if value:
            extras["completion_threshold"] = _decimal(
                value, Decimal(0), Decimal(1), _("completion threshold")
            )
    sequencing = _child(item, "sequencing")
    if sequencing is not None:
        limits = _child(sequencing, "limitConditions")
        if limits is not None:
            extras["max_time_allowed"] = _attr(limits, "attemptAbsoluteDurationLimit")[:40]
        objectives = _child(sequencing, "objectives")
        primary = _child(objectives, "primaryObjective") if objectives is not None else None
        if primary is not None and _attr(primary, "satisfiedByMeasure").lower() == "true":
            measure = _text(_child(primary, "minNormalizedMeasure")) or "1.0"
            extras["scaled_passing_score"] = _decimal(
                measure, Decimal(-1), Decimal(1), _("minimum normalised measure")
            )
    return extras


def parse_manifest(data: bytes, files: list[str]) -> Manifest:
    """Validate the manifest against the zip's files (relative names) and describe the package."""
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except defusedxml.DTDForbidden as exc:
        raise refuse(
            _(
                "The manifest declares a DTD (<!DOCTYPE>), which is refused for safety. Remove it and upload again."
            )
        ) from exc
    except defusedxml.EntitiesForbidden as exc:
        raise refuse(_("The manifest declares XML entities, which are refused for safety.")) from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise refuse(
            _("The manifest refers to external files or addresses, which is refused for safety.")
        ) from exc
    except (ParseError, defusedxml.DefusedXmlException, ValueError) as exc:
        raise refuse(
            _("imsmanifest.xml is not well-formed XML: %(error)s") % {"error": str(exc)[:200]}
        ) from exc
    if local(root.tag) != "manifest":
        raise refuse(_("imsmanifest.xml does not describe a content package (its root is not <manifest>)."))
    version, schema_version = detect_version(root)

    organizations = _child(root, "organizations")
    orgs = _children(organizations, "organization") if organizations is not None else []
    if not orgs:
        raise refuse(
            _("The manifest has no organisation (the table of contents); the package cannot be launched.")
        )
    default = _attr(organizations, "default") if organizations is not None else ""
    org = next((o for o in orgs if _attr(o, "identifier") == default), orgs[0])

    resources_element = _child(root, "resources")
    resources = {
        _attr(r, "identifier"): r
        for r in (_children(resources_element, "resource") if resources_element is not None else [])
    }
    by_fold = {name.casefold(): name for name in files}

    scos: list[Sco] = []

    def walk(element: Element) -> None:
        for item in _children(element, "item"):
            title = _text(_child(item, "title")) or _attr(item, "identifier")
            ref = _attr(item, "identifierref")
            visible = _attr(item, "isvisible").lower() != "false"
            resource = resources.get(ref) if ref else None
            if ref and resource is None:
                raise refuse(
                    _(
                        "The item “%(title)s” refers to the resource “%(ref)s”, which the manifest does not define."
                    )
                    % {"title": title[:80], "ref": ref[:80]}
                )
            if resource is not None and visible and _attr(resource, "scormtype").lower() == "sco":
                href = _attr(resource, "href")
                if not href:
                    raise refuse(
                        _("The SCO of the item “%(title)s” has no starting file (href).")
                        % {"title": title[:80]}
                    )
                path = _launch_path(href, _base(root, resources_element, resource), by_fold, title)
                scos.append(
                    Sco(
                        id=_attr(item, "identifier")[:255] or ref[:255],
                        title=title[:255],
                        href=_with_parameters(path, _attr(item, "parameters")),
                        **_sco_extras(item, version),
                    )
                )
                if len(scos) > MAX_SCOS:
                    raise refuse(_("The package has more than %(n)s SCOs.") % {"n": MAX_SCOS})
            walk(item)

    walk(org)
    if not scos:
        raise refuse(
            _(
                "The package has no launchable SCO: no visible item of its organisation refers to a resource "
                "of SCORM type “sco” with a starting file."
            )
        )
    if len({s.id for s in scos}) != len(scos):
        raise refuse(_("Two items of the manifest have the same identifier."))
    return Manifest(
        version=version,
        schema_version=schema_version[:60],
        identifier=_attr(root, "identifier")[:255],
        title=(_text(_child(org, "title")) or scos[0].title)[:255],
        scos=scos,
    )
