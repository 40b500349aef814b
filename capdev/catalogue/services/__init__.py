"""Writes on the catalogue: standard products, their versions and everything inside a version.

Every function runs in a transaction, takes the acting user as keyword-only `actor`, records an
audit event on the version it changes and raises a DomainError naming the field at fault. A
version that is not a draft never changes: every write on it is refused with the same message.
Permissions are checked by the callers (views and API), with `capdev.core.permissions.can`.

- `versions`: create_course, update_version, publishing_problems, publish_version, retire_version,
  derive_version, discard_draft, copy_version_content
- `content`: delivery parts, modules, objectives and their competency mappings, completion rules
- `materials`: uploaded files and links
"""

from capdev.catalogue.services._common import (
    IMMUTABLE,
    LEVEL_RULES,
    MODULE_FIELDS,
    OBJECTIVE_FIELDS,
    PART_FIELDS,
    PERCENT_RULES,
    POINTS_RULES,
    VERSION_FIELDS,
)
from capdev.catalogue.services.content import (
    add_module,
    add_objective,
    add_part,
    map_competency,
    remove_completion_rule,
    remove_module,
    remove_objective,
    remove_part,
    reorder_modules,
    reorder_objectives,
    reorder_parts,
    set_completion_rule,
    set_mappings,
    unmap_competency,
    update_module,
    update_objective,
    update_part,
)
from capdev.catalogue.services.materials import add_material_file, add_material_link, remove_material
from capdev.catalogue.services.versions import (
    NotReadyToPublish,
    copy_version_content,
    create_course,
    derive_version,
    discard_draft,
    ects_problem,
    publish_version,
    publishing_problems,
    retire_version,
    update_version,
)

__all__ = [
    "IMMUTABLE",
    "LEVEL_RULES",
    "MODULE_FIELDS",
    "OBJECTIVE_FIELDS",
    "PART_FIELDS",
    "PERCENT_RULES",
    "POINTS_RULES",
    "VERSION_FIELDS",
    "NotReadyToPublish",
    "add_material_file",
    "add_material_link",
    "add_module",
    "add_objective",
    "add_part",
    "copy_version_content",
    "create_course",
    "derive_version",
    "discard_draft",
    "ects_problem",
    "map_competency",
    "publish_version",
    "publishing_problems",
    "remove_completion_rule",
    "remove_material",
    "remove_module",
    "remove_objective",
    "remove_part",
    "reorder_modules",
    "reorder_objectives",
    "reorder_parts",
    "retire_version",
    "set_completion_rule",
    "set_mappings",
    "unmap_competency",
    "update_module",
    "update_objective",
    "update_part",
    "update_version",
]
