"""The web application: :func:`create_app` builds a FastAPI app from :class:`Settings`.

Each call makes an independent app (its own store connection, memo and jobs); no
state lives at module level. The JSON API is under ``/api`` (OpenAPI schema at
``/openapi.json``, interactive docs at ``/docs``); pages are rendered on the server
with Jinja2 and use a little hand-written JavaScript and Plotly, served from the
installed ``plotly`` package.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import jinja2
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from zopa.__about__ import __version__
from zopa.store import open_store
from zopa.web.bodylimit import BodyLimit
from zopa.web.errors import install_error_handlers
from zopa.web.jobs import Jobs
from zopa.web.links import add_links
from zopa.web.memo import RequestClock
from zopa.web.routers import analysis, assets, forecast, pages, scenarios, versions
from zopa.web.security import AccessControl
from zopa.web.service import Workspace
from zopa.web.settings import Settings

__all__ = ["create_app"]

logger = logging.getLogger(__name__)
WARM_JOIN_SECONDS = 10.0

DESCRIPTION = """\
zopa's JSON API: scenario versions (history, diff, edits saved with their sources),
the deal space (ZOPA, Pareto frontier, bargaining solutions), one package's verdicts
(who blocks, the minimal unblocking change, ratification, who pays, the price of
peace), time (the ZOPA over days, the territorial clock) and forecasts (one run, or a
Monte Carlo experiment started as a job and polled for progress).

Scenarios are named as in the store; every analysis takes `?version=` (default: the
latest) and says which version it used. Errors answer `{"detail": "one line"}`:
422 for invalid input (naming the field), 404 for what does not exist, 409 when
another version was saved on the parent of an edit first.
"""


def _templates() -> Jinja2Templates:
    env = jinja2.Environment(loader=jinja2.PackageLoader("zopa.web", "templates"),
                             autoescape=True, trim_blocks=True, lstrip_blocks=True,
                             undefined=jinja2.StrictUndefined)
    env.globals["zopa_version"] = __version__
    return Jinja2Templates(env=env)


def _document_links(app: FastAPI) -> None:
    """Serve the OpenAPI schema with the links between operations (see :mod:`.links`)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = add_links(FastAPI.openapi(app))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def create_app(settings: Settings | None = None, *, warm: bool = True) -> FastAPI:
    """Build the web app.

    Parameters
    ----------
    settings
        Where the data lives, the address, the token (default: :class:`Settings()`).
    warm
        Compute the default scenario's expensive results in the background at startup.

    Raises
    ------
    ZopaError
        If the settings would expose the app without a token, or the store cannot
        be opened (:class:`~zopa.errors.StoreError`).
    """
    settings = settings or Settings()
    settings.check()
    store = open_store(settings.database_url)
    workspace = Workspace(store)
    jobs = Jobs(max_runs=settings.max_runs, max_jobs=settings.max_jobs)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        stop = threading.Event()
        warming = threading.Thread(target=workspace.warm, args=(settings.scenario, stop),
                                   name="zopa-warm", daemon=True)
        if warm:
            warming.start()
        try:
            yield
        finally:
            stop.set()
            jobs.close()
            if warming.is_alive():
                warming.join(WARM_JOIN_SECONDS)
            store.close()

    app = FastAPI(title="zopa", version=__version__, description=DESCRIPTION,
                  lifespan=lifespan)
    app.state.settings = settings
    app.state.workspace = workspace
    app.state.jobs = jobs
    app.state.templates = _templates()
    app.state.plotly = assets.PlotlyBundle()
    install_error_handlers(app)
    _document_links(app)
    for router in (scenarios.router, versions.router, analysis.router, forecast.router):
        app.include_router(router, prefix="/api")
    app.include_router(assets.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(packages=[("zopa.web", "static")]), name="static")
    app.add_middleware(RequestClock)
    # Added last, so it runs first: nobody without the token gets a body read.
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    app.add_middleware(AccessControl, token=settings.token,
                       extra_hosts=settings.trusted_hosts)
    logger.info("zopa web app on %s (store %s)", settings.address.split("?")[0], store.url)
    return app
