"""Errors as answers: one line for the user, the right status, never a stack trace.

* :class:`~zopa.errors.ZopaError` → 422 with its message (the same line the command
  line prints); a missing scenario or job → 404; a save on an outdated parent
  (:class:`~zopa.store.StoreConflictError`) → 409 with the conflict message.
* The database cannot be reached or the connection to it was lost
  (:class:`~zopa.store.StoreUnavailableError`) → 503 with its message (which
  database, whether anything was saved) and ``Retry-After``: the store reconnects
  by itself once the database is back, so trying again later is the remedy.
* A request that does not match the API's schema → 422 naming the field.
* Anything else → 500 with a generic line; the details go to the server log only.

API paths answer ``{"detail": "..."}``; pages answer an HTML page with the message.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException

from zopa.errors import ZopaError
from zopa.store import StoreConflictError, StoreUnavailableError
from zopa.web.service import NotFoundError

__all__ = ["ERROR_RESPONSES", "RETRY_AFTER_SECONDS", "install_error_handlers",
           "validation_message"]

logger = logging.getLogger(__name__)
INTERNAL = "internal error: the request could not be completed; the server log has the details"
RETRY_AFTER_SECONDS = 5
_READING = frozenset({"GET", "HEAD", "OPTIONS"})
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {"description": "Malformed request: the body cannot be read as JSON"},
    413: {"description": "The request body is larger than the server accepts"},
    404: {"description": "Not found: no such scenario, version or job"},
    422: {"description": "Invalid input: the message names the field and what was expected"},
    503: {"description": "The database cannot be reached: the message says whether anything "
                         "was saved; try again later (see Retry-After)"},
}


def validation_message(error: RequestValidationError) -> str:
    """The first problem of a request, in one line: ``body.runs: Input should be ...``."""
    problems = error.errors()
    if not problems:
        return "invalid request"
    first = problems[0]
    where = ".".join(str(part) for part in first.get("loc", ()))
    message = str(first.get("msg", "invalid value"))
    message = message.removeprefix("Value error, ")
    more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
    return f"{where}: {message}{more}" if where else f"{message}{more}"


def _wants_json(request: Request) -> bool:
    return (request.url.path.startswith("/api")
            or "text/html" not in request.headers.get("accept", ""))


def _answer(request: Request, status: int, detail: str) -> Response:
    if _wants_json(request):
        return JSONResponse({"detail": detail}, status_code=status)
    templates = request.app.state.templates
    return templates.TemplateResponse(request, "error.html.j2",
                                      {"status": status, "detail": detail, "page": "error"},
                                      status_code=status)


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that turn exceptions into answers."""

    @app.exception_handler(StoreConflictError)
    async def conflict(request: Request, error: StoreConflictError) -> Response:
        return _answer(request, 409, str(error))

    @app.exception_handler(StoreUnavailableError)
    async def unavailable(request: Request, error: StoreUnavailableError) -> Response:
        # an outage, not a bug: one line in the log, no traceback
        logger.warning("%s %s: %s", request.method, request.url.path, error)
        detail = str(error)
        if request.method not in _READING and not error.writing:
            # the routes that write do so in one transaction after all their reads, so a
            # read that failed means their write never began: say so to whoever sent it
            detail = f"nothing was saved: {detail}"
        answer = _answer(request, 503, detail)
        answer.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return answer

    @app.exception_handler(NotFoundError)
    async def not_found(request: Request, error: NotFoundError) -> Response:
        return _answer(request, 404, str(error))

    @app.exception_handler(ZopaError)
    async def user_error(request: Request, error: ZopaError) -> Response:
        return _answer(request, 422, str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        return _answer(request, 422, validation_message(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code < 400:
            return Response(status_code=error.status_code, headers=error.headers)
        answer = _answer(request, error.status_code, str(error.detail))
        answer.headers.update(error.headers or {})
        return answer

    @app.exception_handler(Exception)
    async def internal(request: Request, error: Exception) -> Response:
        logger.error("%s %s failed", request.method, request.url.path, exc_info=error)
        if _wants_json(request):
            return JSONResponse({"detail": INTERNAL}, status_code=500)
        return HTMLResponse(f"<!DOCTYPE html><title>Internal error</title><h1>Internal error"
                            f"</h1><p>{INTERNAL}</p>", status_code=500)
