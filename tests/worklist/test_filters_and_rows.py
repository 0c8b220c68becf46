"""The worklist's filter fields are rendered once per choice of filters and kept (ADR 0057): what is
kept must be what a fresh render gives, a form with errors is never kept, and filtering costs no
more queries however many items match. The GP inbox rows' links are the entries' own URLs."""

import itertools

import pytest
from django.urls import reverse

from portal.worklist.filters import WorklistFilterForm, _kept_filter_fields, _render_filter_fields, filter_fields
from portal.worklist.models import Kind, Priority
from tests.treatment_summaries.factories import delivered
from tests.worklist.test_query_counts import cns_client, queries_for, raise_items  # noqa: F401 - a fixture
from treatment_summaries.models import PracticeDelivery
from treatment_summaries.presenters_inbox import InboxRow

CHOICES = [["", *Kind.values], ["", *(str(p) for p in Priority.values)], ["", "me", "none"]]


def test_kept_filter_fields_are_what_a_fresh_render_gives():
    _kept_filter_fields.cache_clear()
    assert filter_fields(WorklistFilterForm(None)) == _render_filter_fields(WorklistFilterForm(None))
    for kind, priority, assignee in itertools.product(*CHOICES):
        data = {"kind": kind, "priority": priority, "assignee": assignee}
        form = WorklistFilterForm(data)
        assert form.is_valid()
        fresh = _render_filter_fields(WorklistFilterForm(data))
        assert filter_fields(form) == fresh
        if kind:  # the chosen option is the selected one
            assert f'<option value="{kind}" selected' in fresh
    assert _kept_filter_fields.cache_info().currsize == 1 + len(list(itertools.product(*CHOICES)))


def test_a_form_with_errors_is_shown_as_sent_and_not_kept():
    _kept_filter_fields.cache_clear()
    form = WorklistFilterForm({"kind": "no-such-kind", "priority": "", "assignee": ""})
    html = filter_fields(form)
    assert "nhsuk-error-message" in html
    assert _kept_filter_fields.cache_info().currsize == 0


@pytest.mark.django_db
def test_filtered_worklist_queries_do_not_grow_with_items(cns_client, cast):  # noqa: F811
    url = f"/worklist/?kind={Kind.OTHER}&priority={Priority.ROUTINE}&assignee="
    raise_items(cast, 0, 5)
    cns_client.get(url)
    few, response = queries_for(cns_client, url)
    assert response.content.decode().count(">Item ") == 5
    raise_items(cast, 5, 50)
    many, response = queries_for(cns_client, url)
    assert response.content.decode().count(">Item ") == 50
    assert many == few


@pytest.mark.django_db
def test_inbox_rows_link_to_their_entries(cast):
    delivery = delivered(cast)
    loaded = PracticeDelivery.objects.select_related("version__summary__patient", "version__summary__team").get(
        pk=delivery.pk
    )  # unscoped-ok: a presenter test
    expected = reverse("treatment_summaries:inbox_delivery", kwargs={"delivery_id": delivery.pk})
    assert InboxRow(loaded).url == expected
    assert InboxRow(loaded, reverse("treatment_summaries:inbox")).url == expected
