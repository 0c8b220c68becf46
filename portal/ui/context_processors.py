from django.conf import settings


def service(request):
    """For the Django-template pages (allauth, admin): service name and role in use."""
    return {"service_name": settings.SERVICE_NAME, "role_in_use": getattr(request, "role", None)}


def nhsuk_template(request):
    """Variables the NHS.UK base template reads from the context. They must come from the
    context, not a `{% set %}` in our layout: a child's top-level sets never reach the parent."""
    return {
        # `| string` forces the lazy nonce: it is falsy until read (STACK-NOTES 4).
        "cspNonce": str(request.csp_nonce) if hasattr(request, "csp_nonce") else "",
        "assetPath": settings.STATIC_URL + "nhsuk/assets",
    }
