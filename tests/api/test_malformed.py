"""Malformed requests are the client's problem: always 400, 413 or 415 with a JSON body, never a 500.
Bad paging values are in test_paging."""

import json

import pytest

from portal.people.models import Patient
from tests.api.conftest import PATIENTS
from tests.api.test_create import new_patient


def assert_json_error(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "errors"} and body["detail"]
    return body


@pytest.mark.parametrize(
    "body",
    [
        "{not json",
        '{"nhs_number": "9434765919",}',
        "",
        b"\xff\xfe not utf-8",
        b'{"given_name": "A\x00"}',  # a raw NUL byte is not JSON
        "[" * 100_000 + "]" * 100_000,  # deep enough to exhaust Python's recursion limit
        '{"date_of_birth": 1' + "0" * 5000 + "}",  # longer than Python will turn into an int
        '{"given_name": NaN}',
        '{"given_name": Infinity}',
    ],
    ids=["broken", "trailing-comma", "empty", "not-utf8", "raw-nul", "deep", "huge-int", "nan", "infinity"],
)
def test_unparseable_bodies_are_400(cast, api_as, body):
    response = api_as(cast.cns_a).post(PATIENTS, body)
    if body == "":
        # An empty body is an empty object: every required field is missing.
        assert set(assert_json_error(response, 400)["errors"]) >= {"nhs_number"}
    else:
        assert_json_error(response, 400)
    assert Patient.objects.count() == 1


@pytest.mark.parametrize("body", ["[]", '["a", "b"]', '"a string"', "42", "null", "true"])
def test_json_that_is_not_an_object_is_400(cast, api_as, body):
    errors = assert_json_error(api_as(cast.cns_a).post(PATIENTS, body), 400)["errors"]
    assert list(errors) == ["non_field_errors"]


@pytest.mark.parametrize(
    "content_type",
    ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml"],
)
def test_other_content_types_are_415(cast, api_as, content_type):
    response = api_as(cast.cns_a).post(PATIENTS, "nhs_number=9434765919", content_type=content_type)
    assert_json_error(response, 415)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"date_of_birth": "31/01/1970"}, "date_of_birth"),
        ({"date_of_birth": "yesterday"}, "date_of_birth"),
        ({"date_of_birth": "1970-02-30"}, "date_of_birth"),
        ({"date_of_birth": "99999-01-01"}, "date_of_birth"),
        ({"date_of_birth": 19700131}, "date_of_birth"),
        ({"date_of_birth": 10**300}, "date_of_birth"),
        ({"date_of_birth": ["1970-01-31"]}, "date_of_birth"),
        ({"date_of_birth": "1970-01-31\x00"}, "date_of_birth"),
        ({"nhs_number": 9434765919}, "nhs_number"),
        ({"nhs_number": 10**300}, "nhs_number"),
        ({"nhs_number": "9434765919" * 1000}, "nhs_number"),
        ({"nhs_number": "943476591\x00"}, "nhs_number"),
        ({"given_name": "Ada\x00"}, "given_name"),
        ({"given_name": 1e300}, "given_name"),
        ({"given_name": {"first": "Ada"}}, "given_name"),
        ({"given_name": "A" * 10_000}, "given_name"),
        ({"email": "not-an-email"}, "email"),
        ({"email": 12}, "email"),
        ({"preferred_contact": ["email"]}, "preferred_contact"),
        ({"survey_opt_out": "perhaps"}, "survey_opt_out"),
        # DRF alone takes these as booleans; the schema says JSON true or false (found by schemathesis).
        ({"survey_opt_out": 0}, "survey_opt_out"),
        ({"survey_opt_out": 1}, "survey_opt_out"),
        ({"survey_opt_out": "true"}, "survey_opt_out"),
        ({"survey_opt_out": "yes"}, "survey_opt_out"),
        ({"registered_practice_ods_code": 100001}, "registered_practice_ods_code"),
        ({"registered_practice_ods_code": "A0000\x00"}, "registered_practice_ods_code"),
        ({"registered_practice_ods_code": ["A00001"]}, "registered_practice_ods_code"),
        ({"registered_practice_ods_code": "A" * 5000}, "registered_practice_ods_code"),
        ({"postcode": "LS1\x004AP"}, "postcode"),
    ],
)
def test_wrong_types_and_odd_values_are_field_errors(cast, api_as, changes, field):
    body = assert_json_error(api_as(cast.cns_a).post(PATIENTS, new_patient(**changes)), 400)
    assert field in body["errors"], body


@pytest.mark.parametrize("field", ["date_of_birth", "nhs_number", "given_name"])
def test_numbers_too_big_for_a_float_are_field_errors(cast, api_as, field):
    # 1e400 is valid JSON and parses to infinity.
    body = new_patient()
    body.pop(field)
    raw = json.dumps(body)[:-1] + f', "{field}": 1e400}}'
    assert field in assert_json_error(api_as(cast.cns_a).post(PATIENTS, raw), 400)["errors"]


def test_a_boolean_is_true_or_false(cast, api_as):
    api = api_as(cast.cns_a)
    errors = assert_json_error(api.post(PATIENTS, new_patient(survey_opt_out=0)), 400)["errors"]
    assert errors == {"survey_opt_out": ["Enter true or false (a JSON boolean)"]}
    assert api.post(PATIENTS, new_patient(survey_opt_out=True)).json()["survey_opt_out"] is True


def test_unknown_fields_are_ignored(cast, api_as):
    assert api_as(cast.cns_a).post(PATIENTS, new_patient(favourite_colour="blue")).status_code == 201


def test_too_large_a_body_is_413(cast, api_as, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api_as(cast.cns_a).post(PATIENTS, new_patient(given_name="A" * 2000))
    assert_json_error(response, 413)


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_methods_not_offered_are_405(cast, client, api_as, method):
    api = api_as(cast.cns_a)
    response = getattr(client, method)(PATIENTS, "{}", content_type="application/json", headers=api.headers)
    assert_json_error(response, 405)
    assert "GET" in response["Allow"]
