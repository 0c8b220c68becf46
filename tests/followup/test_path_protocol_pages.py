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
