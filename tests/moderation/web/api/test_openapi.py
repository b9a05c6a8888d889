"""The OpenAPI document says what the live server does: Schemathesis generates requests from
``/v1/openapi.json`` (served by the server itself) and checks every answer against it: no server error, a
documented status code, content type, headers and body schema."""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from harness.web_process import request
from moderation.web.api.app import OPENAPI_FILE
from tests.helpers import examples
from tests.moderation.web.api.conftest import Stack

pytestmark = pytest.mark.integration

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


@pytest.fixture(scope="module")
def schema_key(stack: Stack) -> str:
    """A key for the generated requests' site."""
    return stack.key("schema-site")


# The file the server serves (test_the_served_document_is_the_file checks that it is); loaded here because
# schemathesis.pytest.from_fixture does not work with pytest 9 (it reads a node attribute pytest removed).
schema = schemathesis.openapi.from_dict(json.loads(OPENAPI_FILE.read_text(encoding="utf-8")))


def test_the_served_document_is_the_file(stack: Stack) -> None:
    status, document, _ = request(stack.url, "GET", "/v1/openapi.json")
    assert status == 200 and document == json.loads(OPENAPI_FILE.read_text(encoding="utf-8"))


@schema.parametrize()
@settings(max_examples=examples(40), deadline=None, suppress_health_check=list(HealthCheck))
def test_the_server_answers_as_its_openapi_document_says(case: Any, stack: Stack, schema_key: str) -> None:
    case.call_and_validate(base_url=stack.url, headers={"Authorization": f"Bearer {schema_key}"}, checks=CHECKS)
