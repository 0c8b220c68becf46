"""Health and wellbeing."""
