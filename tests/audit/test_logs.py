"""No passcode, password, token or full NHS number reaches the logs."""

import logging

import pytest

from portal.logging import RedactingFilter, redact

pytestmark = pytest.mark.django_db


def test_sign_in_and_patient_pages_log_no_secrets_or_nhs_numbers(client, cast, settings, caplog, capfd):
    caplog.set_level(logging.DEBUG)
    client.post("/accounts/login/", {"login": cast.cns_a.email, "password": "wrong-password-xyz"})
    client.post("/accounts/login/", {"login": cast.patient_user.email, "password": settings.DEMO_PASSWORD})
    client.force_login(cast.cns_a)
    client.get("/patients/", {"q": cast.patient.nhs_number})
    client.get(f"/patients/{cast.patient.pk}/")
    client.force_login(cast.cns_b)
    client.get(f"/patients/{cast.patient.pk}/")  # a 404, which Django logs
    client.get("/no-such-page/", {"nhs": cast.patient.nhs_number})
    captured = caplog.text + "".join(capfd.readouterr())
    assert caplog.records, "nothing was logged, so this test proves nothing"
    spaced = f"{cast.patient.nhs_number[:3]} {cast.patient.nhs_number[3:6]} {cast.patient.nhs_number[6:]}"
    for secret in ("wrong-password-xyz", settings.DEMO_PASSWORD, cast.patient.nhs_number, spaced):
        assert secret not in captured


def test_the_filter_redacts_what_slips_through():
    assert redact("Not Found: /x?nhs=9434765919") == "Not Found: /x?nhs=[nhs-number]"
    assert redact("patient 943 476 5919 seen") == "patient [nhs-number] seen"
    assert redact("{'password': 'hunter2', 'token': 'abc.def'}") == "{'password': '[redacted]', 'token': '[redacted]'}"
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "passcode=%s", ("K7P2QX9M",), None)
    RedactingFilter().filter(record)
    assert record.getMessage() == "passcode=[redacted]"
    assert redact("request took 1234567 us") == "request took 1234567 us"  # 7 digits: not an NHS number
