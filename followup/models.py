"""Follow-up and remote monitoring: models arrive with this app's feature issue."""
