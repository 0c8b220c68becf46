"""Communication needs and a carer kept on the patient (issue 15 item 2, ADR 0052): entered on one
staff page with errors naming the field, shown on every staff page about the patient, prefilled
into a new HNA, and honoured by letters (large print) and messages (how to reach the team)."""

import re

import pytest
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from portal.audit.models import Action, AuditEvent
from portal.outbox import rendering
from portal.outbox.models import Notification
from portal.outbox.services import queue_notifications
from portal.people import support
from tests.hna.test_review import set_up

pytestmark = pytest.mark.django_db

FULL = {
    "communication_needs": ["interpreter", "large_print"],
    "communication_language": "Polish",
    "communication_detail": "",
    "support_person_name": "Anna Nowak",
    "support_person_role": "both",
    "support_person_relationship": "Daughter",
    "support_person_phone": "07700 900 902",
}


def url(patient):
    return f"/patients/{patient.pk}/support/"


def banner(html: str) -> str:
    found = re.search(r'<div class="nhsuk-inset-text portal-needs".*?</div>', html, re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(0))).strip() if found else ""


def test_a_cns_records_needs_and_a_carer_and_the_change_is_audited(client, cast):
    client.force_login(cast.cns_a)
    assert client.get(url(cast.patient)).status_code == 200
    response = client.post(url(cast.patient), FULL)
    assert response.status_code == 302
    cast.patient.refresh_from_db()
    assert cast.patient.communication_needs == ["interpreter", "large_print"]
    assert cast.patient.communication_language == "Polish"
    assert support.support_person_line(cast.patient) == "Anna Nowak (Daughter), Carer and next of kin, 07700 900 902"
    assert AuditEvent.objects.filter(action=Action.UPDATE, patient=cast.patient, actor=cast.cns_a).count() == 1
    # Saving again with nothing changed writes nothing.
    client.post(url(cast.patient), FULL)
    assert AuditEvent.objects.filter(action=Action.UPDATE, patient=cast.patient).count() == 1


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"communication_language": ""}, "communication_language", "Enter the language the patient needs"),
        (
            {"communication_needs": ["other"], "communication_language": ""},
            "communication_detail",
            "Enter what else helps the patient communicate",
        ),
        ({"support_person_name": ""}, "support_person_name", "Enter the name of the carer or next of kin"),
        ({"support_person_role": ""}, "support_person_role", "Select whether they are a carer, next of kin, or both"),
        ({"communication_needs": ["telepathy"]}, "communication_needs", "Select communication needs from the list"),
    ],
)
def test_bad_input_is_named_on_its_field_and_nothing_typed_is_lost(client, cast, change, field, message):
    client.force_login(cast.cns_a)
    html = client.post(url(cast.patient), {**FULL, **change}).content.decode()
    assert message in html
    assert f'href="#id_{field}' in html  # the error summary links to the field
    assert "Anna Nowak" in html or change.get("support_person_name") == ""
    assert "07700 900 902" in html
    cast.patient.refresh_from_db()
    assert cast.patient.communication_needs == []


def test_the_model_refuses_a_language_need_without_a_language(cast):
    from django.core.exceptions import ValidationError

    cast.patient.communication_needs = ["language"]
    with pytest.raises(ValidationError) as caught:
        cast.patient.full_clean()
    assert "communication_language" in caught.value.message_dict


def test_only_the_patients_own_team_may_change_them(client, cast):
    for user in (cast.cns_b, cast.gp_a, cast.admin):
        client.force_login(user)
        assert client.get(url(cast.patient)).status_code == 404
        assert client.post(url(cast.patient), FULL).status_code == 404
    client.force_login(cast.patient_user)
    assert client.get(url(cast.patient)).status_code == 404


def test_the_banner_is_on_staff_pages_about_the_patient_and_nowhere_else(client, cast):
    support.update_support(cast.cns_a, cast.patient, FULL)
    assessment = set_up(cast)
    client.force_login(cast.cns_a)
    for page in (f"/patients/{cast.patient.pk}/", f"/hna/assessments/{assessment.pk}/"):
        text = banner(client.get(page).content.decode())
        assert "Communication needs: Interpreter (Polish), Large print" in text, page
        assert "Carer or next of kin: Anna Nowak (Daughter)" in text
        assert "Change communication needs or carer" in text
    # A list of patients is about no one patient.
    assert banner(client.get("/patients/").content.decode()) == ""
    # The GP sees the banner on the patient's page, without the link to change it.
    client.force_login(cast.gp_a)
    text = banner(client.get(f"/patients/{cast.patient.pk}/").content.decode())
    assert "Interpreter (Polish)" in text and "Change" not in text
    # The patient's own pages never show it.
    client.force_login(cast.patient_user)
    assert banner(client.get("/").content.decode()) == ""


def test_no_banner_when_nothing_is_recorded(client, cast):
    client.force_login(cast.cns_a)
    html = client.get(f"/patients/{cast.patient.pk}/").content.decode()
    assert banner(html) == ""
    assert "None recorded" in html


def test_a_new_hna_starts_from_the_patients_needs(cast):
    support.update_support(
        cast.cns_a, cast.patient, {**FULL, "communication_needs": ["hearing", "interpreter", "easy_read"]}
    )
    cast.patient.refresh_from_db()
    assessment = set_up(cast)
    assert assessment.communication_needs == ["hearing", "interpreter", "other"]
    assert assessment.communication_detail == "Polish; Easy read"


def test_a_patient_with_no_needs_starts_an_hna_with_none(cast):
    assessment = set_up(cast)
    assert assessment.communication_needs == []
    assert assessment.communication_detail == ""


def test_letters_to_a_patient_who_needs_large_print_use_the_large_print_stylesheet(cast):
    context = {
        "patient_name": "A", "first_name": "A", "postcode": "LS1 1AA", "nhs_number": "943 476 5919",
        "team": cast.team_a, "amended": False, "date": timezone.localdate(),
    }  # fmt: skip
    plain = render_to_string(
        "treatment_summaries/letters/cover.jinja", {**context, **support.letter_extras(cast.patient)}
    )
    assert 'class="large-print"' not in plain
    support.update_support(cast.cns_a, cast.patient, {**FULL, "communication_needs": ["large_print", "hearing"]})
    cast.patient.refresh_from_db()
    large = render_to_string(
        "treatment_summaries/letters/cover.jinja", {**context, **support.letter_extras(cast.patient)}
    )
    assert '<body class="large-print">' in large
    assert "dial 18001" in large
    css = open("static/css/print.css").read()
    assert re.search(r"\.large-print[^{]*\{[^}]*font-size: 16pt", css)


def _queue(cast, recipient, key):
    with transaction.atomic():
        queue_notifications(
            [
                {
                    "recipient": recipient,
                    "channel": Notification.Channel.EMAIL,
                    "template": "platform.test",
                    "context": {"name": "A"},
                    "idempotency_key": key,
                    "patient": cast.patient.pk,
                }
            ]
        )
    return Notification.objects.get(idempotency_key=key)


def test_messages_to_the_patient_say_how_to_reach_the_team_and_staff_messages_do_not(
    cast, django_capture_on_commit_callbacks
):
    support.update_support(cast.cns_a, cast.patient, {**FULL, "communication_needs": ["hearing", "interpreter"]})
    cast.patient.refresh_from_db()
    to_patient = _queue(cast, cast.patient.email.upper(), "support-1")
    _, body = rendering.render("platform.test", "email", to_patient.context)
    assert "dial 18001" in body
    assert "We know you would like to use Polish" in body
    to_staff = _queue(cast, cast.cns_a.email, "support-2")
    assert "support_lines" not in to_staff.context
