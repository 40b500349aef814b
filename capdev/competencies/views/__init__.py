"""Competency framework pages: the list, a framework with its versions, and a version's authoring
tree (inline edit, add, delete and move through htmx), its scale, its life cycle and comparisons.

Every view is an adapter: find the object among those the user may see (404 otherwise), check
the permission (403), call a service, render. Tree endpoints answer htmx with a fragment (the
re-rendered tree, one row or a form) and other requests with a page or a redirect, so every
action also works without JavaScript.
"""

from capdev.competencies.views.frameworks import (
    framework_create,
    framework_detail,
    framework_edit,
    framework_list,
    version_compare,
    version_derive,
    version_detail,
    version_discard,
    version_edit,
    version_publish,
    version_retire,
    version_scale,
)
from capdev.competencies.views.tree import (
    item_add,
    item_delete,
    item_detail,
    item_edit,
    item_move,
)

__all__ = [
    "framework_create",
    "framework_detail",
    "framework_edit",
    "framework_list",
    "item_add",
    "item_delete",
    "item_detail",
    "item_edit",
    "item_move",
    "version_compare",
    "version_derive",
    "version_detail",
    "version_discard",
    "version_edit",
    "version_publish",
    "version_retire",
    "version_scale",
]
