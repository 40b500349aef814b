"""The demo trainer competency framework: shape, determinism, idempotency, and its v1 → v2 changes."""

from __future__ import annotations

from collections import Counter

from capdev.competencies import services
from capdev.competencies.models import Framework, ItemKind, VersionStatus
from capdev.demo.competencies import DEMO_KEY, TREE, load_trainer_framework
from capdev.organisations.models import Organisation


def test_the_trainer_framework_has_six_domains_of_typed_competencies_and_indicators(db):
    framework = load_trainer_framework()
    v1 = framework.versions.get(number=1)
    assert v1.status == VersionStatus.PUBLISHED and v1.published_at.year == 2022
    kinds = Counter(v1.items.values_list("kind", flat=True))
    assert kinds[ItemKind.DOMAIN] == 6
    assert 60 <= sum(kinds.values()) <= 80
    domains = list(v1.items.filter(parent=None).order_by("position").values_list("statement", flat=True))
    assert domains == [
        "Training cycle",
        "Training needs analysis",
        "Design and learning objectives",
        "Adult-learning principles",
        "Delivery and methods",
        "Evaluation and closing",
    ]
    for domain in v1.items.filter(parent=None):
        competencies = domain.children.all()
        assert 3 <= competencies.count() <= 6
        for competency in competencies:
            assert competency.nature and 1 <= competency.children.count() <= 3
    assert not services.publish_problems(v1)
    assert list(v1.levels.values_list("name", "is_threshold")) == [
        ("Not yet", False),
        ("Developing", False),
        ("Proficient", True),
        ("Expert", False),
    ]
    assert framework.owner.acronym == "ICMPD"


def test_the_draft_v2_shows_every_kind_of_change(db):
    framework = load_trainer_framework()
    v1, v2 = framework.versions.get(number=1), framework.versions.get(number=2)
    assert v2.status == VersionStatus.DRAFT and v2.derived_from == v1 and v2.change_note
    result = services.compare_versions(v1, v2)
    assert [i.code for i in result.added] == ["T5.4.3"]
    assert [i.code for i in result.removed] == ["T1.2.2"]
    assert {c.new.code for c in result.reworded} == {"T3.1.1", "T5.4"}
    assert {c.new.code for c in result.moved} == {"T4.4.3", "T5.2"}


def test_loading_twice_changes_nothing_and_identifiers_are_stable(db):
    first = load_trainer_framework()
    ids = sorted(str(u) for u in first.versions.get(number=1).items.values_list("uuid", flat=True))
    again = load_trainer_framework()
    assert again.pk == first.pk
    assert Framework.objects.filter(demo_key=DEMO_KEY).count() == 1
    assert first.versions.count() == 2
    # The identifiers do not depend on the database: recreate and compare.
    Framework.objects.all().delete()
    recreated = load_trainer_framework()
    assert (
        sorted(str(u) for u in recreated.versions.get(number=1).items.values_list("uuid", flat=True)) == ids
    )
    assert Organisation.objects.filter(acronym="ICMPD").count() == 1


def test_the_existing_implementing_organisation_owns_it(cast):
    framework = load_trainer_framework()
    assert framework.owner == cast.implementer


def test_the_tree_constant_matches_what_is_written(db):
    v1 = load_trainer_framework().versions.get(number=1)
    expected = sum(1 + sum(1 + len(c[3]) for c in d[2]) for d in TREE)
    assert v1.items.count() == expected
