"""Property-based: requests generated from the OpenAPI spec never make the server answer 500."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

from assistant.core import Assistant
from tests.conftest import TODAY
from web.app import create_app


def test_no_request_generated_from_the_spec_makes_the_server_fail(web_settings, seed_index, embedder):
    unlimited = {f"rate_{name}": "1000000/minute" for name in ("query", "feedback", "read")}  # reach the handlers
    app = create_app(web_settings.model_copy(update=unlimited), Assistant(seed_index, embedder, today=TODAY))
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {f"{op.method.upper()} {op.path}" for op in operations} >= {
        "POST /api/v1/query",
        "GET /api/v1/guides",
        "GET /api/v1/guides/{guide_id}",
        "POST /api/v1/feedback",
        "GET /api/v1/conversations/{conversation_id}",
        "DELETE /api/v1/conversations/{conversation_id}",
        "GET /healthz",
        "GET /readyz",
    }
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def no_server_error(case):  # type: ignore[no-untyped-def]
            case.call_and_validate(checks=[not_a_server_error])

        no_server_error()
