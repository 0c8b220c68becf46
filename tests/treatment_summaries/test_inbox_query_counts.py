"""The GP inbox list's query count is flat: the same for 5 deliveries as for 200 (issue 6,
"Benchmark": the inbox page with 200 summaries), on the first page, a later page and a filtered page.
test_inbox.py checks 5, 50 and 60; the benchmark (tests/bench/test_summaries.py) times 200."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import PatientFactory
from tests.treatment_summaries.factories import delivered
from tests.treatment_summaries.test_inbox import INBOX, ROW_LINK, other_practice_delivery
from treatment_summaries.services import inbox
from treatment_summaries.views.inbox import PAGE_SIZE

pytestmark = pytest.mark.django_db
PAGES = ("", "?page=2", "?page=last", "?state=new", "?state=acknowledged")


def test_inbox_queries_are_the_same_for_5_and_200_deliveries(client, cast):
    def add(n):
        for _ in range(n):
            patient = PatientFactory(registered_practice=cast.practice_a, care_teams=[cast.team_a])
            delivered(cast, patient=patient)

    def count(query):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(INBOX + query)
        assert response.status_code == 200
        return len(ctx.captured_queries), len(ROW_LINK.findall(response.content.decode()))

    add(5)
    inbox.acknowledge(actor=cast.gp_a, delivery=delivered(cast))  # one in each filter
    for _ in range(3):
        other_practice_delivery(cast)  # never listed, never counted
    client.force_login(cast.gp_a)
    client.get(INBOX)  # the session's first request (role, MFA) is not the steady state
    few = {query: count(query) for query in PAGES}
    assert few[""][1] == 6 and few["?state=new"][1] == 5 and few["?state=acknowledged"][1] == 1

    add(194)
    many = {query: count(query) for query in PAGES}
    assert "All (200)" in client.get(INBOX).content.decode()
    assert many[""][1] == many["?page=2"][1] == many["?state=new"][1] == PAGE_SIZE
    assert many["?page=last"][1] == 200 - 3 * PAGE_SIZE and many["?state=acknowledged"][1] == 1
    assert {query: queries for query, (queries, _) in many.items()} == {
        query: queries for query, (queries, _) in few.items()
    }
