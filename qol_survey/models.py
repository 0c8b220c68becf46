"""Quality of life survey: models arrive with this app's feature issue."""
