"""Permission rules (registered with capdev.core.permissions.rule)."""
