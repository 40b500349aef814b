"""Writes on competency frameworks, and the comparison of two versions.

Rules enforced here (views and the API only call these functions):
- only a draft version changes; a published or retired version is immutable and a new draft is
  derived from it (a deep copy keeping each item's `lineage`);
- a framework has at most one draft at a time;
- the item tree has no cycles and siblings are numbered 0..n-1 without gaps;
- a proficiency scale has at least two ordered levels, exactly one of them the threshold;
- a version is published only when it has items, every item has a statement and every
  competency and indicator says whether it is knowledge, skill or attitude.
Every write runs in a transaction, locks the version it changes and records an audit event on it.
"""

from capdev.competencies.services.common import (
    FRAMEWORK_FIELDS,
    ITEM_FIELDS,
    VERSION_FIELDS,
    default_scale,
    immutable_error,
)
from capdev.competencies.services.comparison import (
    COMPARED_FIELDS,
    ItemChange,
    VersionComparison,
    compare_versions,
)
from capdev.competencies.services.frameworks import (
    create_framework,
    derive_version,
    discard_draft,
    publish_problems,
    publish_version,
    retire_version,
    set_scale,
    update_framework,
    update_version,
)
from capdev.competencies.services.items import (
    Direction,
    Place,
    add_item,
    delete_item,
    move_item,
    place_item,
    shift_item,
    update_item,
)

__all__ = [
    "COMPARED_FIELDS",
    "FRAMEWORK_FIELDS",
    "ITEM_FIELDS",
    "VERSION_FIELDS",
    "Direction",
    "ItemChange",
    "Place",
    "VersionComparison",
    "add_item",
    "compare_versions",
    "create_framework",
    "default_scale",
    "delete_item",
    "derive_version",
    "discard_draft",
    "immutable_error",
    "move_item",
    "place_item",
    "publish_problems",
    "publish_version",
    "retire_version",
    "set_scale",
    "shift_item",
    "update_framework",
    "update_item",
    "update_version",
]
