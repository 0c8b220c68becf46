"""Treatment summaries: models arrive with this app's feature issue."""
