"""The error report of a rejected import: every problem found, each with where it is in the file."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from capdev.core.errors import DomainError

# A report longer than this helps no one: the first problems are listed, then a count of the rest.
MAX_REPORTED_PROBLEMS = 200


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an uploaded file.

    `location` names the place in the file: a JSON path with the field ("CFItems[12].fullStatement")
    for CASE, a line and column ("line 14, column “Parent id number”") for Moodle CSV.
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


class ImportRejected(DomainError):
    """An uploaded framework file was refused; nothing was imported. `problems` is the report."""

    def __init__(self, problems: list[Problem]) -> None:
        if len(problems) > MAX_REPORTED_PROBLEMS:
            rest = len(problems) - MAX_REPORTED_PROBLEMS
            problems = [
                *problems[:MAX_REPORTED_PROBLEMS],
                Problem(
                    "",
                    ngettext("… and %(n)d more problem.", "… and %(n)d more problems.", rest) % {"n": rest},
                ),
            ]
        self.problems = problems
        count = len(problems)
        message = ngettext(
            "The file was not imported: %(n)d problem was found.",
            "The file was not imported: %(n)d problems were found.",
            count,
        ) % {"n": count}
        super().__init__(message, field="file", code="import_rejected")

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"- {p}" for p in self.problems)])


class ProblemList(list[Problem]):
    """Collects problems while a file is checked, so that one pass reports all of them."""

    def add(self, location: str, message: str) -> None:
        self.append(Problem(location, message))

    def raise_if_any(self) -> None:
        if self:
            raise ImportRejected(list(self))


def too_large(size: int, limit: int) -> Problem:
    mib = 1024 * 1024
    return Problem(
        _("file"),
        _("The file is %(size)s MB; the limit is %(limit)s MB.")
        % {"size": f"{size / mib:.1f}", "limit": f"{limit / mib:g}"},
    )
