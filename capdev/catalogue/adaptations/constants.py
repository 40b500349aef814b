"""How an adaptation's module or objective relates to the standard's."""

KEPT = "kept"
CHANGED = "changed"
ADDED = "added"
REMOVED = "removed"
