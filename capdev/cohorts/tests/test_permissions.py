"""The permission matrix of every cohorts page and endpoint (see tests/test_permission_matrix.py).

Objects (conftest.py `scene`): run A (hosted by org A, the focal point's; trained by the trainer;
the participant enrolled; in a programme), run B (org B, the outsider's; person B enrolled); an
open call into run A with a nomination of person A (org A, no login) and an attachment; a draft
call into run B with the participant's own application; a failed import into run A.

Staff do everything; steering members see runs, programmes and calls but nobody's applications
or enrolments; focal points see their organisation's runs, candidates and participants and
nominate; trainers see the runs they train and their participants; participants see their runs,
applications and enrolments. Writes are POST only (GET answers 405).
"""

from __future__ import annotations

from typing import Any

import pytest

from capdev.core.testing import check_matrix_case, matrix_cases

# url template, expected status for:   anon staff steering focal trainer participant outsider
MATRIX: list[tuple[str, str]] = [
    ("/runs/", "302 200 200 200 200 200 200"),
    ("/runs/?status=open&year=2026&q=tot", "302 200 200 200 200 200 200"),
    ("/runs/new/", "302 200 403 403 403 403 403"),
    ("/runs/activity-options/?action={action}", "302 200 403 403 403 403 403"),
    ("/runs/import-template.csv", "302 200 403 403 403 403 403"),
    ("/runs/import-template.xlsx?lang=fr", "302 200 403 403 403 403 403"),
    ("/runs/{run_a}/", "302 200 200 200 200 200 404"),
    ("/runs/{run_b}/", "302 200 200 404 404 200 200"),
    ("/runs/{run_a}/edit/", "302 200 403 403 403 403 404"),
    ("/runs/{run_a}/status/", "302 200 403 403 403 403 404"),
    ("/runs/{run_a}/trainers/", "302 200 403 403 403 403 404"),
    ("/runs/{run_a}/trainers/?q=santos", "302 200 403 403 403 403 404"),
    ("/runs/{run_a}/trainers/{trainer}/remove/", "302 405 405 405 405 405 405"),
    ("/runs/{run_a}/enrol/", "302 200 403 403 403 403 404"),
    ("/runs/{run_a}/enrol/?q=ribeiro", "302 200 403 403 403 403 404"),
    ("/runs/{run_a}/import/", "302 200 403 403 403 403 404"),
    ("/runs/{run_a}/imports/{import}/", "302 200 403 403 403 403 404"),
    ("/runs/{run_a}/imports/{import}/apply/", "302 405 405 405 405 405 405"),
    ("/runs/{run_a}/imports/{import}/discard/", "302 405 405 405 405 405 405"),
    ("/runs/{run_a}/imports/{import}/errors.csv", "302 200 403 403 403 403 404"),
    ("/programmes/", "302 200 200 200 200 200 200"),
    ("/programmes/new/", "302 200 403 403 403 403 403"),
    ("/programmes/{programme}/", "302 200 200 200 200 200 404"),
    ("/programmes/{programme}/edit/", "302 200 403 403 403 403 404"),
    ("/programmes/{programme}/runs/", "302 405 405 405 405 405 405"),
    ("/programmes/{programme}/runs/{run_a}/remove/", "302 405 405 405 405 405 405"),
    ("/programmes/{programme}/runs/{run_a}/move/", "302 405 405 405 405 405 405"),
    ("/calls/", "302 200 200 200 200 200 200"),
    ("/calls/?status=draft", "302 200 200 200 200 200 200"),
    ("/calls/new/?run={run_a}", "302 200 403 403 403 403 403"),
    ("/calls/new/?programme={programme}", "302 200 403 403 403 403 403"),
    ("/calls/{call_a}/", "302 200 200 200 200 200 200"),
    ("/calls/{call_b}/", "302 200 200 200 404 200 404"),
    ("/calls/{call_a}/edit/", "302 200 403 403 403 403 403"),
    ("/calls/{call_a}/status/", "302 405 405 405 405 405 405"),
    ("/calls/{call_a}/quotas/", "302 405 405 405 405 405 405"),
    ("/calls/{call_a}/quotas/{quota}/remove/", "302 405 405 405 405 405 405"),
    ("/calls/{call_a}/apply/", "302 200 200 200 200 200 200"),
    ("/calls/{call_b}/apply/", "302 200 200 200 404 302 404"),
    ("/calls/{call_a}/nominate/", "302 403 403 200 403 403 200"),
    ("/calls/{call_a}/candidates/new/", "302 200 403 403 403 403 403"),
    ("/calls/{call_a}/candidates/new/?q=ribeiro", "302 200 403 403 403 403 403"),
    ("/calls/{call_a}/selection/", "302 200 403 403 403 403 403"),
    ("/calls/{call_a}/selection/?status=submitted&fit=all", "302 200 403 403 403 403 403"),
    ("/calls/{call_b}/selection/", "302 200 403 403 404 403 404"),
    ("/applications/", "302 200 200 200 200 200 200"),
    ("/applications/{application_a}/", "302 200 404 200 404 404 404"),
    ("/applications/{application_own}/", "302 200 404 200 404 200 404"),
    ("/applications/{application_a}/decide/", "302 405 405 405 405 405 405"),
    ("/applications/{application_a}/withdraw/", "302 200 404 200 404 404 404"),
    ("/applications/{application_own}/withdraw/", "302 200 404 200 404 200 404"),
    ("/applications/{application_own}/offer/", "302 405 405 405 405 405 405"),
    ("/applications/{application_own}/files/", "302 405 405 405 405 405 405"),
    ("/applications/{application_a}/files/{attachment}/", "302 200 404 200 404 404 404"),
    ("/applications/{application_a}/files/{attachment}/remove/", "302 405 405 405 405 405 405"),
    ("/enrolments/{enrolment}/", "302 200 404 200 200 200 404"),
    ("/enrolments/{enrolment_b}/", "302 200 404 404 404 404 200"),
    ("/enrolments/{enrolment}/withdraw/", "302 200 404 403 403 200 404"),
    ("/enrolments/{enrolment}/outcome/", "302 405 405 405 405 405 405"),
    ("/enrolments/{enrolment}/waive/", "302 200 404 403 403 403 404"),
    ("/enrolments/{enrolment}/waive/revoke/", "302 405 405 405 405 405 405"),
    ("/api/v1/runs/", "403 200 200 200 200 200 200"),
    ("/api/v1/runs/?status=open", "403 200 200 200 200 200 200"),
    ("/api/v1/runs/{run_a}/", "403 200 200 200 200 200 404"),
    ("/api/v1/runs/{run_a}/status/", "403 405 405 405 405 405 405"),
    ("/api/v1/programmes/", "403 200 200 200 200 200 200"),
    ("/api/v1/programmes/{programme}/", "403 200 200 200 200 200 404"),
    ("/api/v1/calls/", "403 200 200 200 200 200 200"),
    ("/api/v1/calls/{call_a}/", "403 200 200 200 200 200 200"),
    ("/api/v1/calls/{call_b}/", "403 200 200 200 404 200 404"),
    ("/api/v1/applications/", "403 200 200 200 200 200 200"),
    ("/api/v1/applications/{application_a}/", "403 200 404 200 404 404 404"),
    ("/api/v1/applications/{application_own}/", "403 200 404 200 404 200 404"),
    ("/api/v1/applications/{application_a}/accept/", "403 405 405 405 405 405 405"),
    ("/api/v1/enrolments/", "403 200 200 200 200 200 200"),
    ("/api/v1/enrolments/{enrolment}/", "403 200 404 200 200 200 404"),
    ("/api/v1/enrolments/{enrolment_b}/", "403 200 404 404 404 404 200"),
]

CASES = matrix_cases(MATRIX)


@pytest.mark.parametrize(("url", "role", "expected"), CASES, ids=[f"{r}:{u}" for u, r, _ in CASES])
def test_cohorts_permission_matrix(cast: Any, scene: Any, url: str, role: str, expected: int) -> None:
    check_matrix_case(cast, url, role, expected, **scene.ids())
