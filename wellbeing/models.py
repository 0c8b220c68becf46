"""Health and wellbeing: models arrive with this app's feature issue."""
