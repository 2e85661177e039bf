"""The web app: explore, edit and compare deals in the browser (needs the ``web`` extra).

:func:`create_app` builds a FastAPI application from :class:`Settings`; ``zopa serve``
runs it with uvicorn. The JSON API lives under ``/api`` (schema at ``/openapi.json``,
interactive docs at ``/docs``); the pages are rendered with Jinja2 and draw their charts
with Plotly, served from the installed ``plotly`` package.
"""

from zopa.web.app import create_app
from zopa.web.settings import Settings

__all__ = ["Settings", "create_app"]
