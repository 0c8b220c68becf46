"""My care: the patient reads every summary sent to them, newest first, replaced versions marked,
each with its stored PDF (audited); nobody else's, no unsent versions; outsiders get 404."""

import pytest

from portal.audit.models import Action, AuditEvent
from tests.factories import PatientFactory
from tests.treatment_summaries.factories import sent_version, stand_in_pdf
from treatment_summaries.models import PatientCopy
from treatment_summaries.services import summaries

pytestmark = pytest.mark.django_db
MINE = "/treatment-summaries/mine/"


def pdf_url(version):
    return f"{MINE}{version.pk}/pdf/"


def test_patient_lists_sent_versions_newest_first_replaced_marked(client, cast):
    first = sent_version(cast)
    amended = sent_version(cast, after=first)  # supersedes the first
    unsent = sent_version(cast, status="signed_off")
    assert PatientCopy.objects.filter(version__in=[first, amended]).count() == 2  # sending made the copies
    client.force_login(cast.patient_user)
    page = client.get(MINE).content.decode()
    assert pdf_url(amended) in page and pdf_url(first) in page and pdf_url(unsent) not in page
    assert page.index(pdf_url(amended)) < page.index("Replaced by a newer version") < page.index(pdf_url(first))
    assert page.count("Replaced by a newer version") == 1 and "Amended" in page
    viewed = AuditEvent.objects.filter(action=Action.VIEW, actor=cast.patient_user)
    assert {e.object_id for e in viewed} == {str(first.pk), str(amended.pk)}


def test_patient_with_nothing_sent(client, cast):
    sent_version(cast, status="signed_off")
    client.force_login(cast.patient_user)
    assert "You do not have a treatment summary yet" in client.get(MINE).content.decode()


def test_the_sent_version_is_replaced_only_once_its_amendment_is_sent(client, cast):
    first = sent_version(cast)
    amendment = sent_version(cast, after=first, status="signed_off")
    client.force_login(cast.patient_user)
    page = client.get(MINE).content.decode()
    assert pdf_url(first) in page and pdf_url(amendment) not in page and "Replaced by a newer version" not in page
    summaries.send(actor=cast.cns_a, version=amendment)
    page = client.get(MINE).content.decode()
    assert page.index(pdf_url(amendment)) < page.index("Replaced by a newer version") < page.index(pdf_url(first))


def test_pdf_download_is_the_stored_copy_and_audited(client, cast):
    version = sent_version(cast)
    client.force_login(cast.patient_user)
    response = client.get(pdf_url(version))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == stand_in_pdf(version)
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == cast.patient_user and event.patient == cast.patient and event.object_id == str(version.pk)


def test_unsent_version_is_404_for_the_patient(client, cast):
    version = sent_version(cast, status="signed_off")
    client.force_login(cast.patient_user)
    assert client.get(pdf_url(version)).status_code == 404


def test_another_patients_summary_is_404(client, cast):
    other = PatientFactory(registered_practice=cast.practice_a, care_teams=[cast.team_a])
    version = sent_version(cast, patient=other)
    client.force_login(cast.patient_user)
    assert client.get(pdf_url(version)).status_code == 404
    assert pdf_url(version) not in client.get(MINE).content.decode()


@pytest.mark.parametrize("outsider", ["gp_b", "cns_b", "admin"])
def test_outsiders_get_404(client, cast, outsider):
    version = sent_version(cast)
    before = set(AuditEvent.objects.values_list("pk", flat=True))  # writing and sending it
    client.force_login(getattr(cast, outsider))
    assert client.get(pdf_url(version)).status_code == 404
    assert client.get(MINE).status_code == 404
    assert not AuditEvent.objects.exclude(pk__in=before).filter(object_id=str(version.pk)).exists()
