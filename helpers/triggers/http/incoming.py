"""The request as API Gateway sees it, and matching paths against route templates."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote, unquote

from werkzeug.wrappers import Request


# ------------------------------------------------------------------------------ the request
@dataclass
class Incoming:
    """One HTTP request to a front door, with the kit's prefix taken off its path."""

    method: str
    raw_path: str  # as sent (percent-encoded), starting with "/"
    raw_query: str
    query: list[tuple[str, str]]
    headers: list[tuple[str, str]]
    body: bytes
    source_ip: str
    protocol: str
    received: datetime = field(default_factory=lambda: datetime.now(UTC))
    # The access key of a valid SigV4 signature on the request (None: unsigned, or not valid).
    signer: str | None = None
    request_id: str = field(default_factory=lambda: str(uuid.uuid4()))

    @property
    def segments(self) -> list[str]:
        """The decoded path segments (a trailing slash is ignored, as API Gateway does)."""
        return [unquote(part) for part in self.raw_path.strip("/").split("/") if part]

    @property
    def path(self) -> str:
        """The path as the function sees it (decoded)."""
        return "/" + "/".join(self.segments)

    def header(self, name: str) -> str | None:
        """The first value of a header (any case), or the default."""
        values = [v for k, v in self.headers if k.lower() == name.lower()]
        return values[-1] if values else None

    @property
    def user_agent(self) -> str:
        """The User-Agent header, or an empty string."""
        return self.header("user-agent") or ""

    @property
    def content_type(self) -> str:
        """The Content-Type header, or an empty string."""
        return (self.header("content-type") or "").split(";")[0].strip().lower()

    def with_path(self, raw_path: str) -> Incoming:
        """The same request, seen under another path (a stage name taken off)."""
        return dataclasses.replace(self, raw_path=raw_path or "/")

    @property
    def time_text(self) -> str:
        """The request time as API Gateway writes it (dd/Mon/yyyy:HH:MM:SS +0000)."""
        return self.received.strftime("%d/%b/%Y:%H:%M:%S +0000")

    @property
    def epoch_ms(self) -> int:
        """The request time in milliseconds since the epoch."""
        return int(self.received.timestamp() * 1000)


RAW_HEADERS = "kit.raw_headers"  # environ key: the request's headers, their names as sent


def incoming_request(environ: dict[str, Any], raw_path: str, signer: str | None = None) -> Incoming:
    """The WSGI request as an `Incoming`, its path counted from the API's root."""
    request = Request(environ)
    # The names as sent, where the kit's server kept them (helpers.server's handler); WSGI's own
    # headers are title-cased from HTTP_* keys.
    headers = list(environ.get(RAW_HEADERS) or request.headers.items())
    port = environ.get("SERVER_PORT", "80")
    # What API Gateway adds in front of the function, as on AWS.
    headers += [
        ("X-Forwarded-For", request.remote_addr or "127.0.0.1"),
        ("X-Forwarded-Port", str(port)),
        ("X-Forwarded-Proto", environ.get("wsgi.url_scheme", "http")),
    ]
    return Incoming(
        method=request.method.upper(),
        raw_path=raw_path or "/",
        raw_query=environ.get("QUERY_STRING", ""),
        query=list(request.args.items(multi=True)),
        headers=headers,
        body=request.get_data(cache=True),
        source_ip=request.remote_addr or "127.0.0.1",
        protocol=environ.get("SERVER_PROTOCOL", "HTTP/1.1"),
        signer=signer,
    )


def raw_path_of(environ: dict[str, Any]) -> str:
    """The path as the client sent it: %2F stays inside a segment, as on AWS."""
    uri = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if uri:
        path = uri.split("?", 1)[0]
        if "://" in path:  # an absolute-form request line
            path = "/" + path.split("://", 1)[1].partition("/")[2]
        return path
    return quote(environ.get("PATH_INFO", "/"))


# ------------------------------------------------------------------------------ matching
def match_path(template: str, segments: list[str]) -> dict[str, str] | None:
    """Path parameters if `template` (e.g. /items/{id} or /{proxy+}) matches the segments."""
    parts = [p for p in template.strip("/").split("/") if p]
    params: dict[str, str] = {}
    for index, part in enumerate(parts):
        if part.startswith("{") and part.endswith("+}"):
            rest = segments[index:]
            if not rest or index != len(parts) - 1:
                return None
            params[part[1:-2]] = "/".join(rest)
            return params
        if index >= len(segments):
            return None
        if part.startswith("{") and part.endswith("}"):
            params[part[1:-1]] = segments[index]
        elif part != segments[index]:
            return None
    return params if len(parts) == len(segments) else None


def specificity(template: str) -> tuple[int, ...]:
    """Lower is more specific: literal segments beat {param}, which beats {proxy+}."""
    ranks = []
    for part in template.strip("/").split("/"):
        if part.endswith("+}"):
            ranks.append(2)
        elif part.startswith("{"):
            ranks.append(1)
        elif part:
            ranks.append(0)
    return tuple(ranks)


def cookies_of(request: Incoming) -> list[str]:
    """The request's cookies, one `name=value` string each."""
    cookie = ";".join(v for k, v in request.headers if k.lower() == "cookie")
    return [c.strip() for c in cookie.split(";") if c.strip()]


# ------------------------------------------------------------------------------- events
def multi_values(pairs: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    """Repeated names gathered: {name: [value, ...]}."""
    grouped: dict[str, list[str]] = {}
    for name, value in pairs:
        grouped.setdefault(name, []).append(value)
    return grouped
