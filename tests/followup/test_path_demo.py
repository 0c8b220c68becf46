"""The follow-up pathway demo stages seed_demo makes (followup/demo_pathways.py)."""

import pytest

from followup import demo_pathways as demo
from followup.models import Pathway, PathwayKind, PathwayStatus
from portal.people.demo import demo_nhs_number
from portal.people.models import Patient
from portal.worklist.models import Kind, Status, WorkItem

pytestmark = pytest.mark.django_db


def pathway_of(index) -> Pathway:
    return Pathway.objects.get(patient__nhs_number=demo_nhs_number(index))


def test_each_stage_is_in_the_state_it_names(seeded_demo):
    assert "Follow-up: colorectal, patient-initiated" in seeded_demo
    pifu = pathway_of(demo.COLORECTAL_PIFU)
    assert (pifu.kind, pifu.status, pifu.team.tumour_site) == (PathwayKind.PATIENT_INITIATED, "active", "colorectal")
    assert pifu.pifu_end > pifu.pifu_start and pifu.trigger_symptoms and pifu.tests.exists()
    breast = pathway_of(demo.BREAST_PROFESSIONAL)
    assert (breast.kind, breast.team.tumour_site) == (PathwayKind.PROFESSIONAL_LED, "breast")
    prostate = pathway_of(demo.PROSTATE)
    assert prostate.team.tumour_site == "prostate" and prostate.created_by.email.startswith("cns.prostate")
    suspended = pathway_of(demo.COLORECTAL_SUSPENDED)
    assert suspended.status == PathwayStatus.SUSPENDED
    assert suspended.changes.filter(status_to="suspended").exists()
    waiting = Patient.objects.get(nhs_number=demo_nhs_number(demo.PROSTATE_WAITING))
    assert not waiting.followup_pathways.exists()
    item = WorkItem.objects.get(kind=Kind.STRATIFY, patient=waiting, status=Status.OPEN)
    assert item.team.tumour_site == "prostate"


def test_the_demo_has_had_this_mornings_sweep_and_a_letter_to_print(seeded_demo):
    from followup.models import FollowupLetter, TestReminder

    assert TestReminder.objects.exists()
    assert "a letter waiting to be printed" in seeded_demo
    assert FollowupLetter.objects.filter(printed_at=None).exists()
