"""Follow-up API URLs under /api/v1/followup/."""

urlpatterns: list = []
