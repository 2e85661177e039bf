"""The API walked statefully: schemathesis chains calls along the OpenAPI links.

The links (``zopa.web.links``) say where a response leads: the scenario list to every
analysis of the latest version, a save to the analyses of the new version and to a
further save on it, the history to a save on version 1 (a conflict once anything was
saved), an experiment to its job. Hypothesis drives schemathesis' state machine through
sequences of such calls, valid and invalid, and every response is checked against the
schema with schemathesis' own checks (status codes, content types, headers, response
bodies, server errors, invalid data accepted, a resource that vanished after creation).

One check is left out: "positive data acceptance" expects a 2xx for any request the
schema admits, but which issues, options and value paths exist is data, not schema, so
a well-formed request naming an unknown issue rightly gets 422 naming it.

Generated edit paths almost never name a real value, so before a valid save is sent its
edits are pointed at real values (chosen from the generated text, so the run stays
reproducible); the rest of the body is left as generated. At the end of each sequence,
the store must be consistent: the history a chain, every version loadable, one version
per save answered 201, and nothing else.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (dev extra)")

from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from zopa.scenario import Scenario  # noqa: E402

SCENARIO = "harbour"  # small, so that each new version is analysed in milliseconds
SEQUENCES = int(os.environ.get("ZOPA_STATEFUL_SEQUENCES", "120"))
STEPS = 10

def _pick(items: list[Any], seed: object) -> Any:
    digest = hashlib.sha256(repr(seed).encode()).digest()
    return items[int.from_bytes(digest[:4], "big") % len(items)]

def _real_edits(edits: Any, values: list[dict[str, Any]]) -> Any:
    """Point generated edits at real values, with a value inside each one's range."""
    if not isinstance(edits, list):
        return edits
    real = []
    for edit in edits:
        if not isinstance(edit, dict):
            real.append(edit)
            continue
        value = _pick(values, edit.get("path"))
        number = _pick([value["low"], value["high"], (value["low"] + value["high"]) / 2],
                       edit.get("value"))
        real.append({**edit, "path": value["path"], "value": number})
    return real

def _machine(app: FastAPI, values: list[dict[str, Any]], seen: Counter[tuple[str, int]],
             created: set[str]) -> type:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)

    class Walk(schema.as_state_machine()):  # type: ignore[misc]
        def before_call(self, case: Any) -> None:

            if (case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
                    and case.operation.method.upper() == "POST"
                    and case.operation.path.endswith("/versions")
                    and isinstance(case.body, dict) and "edits" in case.body):
                case.body = {**case.body, "edits": _real_edits(case.body["edits"], values)}

        def after_call(self, response: Any, case: Any) -> None:
            super().after_call(response, case)
            seen[(f"{case.operation.method.upper()} {case.operation.path}",
                  response.status_code)] += 1
            if response.status_code == 201 and case.operation.path.endswith("/versions"):
                created.add(response.json()["version"]["id"])

        def validate_response(self, response: Any, case: Any,
                              additional_checks: Any = None, **_: Any) -> None:

            case.validate_response(response, excluded_checks=[positive_data_acceptance],
                                   recorder=self.recorder)

        def teardown(self) -> None:
            _check_store(app, created)
            super().teardown()

    return Walk

def _check_store(app: FastAPI, created: set[str]) -> None:
    """The history is a chain of every version saved and nothing else; each one loads."""
    store = app.state.workspace.store
    history = store.scenarios.history(SCENARIO)
    assert [v.number for v in history] == list(range(1, len(history) + 1))
    assert all(v.parent == p.id for p, v in zip(history, history[1:], strict=False))
    assert {v.id for v in history[1:]} == created
    assert store.scenarios.history("ukraine-2025")[-1].number == 1  # listed, never edited
    for version in history:
        assert store.scenarios.load(version).id == SCENARIO

def test_sequences_of_calls_along_the_links_keep_the_api_and_the_store_sound(
        make_app: Callable[..., FastAPI], harbour: Scenario) -> None:
    app = make_app(trusted_hosts=("testserver",), scenario=SCENARIO)
    app.state.workspace.store.scenarios.save(harbour, parent=None, message="the example")
    seen: Counter[tuple[str, int]] = Counter()
    created: set[str] = set()
    with TestClient(app, base_url="http://127.0.0.1") as client:
        values = client.get(f"/api/scenarios/{SCENARIO}/values").json()["result"]
        assert client.app.openapi()["paths"]  # links are part of the served schema
        _machine(app, values, seen, created).run(settings=settings(
            max_examples=SEQUENCES, stateful_step_count=STEPS, deadline=None, database=None,
            derandomize=True, suppress_health_check=list(HealthCheck)))
    saves = {status: n for (call, status), n in seen.items()
             if call.endswith("/{name}/versions") and call.startswith("POST")}
    # The walk must really have gone where the links lead: versions were created and
    # analysed, and saves on an outdated parent were refused.
    assert saves.get(201, 0) >= 1 and saves.get(409, 0) >= 1, seen
    assert sum(n for (call, status), n in seen.items()
               if status == 200 and call.endswith(("/zopa", "/solutions"))) >= 3, seen
