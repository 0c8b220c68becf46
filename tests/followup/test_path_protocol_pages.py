"""The protocol pages: staff read them; a service admin makes a draft, edits a step (a bad one is
shown on its field, nothing lost) and publishes it."""

import pytest

from followup.models import Protocol, ProtocolVersion, VersionStatus
from followup.services import protocols

pytestmark = pytest.mark.django_db


def breast():
    return Protocol.objects.get(slug="breast-default")


def test_staff_read_protocols_and_a_patient_gets_404(client, cast):
    published = protocols.current(breast())
    for who in (cast.cns_a, cast.gp_b, cast.admin):
        client.force_login(who)
        assert client.get("/follow-up/protocols/").status_code == 200
        assert "Mammogram" in client.get(f"/follow-up/protocols/{published.pk}/").content.decode()
    client.force_login(cast.patient_user)
    assert client.get("/follow-up/protocols/").status_code == 404


def test_a_cns_cannot_make_or_change_a_draft(client, cast):
    client.force_login(cast.cns_a)
    client.post("/follow-up/protocols/", {"protocol": "breast-default"})
    assert protocols.draft_of(breast()) is None
    published = protocols.current(breast())
    assert client.post(f"/follow-up/protocols/{published.pk}/", {"action": "publish"}).status_code == 404


def test_the_admin_drafts_edits_and_publishes(client, cast):
    client.force_login(cast.admin)
    response = client.post("/follow-up/protocols/", {"protocol": "breast-default"})
    draft = protocols.draft_of(breast())
    assert response.status_code == 302 and response["Location"] == f"/follow-up/protocols/{draft.pk}/"
    step = draft.steps.get()
    prefix = str(step.pk)
    bad = {
        "action": "save",
        "step": prefix,
        f"{prefix}-test_type": str(step.test_type_id),
        f"{prefix}-start_months": "12",
        f"{prefix}-every_months": "-6",
        f"{prefix}-until_months": "60",
    }
    page = client.post(f"/follow-up/protocols/{draft.pk}/", bad)
    assert page.status_code == 200
    assert "Every (months) must be at least 1" in page.content.decode()
    step.refresh_from_db()
    assert step.every_months == 12
    good = {**bad, f"{prefix}-every_months": "6"}
    assert client.post(f"/follow-up/protocols/{draft.pk}/", good).status_code == 302
    assert client.post(f"/follow-up/protocols/{draft.pk}/", {"action": "publish"}).status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.steps.get().every_months == 6
    assert ProtocolVersion.objects.filter(protocol=breast(), status=VersionStatus.RETIRED).count() == 1


def settings_post(**overrides):
    data = {
        "settings-anchor": "surgery",
        "settings-first_reminder_days": "21",
        "settings-second_reminder_days": "7",
        "settings-pifu_months": "36",
        "settings-checkin_months": "3",
    }
    return {**data, **{f"settings-{name}": value for name, value in overrides.items()}}


def test_a_draft_shows_its_settings_form_and_saves_good_values(client, cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    client.force_login(cast.admin)
    body = client.get(f"/follow-up/protocols/{draft.pk}/").content.decode()
    assert f'action="/follow-up/protocols/{draft.pk}/settings/"' in body
    assert 'name="settings-anchor"' in body and 'name="settings-first_reminder_days"' in body
    assert f'value="{draft.first_reminder_days}"' in body
    response = client.post(f"/follow-up/protocols/{draft.pk}/settings/", settings_post())
    assert response.status_code == 302 and response["Location"] == f"/follow-up/protocols/{draft.pk}/"
    draft.refresh_from_db()
    assert (draft.anchor, draft.first_reminder_days, draft.second_reminder_days) == ("surgery", 21, 7)
    assert (draft.pifu_months, draft.checkin_months) == (36, 3)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"first_reminder_days": "120"}, "The first reminder must be between 1 and 90 days before the test"),
        ({"second_reminder_days": "21"}, "The second reminder must be fewer days before the test than the first"),
        ({"checkin_months": "three"}, "Symptom check-in every (months) must be a whole number"),
        ({"anchor": "chemotherapy"}, "Select what the protocol counts from"),
    ],
)
def test_bad_settings_are_shown_on_their_field_and_what_was_typed_is_kept(client, cast, bad, message):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    before = (draft.anchor, draft.first_reminder_days, draft.second_reminder_days, draft.checkin_months)
    client.force_login(cast.admin)
    page = client.post(f"/follow-up/protocols/{draft.pk}/settings/", settings_post(pifu_months="48", **bad))
    assert page.status_code == 200
    body = page.content.decode()
    assert "There is a problem" in body and "nhsuk-error-message" in body
    assert message in body
    assert 'value="48"' in body  # the good value typed with it is kept on the page, not saved
    typed = next(iter(bad.values()))
    if typed != "chemotherapy":  # a radio keeps only a real choice
        assert f'value="{typed}"' in body
    draft.refresh_from_db()
    assert (draft.anchor, draft.first_reminder_days, draft.second_reminder_days, draft.checkin_months) == before
    assert draft.pifu_months != 48


def test_a_cns_cannot_change_a_drafts_settings(client, cast):
    draft = protocols.make_draft(actor=cast.admin, protocol=breast())
    before = draft.first_reminder_days
    client.force_login(cast.cns_a)
    assert client.post(f"/follow-up/protocols/{draft.pk}/settings/", settings_post()).status_code == 404
    body = client.get(f"/follow-up/protocols/{draft.pk}/").content.decode()
    assert 'name="settings-anchor"' not in body and "First reminder" in body  # read-only for a CNS
    draft.refresh_from_db()
    assert draft.first_reminder_days == before


def test_a_published_versions_settings_are_read_only(client, cast):
    published = protocols.current(breast())
    client.force_login(cast.admin)
    assert client.post(f"/follow-up/protocols/{published.pk}/settings/", settings_post()).status_code == 404
    body = client.get(f"/follow-up/protocols/{published.pk}/").content.decode()
    assert "nhsuk-summary-list" in body and 'name="settings-anchor"' not in body
    assert f"{published.first_reminder_days} days before the test" in body
    assert published.get_anchor_display() in body
    published.refresh_from_db()
    assert published.first_reminder_days != 21
