"""Existing HNAs and plans under COSD code list v1 (hna/cosd_v1.py, ADR 0050): each HNA gets the
COSD staff role its set-up role gave (what the export sent before), an offer status that follows
the assessment (a completed one is "03 offered and accepted", dated the day it was sent) and the
date of that status (history rows too); each plan version gets the staff role of who agreed it (or started it, for a
draft). Point of pathway codes did not change (only the label of 06), so none are remapped."""

from django.db import migrations
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

COMPLETED = ["submitted", "reviewed"]
CARE_TEAM_ROLES = ["cns", "support_worker", "clinician"]


def forwards(apps, schema_editor):
    from hna.cosd_v1 import DEFAULT_STAFF_ROLE, ROLE_DEFAULTS

    Assessment = apps.get_model("hna", "Assessment")
    CarePlan = apps.get_model("hna", "CarePlan")
    RoleAssignment = apps.get_model("people", "RoleAssignment")

    for role, code in ROLE_DEFAULTS.items():
        Assessment.objects.filter(staff_role=role).update(cosd_staff_role=code)
    Assessment.objects.exclude(staff_role__in=list(ROLE_DEFAULTS)).update(cosd_staff_role=DEFAULT_STAFF_ROLE)

    zone = timezone.get_current_timezone()
    Assessment.objects.filter(status__in=COMPLETED).update(
        offer_status="03", offer_status_date=TruncDate("submitted_at", tzinfo=zone)
    )
    Assessment.objects.filter(offer_status_date__isnull=True).update(offer_status_date=F("event_date"))
    # History rows from before the column existed: until now the offer status never moved from the
    # one set up on the offer date, so that is the date each of them recorded.
    AssessmentEvent = apps.get_model("hna", "AssessmentEvent")
    AssessmentEvent.objects.filter(offer_status_date__isnull=True).update(offer_status_date=F("event_date"))

    for plan in CarePlan.objects.filter(cosd_staff_role="").iterator():
        who = plan.locked_by_id or plan.started_by_id
        roles = RoleAssignment.objects.filter(user_id=who, role__in=CARE_TEAM_ROLES)
        assignment = roles.filter(Q(team_id=plan.team_id)).first() or roles.first()
        code = ROLE_DEFAULTS.get(assignment.role, DEFAULT_STAFF_ROLE) if assignment else DEFAULT_STAFF_ROLE
        CarePlan.objects.filter(pk=plan.pk).update(cosd_staff_role=code)


class Migration(migrations.Migration):
    dependencies = [("hna", "0004_cosd_v1_fields"), ("people", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
