"""The worklist's filter form, and its fields as HTML."""

from functools import lru_cache

from django import forms
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from portal.ui import forms as nhs
from portal.worklist.models import Kind, Priority

ASSIGNEE_CHOICES = [("", "Anyone"), ("me", "Assigned to me"), ("none", "Not assigned")]


class WorklistFilterForm(forms.Form):
    kind = nhs.SelectField(label="Type", required=False, choices=[("", "All types"), *Kind.choices])
    priority = nhs.SelectField(
        label="Priority",
        required=False,
        choices=[("", "All priorities"), *[(str(value), label) for value, label in Priority.choices]],
    )
    assignee = nhs.SelectField(label="Assigned to", required=False, choices=ASSIGNEE_CHOICES)


def filter_fields(form: WorklistFilterForm):
    """The filter form's fields, as HTML. Three NHS.UK selects cost more to render than the 50 rows
    under them, yet their choices are fixed in code: so each valid choice of filters (or none) is
    rendered once per process and kept. A form with errors shows what was sent, and is not kept."""
    if form.is_bound and form.errors:
        return _render_filter_fields(form)
    return _kept_filter_fields(tuple(form.data.get(name, "") for name in form.fields) if form.is_bound else None)


@lru_cache(maxsize=256)  # at most (kinds + 1) x (priorities + 1) x assignee choices, twice (bound or not)
def _kept_filter_fields(values: tuple | None):
    data = None if values is None else dict(zip(WorklistFilterForm.base_fields, values, strict=True))
    form = WorklistFilterForm(data)
    form.is_valid()
    return _render_filter_fields(form)


def _render_filter_fields(form):
    return mark_safe(render_to_string("worklist/_filter_fields.jinja", {"form": form}))  # noqa: S308 - our template's output
