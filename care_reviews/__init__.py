"""Cancer care reviews."""
