"""The COSD export against rows written out by hand (ADR 0050): the offer status follows the
assessment, with its date; care plan events have their own rows; the code lists are COSD v1's and
a code not in them is refused, naming the field and the code."""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError

from hna import cosd, cosd_v1
from hna.models import Assessment, CarePlan, PathwayPoint, StaffRole
from hna.services import assessments, care_plans, passcodes, reports, staff_entry
from portal.audit.models import Action, AuditEvent
from portal.people.demo import demo_nhs_number
from tests.factories import PatientFactory

pytestmark = pytest.mark.django_db
EXPORT = "/hna/reports/export.csv"
LONDON = ZoneInfo("Europe/London")


def at(day: int, hour: int = 10) -> datetime.datetime:
    return datetime.datetime(2026, 3, day, hour, tzinfo=LONDON)


def set_up(cast, index, *, pathway, offer="01", role="", day):
    patient = PatientFactory(nhs_number=demo_nhs_number(index), care_teams=[cast.team_a])
    return assessments.set_up(
        actor=cast.cns_a,
        patient=patient,
        point_of_pathway=pathway,
        trigger="diagnosis",
        offer_status=offer,
        event_date=datetime.date(2026, 3, day),
        staff_role_code=role,
    )


def submit(made, scores):
    assessments.save_ticks(made.assessment, "physical", set(scores))
    assessments.save_scores(made.assessment, scores)
    assessments.save_answers(made.assessment, distress_score=4)
    assessments.submit(passcodes.check(made.passcode, made.assessment.patient.date_of_birth))


def exported(client, user) -> list[list[str]]:
    client.force_login(user)
    response = client.get(EXPORT)
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    width = len(reports.EXPORT_COLUMNS)
    assert rows[0][:width] == reports.EXPORT_COLUMNS
    return [row[:width] for row in rows[1:]], rows


def test_the_csv_is_the_rows_written_out_by_hand(client, cast):
    with time_machine.travel(at(2), tick=False) as clock:
        completed = set_up(cast, 5001, pathway="04", role="02", day=2)  # another nurse offers it
        clock.move_to(at(3))
        declined = set_up(cast, 5002, pathway="06", day=3)  # palliative; the CNS's own role
        clock.move_to(at(4))
        set_up(cast, 5003, pathway="01", role="03", day=4)  # an AHP's offer, still open
        clock.move_to(at(4, 11))  # rows go out in the order they were made
        set_up(cast, 5004, pathway="02", offer="06", role="05", day=4)  # not required: closed at once
        clock.move_to(at(5))
        submit(completed, {"physical-pain": 7})
        clock.move_to(at(6))
        assessments.record_offer_outcome(
            actor=cast.cns_a, assessment=declined.assessment, offer_status="02", on=datetime.date(2026, 3, 6)
        )
        clock.move_to(at(9))
        plan = care_plans.start_plan(actor=cast.cns_a, assessment=completed.assessment)
        plan = care_plans.lock(actor=cast.cns_a, plan=plan, seen_lock_version=plan.lock_version, confirm_blank=True)
        clock.move_to(at(12))
        amended = care_plans.unlock_to_amend(actor=cast.cns_a, plan=plan)
        clock.move_to(at(13))
        care_plans.lock(  # the role chosen on the lock form is the plan event's (ADR 0053)
            actor=cast.cns_a,
            plan=amended,
            seen_lock_version=amended.lock_version,
            confirm_blank=True,
            staff_role_code="02",
        )
        clock.move_to(at(14))
        drafted = set_up(cast, 5005, pathway="05", day=14)
        submit(drafted, {"physical-sleep": 3})
        care_plans.start_plan(actor=cast.cns_a, assessment=drafted.assessment)  # started, not yet agreed
        clock.move_to(at(15))
        keyed = staff_entry.start_entry(  # keyed in from a paper form the patient filled in on the 10th
            actor=cast.cns_a,
            patient=PatientFactory(nhs_number=demo_nhs_number(5006), care_teams=[cast.team_a]),
            entry_mode="paper",
            completed_on_paper=datetime.date(2026, 3, 10),
            point_of_pathway="04",
            trigger="diagnosis",
            ticks={"physical": {"physical-pain"}},
            answers={"distress_score": 6},
        )
        staff_entry.enter_scores_and_send(actor=cast.cns_a, assessment=keyed, scores={"physical-pain": 2})

        rows, full = exported(client, cast.cns_a)

    # record, event date, offer status, offered, pathway, staff role, org, NHS number, status, version, sent,
    # distress, completion method (local column, ADR 0053)
    self_ = "patient_self"
    assert rows == [
        [
            "HNA",
            "2026-03-05",
            "03",
            "2026-03-02",
            "04",
            "02",
            "RTA",
            "9996419193",
            "submitted",
            "",
            "2026-03-05",
            "4",
            self_,
        ],
        ["HNA", "2026-03-06", "02", "2026-03-03", "06", "01", "RTA", "9996498387", "cancelled", "", "", "", self_],
        ["HNA", "2026-03-04", "01", "2026-03-04", "01", "03", "RTA", "9996577570", "set_up", "", "", "", self_],
        ["HNA", "2026-03-04", "06", "2026-03-04", "02", "05", "RTA", "9996656764", "cancelled", "", "", "", self_],
        [
            "HNA",
            "2026-03-14",
            "03",
            "2026-03-14",
            "05",
            "01",
            "RTA",
            "9996735958",
            "submitted",
            "",
            "2026-03-14",
            "4",
            self_,
        ],
        [
            "HNA",
            "2026-03-10",
            "03",
            "2026-03-10",
            "04",
            "01",
            "RTA",
            "9996815145",
            "submitted",
            "",
            "2026-03-15",
            "6",
            "paper",
        ],
        ["PCSP", "2026-03-09", "03", "2026-03-09", "04", "01", "RTA", "9996419193", "superseded", "1", "", "", ""],
        ["PCSP", "2026-03-13", "03", "2026-03-12", "04", "02", "RTA", "9996419193", "locked", "2", "", "", ""],
        ["PCSP", "2026-03-14", "01", "2026-03-14", "05", "01", "RTA", "9996735958", "draft", "1", "", "", ""],
    ]
    pain = full[0].index("physical-pain")
    assert [row[pain] for row in full[1:]] == ["7", "", "", "", "", "2", "", "", ""]
    # every exported event is in its patient's access history
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_type="hna.careplan").count() == 3


def test_the_code_lists_are_cosd_v1_with_palliative_care_and_more_staff_roles():
    assert cosd.POINT_OF_PATHWAY.version == cosd_v1.VERSION == 1
    assert PathwayPoint.PALLIATIVE == "06" and "end of life" in PathwayPoint.PALLIATIVE.label
    assert {StaffRole.OTHER_NURSE, StaffRole.AHP, StaffRole.PSYCHOLOGIST} == {"02", "03", "05"}
    assert [cosd.default_staff_role(r) for r in ("cns", "support_worker", "clinician", "gp")] == [
        "01",
        "04",
        "06",
        "08",
    ]


@pytest.mark.parametrize(
    "entries, message",
    [
        ([("PALLIATIVE", "6", "Palliative")], 'Point of pathway: "6" is not a code in the COSD point of pathway list'),
        ([("A", "01", "One"), ("B", "01", "Again")], 'Point of pathway: "01" is listed twice'),
        ([("A", "01", " ")], 'Point of pathway: "01" needs a name and a label'),
    ],
)
def test_a_code_list_with_a_code_cosd_does_not_know_is_refused_whole(entries, message):
    with pytest.raises(ValidationError) as refused:
        cosd.load("point_of_pathway", "Point of pathway", entries, version=2)
    assert list(refused.value.message_dict) == ["point_of_pathway"]
    assert refused.value.message_dict["point_of_pathway"][0].startswith(message)


def test_a_role_map_to_a_staff_role_not_in_the_list_is_refused():
    with pytest.raises(cosd.UnknownCosdCode) as refused:
        cosd.load_role_defaults(cosd.STAFF_ROLE, {"cns": "07"}, "08")
    assert refused.value.message_dict == {
        "cosd_staff_role": ['Staff role: "07" is not a code in the COSD staff role list (version 1)']
    }


@pytest.mark.parametrize(
    "field, kwargs", [("point_of_pathway", {"pathway": "42"}), ("cosd_staff_role", {"role": "07"})]
)
def test_set_up_refuses_a_code_not_in_the_lists(cast, field, kwargs):
    with pytest.raises(cosd.UnknownCosdCode) as refused:
        set_up(cast, 5001, **{"pathway": "01", **kwargs}, day=2)
    assert list(refused.value.message_dict) == [field] and refused.value.code in kwargs.values()
    assert not Assessment.objects.exists()


def test_the_export_is_refused_when_a_stored_code_is_not_in_the_lists(client, cast):
    with time_machine.travel(at(2), tick=False):
        made = set_up(cast, 5001, pathway="01", day=2)
    Assessment.objects.filter(pk=made.assessment.pk).update(point_of_pathway="42")  # written around the services
    client.force_login(cast.cns_a)
    response = client.get(EXPORT)
    html = response.content.decode()
    assert response.status_code == 409 and not response.streaming
    assert "<title>Error: HNA reports" in html and "The COSD export was not made" in html
    assert "Point of pathway: &#34;42&#34; is not a code in the COSD point of pathway list (version 1)" in html
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


class TestOfferOutcome:
    def test_an_open_offer_ends_declined_and_its_passcode_stops_working(self, cast):
        with time_machine.travel(at(2), tick=False) as clock:
            made = set_up(cast, 5001, pathway="01", day=2)
            clock.move_to(at(4))
            done = assessments.record_offer_outcome(
                actor=cast.cns_a, assessment=made.assessment, offer_status="05", on=datetime.date(2026, 3, 3)
            )
            assert (done.status, done.offer_status, done.offer_status_date) == (
                "cancelled",
                "05",
                datetime.date(2026, 3, 3),
            )
            assert passcodes.check(made.passcode, made.assessment.patient.date_of_birth) is None

    @pytest.mark.parametrize("status, day, field", [("03", 3, "offer_status"), ("02", 1, "on"), ("02", 5, "on")])
    def test_refused(self, cast, status, day, field):
        with time_machine.travel(at(3), tick=False):
            made = set_up(cast, 5001, pathway="01", day=2)
            with pytest.raises(ValidationError) as refused:
                assessments.record_offer_outcome(
                    actor=cast.cns_a, assessment=made.assessment, offer_status=status, on=datetime.date(2026, 3, day)
                )
        assert list(refused.value.message_dict) == [field]
        assert Assessment.objects.get(pk=made.assessment.pk).offer_status == "01"

    def test_a_completed_assessment_keeps_its_status(self, cast):
        with time_machine.travel(at(2), tick=False):
            made = set_up(cast, 5001, pathway="01", day=2)
            submit(made, {"physical-pain": 2})
            with pytest.raises(assessments.AssessmentClosed):
                assessments.record_offer_outcome(
                    actor=cast.cns_a, assessment=made.assessment, offer_status="02", on=datetime.date(2026, 3, 2)
                )

    def test_a_team_b_cns_cannot(self, cast):
        made = set_up(cast, 5001, pathway="01", day=2)
        with pytest.raises(Exception) as refused:
            assessments.record_offer_outcome(
                actor=cast.cns_b, assessment=made.assessment, offer_status="02", on=made.assessment.event_date
            )
        assert refused.type.__name__ in {"PermissionDenied", "Http404"}


def test_the_set_up_form_records_the_staff_role_chosen(client, cast):
    client.force_login(cast.cns_a)
    page = client.get(f"/hna/patients/{cast.patient.pk}/set-up/").content.decode()
    assert "Allied health professional" in page and 'value="01" checked' in page
    today = datetime.date.today()
    client.post(
        f"/hna/patients/{cast.patient.pk}/set-up/",
        {
            "point_of_pathway": "06",
            "trigger": "palliative",
            "offer_status": "03",
            "cosd_staff_role": "05",
            "event_date_day": str(today.day),
            "event_date_month": str(today.month),
            "event_date_year": str(today.year),
            "send_by": "none",
        },
    )
    assessment = Assessment.objects.get(patient=cast.patient)
    assert (assessment.cosd_staff_role, assessment.staff_role, assessment.point_of_pathway) == ("05", "cns", "06")
    assert CarePlan.objects.count() == 0


class TestOfferOutcomePage:
    def url(self, assessment):
        return f"/hna/assessments/{assessment.pk}/offer-outcome/"

    def test_the_care_team_records_a_decline_from_the_review_page(self, client, cast):
        made = set_up(cast, 5001, pathway="01", day=2).assessment
        client.force_login(cast.cns_a)
        assert f'href="{self.url(made)}"' in client.get(f"/hna/assessments/{made.pk}/").content.decode()
        page = client.get(self.url(made)).content.decode()
        assert "Offered and declined" in page and "Not offered" not in page
        today = datetime.date.today()
        response = client.post(
            self.url(made),
            {"offer_status": "02", "on_day": today.day, "on_month": today.month, "on_year": today.year},
        )
        assert response.status_code == 302 and response["Location"] == f"/hna/assessments/{made.pk}/"
        made.refresh_from_db()
        assert (made.status, made.offer_status, made.offer_status_date) == ("cancelled", "02", today)
        assert "Recorded: offered and declined." in client.get(response["Location"]).content.decode()
        # closed now: the page sends staff back to the assessment
        assert client.get(self.url(made))["Location"] == f"/hna/assessments/{made.pk}/"

    def test_a_date_before_the_offer_is_refused_on_the_field(self, client, cast):
        made = set_up(cast, 5001, pathway="01", day=2).assessment
        client.force_login(cast.cns_a)
        response = client.post(self.url(made), {"offer_status": "05", "on_day": 1, "on_month": 3, "on_year": 2026})
        html = response.content.decode()
        assert response.status_code == 200 and "<title>Error:" in html
        assert "The date must be between the date of the offer and today" in html
        made.refresh_from_db()
        assert (made.status, made.offer_status) == ("set_up", "01")

    def test_an_outsider_gets_404(self, client, cast):
        made = set_up(cast, 5001, pathway="01", day=2).assessment
        client.force_login(cast.cns_b)
        assert client.get(self.url(made)).status_code == 404
        assert client.post(self.url(made), {"offer_status": "02"}).status_code == 404
