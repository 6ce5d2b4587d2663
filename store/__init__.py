"""factbot store: attributed statements, matcher and service API (no Discord here)."""
