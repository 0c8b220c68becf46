"""The first line of every view that takes a record id: the scoped object, or 404.

404 (not 403) for records outside the user's scope, so an id never confirms that a record exists."""

from django.http import Http404


def get_visible_or_404(model, user, **lookup):
    obj = model.objects.visible_to(user).filter(**lookup).first()
    if obj is None:
        raise Http404(f"No {model._meta.verbose_name} here")
    return obj


def get_changeable_or_404(model, user, **lookup):
    """The record if the policy table lets the user change it, else 404 (pages that only change things)."""
    obj = model.objects.changeable_by(user).filter(**lookup).first()
    if obj is None:
        raise Http404(f"No {model._meta.verbose_name} here")
    return obj
