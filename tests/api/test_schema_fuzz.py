"""The API answers as its OpenAPI schema says, checked by schemathesis with every check on
(status codes, content types, response bodies, refusing schema-invalid input, accepting valid
input, auth that cannot be skipped, unsupported methods, and the links between operations).

Every documented operation is fuzzed in-process (WSGI, inside the test's transaction) as a CNS
of team A whose patient has an HNA, a care plan and a sent treatment summary, so the detail
operations reach real records. The run is bounded and derandomised so the suite stays fast and
repeatable; `make fuzz` runs the same tests with many more examples (FUZZ_EXAMPLES)."""

import json
import os

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from hypothesis.stateful import run_state_machine_as_test
from schemathesis.config import SchemathesisConfig

from portal.api.models import ApiToken, hash_token
from tests.hna.test_api import make_assessment, make_plan
from tests.treatment_summaries.test_api import make_summary

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
# Fixed, so schemathesis knows it as the run's own credential (as `-H` on the command line) and its
# auth checks can take it away or spoil it. It works only in the test database, for this test.
RAW_TOKEN = "fuzz-token-for-the-test-database-only-xxxxxx"  # noqa: S105
# The create operation's rules go beyond what a schema can say: the NHS number's check digit, a
# date of birth not in the future, a way of contacting the patient that matches the choice, and an
# NHS number not already taken. Schema-valid bodies that break them are refused with a field
# error (400), which is the documented answer; everything else about the operation is checked.
CONFIG = SchemathesisConfig.from_dict(
    {
        "headers": {"Authorization": f"Bearer {RAW_TOKEN}"},
        "operations": [
            {
                "include-path": "/api/v1/patients/",
                "include-method": "POST",
                "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "409"]}},
            },
            # followup: results. The same sample twice is 409, as documented.
            {
                "include-path": "/api/v1/followup/results/",
                "include-method": "POST",
                "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "400", "401", "403", "409"]}},
            },
        ],
    }
)
HYPOTHESIS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("FUZZ_EXAMPLES") is None,
    database=None,
    # The fixtures are built once per operation and shared by its examples, on purpose.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def load_schema():
    document = json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))
    loaded = schemathesis.openapi.from_dict(document, config=CONFIG)
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture
def records(cast):
    """cast.patient's HNA, care plan and sent summary, and RAW_TOKEN for their nurse. The WSGI app
    then runs inside the test's transaction: as Django's test client does, it must not close the
    connection at the end of each request."""
    assessment = make_assessment(cast)
    make_plan(cast, assessment)
    make_summary(cast)
    ApiToken.objects.create(
        client_name="schemathesis", user=cast.cns_a, prefix=RAW_TOKEN[:8], token_hash=hash_token(RAW_TOKEN)
    )
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield cast
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@HYPOTHESIS
def test_every_operation_answers_as_documented(case, records):
    case.call_and_validate()


def test_linked_operations_answer_as_documented(records):
    """Stateful: create a patient, then read it back; list, then read each listed record."""
    steps = settings(HYPOTHESIS, max_examples=max(EXAMPLES // 5, 5), stateful_step_count=max(EXAMPLES // 2, 10))
    run_state_machine_as_test(schema.as_state_machine(), settings=steps)


def test_the_fuzz_covers_every_documented_operation():
    operations = {f"{op.method.upper()} {op.path}" for op in (r.ok() for r in schema.get_all_operations())}
    # followup: results (10 reads and POST results/); qol_survey: api (4 reads); care_reviews: api (4 reads)
    assert len(operations) == 9 + 11 + 4 + 8 + 4, operations  # core, follow-up, survey, wellbeing, care reviews
