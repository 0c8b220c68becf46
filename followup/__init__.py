"""Follow-up and remote monitoring."""
