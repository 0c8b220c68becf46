"""Treatment summaries."""
