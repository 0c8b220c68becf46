"""Every service that takes `actor=` checks it against the policy table: an actor the table refuses
(another team, another practice, a role with no right to change that kind, an admin, an auditor, a
patient) gets PermissionDenied and changes nothing. Services are found by looking, so a new one
without an entry here fails."""

import datetime
import importlib
import inspect
import uuid

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from followup.services import results
from hna.services import accounts, assessments, care_plans, staff_entry
from portal.audit.models import Action, AuditEvent
from portal.people.models import Role
from portal.worklist.models import Kind, Status
from portal.worklist.services import assign, change_status, raise_item
from tests.access.policy_fixtures import complete_draft, plain_pdf, sent_summary, signed_off_summary
from tests.access.test_policy_channels import people
from tests.factories import DiagnosisFactory, PatientFactory
from tests.followup.results_helpers import matched_result, reviewed_result, unmatched_and_test
from tests.hna.test_accounts import submitted
from tests.hna.test_care_plans import locked_plan, start, submitted_assessment
from tests.portal.test_settings import ROOT
from treatment_summaries.services import inbox, letters, summaries

pytestmark = pytest.mark.django_db

# Services that take an actor only to name it in the record: the caller has already been checked.
NOT_USER_FACING = {
    "portal.worklist.services.raise_item": "raised by other services after their own check, or by the system",
    "portal.worklist.services.close_for_source": "closed by the service that did the work, after its own check",
    "portal.worklist.services.raise_items": "raise_item for many (the daily sweeps): the system's, no user's",
    "portal.worklist.services.close_for_sources": "close_for_source for many (the daily sweeps), as above",
    "followup.services.history.change_pathway_status": "the history primitive: called by the follow-up "
    "services after their own check (or by the sweep); the actor only names who made the change",
    "followup.services.history.change_test_status": "the history primitive: called by the follow-up "
    "services after their own check (or by the sweep); the actor only names who made the change",
    "followup.services.history.change_tests_status": "change_test_status for many (the sweep's requests "
    "and cancellations), as above",
    # followup: results
    "followup.services.results.record_result": "checks the actor has a care team to receive results; a "
    "patient outside it is treated as unknown: kept unmatched for the actor's own team, revealing nothing",
    "followup.services.results_csv.upload": "each row is a record_result (above), after the same team check",
    "followup.services.results.receiving_team": "the team check itself (care_team_of); changes nothing",
    "followup.services.results.unmatched_for": "a scoped query (changeable_by, the actor's team); changes nothing",
    "treatment_summaries.services.inbox.may_act": "asks the table (changeable_by); changes nothing",
    "hna.services.assessments.default_staff_role": "reads the actor's role in use for a form's suggestion; "
    "changes nothing",
    "hna.services.passcodes.issue": "called by set_up, reissue_passcode and issue_account_passcode after their "
    "own check; the actor only records who closed the 'passcode locked' item",
    "hna.services.assessments.new_assessment": "called by set_up and staff_entry.start_entry after their own "
    "policy check; the actor only names the team, role and who set it up",
    "hna.services.assessments.complete": "called by submit and staff_entry.enter_scores_and_send after their "
    "own check; the actor only records who sent it",
    "hna.services.care_plans.lock_staff_role": "reads the set-up role or the actor's role in use for the lock "
    "form's suggestion; changes nothing",
    "hna.services.staff_entry.require_entering": "the check itself (policy.require), used by "
    "enter_scores_and_send; changes nothing",
}


def _wb_booking(cast, status):
    from tests.wellbeing.factories import make_session
    from wellbeing.models import Booking

    return Booking.objects.create(session=make_session(), patient=cast.patient, status=status)


def _wb_past_booking(cast):
    from django.utils import timezone

    from tests.wellbeing.factories import make_session
    from wellbeing.models import Booking

    started = make_session(starts_at=timezone.now() - datetime.timedelta(hours=2))
    return Booking.objects.create(session=started, patient=cast.patient, status="booked")


def _wb_later():
    from django.utils import timezone

    return timezone.now() + datetime.timedelta(days=10)


def _wb_request():
    from tests.wellbeing.factories import make_session
    from wellbeing.models import Booking

    return Booking.objects.create(session=make_session(), name="Jo Bloggs", phone="0113 496 0000", status="requested")


def _qol_locked_invitation(cast):
    from django.utils import timezone

    from tests.qol_survey.factories import make_invitation

    return make_invitation(patient=cast.patient, team=cast.team_a, failed_attempts=5, locked_at=timezone.now())


def _draft_summary(cast):
    return summaries.start(actor=cast.cns_a, patient=cast.patient)


def _item(cast):
    return raise_item(
        kind=Kind.OTHER, patient=cast.patient, team=cast.team_a, practice=cast.practice_a,
        source_type="tests.actor", source_id=uuid.uuid4().hex, title="t", system_actor="tests",
    )  # fmt: skip


def _submitted_without_account(cast):
    patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a)
    return submitted(cast, patient)


def _plan_item(cast):
    plan = start(cast)
    return plan.items.first()


# followup: path
from followup.services import pathways as _fu_path  # noqa: E402
from followup.services import protocols as _fu_protocols  # noqa: E402


def _fu_path_version():
    from followup.models import ProtocolVersion

    return ProtocolVersion.objects.get(protocol__slug="breast-default", status="published")


def _fu_path_protocol():
    return _fu_path_version().protocol


def _fu_path_team(patient):
    return patient.care_teams.get()


def _fu_path_pathway(cast):
    from tests.followup.factories import make_pathway

    patient = PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a)
    return make_pathway(patient=patient, team=cast.team_a)


TEAM = {Role.CNS, Role.SUPPORT_WORKER, Role.CLINICIAN}
WRITERS = {Role.CNS, Role.CLINICIAN}  # support workers do not write clinical records
PRACTICE = {Role.GP, Role.PRACTICE_STAFF}

# name: (make(cast) -> state, call(actor, state), the roles allowed, in scope; care-team roles if not given)
SERVICES = {
    "hna.services.assessments.set_up": (
        lambda cast: cast.patient,
        lambda actor, p: assessments.set_up(
            actor=actor,
            patient=p,
            point_of_pathway="01",
            trigger="diagnosis",
            offer_status="03",
            event_date=datetime.date.today(),
        ),  # fmt: skip
    ),
    "hna.services.staff_entry.start_entry": (
        lambda cast: cast.patient,
        lambda actor, p: staff_entry.start_entry(
            actor=actor, patient=p, entry_mode="assisted", point_of_pathway="01", trigger="diagnosis"
        ),
    ),
    "hna.services.staff_entry.enter_scores_and_send": (
        lambda cast: staff_entry.start_entry(
            actor=cast.cns_a, patient=cast.patient, entry_mode="in_clinic", point_of_pathway="01", trigger="diagnosis"
        ),
        lambda actor, a: staff_entry.enter_scores_and_send(actor=actor, assessment=a, scores={}),
    ),
    "hna.services.assessments.reissue_passcode": (
        lambda cast: (
            assessments.set_up(
                actor=cast.cns_a,
                patient=cast.patient,
                point_of_pathway="01",
                trigger="diagnosis",
                offer_status="03",
                event_date=datetime.date.today(),
            ).assessment
        ),  # fmt: skip
        lambda actor, a: assessments.reissue_passcode(actor=actor, assessment=a),
    ),
    "hna.services.assessments.record_offer_outcome": (
        lambda cast: (
            assessments.set_up(
                actor=cast.cns_a,
                patient=cast.patient,
                point_of_pathway="01",
                trigger="diagnosis",
                offer_status="01",
                event_date=datetime.date.today(),
            ).assessment
        ),  # fmt: skip
        lambda actor, a: assessments.record_offer_outcome(
            actor=actor, assessment=a, offer_status="02", on=datetime.date.today()
        ),
    ),
    "hna.services.assessments.mark_reviewed": (
        submitted_assessment,
        lambda actor, a: assessments.mark_reviewed(actor=actor, assessment=a),
    ),
    "hna.services.accounts.issue_account_passcode": (
        _submitted_without_account,
        lambda actor, a: accounts.issue_account_passcode(actor, a),
    ),
    "hna.services.care_plans.start_plan": (
        submitted_assessment,
        lambda actor, a: care_plans.start_plan(actor=actor, assessment=a),
    ),
    "hna.services.care_plans.update_item": (
        _plan_item,
        lambda actor, i: care_plans.update_item(actor=actor, item=i, seen_lock_version=0, action="Call the team"),
    ),
    "hna.services.care_plans.add_concern": (
        start,
        lambda actor, p: care_plans.add_concern(actor=actor, plan=p, seen_lock_version=0, concern="Money"),
    ),
    "hna.services.care_plans.update_summary": (
        start,
        lambda actor, p: care_plans.update_summary(actor=actor, plan=p, seen_lock_version=0, summary="Talked"),
    ),
    "hna.services.care_plans.set_sharing": (
        start,
        lambda actor, p: care_plans.set_sharing(actor=actor, plan=p, seen_lock_version=0, shared_with_gp=True),
    ),
    "hna.services.care_plans.lock": (
        start,
        lambda actor, p: care_plans.lock(actor=actor, plan=p, seen_lock_version=0, confirm_blank=True),
    ),
    "hna.services.care_plans.unlock_to_amend": (
        locked_plan,
        lambda actor, p: care_plans.unlock_to_amend(actor=actor, plan=p),
    ),
    "treatment_summaries.services.summaries.start": (
        lambda cast: cast.patient,
        lambda actor, p: summaries.start(actor=actor, patient=p),
        WRITERS,
    ),
    "treatment_summaries.services.summaries.update": (
        _draft_summary,
        lambda actor, v: summaries.update(actor=actor, version=v, seen_lock_version=0, red_flags="A lump"),
        WRITERS,
    ),
    "treatment_summaries.services.summaries.set_side_effects": (
        _draft_summary,
        lambda actor, v: summaries.set_side_effects(actor=actor, version=v, seen_lock_version=0, option_ids=[]),
        WRITERS,
    ),
    "treatment_summaries.services.summaries.add_treatment": (
        _draft_summary,
        lambda actor, v: summaries.add_treatment(
            actor=actor,
            version=v,
            seen_lock_version=0,
            treatment_type="surgery",
            description="Excision",
            start_date=datetime.date(2026, 4, 1),
        ),  # fmt: skip
        WRITERS,
    ),
    "treatment_summaries.services.summaries.remove_treatment": (
        lambda cast: summaries.add_treatment(
            actor=cast.cns_a,
            version=_draft_summary(cast),
            seen_lock_version=0,
            treatment_type="surgery",
            description="Excision",
            start_date=datetime.date(2026, 4, 1),
        ),  # fmt: skip
        lambda actor, t: summaries.remove_treatment(actor=actor, treatment=t),
        WRITERS,
    ),
    "treatment_summaries.services.summaries.add_gp_action": (
        _draft_summary,
        lambda actor, v: summaries.add_gp_action(actor=actor, version=v, seen_lock_version=0, text="Bone health"),
        WRITERS,
    ),
    "treatment_summaries.services.summaries.remove_gp_action": (
        lambda cast: summaries.add_gp_action(
            actor=cast.cns_a, version=_draft_summary(cast), seen_lock_version=0, text="Bone health"
        ),
        lambda actor, a: summaries.remove_gp_action(actor=actor, action=a),
        WRITERS,
    ),
    "treatment_summaries.services.summaries.sign_off": (
        complete_draft,
        lambda actor, v: summaries.sign_off(actor=actor, version=v, render_pdf=plain_pdf),
        # Only a clinician at the default setting; a trust may let its CNSs sign too (ADR 0051), which
        # tests/treatment_summaries/test_sign_off_setting.py checks for both settings.
        {Role.CLINICIAN},
    ),
    "treatment_summaries.services.summaries.send": (
        lambda cast: signed_off_summary(cast),
        lambda actor, v: summaries.send(actor=actor, version=v),
        WRITERS,
    ),
    "treatment_summaries.services.summaries.amend": (
        lambda cast: sent_summary(cast),
        lambda actor, v: summaries.amend(actor=actor, version=v, reason="Staging corrected"),
        WRITERS,
    ),
    "treatment_summaries.services.inbox.mark_read": (
        lambda cast: sent_summary(cast).practice_deliveries.get(),
        lambda actor, d: inbox.mark_read(actor=actor, delivery=d),
        PRACTICE,  # the care team reads inbox entries without marking them
    ),
    "treatment_summaries.services.inbox.acknowledge": (
        lambda cast: sent_summary(cast).practice_deliveries.get(),
        lambda actor, d: inbox.acknowledge(actor=actor, delivery=d),
        PRACTICE,
    ),
    "treatment_summaries.services.inbox.respond_to_action": (
        lambda cast: sent_summary(cast).gp_actions.get(),
        lambda actor, a: inbox.respond_to_action(actor=actor, action=a, status="done"),
        PRACTICE,
    ),
    "treatment_summaries.services.letters.letter_batch": (
        lambda cast: cast.team_a,
        lambda actor, team: letters.letter_batch(actor, team),
    ),
    # followup: results
    "followup.services.results.match_result": (
        unmatched_and_test,
        lambda actor, state: results.match_result(actor, *state),
    ),
    "followup.services.results.review": (
        matched_result,
        lambda actor, r: results.review(actor, r, "Normal"),
        WRITERS,  # a support worker keys results in; a CNS or clinician reviews them
    ),
    "followup.services.results.tell": (
        reviewed_result,
        lambda actor, r: results.tell(actor, r, "phone"),
    ),
    # followup: path
    "followup.services.pathways.stratify": (
        lambda cast: PatientFactory(care_teams=[cast.team_a], registered_practice=cast.practice_a),
        lambda actor, p: _fu_path.stratify(
            actor=actor,
            patient=p,
            team=_fu_path_team(p),
            kind="professional_led",
            protocol_version=_fu_path_version(),
            anchor_date=datetime.date(2026, 3, 1),
        ),  # fmt: skip
        WRITERS,
    ),
    "followup.services.pathways.amend": (
        lambda cast: _fu_path_pathway(cast),
        lambda actor, p: _fu_path.amend(actor=actor, pathway=p, reason="New phone", team_phone="0113"),
        WRITERS,
    ),
    "followup.services.pathways.suspend": (
        lambda cast: _fu_path_pathway(cast),
        lambda actor, p: _fu_path.suspend(actor=actor, pathway=p, reason="Raised CEA"),
        WRITERS,
    ),
    "followup.services.pathways.reactivate": (
        lambda cast: _fu_path.suspend(actor=cast.cns_a, pathway=_fu_path_pathway(cast), reason="Raised CEA"),
        lambda actor, p: _fu_path.reactivate(actor=actor, pathway=p, reason="Stable"),
        WRITERS,
    ),
    "followup.services.pathways.add_test": (
        lambda cast: _fu_path_pathway(cast),
        lambda actor, p: _fu_path.add_test(
            actor=actor, pathway=p, test_type=p.tests.first().test_type, due_date=p.anchor_date, reason="Extra"
        ),  # fmt: skip
        WRITERS,
    ),
    "followup.services.pathways.move_test": (
        lambda cast: _fu_path_pathway(cast).tests.first(),
        lambda actor, t: _fu_path.move_test(
            actor=actor, test=t, due_date=t.due_date + datetime.timedelta(days=7), reason="Holiday"
        ),  # fmt: skip
        WRITERS,
    ),
    "followup.services.pathways.cancel_test": (
        lambda cast: _fu_path_pathway(cast).tests.first(),
        lambda actor, t: _fu_path.cancel_test(actor=actor, test=t, reason="Not needed"),
        WRITERS,
    ),
    "followup.services.protocols.make_draft": (
        lambda cast: _fu_path_protocol(),
        lambda actor, p: _fu_protocols.make_draft(actor=actor, protocol=p),
        {Role.SERVICE_ADMIN},  # protocols are reference data, the service admins' (ADR 0027)
    ),
    "followup.services.protocols.save_step": (
        lambda cast: _fu_protocols.make_draft(actor=cast.admin, protocol=_fu_path_protocol()),
        lambda actor, v: _fu_protocols.save_step(actor=actor, version=v, step=v.steps.first(), every_months=6),
        {Role.SERVICE_ADMIN},
    ),
    "followup.services.protocols.save_settings": (
        lambda cast: _fu_protocols.make_draft(actor=cast.admin, protocol=_fu_path_protocol()),
        lambda actor, v: _fu_protocols.save_settings(actor=actor, version=v, checkin_months=3),
        {Role.SERVICE_ADMIN},
    ),
    "followup.services.protocols.remove_step": (
        lambda cast: _fu_protocols.make_draft(actor=cast.admin, protocol=_fu_path_protocol()),
        lambda actor, v: _fu_protocols.remove_step(actor=actor, version=v, step=v.steps.first()),
        {Role.SERVICE_ADMIN},
    ),
    "followup.services.protocols.publish": (
        lambda cast: _fu_protocols.make_draft(actor=cast.admin, protocol=_fu_path_protocol()),
        lambda actor, v: _fu_protocols.publish(actor=actor, version=v),
        {Role.SERVICE_ADMIN},
    ),
    "portal.worklist.services.change_status": (
        _item,
        lambda actor, i: change_status(i, Status.IN_PROGRESS, actor=actor),
        TEAM | PRACTICE,
    ),
    "portal.worklist.services.assign": (
        _item,
        lambda actor, i: assign(i, None, actor=actor),
        TEAM | PRACTICE,
    ),
    # followup: sweep
    "followup.services.sweep_letters.letter_batch": (
        lambda cast: cast.team_a,
        lambda actor, team: importlib.import_module("followup.services.sweep_letters").letter_batch(actor, team),
    ),
    # qol_survey: dispatch (the survey's letters are the owning team's to print and export)
    "qol_survey.services.dispatch_letters.letter_batch": (
        lambda cast: cast.team_a,
        lambda actor, team: importlib.import_module("qol_survey.services.dispatch_letters").letter_batch(actor, team),
    ),
    "qol_survey.services.dispatch_letters.mailing_csv": (
        lambda cast: cast.team_a,
        lambda actor, team: importlib.import_module("qol_survey.services.dispatch_letters").mailing_csv(actor, team),
    ),
    # care reviews: the patient's practice records a review; the patient asks for one
    "care_reviews.services.reviews.record_review": (
        lambda cast: DiagnosisFactory(patient=cast.patient),
        lambda actor, d: importlib.import_module("care_reviews.services.reviews").record_review(
            actor=actor,
            diagnosis=d,
            kind="review",
            outcome="completed",
            reviewed_on=d.date_of_diagnosis,
            mode="phone",
        ),  # fmt: skip
        {Role.GP, Role.PRACTICE_STAFF},
    ),
    "care_reviews.services.reviews.ask_for_review": (
        lambda cast: cast.patient,
        lambda actor, p: importlib.import_module("care_reviews.services.reviews").ask_for_review(
            actor=actor, patient=p
        ),
        {Role.GP, Role.PRACTICE_STAFF, "patient"},
    ),
    # wellbeing: bookings (a patient books and cancels their own; service admins anyone's)
    "wellbeing.services.bookings.book": (
        lambda cast: (importlib.import_module("tests.wellbeing.factories").make_session(), cast.patient),
        lambda actor, made: importlib.import_module("wellbeing.services.bookings").book(
            made[0], actor=actor, patient=made[1]
        ),
        {Role.SERVICE_ADMIN, "patient"},
    ),
    "wellbeing.services.bookings.cancel": (
        lambda cast: _wb_booking(cast, "booked"),
        lambda actor, b: importlib.import_module("wellbeing.services.bookings").cancel(b, actor=actor),
        {Role.SERVICE_ADMIN, "patient"},
    ),
    "wellbeing.services.bookings.confirm": (
        lambda cast: _wb_request(),
        lambda actor, b: importlib.import_module("wellbeing.services.bookings").confirm(b, actor=actor),
        {Role.SERVICE_ADMIN},  # a request has no patient: no one's "self"
    ),
    "wellbeing.services.bookings.record_attendance": (
        lambda cast: _wb_past_booking(cast),
        lambda actor, b: importlib.import_module("wellbeing.services.bookings").record_attendance(
            b, actor=actor, attended=True
        ),
        {Role.SERVICE_ADMIN},  # the patient may cancel their booking, not mark themselves as there
    ),
    # wellbeing: sessions (reference data, the service admins': policy.is_service_admin)
    "wellbeing.services.sessions.schedule": (
        lambda cast: None,
        lambda actor, _: importlib.import_module("wellbeing.services.sessions").schedule(
            actor=actor,
            title="Fatigue",
            category="therapies",
            starts_at=_wb_later(),
            online=False,
            place="Macmillan centre",
            capacity=5,
        ),  # fmt: skip
        {Role.SERVICE_ADMIN},
    ),
    "wellbeing.services.sessions.edit": (
        lambda cast: importlib.import_module("tests.wellbeing.factories").make_session(),
        lambda actor, s: importlib.import_module("wellbeing.services.sessions").edit(s, actor=actor, capacity=9),
        {Role.SERVICE_ADMIN},
    ),
    "wellbeing.services.sessions.cancel": (
        lambda cast: importlib.import_module("tests.wellbeing.factories").make_session(),
        lambda actor, s: importlib.import_module("wellbeing.services.sessions").cancel(s, actor=actor),
        {Role.SERVICE_ADMIN},
    ),
    # qol_survey: answer (unlocking a survey that wrong dates of birth locked: the owning team's)
    "qol_survey.services.access.unlock": (
        lambda cast: _qol_locked_invitation(cast),
        lambda actor, inv: importlib.import_module("qol_survey.services.access").unlock(inv, actor=actor),
    ),
}


# followup: patient
def _fu_patient_pathway(cast):
    from followup.models import Pathway
    from tests.followup.factories import make_pathway

    # One open pathway per patient and team: each allowed role's call reuses it.
    return Pathway.objects.filter(patient=cast.patient, team=cast.team_a).first() or make_pathway(
        patient=cast.patient, team=cast.team_a, trigger_symptoms=["Bleeding"]
    )


def _fu_patient_concern(cast, outcome=False):
    from followup.services import concerns

    concern = concerns.raise_concern(cast.patient_user, _fu_patient_pathway(cast), ["Bleeding"], "")
    if outcome:
        concern = concerns.record_outcome(cast.cns_a, concerns.triage(cast.cns_a, concern, "amber"), "advice")
    return concern


def _fu_patient_checkin(cast):
    from followup.models import CheckIn

    now = datetime.datetime.now(datetime.UTC)
    return CheckIn.objects.create(pathway=_fu_patient_pathway(cast), sent_at=now, due_by=now.date())


def _fu_patient_services():
    from followup.services import checkins, concerns
    from portal.access.policy import PATIENT

    return {
        "followup.services.concerns.raise_concern": (
            _fu_patient_pathway,
            lambda actor, p: concerns.raise_concern(
                actor, p, [], "Bleeding", on_behalf=getattr(actor, "patient", None) is None
            ),
            TEAM | {PATIENT},
        ),
        "followup.services.concerns.triage": (
            _fu_patient_concern,
            lambda actor, c: concerns.triage(actor, c, "amber"),
            WRITERS,  # a clinical judgement: not support workers
        ),
        "followup.services.concerns.record_outcome": (
            lambda cast: concerns.triage(cast.cns_a, _fu_patient_concern(cast), "amber"),
            lambda actor, c: concerns.record_outcome(actor, c, "advice"),
            WRITERS,
        ),
        "followup.services.concerns.close": (
            lambda cast: _fu_patient_concern(cast, outcome=True),
            lambda actor, c: concerns.close(actor, c),
            WRITERS,
        ),
        "followup.services.checkins.answer_checkin": (
            _fu_patient_checkin,
            lambda actor, c: checkins.answer_checkin(actor, c, {"Bleeding": "no"}),
            {PATIENT},  # the patient's own answers
        ),
    }


SERVICES.update(_fu_patient_services())
# end followup: patient


# wellbeing: library (the resource library and services directory: reference data, the service
# admins', policy.is_service_admin, ADR 0043)
def _wb_library_services():
    from tests.wellbeing import library_helpers as made
    from wellbeing.services import library

    admins = {Role.SERVICE_ADMIN}

    def retired_resource(cast):
        return library.retire_resource(made.make_resource(), actor=cast.admin)

    def retired_service(cast):
        return library.retire_service(made.make_service(), actor=cast.admin)

    return {
        "wellbeing.services.library.add_resource": (
            lambda cast: None,
            lambda actor, _: library.add_resource(actor=actor, **made.resource_fields()),
            admins,
        ),
        "wellbeing.services.library.edit_resource": (
            lambda cast: made.make_resource(),
            lambda actor, r: library.edit_resource(r, actor=actor, title="Fatigue"),
            admins,
        ),
        "wellbeing.services.library.retire_resource": (
            lambda cast: made.make_resource(),
            lambda actor, r: library.retire_resource(r, actor=actor),
            admins,
        ),
        "wellbeing.services.library.restore_resource": (
            retired_resource,
            lambda actor, r: library.restore_resource(r, actor=actor),
            admins,
        ),
        "wellbeing.services.library.add_service": (
            lambda cast: None,
            lambda actor, _: library.add_service(actor=actor, **made.service_fields()),
            admins,
        ),
        "wellbeing.services.library.edit_service": (
            lambda cast: made.make_service(),
            lambda actor, s: library.edit_service(s, actor=actor, name="Benefits"),
            admins,
        ),
        "wellbeing.services.library.retire_service": (
            lambda cast: made.make_service(),
            lambda actor, s: library.retire_service(s, actor=actor),
            admins,
        ),
        "wellbeing.services.library.restore_service": (
            retired_service,
            lambda actor, s: library.restore_service(s, actor=actor),
            admins,
        ),
    }


SERVICES.update(_wb_library_services())
# end wellbeing: library


def services_taking_an_actor() -> set[str]:
    found = set()
    for path in [*ROOT.glob("*/services.py"), *ROOT.glob("*/services/*.py"), *ROOT.glob("portal/*/services.py")]:
        if "audit" in path.parts or path.name == "__init__.py":
            continue  # the Auditor names actors; it decides nothing
        module = importlib.import_module(".".join(path.relative_to(ROOT).with_suffix("").parts))
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_"):
                if "actor" in inspect.signature(function).parameters:
                    found.add(f"{module.__name__}.{name}")
    return found


def test_every_service_that_takes_an_actor_is_checked_here():
    assert services_taking_an_actor() - set(NOT_USER_FACING) == set(SERVICES)


def allowed_roles(name) -> set:
    return SERVICES[name][2] if len(SERVICES[name]) > 2 else TEAM


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_an_actor_the_table_refuses_gets_permission_denied(cast, name):
    make, call = SERVICES[name][:2]
    cast_people = people(cast)
    state = make(cast)
    allowed = allowed_roles(name)
    refused = [insider for role, (insider, _outsider) in cast_people.items() if role not in allowed]
    refused += [outsider for _insider, outsider in cast_people.values() if outsider is not None]
    before = AuditEvent.objects.exclude(action=Action.VIEW).count()
    for actor in refused:
        with pytest.raises(PermissionDenied), transaction.atomic():
            call(actor, state)
    assert AuditEvent.objects.exclude(action=Action.VIEW).count() == before, "a refused actor changed something"


@pytest.mark.parametrize("name", sorted(SERVICES))
def test_each_check_lets_every_allowed_role_through(cast, name):
    """So the refusals above are refusals, not a service that refuses everyone."""
    make, call = SERVICES[name][:2]
    cast_people = people(cast)
    for role in sorted(allowed_roles(name)):
        with transaction.atomic():
            call(cast_people[role][0], make(cast))
