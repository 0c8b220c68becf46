"""The due list page (issue 14 item 1): counts and the indicator first, filters and sorts as links,
each patient listed in the access log; a page for the practice only."""

import pytest

from portal.audit.models import AuditEvent
from tests.care_reviews.test_due import diagnosed, review

pytestmark = pytest.mark.django_db


def page(client, user, query=""):
    client.force_login(user)
    response = client.get(f"/care-reviews/{query}")
    return response.status_code, response.content.decode()


def test_the_practice_sees_counts_indicator_and_rows(client, cast):
    overdue = diagnosed(cast, 13, family_name="Overdue")
    done = diagnosed(cast, 14, family_name="Reviewed")
    review(cast, done, months_after=10)
    status, html = page(client, cast.gp_a)
    assert status == 200 and "1 of 2 patients diagnosed in the last 24 months" in html and "50%" in html
    assert "Overdue" in html and "Reviewed" in html
    assert AuditEvent.objects.filter(action="view", patient=overdue.patient, actor=cast.gp_a).exists()
    _, only_overdue = page(client, cast.gp_a, "?show=overdue")
    assert "Overdue" in only_overdue and "Reviewed</a>" not in only_overdue


def test_sorting_by_name(client, cast):
    diagnosed(cast, 7, family_name="Zephyr")
    diagnosed(cast, 8, family_name="Abbott")
    _, html = page(client, cast.gp_a, "?sort=name")
    assert html.index("Abbott") < html.index("Zephyr")
    _, by_due = page(client, cast.gp_a, "?sort=due")
    assert by_due.index("Abbott") < by_due.index("Zephyr")  # diagnosed earlier, due earlier


@pytest.mark.parametrize("who", ["cns_a", "admin", "auditor", "patient_user"])
def test_no_one_but_the_practice_reaches_it(client, cast, who):
    status, _ = page(client, getattr(cast, who))
    assert status == 404
