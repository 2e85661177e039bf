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

Generated names almost never match the scenario's data, so before a valid (positive)
request is sent, its data-bound fields are pointed at real things: a save's edits at
real value paths with values in range, a package's issues and options and plan at the
scenario's own, a forecast's model at a registered one (and an experiment's runs kept
small). The choice is derived from the generated text, so the run stays reproducible;
the rest of the body is left as generated; invalid (negative) requests are untouched.
At the end of each sequence, the store must be consistent: the history a chain, every
version loadable, one version per save answered 201, and nothing else.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (dev extra)")

from fastapi import FastAPI  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402
from schemathesis.generation.modes import GenerationMode  # noqa: E402
from schemathesis.specs.openapi.checks import positive_data_acceptance  # noqa: E402

from zopa.scenario import Scenario  # noqa: E402
from zopa.web import Settings, create_app  # noqa: E402

SCENARIO = "harbour"  # small, so that each new version is analysed in milliseconds
SEQUENCES = int(os.environ.get("ZOPA_STATEFUL_SEQUENCES", "50"))
STEPS = 10
PACKAGE_PATHS = ("/deal", "/evaluate", "/ratify", "/payers", "/price-of-peace")


@dataclass(frozen=True)
class World:
    """What exists, for pointing generated requests at it."""

    values: list[dict[str, Any]]
    options: dict[str, list[str]]
    plans: list[str]
    models: list[str]


def _pick(items: list[Any], seed: object) -> Any:
    digest = hashlib.sha256(repr(seed).encode()).digest()
    return items[int.from_bytes(digest[:4], "big") % len(items)]


def _real_edits(edits: Any, world: World) -> Any:
    """Point generated edits at real values, with a value inside each one's range."""
    if not isinstance(edits, list):
        return edits
    real = []
    for edit in edits:
        if not isinstance(edit, dict):
            real.append(edit)
            continue
        value = _pick(world.values, edit.get("path"))
        number = _pick([value["low"], value["high"], (value["low"] + value["high"]) / 2],
                       edit.get("value"))
        real.append({**edit, "path": value["path"], "value": number})
    return real


def _real_package(body: dict[str, Any], world: World) -> dict[str, Any]:
    real = dict(body)
    if isinstance(body.get("choices"), dict):
        issues = list(world.options)
        choices = {}
        for key, option in body["choices"].items():
            issue = _pick(issues, key)
            choices[issue] = _pick(world.options[issue], option)
        real["choices"] = choices
    if isinstance(body.get("plan"), str):
        real["plan"] = _pick(world.plans, body["plan"])
    elif isinstance(real.get("choices"), dict):  # without a plan, every issue is chosen
        real["choices"] = {issue: real["choices"].get(issue, options[0])
                           for issue, options in world.options.items()}
    return real


def _realistic(path: str, body: dict[str, Any], world: World) -> dict[str, Any]:
    """The body with its data-bound fields pointed at things that exist."""
    if path.endswith("/versions") and "edits" in body:
        return {**body, "edits": _real_edits(body["edits"], world)}
    if path.endswith(PACKAGE_PATHS):
        return _real_package(body, world)
    if path.endswith(("/forecasts", "/experiments")) and isinstance(body.get("model"), str):
        real = {**body, "model": _pick(world.models, body["model"])}
        if isinstance(body.get("runs"), int):
            real["runs"] = 1 + body["runs"] % 20
        return real
    return body


class FreshApp:
    """An ASGI app that is a new zopa app, on a copy of a template store, for each sequence.

    Every sequence then starts from the same state (Hypothesis needs the same choices to
    lead to the same calls), and copying a SQLite file is far cheaper than seeding one.
    """

    def __init__(self, template: Path, folder: Path) -> None:
        self.template, self.folder = template, folder
        self.current: FastAPI | None = None
        self.made = 0

    def renew(self) -> FastAPI:
        self.close()
        self.made += 1
        copy = self.folder / f"sequence-{self.made}.db"
        shutil.copyfile(self.template, copy)
        self.current = create_app(Settings(database_url=f"sqlite:///{copy}", scenario=SCENARIO,
                                           trusted_hosts=("testserver",)), warm=False)
        return self.current

    def close(self) -> None:
        if self.current is not None:
            self.current.state.jobs.close()
            self.current.state.workspace.store.close()
            self.current = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        assert self.current is not None
        await self.current(scope, receive, send)


def _machine(apps: FreshApp, world: World, seen: Counter[tuple[str, int]]) -> type:
    schema = schemathesis.openapi.from_asgi("/openapi.json", apps)
    created: set[str] = set()

    class Walk(schema.as_state_machine()):  # type: ignore[misc]
        def setup(self) -> None:
            apps.renew()
            created.clear()

        def before_call(self, case: Any) -> None:
            if (case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
                    and isinstance(case.body, dict)):
                case.body = _realistic(case.operation.path, case.body, world)

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
            assert apps.current is not None
            _check_store(apps.current, created)
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


def _template(folder: Path, harbour: Scenario) -> tuple[Path, World]:
    """A store holding ukraine-2025 and harbour (version 1 each), and what exists in it."""
    path = folder / "template.db"
    app = create_app(Settings(database_url=f"sqlite:///{path}", scenario=SCENARIO), warm=False)
    try:
        app.state.workspace.store.scenarios.save(harbour, parent=None, message="the example")
        with TestClient(app, base_url="http://127.0.0.1") as client:
            values = client.get(f"/api/scenarios/{SCENARIO}/values").json()["result"]
            models = [m["name"] for m in client.get("/api/models").json()]
    finally:
        app.state.workspace.store.close()
    options = {issue.id: [o.id for o in issue.options] for issue in harbour.issues}
    return path, World(values, options, [p.id for p in harbour.proposals], models)


def _answered(seen: Counter[tuple[str, int]], status: int, *endings: str) -> int:
    return sum(n for (call, code), n in seen.items() if code == status and call.endswith(endings))


def test_sequences_of_calls_along_the_links_keep_the_api_and_the_store_sound(
        tmp_path: Path, harbour: Scenario) -> None:
    template, world = _template(tmp_path, harbour)
    apps = FreshApp(template, tmp_path)
    apps.renew()  # the schema is read from the first app
    seen: Counter[tuple[str, int]] = Counter()
    try:
        _machine(apps, world, seen).run(settings=settings(
            max_examples=SEQUENCES, stateful_step_count=STEPS, deadline=None, database=None,
            derandomize=True, suppress_health_check=list(HealthCheck)))
    finally:
        apps.close()
    # The walk must really have gone where the links lead: versions were created and
    # analysed, packages were judged. (Whether a sequence also saves on an outdated
    # parent, a 409, is left to chance here; the API and load tests make sure of it.)
    assert _answered(seen, 201, "/{name}/versions") >= 1, seen
    assert _answered(seen, 200, "/zopa", "/solutions") >= 3, seen
    assert _answered(seen, 200, *PACKAGE_PATHS) >= 3, seen
