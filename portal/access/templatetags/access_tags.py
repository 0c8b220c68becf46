"""Template filters for the restyled allauth (Django template) pages."""

from django import template

register = template.Library()


@register.filter
def in_groups(value: str, size: int = 4) -> str:
    """'ABCDEFGH' -> 'ABCD EFGH': a long key people copy by hand, in readable groups that wrap."""
    value = str(value or "")
    return " ".join(value[i : i + size] for i in range(0, len(value), int(size)))
