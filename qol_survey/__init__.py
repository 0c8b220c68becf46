"""Quality of life survey."""
