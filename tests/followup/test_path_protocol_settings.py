"""A draft's settings (anchor, reminder lead days, PIFU window, check-in interval): only a service
admin changes them, only on a draft; a bad value is named by its field and nothing is saved; the
settings go with the version when it is published and are copied into the next draft."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from followup.models import Anchor, Protocol, ProtocolVersion
from followup.services import protocols
from followup.services.protocols import VERSION_FIELDS

pytestmark = pytest.mark.django_db
GOOD = {
    "anchor": Anchor.SURGERY,
    "first_reminder_days": 21,
    "second_reminder_days": 7,
    "pifu_months": 36,
    "checkin_months": 3,
}


def breast():
    return Protocol.objects.get(slug="breast-default")


def settings_of(version) -> dict:
    version = ProtocolVersion.objects.get(pk=version.pk)
    return {name: getattr(version, name) for name in VERSION_FIELDS}


def test_the_admin_saves_a_drafts_settings(cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    protocols.save_settings(actor=cast.admin, version=draft, **GOOD)
    assert settings_of(draft) == GOOD


def test_a_field_not_given_keeps_the_drafts_value(cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    before = settings_of(draft)
    protocols.save_settings(actor=cast.admin, version=draft, checkin_months=6)
    assert settings_of(draft) == {**before, "checkin_months": 6}


@pytest.mark.parametrize(
    ("bad", "field", "words"),
    [
        ({"anchor": "chemotherapy"}, "anchor", "counts from"),
        ({"anchor": ""}, "anchor", "counts from"),
        ({"first_reminder_days": 0}, "first_reminder_days", "between 1 and 90"),
        ({"first_reminder_days": 91}, "first_reminder_days", "between 1 and 90"),
        ({"first_reminder_days": None}, "first_reminder_days", "Enter the first reminder"),
        ({"second_reminder_days": -1}, "second_reminder_days", "between 0 and 30"),
        ({"second_reminder_days": 31, "first_reminder_days": 60}, "second_reminder_days", "between 0 and 30"),
        ({"second_reminder_days": 21}, "second_reminder_days", "fewer days"),
        ({"second_reminder_days": 22}, "second_reminder_days", "fewer days"),
        ({"pifu_months": -1}, "pifu_months", "between 0 and 120"),
        ({"pifu_months": 121}, "pifu_months", "between 0 and 120"),
        ({"checkin_months": -1}, "checkin_months", "between 0 and 24"),
        ({"checkin_months": 25}, "checkin_months", "between 0 and 24"),
        ({"checkin_months": "3"}, "checkin_months", "whole number"),
    ],
)
def test_a_bad_value_is_named_and_nothing_is_saved(cast, bad, field, words):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    before = settings_of(draft)
    with pytest.raises(ValidationError) as caught:
        protocols.save_settings(actor=cast.admin, version=draft, **{**GOOD, **bad})
    assert list(caught.value.message_dict) == [field]
    assert words in caught.value.message_dict[field][0]
    assert settings_of(draft) == before  # the good fields given with it were not saved either


def test_every_bad_field_is_named_at_once(cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    bad = {"anchor": "x", "first_reminder_days": 0, "second_reminder_days": 99, "pifu_months": -5, "checkin_months": 99}
    with pytest.raises(ValidationError) as caught:
        protocols.save_settings(actor=cast.admin, version=draft, **bad)
    assert set(caught.value.message_dict) == set(VERSION_FIELDS)


@pytest.mark.parametrize(
    "good",
    [
        {"first_reminder_days": 1, "second_reminder_days": 0},  # the edges, and no second reminder
        {"first_reminder_days": 90, "second_reminder_days": 30, "pifu_months": 120, "checkin_months": 24},
        {"pifu_months": 0, "checkin_months": 0},
    ],
)
def test_the_edges_of_each_range_are_allowed(cast, good):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    protocols.save_settings(actor=cast.admin, version=draft, **{**GOOD, **good})
    assert settings_of(draft) == {**GOOD, **good}


@pytest.mark.parametrize("who", ["cns_a", "gp_a", "auditor", "patient_user"])
def test_only_a_service_admin_changes_the_settings(cast, who):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    before = settings_of(draft)
    with pytest.raises(PermissionDenied):
        protocols.save_settings(actor=getattr(cast, who), version=draft, **GOOD)
    assert settings_of(draft) == before


def test_a_published_version_keeps_its_settings(cast):
    published = protocols.current(breast())
    before = settings_of(published)
    with pytest.raises(ValidationError, match="published"):
        protocols.save_settings(actor=cast.admin, version=published, **GOOD)
    assert settings_of(published) == before


def test_an_unknown_setting_is_a_programming_error(cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    with pytest.raises(TypeError, match="status"):
        protocols.save_settings(actor=cast.admin, version=draft, status="published")


def test_publishing_keeps_the_settings_and_the_next_draft_copies_them(cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    protocols.save_settings(actor=cast.admin, version=draft, **GOOD)
    protocols.publish(actor=cast.admin, version=draft)
    assert protocols.current(breast()).pk == draft.pk
    assert settings_of(draft) == GOOD
    following = protocols.make_draft(actor=cast.admin, protocol=breast())
    assert following.pk != draft.pk
    assert settings_of(following) == GOOD
