"""Protocols as versioned data: draft (a copy of the published version), edit, publish; the old
version retired and a patient's schedule kept on the version it was made from."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from followup.models import Protocol, ProtocolVersion, TestType, VersionStatus
from followup.services import protocols
from tests.followup.factories import make_pathway

pytestmark = pytest.mark.django_db


def breast():
    return Protocol.objects.get(slug="breast-default")


def test_a_draft_copies_the_published_version_and_is_made_once(cast):
    published = protocols.current(breast())
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    assert (draft.number, draft.status) == (published.number + 1, VersionStatus.DRAFT)
    copied = ["test_type_id", "start_months", "every_months", "until_months", "with_checkin"]
    assert list(draft.steps.values_list(*copied)) == list(published.steps.values_list(*copied))
    assert draft.pifu_months == published.pifu_months
    assert protocols.make_draft(actor=cast.admin, protocol=breast()) == draft


def test_publishing_retires_the_old_version_and_a_pathway_keeps_its_own(cast):
    old = protocols.current(breast())
    pathway = make_pathway(protocol_slug="breast-default")
    dates_before = list(pathway.tests.values_list("due_date", flat=True))
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    step = draft.steps.get()
    protocols.save_step(actor=cast.admin, version=draft, step=step, every_months=6)
    protocols.publish(actor=cast.admin, version=draft)
    old.refresh_from_db()
    draft.refresh_from_db()
    assert (old.status, draft.status, draft.published_by) == (
        VersionStatus.RETIRED,
        VersionStatus.PUBLISHED,
        cast.admin,
    )
    assert old.steps.get().every_months == 12
    pathway.refresh_from_db()
    assert pathway.protocol_version == old
    assert list(pathway.tests.values_list("due_date", flat=True)) == dates_before


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"every_months": -6}, "every_months"),
        ({"every_months": 0}, "every_months"),
        ({"start_months": -1}, "start_months"),
        ({"start_months": 24, "until_months": 12}, "until_months"),
        ({"until_months": None}, "until_months"),
    ],
)
def test_bad_steps_name_the_field_and_lose_nothing(cast, fields, field):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    step = draft.steps.get()
    before = (step.start_months, step.every_months, step.until_months)
    with pytest.raises(ValidationError) as caught:
        protocols.save_step(actor=cast.admin, version=draft, step=step, **fields)
    assert field in caught.value.message_dict
    step.refresh_from_db()
    assert (step.start_months, step.every_months, step.until_months) == before


def test_add_and_remove_steps_only_on_a_draft(cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    added = protocols.save_step(
        actor=cast.admin,
        version=draft,
        test_type=TestType.objects.get(code="CT_CAP"),
        start_months=12,
        every_months=12,
        until_months=24,
    )
    assert draft.steps.count() == 2
    protocols.remove_step(actor=cast.admin, version=draft, step=added)
    assert draft.steps.count() == 1
    published = protocols.current(breast())
    with pytest.raises(ValidationError, match="published"):
        protocols.save_step(actor=cast.admin, version=published, step=published.steps.get(), every_months=6)


def test_an_empty_draft_cannot_be_published(cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    protocols.remove_step(actor=cast.admin, version=draft, step=draft.steps.get())
    with pytest.raises(ValidationError) as caught:
        protocols.publish(actor=cast.admin, version=draft)
    assert "steps" in caught.value.message_dict
    assert ProtocolVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    assert protocols.current(breast()) is not None


@pytest.mark.parametrize("who", ["cns_a", "gp_a", "auditor", "patient_user"])
def test_only_a_service_admin_changes_protocols(cast, who):
    with pytest.raises(PermissionDenied):
        protocols.make_draft(actor=getattr(cast, who), protocol=breast())
    assert protocols.draft_of(breast()) is None
