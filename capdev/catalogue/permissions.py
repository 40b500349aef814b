"""Permission rules (filled by the app owner)."""
