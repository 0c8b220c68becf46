"""For every kind of record in the policy table: how to make one through the services, and every
channel that shows it. tests/access/test_policy_channels.py reads this and the table, and checks
each kind x role x channel. A new app adds its kinds here.

Every record is about cast.patient (care team A, registered at practice A) and is built to meet every
rule it can meet (a plan agreed and shared, a summary sent and delivered), so a role the table lets
see it must see it. A record that can meet only some rules (a notification about a patient cannot be
"about no patient") says which, in `meets`."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction

from hna.services import care_plans
from portal.access.kinds import RecordKind, Rule
from portal.audit.models import Action
from portal.audit.services import record
from portal.outbox.services import queue_notification
from portal.people.models import Role
from portal.worklist.models import Kind as WorkKind
from portal.worklist.services import raise_item
from tests.factories import DiagnosisFactory
from tests.hna.test_care_plans import submitted_assessment
from treatment_summaries.services import summaries

TEAM = frozenset({Role.CNS, Role.SUPPORT_WORKER, Role.CLINICIAN})
PRACTICE = frozenset({Role.GP, Role.PRACTICE_STAFF})
STAFF = TEAM | PRACTICE | {Role.SERVICE_ADMIN, Role.AUDITOR}
PATIENT = frozenset({"patient"})
ANYONE = STAFF | PATIENT
EVERY_RULE = frozenset(Rule) - {Rule.NONE, Rule.NO_PATIENT}


@dataclass
class Channel:
    """One way a record reaches someone. `url(records, record)`; `marker(records, record)` is what a
    list shows of it (None for a detail address, which is 200 or 404). `audience` is who the page is
    for: anyone else gets 404 or an empty list, even when the table would let them see the record
    (the practice reads a summary in its inbox, not on the hospital's page)."""

    name: str
    url: object
    marker: object = None
    audience: frozenset = ANYONE
    kind_of_channel: str = "page"  # page, api, fhir, pdf, csv, admin
    detail: bool = False  # a detail address with a marker: 200 with the marker, or 404


@dataclass
class Made:
    record: object
    meets: frozenset = EVERY_RULE


@dataclass
class KindFixture:
    build: object  # build(cast) -> (records: dict, made: list[Made])
    channels: list = field(default_factory=list)


def _pk(_records, obj):
    return obj.pk


def plain_pdf(version) -> bytes:
    return f"%PDF-1.4 summary {version.pk}\n%%EOF".encode()


def complete_draft(cast, patient=None):
    """A draft summary by CNS A with everything sign-off needs."""
    patient = patient or cast.patient
    version = summaries.start(actor=cast.cns_a, patient=patient)
    version = summaries.update(
        actor=cast.cns_a,
        version=version,
        seen_lock_version=version.lock_version,
        diagnosis_text="Breast cancer",
        date_of_diagnosis=datetime.date(2026, 3, 2),
        treatment_aim="curative",
        red_flags="A new lump",
        contacts_out_of_hours="0113 496 0001",
        responsible_clinician="Dr A Clinician",
        ongoing_management="Yearly mammogram",
        follow_up_pathway="pifu",
        patient_has_copy=True,
    )
    summaries.add_treatment(
        actor=cast.cns_a,
        version=version,
        seen_lock_version=version.lock_version,
        treatment_type="surgery",
        description="Wide local excision",
        start_date=datetime.date(2026, 4, 1),
    )
    version.refresh_from_db()
    lock = version.lock_version
    summaries.add_gp_action(actor=cast.cns_a, version=version, seen_lock_version=lock, text="Bone health")
    version.refresh_from_db()
    return version


def signed_off_summary(cast, patient=None):
    """A summary written by CNS A and signed off by clinician A, not yet sent."""
    version = complete_draft(cast, patient)
    return summaries.sign_off(actor=cast.clinician_a, version=version, render_pdf=plain_pdf)


def sent_summary(cast, patient=None):
    """A summary written by CNS A, signed off by clinician A and sent (delivered to practice A)."""
    return summaries.send(actor=cast.cns_a, version=signed_off_summary(cast, patient))


def _patient(cast):
    return {}, [Made(cast.patient)]


def _diagnosis(cast):
    return {}, [Made(DiagnosisFactory(patient=cast.patient))]


def _hna(cast):
    return {}, [Made(submitted_assessment(cast))]


def _care_plan(cast):
    plan = care_plans.start_plan(actor=cast.cns_a, assessment=submitted_assessment(cast))
    plan = care_plans.set_sharing(actor=cast.cns_a, plan=plan, seen_lock_version=0, shared_with_gp=True)
    plan = care_plans.lock(actor=cast.cns_a, plan=plan, seen_lock_version=plan.lock_version, confirm_blank=True)
    return {}, [Made(plan)]


def _summary(cast):
    version = sent_summary(cast)
    return {"delivery": version.practice_deliveries.get()}, [Made(version)]


def _delivery(cast):
    version = sent_summary(cast)
    return {}, [Made(version.practice_deliveries.get())]


def _work_item(cast):
    item = raise_item(
        kind=WorkKind.OTHER,
        patient=cast.patient,
        team=cast.team_a,
        practice=cast.practice_a,
        source_type="tests.policy",
        source_id="1",
        title="Policy test item",
        system_actor="tests",
    )
    return {}, [Made(item)]


def _notification(cast):
    with transaction.atomic():
        about = queue_notification(
            recipient=cast.patient.email,
            channel="email",
            template="platform.test",
            context={},
            idempotency_key="policy-test:patient",
            patient=cast.patient,
        )
        staff = queue_notification(
            recipient="cns.a@example.com",
            channel="email",
            template="platform.test",
            context={},
            idempotency_key="policy-test:staff",
        )
    return {}, [Made(about, EVERY_RULE), Made(staff, frozenset({Rule.NO_PATIENT}))]


def _audit_event(cast):
    event = record(Action.VIEW, actor=cast.cns_a, patient=cast.patient, obj=cast.patient)
    return {}, [Made(event)]


def _pathway(cast):
    from tests.followup.factories import make_pathway

    return {}, [Made(make_pathway(patient=cast.patient, team=cast.team_a))]


def _surveillance_test(cast):
    from tests.followup.factories import make_pathway

    return {}, [Made(make_pathway(patient=cast.patient, team=cast.team_a).tests.first())]


def _test_result(cast):
    """A result reviewed and told, so the patient's rule (released once told) is met too."""
    from django.utils import timezone

    from followup.models import Result
    from tests.followup.factories import make_pathway

    test = make_pathway(patient=cast.patient, team=cast.team_a, protocol_slug="colorectal-default").tests.first()
    now = timezone.now()
    result = Result.objects.create(
        test=test,
        patient=cast.patient,
        nhs_number=cast.patient.nhs_number,
        test_code="CEA",
        sample_date=test.due_date,
        value=2,
        source="keyed",
        reviewed_at=now,
        told_at=now,
        told_how="portal",
    )
    return {}, [Made(result)]


def _check_in(cast):
    from django.utils import timezone

    from followup.models import CheckIn
    from tests.followup.factories import make_pathway

    pathway = make_pathway(patient=cast.patient, team=cast.team_a)
    return {}, [Made(CheckIn.objects.create(pathway=pathway, sent_at=timezone.now(), due_by=datetime.date(2027, 1, 1)))]


def _concern(cast):
    from django.utils import timezone

    from followup.models import Concern
    from tests.followup.factories import make_pathway

    pathway = make_pathway(patient=cast.patient, team=cast.team_a)
    concern = Concern.objects.create(
        pathway=pathway, raised_by=cast.patient_user, symptoms=["A new lump"], respond_by=timezone.now()
    )
    return {}, [Made(concern)]


def _qol_invitation(cast):
    from tests.qol_survey.factories import make_invitation

    return {}, [Made(make_invitation(diagnosis=DiagnosisFactory(patient=cast.patient), team=cast.team_a))]


def _qol_response(cast):
    from tests.qol_survey.factories import make_invitation, make_response

    invitation = make_invitation(diagnosis=DiagnosisFactory(patient=cast.patient), team=cast.team_a)
    return {}, [Made(make_response(invitation, share_with_gp=True))]


def _wellbeing_booking(cast):
    from tests.wellbeing.factories import make_session
    from wellbeing.models import Booking

    booking = Booking.objects.create(session=make_session(), patient=cast.patient, status="booked")
    return {}, [Made(booking)]


def _wellbeing_booking_channels():
    return [
        Channel("page list", lambda r, b: "/wellbeing/my-bookings/", lambda r, b: b.session.title, PATIENT),
        Channel(
            "admin page",
            lambda r, b: f"/wellbeing/admin/sessions/{b.session_id}/",
            lambda r, b: b.patient.nhs_number,
            frozenset({Role.SERVICE_ADMIN}),
            detail=True,
        ),
        *_machine_channels("wellbeing/bookings"),
    ]


def _care_review(cast):
    from care_reviews.models import Review

    diagnosis = DiagnosisFactory(patient=cast.patient)
    review = Review.objects.create(
        patient=cast.patient, diagnosis=diagnosis, practice=cast.practice_a, kind="review", outcome="completed",
        reviewed_on=diagnosis.date_of_diagnosis, mode="phone", experience="Policy test review", recorded_by=cast.gp_a,
    )  # fmt: skip
    return {}, [Made(review)]


def _care_review_request(cast):
    from care_reviews.models import ReviewRequest

    made = ReviewRequest.objects.create(patient=cast.patient, practice=cast.practice_a, what_about="Policy test ask")
    return {}, [Made(made)]


def _qol_invitation_channels():
    # No page lists invitations; the care team opens one to key in its paper return.
    return [
        Channel("page", lambda r, o: f"/quality-of-life/team/paper/{o.pk}/", audience=TEAM),
        *_machine_channels("qol/invitations"),
    ]


def _qol_response_channels():
    return [
        Channel("page", lambda r, o: f"/quality-of-life/team/responses/{o.pk}/", audience=STAFF),
        Channel("pdf", lambda r, o: f"/quality-of-life/team/responses/{o.pk}/pdf/", None, STAFF, kind_of_channel="pdf"),
        *_machine_channels("qol/responses", "QuestionnaireResponse"),
    ]


def _machine_channels(api_path, fhir_type=None, patient="patient"):
    """The API detail and list for `/api/v1/<api_path>/`, and FHIR read and search by the patient's NHS
    number for `fhir_type` (where the kind has a resource): the channels every kind of record has."""
    channels = [
        Channel("api", lambda r, o: f"/api/v1/{api_path}/{o.pk}/", kind_of_channel="api"),
        Channel("api list", lambda r, o: f"/api/v1/{api_path}/", _pk, kind_of_channel="api"),
    ]
    if fhir_type:
        channels += [
            Channel("fhir", lambda r, o: f"/fhir/{fhir_type}/{o.pk}", kind_of_channel="fhir"),
            Channel(
                "fhir search",
                lambda r, o: f"/fhir/{fhir_type}?patient={_nhs(r, o, patient)}",
                _pk,
                kind_of_channel="fhir",
            ),
        ]
    return channels


def _admin_channels(model, app="followup"):
    """Django admin's change page and list for a model (followup/admin.py, qol_survey, wellbeing)."""
    return [
        Channel("admin", lambda r, o: f"/admin/{app}/{model}/{o.pk}/change/", kind_of_channel="admin"),
        Channel("admin list", lambda r, o: f"/admin/{app}/{model}/", _pk, kind_of_channel="admin"),
    ]


# followup: results
def _followup_api_channels(kind, fhir_type=None):
    """The follow-up API (and FHIR, where the kind has a resource) for one kind of record."""
    channels = _machine_channels(f"followup/{kind}")
    if fhir_type:
        channels.append(Channel("fhir", lambda r, o: f"/fhir/{fhir_type}/{o.pk}", kind_of_channel="fhir"))
    return channels


def _nhs(_records, obj, path="patient"):
    for name in path.split("."):
        obj = getattr(obj, name)
    return obj.nhs_number


KINDS = {
    RecordKind.PATIENT: KindFixture(
        _patient,
        [
            Channel("page", lambda r, p: f"/patients/{p.pk}/", audience=STAFF),
            Channel("page list", lambda r, p: "/patients/", lambda r, p: f"/patients/{p.pk}/", audience=STAFF),
            Channel("api", lambda r, p: f"/api/v1/patients/{p.pk}/", kind_of_channel="api"),
            Channel("api list", lambda r, p: "/api/v1/patients/", _pk, kind_of_channel="api"),
            Channel("admin", lambda r, p: f"/admin/people/patient/{p.pk}/change/", kind_of_channel="admin"),
            Channel("admin list", lambda r, p: "/admin/people/patient/", _pk, kind_of_channel="admin"),
        ],
    ),
    RecordKind.DIAGNOSIS: KindFixture(
        _diagnosis,
        [
            Channel("page", lambda r, d: f"/patients/{d.patient_id}/", lambda r, d: "C50.9", STAFF, detail=True),
            Channel("admin", lambda r, d: f"/admin/people/diagnosis/{d.pk}/change/", kind_of_channel="admin"),
            Channel("admin list", lambda r, d: "/admin/people/diagnosis/", _pk, kind_of_channel="admin"),
        ],
    ),
    RecordKind.HNA: KindFixture(
        _hna,
        [
            Channel("page", lambda r, a: f"/hna/assessments/{a.pk}/", audience=TEAM),
            Channel("hub", lambda r, a: f"/patients/{a.patient_id}/", lambda r, a: f"/hna/assessments/{a.pk}/", STAFF),
            Channel("page list", lambda r, a: "/hna/", lambda r, a: f"/hna/assessments/{a.pk}/", audience=TEAM),
            Channel(
                "csv",
                lambda r, a: "/hna/reports/export.csv",
                lambda r, a: a.patient.nhs_number,
                audience=TEAM,
                kind_of_channel="csv",
            ),
            *_machine_channels("hna/assessments", "QuestionnaireResponse"),
        ],
    ),
    RecordKind.CARE_PLAN: KindFixture(
        _care_plan,
        [
            Channel("page", lambda r, p: f"/hna/plans/{p.pk}/"),
            # The patient page lists every plan version the user may open (the GP's way to a shared plan).
            Channel("hub", lambda r, p: f"/patients/{p.patient_id}/", lambda r, p: f"/hna/plans/{p.pk}/", STAFF),
            Channel("page list", lambda r, p: "/hna/my-plans/", lambda r, p: f"/hna/plans/{p.pk}/", audience=PATIENT),
            Channel("pdf", lambda r, p: f"/hna/plans/{p.pk}/pdf/", kind_of_channel="pdf"),
            *_machine_channels("care-plans", "CarePlan"),
        ],
    ),
    RecordKind.SUMMARY: KindFixture(
        _summary,
        [
            Channel("page", lambda r, v: f"/treatment-summaries/{v.summary_id}/", audience=TEAM),
            # The patient page: the care team's link to the summary (a practice's is to its inbox entry).
            Channel(
                "hub",
                lambda r, v: f"/patients/{v.summary.patient_id}/",
                lambda r, v: f"/treatment-summaries/{v.summary_id}/",
                TEAM,
            ),
            Channel(
                "version page",
                lambda r, v: f"/treatment-summaries/{v.summary_id}/versions/{v.pk}/",
                audience=TEAM,
            ),
            # The practice's inbox entry; the care team may open it too, read-only.
            Channel(
                "practice page",
                lambda r, v: f"/treatment-summaries/inbox/{r['delivery'].pk}/",
                audience=TEAM | PRACTICE,
            ),
            Channel(
                "patient page",
                lambda r, v: "/treatment-summaries/mine/",
                lambda r, v: f"/treatment-summaries/mine/{v.pk}/pdf/",
                audience=PATIENT,
            ),
            Channel("pdf", lambda r, v: f"/treatment-summaries/versions/{v.pk}/pdf/", kind_of_channel="pdf"),
            # The stored PDF, for whoever may see the version (the patient's copy link in My care).
            Channel("patient pdf", lambda r, v: f"/treatment-summaries/mine/{v.pk}/pdf/", kind_of_channel="pdf"),
            # The API shows a summary with the versions the user may see: the version must be among them.
            Channel(
                "api",
                lambda r, v: f"/api/v1/treatment-summaries/{v.summary_id}/",
                _pk,
                kind_of_channel="api",
                detail=True,
            ),
            Channel("api list", lambda r, v: "/api/v1/treatment-summaries/", _pk, kind_of_channel="api"),
            Channel("fhir", lambda r, v: f"/fhir/DocumentReference/{v.pk}", kind_of_channel="fhir"),
            Channel(
                "fhir search",
                lambda r, v: f"/fhir/DocumentReference?patient={v.summary.patient.nhs_number}",
                _pk,
                kind_of_channel="fhir",
            ),
        ],
    ),
    RecordKind.SUMMARY_DELIVERY: KindFixture(
        _delivery,
        [
            Channel("page", lambda r, d: f"/treatment-summaries/inbox/{d.pk}/", audience=STAFF),
            Channel(
                "hub",
                lambda r, d: f"/patients/{d.version.summary.patient_id}/",
                lambda r, d: f"/treatment-summaries/inbox/{d.pk}/",
                PRACTICE,
            ),
            Channel(
                "page list",
                lambda r, d: "/treatment-summaries/inbox/",
                lambda r, d: f"/treatment-summaries/inbox/{d.pk}/",
                audience=PRACTICE,
            ),
            Channel("pdf", lambda r, d: f"/treatment-summaries/inbox/{d.pk}/pdf/", None, STAFF, kind_of_channel="pdf"),
        ],
    ),
    RecordKind.WORK_ITEM: KindFixture(
        _work_item,
        [Channel("page list", lambda r, i: "/worklist/", lambda r, i: "Policy test item", audience=STAFF)],
    ),
    RecordKind.NOTIFICATION: KindFixture(
        _notification,
        [
            Channel("admin", lambda r, n: f"/admin/outbox/notification/{n.pk}/change/", kind_of_channel="admin"),
            Channel("admin list", lambda r, n: "/admin/outbox/notification/", _pk, kind_of_channel="admin"),
        ],
    ),
    RecordKind.AUDIT_EVENT: KindFixture(
        _audit_event,
        [Channel("page list", lambda r, e: "/audit/", lambda r, e: str(e.object_id), audience=STAFF)],
    ),
    RecordKind.FOLLOWUP_PATHWAY: KindFixture(
        _pathway, _admin_channels("pathway") + _followup_api_channels("pathways", "CarePlan")
    ),
    RecordKind.SURVEILLANCE_TEST: KindFixture(
        _surveillance_test, _admin_channels("surveillancetest") + _followup_api_channels("tests", "ServiceRequest")
    ),
    RecordKind.TEST_RESULT: KindFixture(
        _test_result, _admin_channels("result") + _followup_api_channels("results", "Observation")
    ),
    RecordKind.CHECK_IN: KindFixture(_check_in, _admin_channels("checkin") + _followup_api_channels("checkins")),
    RecordKind.CONCERN: KindFixture(_concern, _admin_channels("concern") + _followup_api_channels("concerns")),
    RecordKind.QOL_INVITATION: KindFixture(
        _qol_invitation, _admin_channels("invitation", "qol_survey") + _qol_invitation_channels()
    ),
    RecordKind.QOL_RESPONSE: KindFixture(
        _qol_response, _admin_channels("response", "qol_survey") + _qol_response_channels()
    ),
    # wellbeing: bookings, on the patient's "My bookings", the admin's session page, the API and Django admin
    # care reviews: the review's page (the practice's and the patient's summary), the patient's list;
    # care_reviews: api (the API and FHIR Composition, for reviews; the API, for open requests)
    RecordKind.CARE_REVIEW: KindFixture(
        _care_review,
        [
            Channel("page", lambda r, o: f"/care-reviews/reviews/{o.pk}/", audience=PRACTICE | PATIENT),
            Channel("page list", lambda r, o: "/care-reviews/mine/", lambda r, o: o.pk, PATIENT),
            *_machine_channels("care-reviews", "Composition"),
        ],
    ),
    RecordKind.CARE_REVIEW_REQUEST: KindFixture(
        _care_review_request,
        [
            Channel("due list", lambda r, o: "/care-reviews/", lambda r, o: o.what_about, PRACTICE),
            Channel("page list", lambda r, o: "/care-reviews/mine/", lambda r, o: o.what_about, PATIENT),
            *_machine_channels("care-reviews/requests"),
        ],
    ),
    RecordKind.WELLBEING_BOOKING: KindFixture(
        _wellbeing_booking, _admin_channels("booking", "wellbeing") + _wellbeing_booking_channels()
    ),
}
