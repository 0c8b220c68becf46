"""The OpenAPI schema validates with no warnings, and the docs page needs no JavaScript."""

import re

from django.core.management import call_command

from tests.api.conftest import PATIENTS


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
