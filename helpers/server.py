"""The thin HTTP layer: moto's WSGI application on 127.0.0.1, in a thread of this process.

The same server serves a notebook (`helpers.start()`) and the command line
(`python -m helpers serve`). It answers only requests signed with a key the kit issued (the
owner's, or a function's role session), as AWS does (`helpers.access.signatures`); the public
front doors, API Gateway and function URLs, stay open as on AWS. A small middleware keeps each
request's `X-Amzn-Trace-Id` header for the Lambda runtime's recursive loop detection, and counts
requests that invoke a function as busy from their arrival, so that `aws.wait()` cannot return
between a caller's request and the runtime starting it.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from typing import Any

from moto.moto_server.werkzeug_app import (
    DomainDispatcherApplication,
    MotoRequestHandler,
    create_backend_app,
)
from werkzeug.serving import BaseWSGIServer, make_server

from .access.sessions import issued_secret
from .access.signatures import Owner, check
from .runtime.recursion import CURRENT_TRACE
from .triggers.http import FrontDoors
from .triggers.http.incoming import RAW_HEADERS

LOOPBACK = "127.0.0.1"


# Requests that run a function before they answer: Invoke, and the HTTP front doors.
_INVOKING = re.compile(r"/functions/[^/]+/invo(cations|ke-async)|^/_aws/|/_user_request_/")


class _TraceMiddleware:
    """Makes the request's trace header visible to whatever the request triggers, and counts a
    request that invokes as busy from the moment it arrives, so `aws.wait()` waits for it."""

    def __init__(self, app: Any, busy: Callable[[], ContextManager[Any]] | None = None) -> None:
        self.app = app
        self.busy = busy

    def __call__(self, environ: dict, start_response: Any) -> Any:
        token = CURRENT_TRACE.set(environ.get("HTTP_X_AMZN_TRACE_ID"))
        invoking = self.busy is not None and _INVOKING.search(environ.get("PATH_INFO", ""))
        try:
            with self.busy() if invoking else contextlib.nullcontext():
                return self.app(environ, start_response)
        finally:
            CURRENT_TRACE.reset(token)


class _OwnerOnly:
    """Lets through only requests signed with the owner's key or a key the kit issued; any
    other gets AWS's 403 (an unknown key, a wrong signature, no signature at all)."""

    def __init__(self, app: Any, owner: Owner) -> None:
        self.app = app
        self.owner = owner

    def _secret_of(self, access_key_id: str) -> str | None:
        if access_key_id == self.owner.access_key_id:
            return self.owner.secret_access_key
        return issued_secret(access_key_id)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        denied, _ = check(environ, self._secret_of)
        if denied is not None:
            return denied(environ, start_response)
        _scope_from_query(environ)
        return self.app(environ, start_response)


def _scope_from_query(environ: dict) -> None:
    """A request signed in its query string (SigV4 presigned, `X-Amz-Credential=.../lambda/...`)
    carries no Authorization header, and moto's dispatcher then took it for S3 (a Lambda call
    answered 500): give the dispatcher the credential scope the query names (the signature
    itself was checked above)."""
    if environ.get("HTTP_AUTHORIZATION") or "X-Amz-Credential=" not in (
        environ.get("QUERY_STRING") or ""
    ):
        return
    from urllib.parse import parse_qs

    values = parse_qs(environ.get("QUERY_STRING") or "")
    credential = (values.get("X-Amz-Credential") or [""])[0]
    if credential.count("/") == 4 and credential.split("/")[3] != "s3":
        environ["HTTP_AUTHORIZATION"] = (
            f"AWS4-HMAC-SHA256 Credential={credential}, SignedHeaders=host, Signature=presigned"
        )


class _Handler(MotoRequestHandler):
    """Keeps the headers' names as the client sent them: WSGI's environ upper-cases them (HTTP_DAY),
    and API Gateway's REST proxy events carry them as sent (`day` stays `day`)."""

    def make_environ(self) -> dict[str, Any]:
        environ = super().make_environ()
        environ[RAW_HEADERS] = list(self.headers.items())
        return environ


class _QuietHandler(_Handler):
    """No line per request: a notebook would fill with them."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class Server:
    """moto on loopback only, on the given port (0: a free one), for `owner` only."""

    def __init__(
        self,
        port: int = 0,
        *,
        owner: Owner,
        quiet: bool = True,
        busy: Callable[[], ContextManager[Any]] | None = None,
    ) -> None:
        if quiet:
            logging.getLogger("werkzeug").setLevel(logging.ERROR)
        owner_only = _OwnerOnly(DomainDispatcherApplication(create_backend_app), owner)
        backend = FrontDoors(
            owner_only, signer_of=lambda environ: check(environ, owner_only._secret_of)[1]
        )
        app = _TraceMiddleware(backend, busy)
        handler = _QuietHandler if quiet else _Handler
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
