"""``zopa serve``: the web app on this machine (or, with a token, for a team).

The web app and uvicorn come with the ``web`` extra; they are imported only when the
command runs, so the rest of the command line works without them.
"""

from __future__ import annotations

import sys

import typer

from zopa.errors import ZopaError

__all__ = ["serve"]


def serve(
    host: str = typer.Option("127.0.0.1", "--host",
                             help="Address to listen on. Anything but a loopback address "
                                  "needs a token in $ZOPA_TOKEN."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    db: str | None = typer.Option(None, "--db", metavar="URL",
                                  help="Database URL or SQLite file (default: "
                                       "$ZOPA_DATABASE_URL, else zopa.db in the user's "
                                       "data directory)."),
) -> None:
    """Serve the web app: explore, edit and compare deals in the browser.

    Prints the address to open on stderr. The default scenario (ukraine-2025) is
    saved in the store as version 1 on first use. Stop with Ctrl+C.
    """
    try:
        import uvicorn

        from zopa.web import Settings, create_app
    except ModuleNotFoundError as error:
        raise ZopaError(f"the web app needs the 'web' extra ({error.name} is not installed): "
                        "pip install 'zopa[web]'") from None
    settings = Settings.from_environment(host=host, port=port, database_url=db)
    settings.check()
    app = create_app(settings)
    store = app.state.workspace.store
    typer.echo(f"zopa web app: open {settings.address}", err=True)
    typer.echo(f"  store: {store.url}; API docs: {settings.address.split('?')[0]}docs; "
               "stop with Ctrl+C", err=True)
    sys.stderr.flush()
    uvicorn.run(app, host=host, port=port, log_level="warning", access_log=False)
