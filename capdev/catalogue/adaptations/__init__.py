"""Adaptations: a partner's localised version of a published standard product.

An adaptation is a Course of kind "adaptation" owned by the partner organisation, `adapted_from`
the standard course; each of its versions is `based_on` one published standard version. Its
modules and objectives start as copies that keep the standard's `lineage`, which is how every
comparison here works:

- kept: an objective with the lineage of a standard objective and the same text;
- changed: same lineage, different text (a rewording);
- added: a lineage the standard version does not have (a new or replacing module, a new objective);
- removed: a standard objective no longer present. Core objectives can never be removed: a partner
  may reword them, not drop them, and an adaptation is only published with every core objective.

The standardisation score is the share of the standard's core objectives retained (kept or
changed); the unchanged share is the share of all the standard's objectives kept word for word.

An adaptation is "behind" when its standard course has a newer published version than the one it
is based on; `rebase_adaptation` builds a new draft on the newer version (merge rule: see
`rebase_adaptation` and docs/adaptations.md).

The package: `services` (writes), `comparison` (side by side, score, behind), `rebase`, `rules`
(the permission rules for adaptations and the coverage matrix, registered on import).
"""

from capdev.catalogue.adaptations.comparison import (
    Behind,
    Comparison,
    ModuleRow,
    ObjectiveRow,
    VersionDiff,
    adaptation_versions,
    behind,
    behind_condition,
    comparison,
    diff_versions,
    newest_published,
    scores_for,
)
from capdev.catalogue.adaptations.constants import ADDED, CHANGED, KEPT, REMOVED
from capdev.catalogue.adaptations.rebase import rebase_adaptation
from capdev.catalogue.adaptations.rules import partner_choices
from capdev.catalogue.adaptations.services import (
    add_module,
    add_objective,
    core_lineages,
    create_adaptation,
    discard_adaptation_draft,
    missing_core_objectives,
    publish_adaptation,
    remove_module,
    remove_objective,
    replace_module,
    reword_objective,
    set_local_examples,
    short,
    start_adaptation_draft,
    update_adaptation,
    update_module,
)

__all__ = [
    "ADDED",
    "CHANGED",
    "KEPT",
    "REMOVED",
    "Behind",
    "Comparison",
    "ModuleRow",
    "ObjectiveRow",
    "VersionDiff",
    "adaptation_versions",
    "add_module",
    "add_objective",
    "behind",
    "behind_condition",
    "comparison",
    "core_lineages",
    "create_adaptation",
    "diff_versions",
    "discard_adaptation_draft",
    "missing_core_objectives",
    "newest_published",
    "partner_choices",
    "publish_adaptation",
    "rebase_adaptation",
    "remove_module",
    "remove_objective",
    "replace_module",
    "reword_objective",
    "scores_for",
    "set_local_examples",
    "short",
    "start_adaptation_draft",
    "update_adaptation",
    "update_module",
]
