"""/account/api-tokens/: "Your API tokens" (the token model and its rules live in portal/api)."""

from django.urls import path

from portal.access import token_views

urlpatterns = [
    path("", token_views.api_tokens, name="access_api_tokens"),
    path("revoke/", token_views.revoke_api_token, name="access_revoke_api_token"),
]
