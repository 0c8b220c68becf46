"""A signed-off version is frozen by the database itself, not only by the services."""

import pytest
from django.db import DatabaseError, connection, transaction

from tests.treatment_summaries.test_services import complete_draft, sent, signed_off
from treatment_summaries.models import SummaryVersion, Treatment

pytestmark = pytest.mark.django_db


def raw_delete(version):
    # Straight to the database: Django's own PROTECT check would stop a queryset delete first.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM treatment_summaries_summaryversion WHERE id = %s", [version.pk])


def frozen(callable_):
    with pytest.raises(DatabaseError, match="signed-off treatment summary"), transaction.atomic():
        callable_()


def test_content_parts_and_deletion_of_a_signed_off_version_are_refused(cast):
    version = signed_off(cast)
    frozen(lambda: SummaryVersion.objects.filter(pk=version.pk).update(red_flags="changed"))
    frozen(lambda: SummaryVersion.objects.filter(pk=version.pk).update(pdf=b"%PDF-other"))
    frozen(lambda: raw_delete(version))
    frozen(lambda: Treatment.objects.filter(version=version).update(description="changed"))
    frozen(lambda: Treatment.objects.filter(version=version).delete())
    assert SummaryVersion.objects.get(pk=version.pk).red_flags == version.red_flags


def test_the_send_workflow_can_still_move_and_drafts_stay_editable(cast):
    version = sent(cast)  # signed_off -> sent moves status and sent_at only
    assert SummaryVersion.objects.get(pk=version.pk).status == "sent"
    draft = complete_draft(cast)
    SummaryVersion.objects.filter(pk=draft.pk).update(red_flags="still a draft")
    Treatment.objects.filter(version=draft).update(description="still a draft")
    assert SummaryVersion.objects.get(pk=draft.pk).red_flags == "still a draft"
