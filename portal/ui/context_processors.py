from django.conf import settings


def service(request):
    """For the Django-template pages (allauth, admin): service name and role in use."""
    return {"service_name": settings.SERVICE_NAME, "role_in_use": getattr(request, "role", None)}
