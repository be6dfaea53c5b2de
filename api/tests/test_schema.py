"""The published schema: api/openapi.json is what the code generates (`make api-schema`
rewrites it), and the server publishes the same at /api/v1/openapi.json."""

import json
from pathlib import Path

import pytest
from django.conf import settings

from api.urls import api

COMMITTED = Path(settings.BASE_DIR) / "api" / "openapi.json"


def generated():
    # As `manage.py export_openapi_schema` writes it: through JSON, so int keys become strings.
    return json.loads(json.dumps(api.get_openapi_schema(), default=str))


def test_the_committed_schema_is_the_generated_one():
    assert json.loads(COMMITTED.read_text()) == generated(), (
        "api/openapi.json is out of date: run `make api-schema` and commit it"
    )


@pytest.mark.django_db
def test_the_server_publishes_it(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response.json() == json.loads(COMMITTED.read_text())


def test_every_operation_documents_its_errors_and_headers():
    for path, operations in generated()["paths"].items():
        for operation in operations.values():
            responses = operation["responses"]
            assert {"200", "304", "400", "401", "429"} <= set(responses), path
            assert "ETag" in responses["200"]["headers"]
            assert "Retry-After" in responses["429"]["headers"]
            assert operation["security"][-1] == {"OrganiserToken": []}
