"""/api/v1/wellbeing/resources/ and /api/v1/wellbeing/directory/ (ADR 0043): read-only, live entries
only, the pages' search and filters (a value not in a list is a 400 naming it), a JSON 404 for a
retired, missing or malformed id, and a token (or session) required."""

import pytest
from django.core.management import call_command

from portal.audit.models import AuditEvent
from tests.wellbeing.library_helpers import make_resource, make_service
from wellbeing.services import library
from wellbeing.topics_v1 import ensure_loaded

pytestmark = pytest.mark.django_db
RESOURCES = "/api/v1/wellbeing/resources/"
DIRECTORY = "/api/v1/wellbeing/directory/"


@pytest.fixture(autouse=True)
def _topics(db):
    """The migration's topics: an earlier transactional test on this worker may have emptied them."""
    ensure_loaded()


def test_any_signed_in_client_lists_and_reads_live_resources(cast, api_as):
    fatigue = make_resource(title="Living with fatigue", summary="Saving energy.")
    breast = make_resource(
        title="Arm exercises", topics=("physical-activity",), tumour_sites=["breast"], formats=["pdf"]
    )
    gone = make_resource(title="Old leaflet")
    library.retire_resource(gone, actor=cast.admin)
    for who in (cast.patient_user, cast.cns_a, cast.gp_a, cast.admin):
        listed = api_as(who).get(RESOURCES).json()
        assert [r["title"] for r in listed["results"]] == ["Arm exercises", "Living with fatigue"], who
    api = api_as(cast.gp_a)
    detail = api.get(f"{RESOURCES}{fatigue.pk}/").json()
    assert detail["topics"] == [{"slug": "fatigue", "name": "Managing fatigue"}]
    assert detail["url"] == fatigue.url and detail["formats"] == ["web"] and detail["tumour_sites"] == []
    assert api.get(f"{RESOURCES}{breast.pk}/").json()["tumour_sites"] == ["breast"]
    assert not AuditEvent.objects.filter(action="view").exists()  # reference data: no access-log rows


def test_the_resource_list_searches_and_filters(cast, api_as):
    make_resource(title="Living with fatigue", summary="Saving energy.")
    make_resource(
        title="Arm exercises", summary="Gentle movement.", topics=("physical-activity",), tumour_sites=["breast"],
        formats=["pdf"],
    )  # fmt: skip
    api = api_as(cast.cns_a)

    def titles(query):
        response = api.get(f"{RESOURCES}?{query}")
        assert response.status_code == 200, response.content
        return [r["title"] for r in response.json()["results"]]

    assert titles("q=energy") == ["Living with fatigue"]
    assert titles("topic=physical-activity") == ["Arm exercises"]
    assert titles("topic=no-such-topic") == []
    assert titles("site=prostate") == ["Living with fatigue"]
    assert titles("resource_format=pdf") == ["Arm exercises"]
    assert titles("q=%00") == ["Arm exercises", "Living with fatigue"]  # a NUL is dropped, not a 500
    for query, name in (("site=elbow", "site"), ("resource_format=vinyl", "resource_format"), ("site=", "site")):
        response = api.get(f"{RESOURCES}?{query}")
        assert response.status_code == 400 and name in response.json()["errors"], query


def test_the_directory_lists_filters_and_reads_live_services(cast, api_as):
    benefits = make_service(email="benefits@example.nhs.uk")
    make_service(name="Move More", category="activity", topics=("physical-activity",))
    gone = make_service(name="Closed")
    library.retire_service(gone, actor=cast.admin)
    api = api_as(cast.patient_user)
    assert [s["name"] for s in api.get(DIRECTORY).json()["results"]] == ["Benefits advice service", "Move More"]
    assert [s["name"] for s in api.get(f"{DIRECTORY}?category=activity").json()["results"]] == ["Move More"]
    assert [s["name"] for s in api.get(f"{DIRECTORY}?topic=money").json()["results"]] == ["Benefits advice service"]
    assert api.get(f"{DIRECTORY}?category=astrology").status_code == 400
    detail = api.get(f"{DIRECTORY}{benefits.pk}/").json()
    assert detail["email"] == "benefits@example.nhs.uk" and detail["how_referred"] == "self"
    assert detail["category"] == "financial" and detail["topics"][0]["slug"] == "money"
    assert api.get(f"{DIRECTORY}{gone.pk}/").status_code == 404


@pytest.mark.parametrize("base", [RESOURCES, DIRECTORY])
def test_a_retired_missing_or_malformed_id_is_a_json_404(cast, api_as, base):
    retired = (
        library.retire_resource(make_resource(), actor=cast.admin)
        if base == RESOURCES
        else library.retire_service(make_service(), actor=cast.admin)
    )
    api = api_as(cast.cns_a)
    for pk in (retired.pk, "00000000-0000-0000-0000-000000000000", "not-a-uuid"):
        response = api.get(f"{base}{pk}/")
        assert response.status_code == 404 and response["Content-Type"] == "application/json", pk
        assert response.json()["detail"].startswith("There is no")


@pytest.mark.parametrize("path", [RESOURCES, DIRECTORY])
def test_no_token_no_answer(client, path):
    response = client.get(path)
    assert response.status_code == 401 and response.json()["detail"]
    assert client.get(path, headers={"Authorization": "Bearer not-a-token"}).status_code == 401


def test_read_only(cast, api_as):
    api = api_as(cast.admin)
    assert api.post(RESOURCES, {"title": "Mine"}).status_code == 405
    assert api.post(DIRECTORY, {"name": "Mine"}).status_code == 405


def test_the_schema_documents_them_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    for path in (RESOURCES, f"{RESOURCES}{{id}}/", DIRECTORY, f"{DIRECTORY}{{id}}/"):
        assert f"{path}:" in text, path
    assert "resource_format" in text
