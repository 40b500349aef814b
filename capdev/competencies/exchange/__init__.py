"""Exchanging competency frameworks with other tools: 1EdTech CASE 1.1 packages and Moodle
competency framework CSV files, both ways (see docs/exchange.md).

Services (each import is one transaction, audited, and raises ImportRejected with its report):

- `export_case_package(version) -> dict` and `import_case_package(file_bytes, *, actor, owner)`
- `export_moodle_csv(version) -> str` and `import_moodle_csv(file_bytes, *, actor, owner)`
"""

from capdev.competencies.exchange.case import export_case_package, import_case_package
from capdev.competencies.exchange.common import MAX_IMPORT_BYTES
from capdev.competencies.exchange.errors import ImportRejected, Problem
from capdev.competencies.exchange.moodle import export_moodle_csv, import_moodle_csv

__all__ = [
    "MAX_IMPORT_BYTES",
    "ImportRejected",
    "Problem",
    "export_case_package",
    "export_moodle_csv",
    "import_case_package",
    "import_moodle_csv",
]
