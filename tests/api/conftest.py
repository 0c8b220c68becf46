"""API test helpers: issue a token for a user, and a client that speaks JSON."""

import json

import pytest

from portal.api.models import ApiToken


def issue_token(user, **fields) -> tuple[ApiToken, str]:
    token = ApiToken(client_name=fields.pop("client_name", "Test client"), user=user, **fields)
    raw = token.set_new_token()
    token.save()
    return token, raw


class Api:
    """Django's test client with a bearer token (or none) and JSON bodies."""

    def __init__(self, client, raw_token=None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {raw_token}"} if raw_token else {}

    def get(self, path, **kwargs):
        return self.client.get(path, headers=self.headers, **kwargs)

    def post(self, path, data, content_type="application/json", **kwargs):
        body = data if isinstance(data, str | bytes) else json.dumps(data)
        return self.client.post(path, body, content_type=content_type, headers=self.headers, **kwargs)


@pytest.fixture
def session_as(client):
    """session_as(user): a client signed in as `user` (session authentication)."""

    def make(user):
        client.force_login(user)
        return Api(client)

    return make


PATIENTS = "/api/v1/patients/"


def detail(patient) -> str:
    return f"{PATIENTS}{patient.pk}/"


def fhir_json(response, model, status=200) -> dict:
    """The response's resource, after checking status, content type and the R4B model."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/fhir+json")
    data = response.json()
    model.model_validate(data)
    assert data["resourceType"] == model.get_resource_type()
    return data
