"""The import file: its columns (with their French, Spanish and Portuguese headers), the
template, the checks on the file itself and reading its rows (see `imports` for the rules)."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from capdev.cohorts.models import ParticipantImport
from capdev.core.errors import DomainError
from capdev.core.uploads import check_upload, extension_of

MAX_IMPORT_SIZE = 5 * 1024 * 1024
MAX_ROWS = 5000
XML_HEAD = 4096

COLUMNS = ["first_name", "last_name", "email", "sex", "nationality", "organisation", "position", "languages"]
REQUIRED_COLUMNS = ["first_name", "last_name", "organisation"]
COLUMN_LABELS = {
    "first_name": gettext_lazy("First name"),
    "last_name": gettext_lazy("Last name"),
    "email": gettext_lazy("E-mail"),
    "sex": gettext_lazy("Sex"),
    "nationality": gettext_lazy("Nationality"),
    "organisation": gettext_lazy("Organisation"),
    "position": gettext_lazy("Position"),
    "languages": gettext_lazy("Languages"),
}
# The template's header row in each language offered (the importer accepts all of them).
TEMPLATE_HEADERS: dict[str, list[str]] = {
    "en": [
        "First name",
        "Last name",
        "E-mail",
        "Sex",
        "Nationality",
        "Organisation",
        "Position",
        "Languages",
    ],
    "fr": ["Prénom", "Nom", "Courriel", "Sexe", "Nationalité", "Organisation", "Poste", "Langues"],
    "es": [
        "Nombre",
        "Apellidos",
        "Correo electrónico",
        "Sexo",
        "Nacionalidad",
        "Organización",
        "Cargo",
        "Idiomas",
    ],
    "pt": ["Nome", "Sobrenome", "E-mail", "Sexo", "Nacionalidade", "Organização", "Cargo", "Idiomas"],
}
TEMPLATE_EXAMPLE = [
    "Ana",
    "Ribeiro",
    "ana.ribeiro@example.org",
    "F",
    "BR",
    "DPU",
    "Public defender",
    "pt:native; en:B2",
]
EXTRA_ALIASES = {
    "first_name": ["first name", "firstname", "given name", "prenom", "nombre", "nome", "primeiro nome"],
    "last_name": [
        "last name",
        "lastname",
        "surname",
        "family name",
        "nom",
        "nom de famille",
        "apellido",
        "apellidos",
        "sobrenome",
        "apelido",
    ],
    "email": [
        "email",
        "e mail",
        "mail",
        "courriel",
        "adresse e mail",
        "correo",
        "correo electronico",
        "correo e",
        "endereco de e mail",
    ],
    "sex": ["sex", "gender", "sexe", "genre", "sexo", "genero"],
    "nationality": ["nationality", "country", "nationalite", "nacionalidad", "nacionalidade"],
    "organisation": [
        "organisation",
        "organization",
        "institution",
        "organisme",
        "organizacion",
        "organismo",
        "institucion",
        "organizacao",
        "orgao",
        "instituicao",
    ],
    "position": ["position", "job title", "title", "poste", "fonction", "cargo", "puesto", "funcao"],
    "languages": ["languages", "language", "langues", "langue", "idiomas", "idioma", "lenguas", "linguas"],
}
SEX_VALUES = {
    "F": ["f", "female", "woman", "w", "femme", "feminin", "mujer", "femenino", "mulher", "feminino"],
    "M": ["m", "male", "man", "h", "homme", "masculin", "hombre", "masculino", "homem"],
    "X": [
        "x",
        "other",
        "not stated",
        "autre",
        "otro",
        "outro",
        "non precise",
        "no indicado",
        "nao informado",
    ],
}


def fold(text: Any) -> str:
    """Lower case, no accents, hyphens/underscores/dots as spaces, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", str(text or ""))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    for ch in "-_.":
        plain = plain.replace(ch, " ")
    return " ".join(plain.split())


HEADER_ALIASES: dict[str, str] = {}
for _column in COLUMNS:
    HEADER_ALIASES[fold(_column)] = _column
    for _alias in EXTRA_ALIASES[_column]:
        HEADER_ALIASES[fold(_alias)] = _column
    for _headers in TEMPLATE_HEADERS.values():
        HEADER_ALIASES[fold(_headers[COLUMNS.index(_column)])] = _column
SEX_ALIASES = {fold(alias): code for code, aliases in SEX_VALUES.items() for alias in aliases}


@dataclass
class RowError:
    row: int | None
    column: str
    value: str
    message: str


def _refuse(message: str) -> DomainError:
    return DomainError(message, field="file", code="import_file")


# --- Reading the file -----------------------------------------------------------------------------


def check_import_file(name: str, fh: IO[bytes], size: int) -> str:
    """ "csv" or "xlsx", or DomainError (field "file") saying why the file is refused."""
    ext = extension_of(name)
    if ext not in ("csv", "xlsx"):
        raise _refuse(
            _("“%(name)s”: import a CSV (.csv) or Excel (.xlsx) file; download the template to start from.")
            % {"name": name}
        )
    if size > MAX_IMPORT_SIZE:
        raise _refuse(
            _(
                "“%(name)s”: the file is %(size)s MB; an import may be at most %(limit)s MB. Split it into several files."
            )
            % {"name": name, "size": f"{size / 1024 / 1024:.1f}", "limit": MAX_IMPORT_SIZE // 1024 // 1024}
        )
    if ext == "xlsx":
        check_upload(name, fh, size, max_size=MAX_IMPORT_SIZE, allowed=("xlsx",))
        _refuse_xml_declarations(name, fh)
    else:
        # core.uploads knows no CSV type: a CSV file is checked as the plain text it is (not a
        # program, not markup, UTF-8). The message names the file as the user sent it.
        alias = name[: -len(".csv")] + ".txt"
        try:
            check_upload(alias, fh, size, max_size=MAX_IMPORT_SIZE, allowed=("txt",))
        except DomainError as exc:
            raise _refuse(exc.message.replace(alias, name)) from exc
    fh.seek(0)
    return ext


def _refuse_xml_declarations(name: str, fh: IO[bytes]) -> None:
    """Spreadsheets never declare a DTD or entities; such a file is an XML bomb or an XXE attempt."""
    fh.seek(0)
    with zipfile.ZipFile(fh) as archive:
        for info in archive.infolist():
            if not info.filename.lower().endswith((".xml", ".rels")):
                continue
            with archive.open(info) as member:
                head = member.read(XML_HEAD).upper()
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise _refuse(
                    _(
                        "“%(name)s”: the file contains XML declarations (DTD or entities) that a spreadsheet never "
                        "needs; it is refused. Save it again from your spreadsheet program."
                    )
                    % {"name": name}
                )
    fh.seek(0)


def _defused(exc: BaseException | None) -> bool:
    """Whether defusedxml refused something on the way to `exc` (openpyxl re-raises it)."""
    from defusedxml import DefusedXmlException

    while exc is not None:
        if isinstance(exc, DefusedXmlException):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime | datetime.date):
        return value.isoformat()[:10]
    return " ".join(str(value).split())


def read_rows(name: str, fh: IO[bytes], kind: str) -> list[list[str]]:
    """The file's rows (header first), each a list of cell texts; at most MAX_ROWS data rows."""
    rows: list[list[str]] = []
    if kind == "xlsx":
        import openpyxl

        try:
            workbook = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl wraps what the XML parser refused in a ValueError
            if _defused(exc):
                raise _refuse(
                    _("“%(name)s”: the file contains forbidden XML constructs.") % {"name": name}
                ) from exc
            raise _refuse(
                _("“%(name)s”: the spreadsheet cannot be read; save it again as an Excel workbook (.xlsx).")
                % {"name": name}
            ) from exc
        try:
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True):
                rows.append([_cell(v) for v in values])
                if len(rows) > MAX_ROWS + 1:
                    break
        except Exception as exc:
            if _defused(exc):
                raise _refuse(
                    _("“%(name)s”: the file contains forbidden XML constructs.") % {"name": name}
                ) from exc
            raise _refuse(
                _("“%(name)s”: the spreadsheet cannot be read; save it again as an Excel workbook (.xlsx).")
                % {"name": name}
            ) from exc
        finally:
            workbook.close()
    else:
        raw = fh.read()
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise _refuse(
                _("“%(name)s”: the text is not in UTF-8. In your spreadsheet program, save as “CSV UTF-8”.")
                % {"name": name}
            ) from exc
        first_line = text.split("\n", 1)[0]
        delimiter = max((",", ";", "\t"), key=first_line.count)
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        try:
            for values in reader:
                rows.append([_cell(v) for v in values])
                if len(rows) > MAX_ROWS + 1:
                    break
        except csv.Error as exc:
            raise _refuse(
                _("“%(name)s”: the CSV cannot be read near line %(line)s (%(error)s).")
                % {"name": name, "line": reader.line_num, "error": exc}
            ) from exc
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows:
        raise _refuse(_("“%(name)s”: the file is empty.") % {"name": name})
    if len(rows) - 1 > MAX_ROWS:
        raise _refuse(
            _("“%(name)s”: the file has more than %(max)s rows; import at most %(max)s people at a time.")
            % {"name": name, "max": f"{MAX_ROWS:,}"}
        )
    return rows


def error_report(record: ParticipantImport) -> str:
    """The errors as CSV: row, column, value, message."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("row"), _("column"), _("value"), _("message")])
    for e in record.errors:
        writer.writerow(
            [e["row"] if e["row"] is not None else "", e["column"], _safe(e["value"]), e["message"]]
        )
    return out.getvalue()


def _safe(value: str) -> str:
    """Keep a spreadsheet from reading a value as a formula (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def template_csv(language: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(TEMPLATE_HEADERS.get(language, TEMPLATE_HEADERS["en"]))
    writer.writerow(TEMPLATE_EXAMPLE)
    return "\ufeff" + out.getvalue()


def template_xlsx(language: str) -> bytes:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "participants"
    sheet.append(TEMPLATE_HEADERS.get(language, TEMPLATE_HEADERS["en"]))
    sheet.append(TEMPLATE_EXAMPLE)
    for column in "ABCDEFGH":
        sheet.column_dimensions[column].width = 22
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
