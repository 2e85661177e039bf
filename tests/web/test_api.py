"""The JSON API through FastAPI's TestClient: every endpoint, errors, conflicts, jobs."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from zopa.analysis import evaluate_plan, find_zopa
from zopa.analysis.ratify import ratify
from zopa.catalog import load_catalog_scenario

LOCAL = "http://127.0.0.1"
BASE = "/api/scenarios/ukraine-2025"
PLAN = "ua-us-20-point"


def _save(client: TestClient, parent: str, value: Any, *, path: str = "parties[0].reservation",
          message: str = "news", **extra: Any) -> Any:
    body = {"parent": parent, "message": message,
            "edits": [{"path": path, "value": value}], **extra}
    return client.post(f"{BASE}/versions", json=body)


def _first_id(client: TestClient) -> str:
    return str(client.get(f"{BASE}/versions/@1").json()["id"])


# -- scenarios ----------------------------------------------------------------------------------
def test_the_default_scenario_is_saved_as_version_1_on_first_use(client: TestClient) -> None:
    listed = client.get("/api/scenarios").json()
    assert [s["name"] for s in listed] == ["ukraine-2025"]
    assert listed[0]["latest"]["label"] == "@1" and listed[0]["latest"]["author"] == "zopa"
    found = client.get(BASE).json()
    assert found["version"]["number"] == 1
    assert found["scenario"]["id"] == "ukraine-2025"
    assert len(found["scenario"]["parties"]) == 4


def test_values_list_every_uncertain_number_with_its_path(client: TestClient) -> None:
    answer = client.get(f"{BASE}/values").json()
    values = {v["path"]: v for v in answer["result"]}
    assert len(values) == len(load_catalog_scenario().uncertain_values())
    russia = values["parties[0].reservation"]
    assert russia["label"] == "parties.russia.reservation"
    assert russia["low"] <= russia["mode"] <= russia["high"]
    assert "stances.russia.donetsk.salience" in values
    assert answer["scenario"]["number"] == 1


def test_the_scenario_schema_is_the_file_format(client: TestClient) -> None:
    schema = client.get("/api/scenario-schema").json()
    assert schema["title"].startswith("zopa scenario")
    assert "parties" in schema["properties"]


def test_an_unknown_scenario_is_404(client: TestClient) -> None:
    for path in ("/api/scenarios/nowhere", "/api/scenarios/nowhere/zopa",
                 "/api/scenarios/nowhere/versions"):
        answer = client.get(path)
        assert answer.status_code == 404, path
        assert answer.json()["detail"].startswith("no scenario named 'nowhere'")


# -- versions -----------------------------------------------------------------------------------
def test_an_edit_is_saved_with_its_message_sources_and_new_source(client: TestClient) -> None:
    parent = _first_id(client)
    value = {"low": 0.55, "mode": 0.6, "high": 0.65, "source": ["S1", "NEW1"],
             "note": "Moscow softens", "judgement": True}
    answer = _save(client, parent, value, message="Moscow signals flexibility",
                   sources=["https://example.org/a"], author="analyst",
                   new_sources={"NEW1": {"document": "Example, 'A leak'", "date": "2026-01-02",
                                         "url": "https://example.org/a"}})
    assert answer.status_code == 201, answer.text
    saved = answer.json()
    assert saved["created"] is True
    assert saved["version"]["label"] == "@2" and saved["version"]["parent_number"] == 1
    assert saved["version"]["author"] == "analyst"
    assert saved["version"]["sources"] == ["https://example.org/a"]
    history = client.get(f"{BASE}/versions").json()
    assert [v["label"] for v in history] == ["@1", "@2"]
    assert history[1]["message"] == "Moscow signals flexibility"
    scenario = client.get(BASE).json()["scenario"]
    assert scenario["parties"][0]["reservation"]["mode"] == 0.6
    assert scenario["parties"][0]["reservation"]["source"] == ["S1", "NEW1"]
    assert scenario["sources"]["NEW1"]["document"] == "Example, 'A leak'"
    old = client.get(f"{BASE}/zopa", params={"version": "@1"}).json()
    assert old["scenario"]["number"] == 1
    assert client.get(f"{BASE}/zopa").json()["scenario"]["number"] == 2


def test_saving_the_same_values_writes_nothing(client: TestClient) -> None:
    parent = _first_id(client)
    current = client.get(BASE).json()["scenario"]["parties"][0]["reservation"]
    answer = _save(client, parent, current)
    assert answer.status_code == 200
    assert answer.json()["created"] is False
    assert len(client.get(f"{BASE}/versions").json()) == 1


def test_a_save_on_an_outdated_parent_is_a_409_conflict(client: TestClient) -> None:
    parent = _first_id(client)
    assert _save(client, parent, 0.6, message="first").status_code == 201
    answer = _save(client, parent, 0.5, path="parties[1].reservation", message="second")
    assert answer.status_code == 409
    detail = answer.json()["detail"]
    assert detail.startswith("conflict: cannot save 'ukraine-2025' as a version on @1")
    assert "first" in detail and "Nothing was saved" in detail
    assert len(client.get(f"{BASE}/versions").json()) == 2


def test_saves_and_conflicts_on_postgresql(postgres_url: str) -> None:
    from zopa.web import Settings, create_app

    app = create_app(Settings(database_url=postgres_url), warm=False)
    with TestClient(app, base_url=LOCAL) as client:
        parent = _first_id(client)
        assert _save(client, parent, 0.6, message="first").status_code == 201
        conflict = _save(client, parent, 0.5, message="second")
        assert conflict.status_code == 409 and "first" in conflict.json()["detail"]
        assert [v["message"] for v in client.get(f"{BASE}/versions").json()][-1] == "first"


@pytest.mark.parametrize(("body", "field"), [
    ({"parent": "latest"}, "parent"),
    ({"edits": [{"path": "parties[9].reservation", "value": 0.5}]}, "edits[0].path"),
    ({"edits": [{"path": "parties[0].reservation",
                 "value": {"low": 0.7, "mode": 0.5, "high": 0.9}}]}, "body.edits.0.value"),
    ({"edits": [{"path": "parties[0].reservation", "value": {"value": 0.5,
                                                             "source": ["NOPE"]}}]},
     "parties[0].reservation.source"),
    ({"message": "   "}, "body.message"),
    ({"edits": []}, "body.edits"),
    ({"color": "red"}, "body.color"),
])
def test_a_bad_edit_is_a_422_naming_the_field(client: TestClient, body: dict[str, Any],
                                              field: str) -> None:
    request = {"parent": "@1", "message": "news",
               "edits": [{"path": "parties[0].reservation", "value": 0.5}], **body}
    answer = client.post(f"{BASE}/versions", json=request)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"].startswith(field), answer.json()
    assert len(client.get(f"{BASE}/versions").json()) == 1


def test_versions_and_diffs(client: TestClient) -> None:
    parent = _first_id(client)
    _save(client, parent, 0.6)
    assert client.get(f"{BASE}/versions/latest").json()["label"] == "@2"
    assert client.get(f"{BASE}/versions/{parent[:8]}").json()["number"] == 1
    bad = client.get(f"{BASE}/versions/@7")
    assert bad.status_code == 422 and "@1 to @2" in bad.json()["detail"]
    diff = client.get(f"{BASE}/diff").json()
    assert (diff["old"]["label"], diff["new"]["label"]) == ("@1", "@2")
    # The edit replaced the whole number: its value, and (given none) its sources and note.
    fields = {c["field"]: c for c in diff["changes"]}
    assert set(fields) == {"reservation", "reservation.source", "reservation.note",
                           "reservation.judgement"}
    assert fields["reservation"]["after"] == {"value": 0.6}
    assert {c["item"] for c in diff["changes"]} == {"russia"}
    assert client.get(f"{BASE}/diff", params={"old": "@2", "new": "@2"}).json()["changes"] == []


# -- analysis -----------------------------------------------------------------------------------
def test_zopa_frontier_and_solutions(client: TestClient) -> None:
    expected = find_zopa(load_catalog_scenario())
    zopa = client.get(f"{BASE}/zopa").json()["result"]
    assert zopa["exists"] is expected.exists
    assert zopa["frontier_size"] == len(expected.frontier)
    assert [r["party"] for r in zopa["reach"]] == ["russia", "ukraine", "united_states", "eu"]
    assert zopa["closest"]["concept"] == "egalitarian"
    frontier = client.get(f"{BASE}/frontier", params={"limit": 3}).json()["result"]
    assert frontier["size"] > 3 and len(frontier["points"]) == 3
    assert set(frontier["points"][0]["utilities"]) == set(frontier["parties"])
    solutions = client.get(f"{BASE}/solutions", params={"disagreement": "zero"}).json()["result"]
    assert [s["concept"] for s in solutions["solutions"]] == [
        "nash", "kalai-smorodinsky", "utilitarian", "egalitarian"]
    bad = client.get(f"{BASE}/solutions", params={"disagreement": "nobody"})
    assert bad.status_code == 422 and bad.json()["detail"].startswith("query.disagreement")


def test_a_plan_is_evaluated_as_the_library_does(client: TestClient) -> None:
    expected = evaluate_plan(load_catalog_scenario(), PLAN)
    found = client.post(f"{BASE}/evaluate", json={"plan": PLAN}).json()["result"]
    assert found["plan"] == PLAN
    assert found["blockers"] == list(expected.blockers)
    assert [v["utility"] for v in found["verdicts"]] == [v.utility for v in expected.verdicts]
    assert found["provenance"]["scenario_hash"] == expected.provenance.scenario_hash


def test_changing_one_option_of_a_plan_changes_the_utilities(client: TestClient) -> None:
    plan = client.post(f"{BASE}/deal", json={"plan": PLAN}).json()["result"]
    changed = client.post(f"{BASE}/deal", json={"plan": PLAN,
                                                 "choices": {"donetsk": "withdraw"}}).json()
    result = changed["result"]
    assert result["plan"] == "custom package" and result["choices"]["donetsk"] == "withdraw"
    before = {v["party"]: v["utility"] for v in plan["evaluation"]["verdicts"]}
    after = {v["party"]: v["utility"] for v in result["evaluation"]["verdicts"]}
    assert after["russia"] > before["russia"] and after["ukraine"] < before["ukraine"]
    expected = ratify(load_catalog_scenario(), result["choices"], rng=0)
    assert ([v["probability"] for v in result["ratification"]["verdicts"]]
            == [v.probability for v in expected.verdicts])
    assert result["payers"]["unit"] and result["concessions"]["total_loss"]


@pytest.mark.parametrize("route", ["evaluate", "ratify", "payers", "price-of-peace", "deal"])
def test_every_package_route_answers(client: TestClient, route: str) -> None:
    answer = client.post(f"{BASE}/{route}", json={"plan": PLAN})
    assert answer.status_code == 200, answer.text
    assert answer.json()["scenario"]["name"] == "ukraine-2025"


@pytest.mark.parametrize(("body", "field"), [
    ({}, "choices"),
    ({"plan": "nope"}, "plan"),
    ({"plan": PLAN, "choices": {"donetsk": "nope"}}, "choices.donetsk"),
    ({"plan": PLAN, "choices": {"moon": "nope"}}, "choices.moon"),
    ({"choices": {"donetsk": "fez"}}, "choices.zaporizhzhia_kherson"),
    ({"plan": PLAN, "choices": {"donetsk": 3}}, "body.choices.donetsk"),
    ({"plan": "bad id!"}, "body.plan"),
])
def test_a_bad_package_is_a_422_naming_the_field(client: TestClient, body: dict[str, Any],
                                                 field: str) -> None:
    answer = client.post(f"{BASE}/deal", json=body)
    assert answer.status_code == 422
    assert answer.json()["detail"].startswith(field), answer.json()


def test_time_routes(client: TestClient) -> None:
    timeline = client.get(f"{BASE}/timeline", params={"days": 60, "step": 30}).json()["result"]
    assert [p["day"] for p in timeline["points"]] == [0, 30, 60]
    too_many = client.get(f"{BASE}/timeline", params={"days": 3650, "step": 1})
    assert too_many.status_code == 422 and "at most 61 points" in too_many.json()["detail"]
    clocks = client.get(f"{BASE}/clock").json()["result"]
    assert clocks and all(c["days_fast"] <= c["days_central"] <= c["days_slow"] for c in clocks)


# -- forecasts ----------------------------------------------------------------------------------
def test_models_and_one_forecast(client: TestClient) -> None:
    models = [m["name"] for m in client.get("/api/models").json()]
    assert {"compromise", "median", "nash", "expected_utility"} <= set(models)
    result = client.post(f"{BASE}/forecasts", json={"model": "compromise"}).json()["result"]
    assert set(result["outcome"]) == set(result["nearest_option"])
    assert all(0 <= v <= 100 for v in result["outcome"].values())
    unknown = client.post(f"{BASE}/forecasts", json={"model": "oracle"})
    assert unknown.status_code == 422 and "unknown model 'oracle'" in unknown.json()["detail"]


def _wait(client: TestClient, job: dict[str, Any], timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while job["status"] == "running" and time.monotonic() < deadline:
        time.sleep(0.05)
        job = client.get(f"/api/experiments/{job['id']}").json()
    return job


def test_a_monte_carlo_job_reports_progress_then_its_result(client: TestClient) -> None:
    started = client.post(f"{BASE}/experiments", json={"model": "median", "runs": 300, "seed": 4})
    assert started.status_code == 202
    job = _wait(client, started.json())
    assert job["status"] == "done" and job["done"] == job["total"] == 300
    result = job["result"]
    assert result["quantile_levels"] == [0.05, 0.25, 0.5, 0.75, 0.95]
    for issue, values in result["quantiles"].items():
        assert values == sorted(values), issue
        assert abs(sum(result["option_probabilities"][issue].values()) - 1) < 1e-9


def test_monte_carlo_is_bounded(make_app: Callable[..., FastAPI]) -> None:
    with TestClient(make_app(max_runs=50_000, max_jobs=1), base_url=LOCAL) as client:
        too_many = client.post(f"{BASE}/experiments", json={"model": "median", "runs": 60_000})
        assert too_many.status_code == 422
        assert too_many.json()["detail"].startswith("runs: expected at most 50,000 runs")
        long = client.post(f"{BASE}/experiments",
                           json={"model": "expected_utility", "runs": 50_000})
        assert long.status_code == 202
        busy = client.post(f"{BASE}/experiments", json={"model": "median", "runs": 10})
        assert busy.status_code == 422 and "already running" in busy.json()["detail"]
        assert client.get(f"/api/experiments/{'0' * 32}").status_code == 404
        assert client.get("/api/experiments/nope").status_code == 422
    # Leaving the client shut the app down: the long job was stopped, not left running.
    assert client.app.state.jobs.get(long.json()["id"])["status"] == "cancelled"  # type: ignore[attr-defined]


# -- access -------------------------------------------------------------------------------------
def test_a_non_loopback_host_needs_a_token(make_app: Callable[..., FastAPI]) -> None:
    from zopa.errors import ZopaError

    with pytest.raises(ZopaError, match="without a token"):
        make_app(host="0.0.0.0")


def test_the_token_is_checked_on_every_request(make_app: Callable[..., FastAPI]) -> None:
    app = make_app(host="0.0.0.0", token="s3cret")
    with TestClient(app, base_url="http://zopa.example.org") as client:
        for path in ("/", "/api/scenarios", "/openapi.json", "/static/app.js",
                     "/static/plotly.min.js", "/scenarios/ukraine-2025/versions"):
            answer = client.get(path)
            assert answer.status_code == 401, path
            assert "access token" in answer.json()["detail"]
        wrong = client.get("/api/scenarios", headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        right = client.get("/api/scenarios", headers={"Authorization": "Bearer s3cret"})
        assert right.status_code == 200
        opened = client.get("/scenarios/ukraine-2025?token=s3cret", follow_redirects=False)
        assert opened.status_code == 303
        assert opened.headers["location"] == "/scenarios/ukraine-2025"
        assert "s3cret" not in opened.headers["set-cookie"]
        assert client.get("/scenarios/ukraine-2025").status_code == 200  # the cookie now
        client.cookies.clear()
        assert client.post(f"{BASE}/deal", json={"plan": PLAN}).status_code == 401


def test_without_a_token_only_loopback_hosts_are_answered(client: TestClient) -> None:
    assert client.get("/api/models").status_code == 200
    rebound = client.get("/api/models", headers={"Host": "attacker.example"})
    assert rebound.status_code == 403


# -- errors and pages ---------------------------------------------------------------------------
def test_an_internal_error_never_shows_a_trace(make_app: Callable[..., FastAPI],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()

    def broken(*_: object) -> None:
        raise RuntimeError("secret internals /etc/passwd")

    monkeypatch.setattr(app.state.workspace, "zopa", broken)
    with TestClient(app, base_url=LOCAL, raise_server_exceptions=False) as client:
        answer = client.get(f"{BASE}/zopa")
        assert answer.status_code == 500
        assert answer.json() == {"detail": "internal error: the request could not be "
                                           "completed; the server log has the details"}
        page = client.get("/scenarios/ukraine-2025/frontier", headers={"Accept": "text/html"})
        assert page.status_code == 500
        assert "secret" not in page.text and "Traceback" not in page.text


@pytest.mark.parametrize("suffix", ["", "/explore", "/explore?plan=us-28-point&donetsk=stand",
                                    "/frontier", "/forecast", "/time", "/versions"])
def test_pages_render(client: TestClient, suffix: str) -> None:
    answer = client.get(f"/scenarios/ukraine-2025{suffix}")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert "<h1>" in answer.text and '<nav aria-label="Pages">' in answer.text
    assert "cdn." not in answer.text and 'src="http' not in answer.text


def test_page_errors_are_pages(client: TestClient) -> None:
    home = client.get("/", follow_redirects=False)
    assert home.status_code == 307 and home.headers["location"] == "/scenarios/ukraine-2025"
    missing = client.get("/scenarios/nowhere", headers={"Accept": "text/html"})
    assert missing.status_code == 404 and "no scenario named" in missing.text
    bad = client.get("/scenarios/ukraine-2025/explore?plan=x", headers={"Accept": "text/html"})
    assert bad.status_code == 422 and "unknown plan" in bad.text


def test_plotly_comes_from_the_installed_package(client: TestClient) -> None:
    from importlib import resources

    bundle = resources.files("plotly").joinpath("package_data/plotly.min.js").read_bytes()
    answer = client.get("/static/plotly.min.js")
    assert answer.status_code == 200 and answer.content == bundle
    assert answer.headers["content-encoding"] == "gzip"
    again = client.get("/static/plotly.min.js", headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304


def test_the_openapi_schema_documents_the_api(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    paths = schema["paths"]
    assert "/api/scenarios/{name}/deal" in paths and "/api/experiments/{job_id}" in paths
    assert not any(p.startswith("/scenarios") for p in paths)  # pages are not API
    save = paths["/api/scenarios/{name}/versions"]["post"]["responses"]
    assert {"201", "409", "422"} <= set(save)
    assert client.get("/docs").status_code == 200
