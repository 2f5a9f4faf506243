"""The thin HTTP layer: moto's WSGI application on 127.0.0.1, in a thread of this process.

The same server serves a notebook (`helpers.start()`) and the command line
(`python -m helpers serve`). A small middleware keeps each request's `X-Amzn-Trace-Id` header
for the Lambda runtime's recursive loop detection.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

from .runtime.recursion import CURRENT_TRACE
from .triggers.http import FrontDoors

LOOPBACK = "127.0.0.1"


class _TraceMiddleware:
    """Makes the request's trace header visible to whatever the request triggers."""

    def __init__(self, app: Any) -> None:
        self.app = app

    def __call__(self, environ: dict, start_response: Any) -> Any:
        token = CURRENT_TRACE.set(environ.get("HTTP_X_AMZN_TRACE_ID"))
        try:
            return self.app(environ, start_response)
        finally:
            CURRENT_TRACE.reset(token)


class _QuietHandler(MotoRequestHandler):
    """No line per request: a notebook would fill with them."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class Server:
    """moto on loopback only, on the given port (0: a free one)."""

    def __init__(self, port: int = 0, *, quiet: bool = True) -> None:
        if quiet:
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
        app = _TraceMiddleware(FrontDoors(DomainDispatcherApplication(create_backend_app)))
        handler = _QuietHandler if quiet else MotoRequestHandler
        self._server: BaseWSGIServer = make_server(
            LOOPBACK, port, app, threaded=True, request_handler=handler
        )
        self.port: int = self._server.server_address[1]
        self.url = f"http://{LOOPBACK}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="kit-aws-server", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
