"""Cancer care reviews: models arrive with this app's feature issue."""
