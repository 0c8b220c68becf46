"""The OpenAPI schema validates with no warnings, and the docs page needs no JavaScript."""

import re

from django.core.management import call_command

from tests.api.conftest import PATIENTS

# followup: results
FOLLOWUP_PATHS = {
    f"/api/v1/followup/{kind}/{detail}" for kind in ("pathways", "tests", "results", "checkins", "concerns")
    for detail in ("", "{id}/")
}  # fmt: skip
FOLLOWUP_OPERATIONS = len(FOLLOWUP_PATHS) + 1  # and POST results/
# qol_survey: api (read-only: one operation a path)
QOL_PATHS = {f"/api/v1/qol/{kind}/{detail}" for kind in ("invitations", "responses") for detail in ("", "{id}/")}
# wellbeing: api (read-only: one operation a path)
WELLBEING_PATHS = {
    f"/api/v1/wellbeing/{kind}/{detail}"
    for kind in ("sessions", "bookings", "resources", "directory")
    for detail in ("", "{id}/")
}

# care_reviews: api (read-only: one operation a path)
CARE_REVIEW_PATHS = {f"/api/v1/care-reviews/{kind}{detail}" for kind in ("", "requests/") for detail in ("", "{id}/")}


def test_schema_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    # --fail-on-warn makes any warning (an unresolvable field, a missing extension) a SystemExit.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    text = out.read_text()
    assert "/api/v1/patients/{id}/:" in text and "apiToken" in text


def test_schema_is_served(db, client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert set(schema["paths"]) == {
        PATIENTS,
        PATIENTS + "{id}/",
        "/api/v1/hna/assessments/",
        "/api/v1/hna/assessments/{id}/",
        "/api/v1/care-plans/",
        "/api/v1/care-plans/{id}/",
        "/api/v1/treatment-summaries/",
        "/api/v1/treatment-summaries/{id}/",
        *FOLLOWUP_PATHS,
        *QOL_PATHS,
        *WELLBEING_PATHS,
        *CARE_REVIEW_PATHS,
    }
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"


def test_docs_page_lists_the_endpoints_without_scripts_of_its_own(db, client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>API documentation</h1>" in html
    assert "/api/v1/patients/{id}/" in html and "registered_practice_ods_code" in html
    # Only the site's own module script: no CDN, no inline script.
    scripts = re.findall(r"<script[^>]*>", html)
    assert all('src="/static/' in s or "nonce=" in s for s in scripts), scripts
    assert "cdn" not in html.lower()
    assert "<title>API documentation – " in html


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield f"{method.upper()} {path}", operation


def test_every_operation_documents_the_errors_it_can_answer_with(db, client):
    schema = client.get("/api/schema/?format=json").json()
    error = {"$ref": "#/components/schemas/Error"}
    checked = 0
    for name, operation in operations(schema):
        responses = operation["responses"]
        locations = {p["in"] for p in operation.get("parameters", [])}
        expected = {"401"}
        if "query" in locations or "requestBody" in operation:
            expected.add("400")
        if "path" in locations:
            expected.add("404")
        if "requestBody" in operation:
            expected |= {"403", "413", "415"}
        assert expected <= set(responses), name
        for code in expected:
            assert responses[code]["content"]["application/json"]["schema"] == error, (name, code)
            assert responses[code]["description"], (name, code)
        checked += 1
    assert checked == 9 + FOLLOWUP_OPERATIONS + len(QOL_PATHS) + len(WELLBEING_PATHS) + len(CARE_REVIEW_PATHS)


def test_lists_document_400_and_details_404_in_words_for_any_record(db, client):
    paths = client.get("/api/schema/?format=json").json()["paths"]
    assert "400" in paths["/api/v1/hna/assessments/"]["get"]["responses"]
    assert "404" not in paths["/api/v1/hna/assessments/"]["get"]["responses"]
    assert "400" not in paths["/api/v1/treatment-summaries/{id}/"]["get"]["responses"]
    # One wording everywhere: an assessment's 404 does not talk about patients.
    for path in (PATIENTS + "{id}/", "/api/v1/hna/assessments/{id}/", "/api/v1/care-plans/{id}/"):
        description = paths[path]["get"]["responses"]["404"]["description"]
        assert description.startswith("There is no record with this id that you may see"), path
