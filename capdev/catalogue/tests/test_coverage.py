"""The coverage matrix: cells (highest level, module columns), gaps, CSV, constant queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from capdev.catalogue.coverage import coverage_matrix
from capdev.catalogue.models import LearningObjective, Module, ObjectiveCompetency
from capdev.catalogue.tests.test_adaptation_builders import make_standard, make_trainer_framework
from capdev.competencies.models import CompetencyItem, VersionStatus


@pytest.fixture
def fv(cast):
    return make_trainer_framework(cast.implementer)


@pytest.fixture
def tot(cast, fv):
    return make_standard(cast.implementer, fv)


def cells(matrix) -> dict[str, list[str]]:
    return {r.item.code: [c.level.name if c else "" for c in r.cells] for r in matrix.rows}


def test_rows_follow_the_tree_under_domain_headings(fv, tot):
    matrix = coverage_matrix(fv)
    assert [(g.domain.code, [r.item.code for r in g.rows]) for g in matrix.groups] == [
        ("D1", ["C1", "C2", "C3"]),
        ("D2", ["C4", "C5", "C6"]),
    ]


def test_cells_hold_the_highest_target_level(fv, tot):
    matrix = coverage_matrix(fv)
    assert [c.label for c in matrix.columns] == ["Vocational Train the Trainers v1"]
    # C1 is aimed at by two objectives: Developing and Proficient → Proficient
    assert cells(matrix) == {
        "C1": ["Proficient"],
        "C2": ["Proficient"],
        "C3": ["Proficient"],
        "C4": ["Expert"],
        "C5": ["Developing"],
        "C6": [""],
    }
    heat = {r.item.code: r.cells[0].heat for r in matrix.rows if r.cells[0]}
    assert heat == {"C1": 3, "C2": 3, "C3": 3, "C4": 4, "C5": 2}


def test_gaps_are_competencies_no_course_covers(fv, tot):
    matrix = coverage_matrix(fv)
    assert [i.code for i in matrix.gaps] == ["C6"]
    assert matrix.covered_count == 5


def test_modules_expand_into_their_own_columns(fv, tot):
    matrix = coverage_matrix(fv, expand=[tot.pk])
    assert [c.label for c in matrix.columns] == [
        "Vocational Train the Trainers v1",
        "1. The training cycle",
        "2. Design and objectives",
        "3. Evaluation and closing",
    ]
    assert cells(matrix)["C1"] == ["Proficient", "Proficient", "", ""]
    assert cells(matrix)["C4"] == ["Expert", "", "", "Expert"]


def test_mapping_to_an_indicator_counts_for_its_competency(fv, tot):
    module = Module.objects.create(version=tot, position=4, title="Coaching")
    objective = LearningObjective.objects.create(module=module, position=1, text="Coach a peer")
    ObjectiveCompetency.objects.create(
        objective=objective,
        competency=CompetencyItem.objects.get(version=fv, code="C6.1"),
        target_level=fv.levels.get(name="Developing"),
    )
    matrix = coverage_matrix(fv)
    assert cells(matrix)["C6"] == ["Developing"]
    assert matrix.gaps == []


def test_only_published_versions_on_this_framework_count(cast, fv, tot):
    make_standard(cast.implementer, fv, code="draft", title="Draft course", status=VersionStatus.DRAFT)
    other_fv = make_trainer_framework(cast.implementer, title="Another framework")
    make_standard(cast.implementer, other_fv, code="other", title="Other framework course")
    assert [v.title for v in coverage_matrix(fv).versions] == ["Vocational Train the Trainers"]


def test_matrix_in_a_fixed_number_of_queries(cast, fv, tot, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as small:
        coverage_matrix(fv, expand_all=True)
    for i in range(5):
        make_standard(cast.implementer, fv, code=f"more-{i}", title=f"More {i}")
    with CaptureQueriesContext(connection) as large:
        matrix = coverage_matrix(fv, expand_all=True)
    assert len(large.captured_queries) == len(small.captured_queries) <= 6
    assert len(matrix.columns) == 6 * 4


def test_page_shows_levels_as_text_and_gaps(cast, fv, tot):
    response = cast.client("trainer").get(f"/coverage/{fv.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="heat-4">Expert</td>' in html
    assert "Gap: 1 competency no course covers" in html
    assert "Coaches peers" in html
    assert "5 of 6 competencies covered by 1 published course(s)." in html
    assert f"?expand={tot.pk}" in html


def test_page_query_count_is_constant(cast, fv, tot):
    client = cast.client("staff")
    client.get(f"/coverage/{fv.pk}/?expand=all")  # warm the session and caches

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/coverage/{fv.pk}/?expand=all").status_code == 200
        return len(ctx.captured_queries)

    before = count()
    for i in range(4):
        make_standard(cast.implementer, fv, code=f"more-{i}", title=f"More {i}")
    assert count() == before


def test_htmx_gets_the_matrix_only(cast, fv, tot):
    response = cast.client("staff").get(f"/coverage/{fv.pk}/?expand={tot.pk}", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html
    assert "1. The training cycle" in html
    assert "Hide modules" in html


def test_csv_download(cast, fv, tot):
    response = cast.client("focal").get(f"/coverage/{fv.pk}/csv/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="coverage-trainer-competency-framework-v1.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:5] == ["Domain", "Code", "Competency", "Covered", "Vocational Train the Trainers v1"]
    assert rows[0][5] == "Vocational Train the Trainers v1 / 1. The training cycle"  # modules always in
    assert rows[1][:5] == ["Designing training", "C1", "Analyses training needs", "yes", "Proficient"]
    assert rows[6][:5] == ["Delivering and evaluating", "C6", "Coaches peers", "no", ""]


def test_csv_neutralises_formulas(cast, fv, tot):
    CompetencyItem.objects.filter(version=fv, code="C6").update(statement='=HYPERLINK("http://x")')
    rows = list(csv.reader(io.StringIO(cast.client("staff").get(f"/coverage/{fv.pk}/csv/").content.decode())))
    assert rows[6][2] == '\'=HYPERLINK("http://x")'


def test_draft_framework_coverage_is_hidden_from_other_organisations(cast):
    draft_fv = make_trainer_framework(cast.org_a, title="Draft framework")
    draft_fv.status = VersionStatus.DRAFT
    draft_fv.save()
    assert cast.client("outsider").get(f"/coverage/{draft_fv.pk}/").status_code == 404
    assert cast.client("focal").get(f"/coverage/{draft_fv.pk}/").status_code == 200
