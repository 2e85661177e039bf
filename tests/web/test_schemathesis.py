"""The API against its own OpenAPI schema: schemathesis generates requests for every
operation, valid and invalid ones; none may end in a server error (5xx).

The cases come from schemathesis' Hypothesis strategies (``APIOperation.as_strategy``)
run by Hypothesis directly, on an app built by a fixture with a fresh store. Valid
requests on the real scenario name are generated too, so that the analyses run.
Examples per operation are bounded so that the run stays under a minute.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (dev extra)")

from fastapi import FastAPI  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402

EXAMPLES = 20
SCENARIO = "ukraine-2025"


def _strategy(operation: Any) -> st.SearchStrategy[Any]:
    choices = [operation.as_strategy(GenerationMode.POSITIVE),
               operation.as_strategy(GenerationMode.NEGATIVE)]
    if "{name}" in operation.path:  # half the cases on the scenario that exists
        named = operation.as_strategy(GenerationMode.POSITIVE, path_parameters={"name": SCENARIO})
        choices += [named, named]
    return st.one_of(choices)


def _check(operation: Any) -> str | None:
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=_strategy(operation))
    def run(case: Any) -> None:
        case.call_and_validate(checks=[not_a_server_error])

    try:
        run()
    except Exception as failure:  # report every operation, then fail once
        return f"{operation.label}: {failure}"
    return None


def test_no_operation_ends_in_a_server_error(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(trusted_hosts=("testserver",))
    try:
        schema = schemathesis.openapi.from_asgi("/openapi.json", app)
        operations = [result.ok() for result in schema.get_all_operations()]
        failures = [found for found in map(_check, operations) if found]
    finally:
        app.state.jobs.close()
        app.state.workspace.store.close()
    assert len(operations) >= 20
    assert failures == []
