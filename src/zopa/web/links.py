"""OpenAPI links: how the answer of one operation feeds the next.

The API is a graph: the scenario list names scenarios and their latest versions, a save
answers with the new version's id, the history lists every id, starting an experiment
answers with the job's id. The links written into ``/openapi.json`` say so in the
standard way (OpenAPI 3 "links"), so that generated clients and stateful test tools
(schemathesis' state machine, for one) can walk from a response to the requests it
makes possible: analyse the version just saved, save again on it, diff it, poll a job.
"""

from __future__ import annotations

from typing import Any

__all__ = ["add_links"]

HTTP_METHODS = ("get", "post", "put", "patch", "delete")

# (path, method, status) of each answer that names a scenario and a version, with the
# runtime expressions that extract them from the request and the answer.
VERSION_SOURCES: tuple[tuple[str, str, str, str, str], ...] = (
    ("/api/scenarios", "get", "200", "$response.body#/0/name", "$response.body#/0/latest/id"),
    ("/api/scenarios/{name}/versions", "post", "201",
     "$request.path.name", "$response.body#/version/id"),
    ("/api/scenarios/{name}/versions", "post", "200",
     "$request.path.name", "$response.body#/version/id"),
    ("/api/scenarios/{name}/versions", "get", "200", "$request.path.name", "$response.body#/0/id"),
)
JOB_SOURCE = ("/api/scenarios/{name}/experiments", "post", "202")
JOB_TARGET = ("/api/experiments/{job_id}", "get")
VERSIONS_PATH = "/api/scenarios/{name}/versions"


def _reference(path: str, method: str) -> str:
    """A JSON pointer to an operation (``~1`` escapes ``/`` in the path)."""
    return f"#/paths/{path.replace('~', '~0').replace('/', '~1')}/{method}"


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(path, method, operation)
            for path, methods in schema.get("paths", {}).items()
            for method, operation in methods.items() if method in HTTP_METHODS]


def _version_link(path: str, method: str, operation: dict[str, Any], name: str,
                  version: str) -> dict[str, Any]:
    """A link to one operation on a named scenario, at the version, where it takes one."""
    taken = {p["name"] for p in operation.get("parameters", []) if p.get("in") in ("path", "query")}
    parameters = {"name": name}
    for parameter in ("version", "reference", "new"):
        if parameter in taken:
            parameters[parameter] = version
    link: dict[str, Any] = {"operationRef": _reference(path, method), "parameters": parameters}
    if path == VERSIONS_PATH and method == "post":
        link["requestBody"] = {"parent": version}  # merged into the edits a client makes
        link["description"] = "save further edits on this version"
    else:
        link["description"] = f"{operation.get('summary', path)} of this version"
    return link


def _attach(schema: dict[str, Any], path: str, method: str, status: str,
            links: dict[str, Any]) -> None:
    responses = schema["paths"].get(path, {}).get(method, {}).get("responses", {})
    if status in responses:
        responses[status].setdefault("links", {}).update(links)


def add_links(schema: dict[str, Any]) -> dict[str, Any]:
    """Write the API's links into its OpenAPI ``schema`` (in place) and return it."""
    operations = _operations(schema)
    for path, method, status, name, version in VERSION_SOURCES:
        links = {operation["operationId"]: _version_link(target, verb, operation, name, version)
                 for target, verb, operation in operations if "{name}" in target}
        _attach(schema, path, method, status, links)
    job_path, job_method = JOB_TARGET
    _attach(schema, *JOB_SOURCE, {"experiment": {
        "operationRef": _reference(job_path, job_method),
        "parameters": {"job_id": "$response.body#/id"},
        "description": "poll this experiment until it is done"}})
    return schema
