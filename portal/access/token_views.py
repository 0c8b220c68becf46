"""Your API tokens: every signed-in user sees the tokens that act as them and can revoke any of them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from portal.access.token_presenters import token_rows
from portal.api import tokens as service


@require_GET
@login_required
def api_tokens(request):
    rows = token_rows(service.own_tokens(request.user))
    return render(request, "access/api_tokens.jinja", {"page_title": "Your API tokens", "rows": rows})


@require_POST
@login_required
def revoke_api_token(request):
    token = service.find_own_token(request.user, request.POST.get("token"))
    if service.revoke(token, actor=request.user):
        messages.success(request, f"You have revoked the API token for {token.client_name}. It no longer works.")
    else:
        messages.info(request, f"The API token for {token.client_name} was already revoked.")
    return redirect("access_api_tokens")
