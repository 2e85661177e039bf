"""What routes receive: the app's workspace, jobs, settings and templates, and the parameters
every scenario route shares (its name and the version it is about)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Path, Query, Request
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from zopa.web.jobs import Jobs
from zopa.web.memo import NotInMemory, only_memory
from zopa.web.schemas import ScenarioRef
from zopa.web.service import Target, Workspace
from zopa.web.settings import Settings

__all__ = ["NamePath", "VersionQuery", "jobs_of", "memory_first", "ref_of", "settings_of",
           "target_of", "templates_of", "workspace_of"]

R = TypeVar("R")

IDENTIFIER = r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$"
NamePath = Annotated[str, Path(pattern=IDENTIFIER, max_length=100,
                               description="the scenario's name in the store (its id)")]
VersionQuery = Annotated[str, Query(min_length=1, max_length=64,
                                    description="`latest`, `@N` (`@-1` is the latest) or a "
                                                "unique prefix (6+ hex digits) of a version id")]


def workspace_of(request: Request) -> Workspace:
    workspace: Workspace = request.app.state.workspace
    return workspace


def jobs_of(request: Request) -> Jobs:
    jobs: Jobs = request.app.state.jobs
    return jobs


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def templates_of(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def target_of(request: Request, name: str, version: str = "latest") -> Target:
    """The scenario version a route is about."""
    return workspace_of(request).target(name, version)


def ref_of(target: Target) -> ScenarioRef:
    """The reference to a version that every analysis answer carries."""
    v = target.version
    return ScenarioRef(name=v.name, number=v.number, id=v.id)


def memory_first(function: Callable[..., R]) -> Callable[..., Any]:
    """Make a route that answers from memory on the event loop, else in a worker thread.

    Most requests ask for results already memoised: answering them on the event loop
    serves concurrent clients in turn, without a thread each competing for the
    interpreter. When the route needs work (a database read, an analysis not yet
    computed), it raises :class:`~zopa.web.memo.NotInMemory` before doing any, and
    runs again in the thread pool, where it may compute. ``function`` must be free of
    side effects until its first memo or store access.

    The route module must not use ``from __future__ import annotations``: FastAPI
    reads the parameters' types from the wrapped function's signature.
    """

    @functools.wraps(function)
    async def route(*args: Any, **kwargs: Any) -> Any:
        try:
            with only_memory():
                return function(*args, **kwargs)
        except NotInMemory:
            return await run_in_threadpool(function, *args, **kwargs)

    return route
