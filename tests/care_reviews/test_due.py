"""The practice's due list (issue 14 item 1): every registered patient diagnosed in the last 24
months, the early contact due by 3 months and the review between 6 and 12, each due, overdue or
done; the indicator's numerator and denominator; only the practice's own patients; queries flat."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext

from care_reviews.models import Kind, Outcome, Review, ReviewRequest
from care_reviews.services.due import State, due_list
from tests.factories import DiagnosisFactory, PatientFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 12, 1)


def diagnosed(cast, months_ago, practice=None, **fields):
    patient = PatientFactory(registered_practice=practice or cast.practice_a, **fields)
    return DiagnosisFactory(patient=patient, date_of_diagnosis=TODAY - relativedelta(months=months_ago))


def review(cast, diagnosis, kind=Kind.REVIEW, outcome=Outcome.COMPLETED, months_after=8):
    return Review.objects.create(
        patient=diagnosis.patient, diagnosis=diagnosis, practice=cast.practice_a, kind=kind, outcome=outcome,
        reason="" if outcome == Outcome.COMPLETED else "Did not answer three calls",
        reviewed_on=diagnosis.date_of_diagnosis + relativedelta(months=months_after), recorded_by=cast.gp_a,
    )  # fmt: skip


def states(rows):
    return {row.patient.pk: (row.early.state, row.review.state) for row in rows}


def test_each_patient_has_an_early_contact_and_a_review_due_overdue_or_done(cast):
    new = diagnosed(cast, 1)
    late_early = diagnosed(cast, 4)
    in_window = diagnosed(cast, 7)
    overdue = diagnosed(cast, 13)
    done = diagnosed(cast, 10)
    review(cast, done, kind=Kind.EARLY_CONTACT, months_after=2)
    review(cast, done, months_after=8)
    declined = diagnosed(cast, 9)
    review(cast, declined, outcome=Outcome.DECLINED)
    too_old = diagnosed(cast, 25)
    found = states(due_list(cast.gp_a, TODAY).rows)
    assert found[new.patient.pk] == (State.DUE, State.NOT_YET)
    assert found[late_early.patient.pk] == (State.OVERDUE, State.NOT_YET)
    assert found[in_window.patient.pk] == (State.OVERDUE, State.DUE)
    assert found[overdue.patient.pk] == (State.OVERDUE, State.OVERDUE)
    assert found[done.patient.pk] == (State.DONE, State.DONE)
    assert found[declined.patient.pk][1] == State.DECLINED
    reviewed_only = diagnosed(cast, 11)
    review(cast, reviewed_only, months_after=7)
    assert states(due_list(cast.gp_a, TODAY).rows)[reviewed_only.patient.pk] == (State.MISSED, State.DONE)
    assert too_old.patient.pk not in found


def test_the_indicator_counts_reviews_within_12_months_of_diagnosis(cast):
    on_time = diagnosed(cast, 14)
    review(cast, on_time, months_after=11)
    late = diagnosed(cast, 20)
    review(cast, late, months_after=13)
    diagnosed(cast, 3)
    declined = diagnosed(cast, 15)
    review(cast, declined, outcome=Outcome.DECLINED)
    indicator = due_list(cast.gp_a, TODAY).indicator
    assert (indicator.numerator, indicator.denominator, indicator.percent) == (1, 4, 25)


def test_only_the_practices_own_patients_and_requests_are_flagged(cast):
    ours = diagnosed(cast, 5)
    theirs = diagnosed(cast, 5, practice=cast.practice_b)
    ReviewRequest.objects.create(patient=ours.patient, practice=cast.practice_a, what_about="Tired all the time")
    rows = due_list(cast.gp_a, TODAY).rows
    assert [r.patient for r in rows] == [ours.patient] and rows[0].requested
    assert [r.patient for r in due_list(cast.gp_b, TODAY).rows] == [theirs.patient]
    for outsider in (cast.cns_a, cast.admin, cast.auditor, cast.patient_user):
        assert due_list(outsider, TODAY).rows == []


def test_the_list_reads_in_a_fixed_number_of_queries(cast):
    def count(n):
        for _ in range(n):
            review(cast, diagnosed(cast, 9), kind=Kind.EARLY_CONTACT, months_after=1)
        with CaptureQueriesContext(connection) as queries:
            due_list(cast.gp_a, TODAY)
        return len(queries)

    count(1)  # the role in use is read once, then cached on the user
    assert count(2) == count(20)


def test_a_patient_who_has_died_is_not_listed_or_counted(cast):
    living = diagnosed(cast, 13)
    died = diagnosed(cast, 13, date_of_death=TODAY - relativedelta(months=1))
    found = due_list(cast.gp_a, TODAY)
    assert living.patient.pk in states(found.rows) and died.patient.pk not in states(found.rows)
    assert found.indicator.denominator == 1
