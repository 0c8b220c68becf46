"""The personal summary report: each score in plain English beside people of a similar age and sex,
the DEMO reference set named as such; its PDF; My care's link; and the practice told when shared."""

import datetime

import pytest
from django.utils import timezone

from portal.outbox.models import Notification
from qol_survey.models import ReferenceSet
from qol_survey.services import report
from tests.pdf_text import pdf_text
from tests.qol_survey.factories import answers, make_invitation, make_response

pytestmark = pytest.mark.django_db


def respond(cast, sex="2", share_with_gp=True, **answer_fields):
    cast.patient.sex = sex
    cast.patient.save()
    invited = timezone.localdate() - datetime.timedelta(days=7)
    invitation = make_invitation(patient=cast.patient, team=cast.team_a, invited_on=invited)
    return make_response(invitation, share_with_gp=share_with_gp, **answer_fields)


def line(lines, measure):
    return next(x for x in lines if x.measure == measure)


def test_each_scale_in_plain_english_beside_people_of_the_same_age_band_and_sex(cast):
    # Born 1960, answering in 2026: 65-74. The demo means for women of that band: PF 92-6-1, FA 22+3+1.
    response = respond(cast, cancer={"q10": 2, "q12": 3, "q18": 4})
    built = report.build(response)
    assert built.age_band == "65-74" and built.is_demo
    pf, fa, ql = line(built.scales, "PF"), line(built.scales, "FA"), line(built.scales, "QL")
    assert pf.sentence == (
        "Your physical functioning score is 100 out of 100. "
        "People of a similar age and sex score 85 on average. Higher is better."
    )
    assert fa.sentence == (
        "Your fatigue score is 67 out of 100. People of a similar age and sex score 26 on average. "
        "Lower is better: a higher score means more fatigue."
    )
    assert ql.score == "83"  # (6 - 1) / 6, rounded for display only
    assert len(built.scales) == 15


def test_without_a_known_sex_the_band_as_a_whole_is_the_comparison(cast):
    built = report.build(respond(cast, sex="X"))
    assert built.compared_with == "people of a similar age"
    assert "People of a similar age score 86 on average" in line(built.scales, "PF").sentence  # 85.5 rounded


def test_the_profile_index_and_health_today(cast):
    built = report.build(respond(cast, health_today=64))
    index, today = line(built.profile, "index"), line(built.profile, "health_today")
    assert index.sentence.startswith("Your health profile score is ") and "where 1 is full health" in index.sentence
    assert index.reference == "0.82"  # 0.88 - 0.02 x 3 bands
    assert today.sentence == (
        "You gave your health today 64 out of 100. People of a similar age and sex give 75 on average. "
        "Higher is better."
    )


def test_a_scale_with_too_few_answers_says_it_could_not_be_worked_out(cast):
    invited = timezone.localdate() - datetime.timedelta(days=7)
    invitation = make_invitation(patient=cast.patient, team=cast.team_a, invited_on=invited)
    given = answers()
    del given["cancer-30"]["q9"], given["cancer-30"]["q19"]
    from qol_survey.services import responses

    response = responses.submit(invitation, given, share_with_gp=False, may_contact=False)
    pain = line(report.build(response).scales, "PA")
    assert pain.score is None and "fewer than half of the questions" in pain.sentence


def test_a_real_reference_set_is_not_called_a_demo(cast):
    ReferenceSet.objects.create(name="Published norms", source="a paper", is_demo=False)
    built = report.build(respond(cast))
    assert not built.is_demo
    assert line(built.scales, "PF").reference is None  # the new set has no values: no comparison made up
    assert line(built.scales, "PF").sentence.endswith("out of 100. Higher is better.")


def test_the_report_page_and_pdf_say_demo_not_a_diagnosis_and_who_to_call(client, cast):
    response = respond(cast)
    client.force_login(cast.patient_user)
    page = client.get("/quality-of-life/mine/").content.decode()
    assert "DEMO values" in page and "not a diagnosis" in page and cast.team_a.name in page
    assert "Your physical functioning score is 100 out of 100" in page
    pdf = client.get("/quality-of-life/mine/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    text = pdf_text(pdf.content)
    assert "DEMO values" in text and "physical functioning score is 100" in text
    assert cast.patient.full_name not in pdf["Content-Disposition"]
    assert response.pk


def test_the_pdf_names_nothing_but_our_static_files(cast):
    assert report.pdf(respond(cast), for_patient=True, strict=True).startswith(b"%PDF")


def test_my_care_links_the_report_once_there_is_one(client, cast):
    from django.apps import apps

    config = apps.get_app_config("qol_survey")
    assert config.my_care_links(cast.patient_user) == []
    respond(cast)
    assert config.my_care_links(cast.patient_user) == [("Your quality of life survey report", "/quality-of-life/mine/")]
    client.force_login(cast.patient_user)
    assert "/quality-of-life/mine/" in client.get("/").content.decode()


def test_staff_cannot_use_the_patients_own_report_page(client, cast):
    respond(cast)
    client.force_login(cast.cns_a)
    assert client.get("/quality-of-life/mine/").status_code == 404


def test_the_practice_is_emailed_a_link_without_clinical_detail_when_shared(cast, django_capture_on_commit_callbacks):
    cast.practice_a.email = "practice.a@example.com"
    cast.practice_a.save()
    invited = timezone.localdate() - datetime.timedelta(days=7)
    shared = make_invitation(patient=cast.patient, team=cast.team_a, invited_on=invited)
    response = report.submit_and_share(shared, answers(), share_with_gp=True, may_contact=False)
    note = Notification.objects.get(template=report.GP_TEMPLATE)
    assert note.recipient == "practice.a@example.com"
    assert note.context["link"].endswith(f"/quality-of-life/team/responses/{response.pk}/")
    from portal.outbox import rendering

    subject, body = rendering.render(note.template, note.channel, note.context)
    assert cast.patient.full_name not in body + subject and "score" not in body.lower()


def test_no_email_when_they_said_no(cast):
    cast.practice_a.email = "practice.a@example.com"
    cast.practice_a.save()
    invited = timezone.localdate() - datetime.timedelta(days=7)
    invitation = make_invitation(patient=cast.patient, team=cast.team_a, invited_on=invited)
    report.submit_and_share(invitation, answers(), share_with_gp=False, may_contact=False)
    assert not Notification.objects.filter(template=report.GP_TEMPLATE).exists()
