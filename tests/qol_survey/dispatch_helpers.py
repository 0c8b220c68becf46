"""Patients due a quality of life survey invitation on TODAY, for the dispatch tests."""

import datetime

from portal.people.models import Patient
from qol_survey.models import Invitation, InvitationSend, QolLetter
from tests.factories import CareTeamFactory, DiagnosisFactory, PatientFactory

TODAY = datetime.date(2026, 12, 1)
DUE = datetime.date(2025, 6, 1)  # 18 months before TODAY (QOL_DUE_MONTHS)


def due(contact=Patient.Contact.EMAIL, *, site="breast", code="C50.9", teams=None, diagnosed=DUE, **patient):
    """A diagnosis due an invitation on TODAY, for a patient with this contact preference."""
    patient.setdefault("mobile", "07700 900123" if contact == Patient.Contact.SMS else "")
    if teams is None:
        teams = [CareTeamFactory(tumour_site=site)]
    person = PatientFactory(preferred_contact=contact, care_teams=teams, **patient)
    return DiagnosisFactory(patient=person, tumour_site=site, icd10_code=code, date_of_diagnosis=diagnosed)


def crowd(n, team=None):
    """n patients due, a third each by email, SMS and post, all under one team."""
    team = team or CareTeamFactory(tumour_site="breast")
    contacts = [Patient.Contact.EMAIL, Patient.Contact.SMS, Patient.Contact.POST]
    return [due(contacts[i % 3], teams=[team]) for i in range(n)]


def tally() -> dict:
    """What dispatch has written, to compare runs."""
    from portal.audit.models import AuditEvent
    from portal.outbox.models import Notification
    from qol_survey.services.dispatch import SYSTEM_ACTOR

    return {
        "invitations": Invitation.objects.count(),
        "sends": InvitationSend.objects.count(),
        "notifications": Notification.objects.filter(template__startswith="qol_survey.").count(),
        "letters": QolLetter.objects.count(),
        "audit": AuditEvent.objects.filter(actor_label=f"system:{SYSTEM_ACTOR}").count(),
    }
