"""Follow-up URLs (filled in by the part of the app that owns them)."""

urlpatterns: list = []
