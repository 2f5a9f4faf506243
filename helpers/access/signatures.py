"""Only the owner reaches their local AWS: every request must carry a valid SigV4 signature.

AWS authenticates each request by its Signature Version 4 signature: the access key must be one
AWS issued, and the signature must be the one its secret key makes of the request. The kit does
the same, so another account on a shared machine, which can reach 127.0.0.1 but does not hold
the owner's secret key, gets AWS's 403 and nothing else:

- an unknown access key: `UnrecognizedClientException` (JSON services), `InvalidClientTokenId`
  (query services: IAM, STS, SNS), `InvalidAccessKeyId` (S3);
- a known key with a wrong signature: `InvalidSignatureException`, `SignatureDoesNotMatch`;
- no signature: `MissingAuthenticationTokenException` / `MissingAuthenticationToken`, and S3's
  `AccessDenied` (the kit's buckets are private).

Sources (as_of 2026-12-06): SigV4, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
(the canonical request, string to sign and signing key re-made below); the errors,
https://docs.aws.amazon.com/IAM/latest/UserGuide/signature-v4-troubleshooting.html and each
service's "Common errors" page, e.g. https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
and https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html.

Keys the kit accepts: the owner's pair (made at random by `helpers.start()`, or given), the
temporary credentials the runtime gives each function for its role, and credentials the local
STS or IAM issued (`assume_role`, `create_access_key`), as on AWS. Temporary credentials count
only with their session token (`X-Amz-Security-Token`, a header or in a presigned URL's query):
without it, or with another, the key is unknown to AWS, and the answer is the unknown key's
(learner trial 12, ID7: a handler that built its client from the role's key and secret alone).
The clock is not checked: the kit's clock can be moved forward, and a signature's age says
nothing about who signed it.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import posixpath
import secrets
import string
from dataclasses import dataclass
from enum import Enum
from typing import Any
from urllib.parse import quote

__all__ = ["Denied", "Owner", "Refusal", "check", "new_owner"]

_ALGORITHM = "AWS4-HMAC-SHA256"
_KEY_ALPHABET = string.ascii_uppercase + "234567"  # AWS access key ids: base32 after the prefix


@dataclass(frozen=True)
class Owner:
    """The owner's access key pair: whoever signs with it is the account's administrator."""

    access_key_id: str
    secret_access_key: str


def new_owner() -> Owner:
    """A random key pair shaped like AWS's: AKIA + 16 characters, and a 40-character secret."""
    key = "AKIA" + "".join(secrets.choice(_KEY_ALPHABET) for _ in range(16))
    return Owner(key, secrets.token_urlsafe(30)[:40])


class Refusal(Enum):
    """Why a request is refused: AWS's three answers to a request it can't authenticate."""

    UNSIGNED = "unsigned"
    UNKNOWN_KEY = "unknown key"
    BAD_SIGNATURE = "bad signature"


# code and message per refusal, for JSON protocols, query protocols and S3.
_ERRORS: dict[Refusal, dict[str, tuple[str, str]]] = {
    Refusal.UNSIGNED: {
        "json": ("MissingAuthenticationTokenException", "Missing Authentication Token"),
        "query": ("MissingAuthenticationToken", "Request is missing Authentication Token"),
        "s3": ("AccessDenied", "Access Denied"),
    },
    Refusal.UNKNOWN_KEY: {
        "json": (
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        ),
        "query": ("InvalidClientTokenId", "The security token included in the request is invalid."),
        "s3": (
            "InvalidAccessKeyId",
            "The AWS Access Key Id you provided does not exist in our records.",
        ),
    },
    Refusal.BAD_SIGNATURE: {
        "json": (
            "InvalidSignatureException",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.",
        ),
        "query": (
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your AWS Secret Access Key and signing method. Consult the service "
            "documentation for details.",
        ),
        "s3": (
            "SignatureDoesNotMatch",
            "The request signature we calculated does not match the signature you provided. "
            "Check your key and signing method.",
        ),
    },
}


@dataclass(frozen=True)
class Denied:
    """A refused request: the HTTP answer AWS gives, in the protocol the caller speaks."""

    refusal: Refusal
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def __call__(self, environ: dict[str, Any], start_response: Any) -> list[bytes]:
        """Answer as a WSGI application."""
        start_response(f"{self.status} Forbidden", self.headers)
        return [self.body]


def _protocol(environ: dict[str, Any], service: str) -> str:
    content_type = environ.get("CONTENT_TYPE", "")
    if service == "s3":
        return "s3"
    if "x-www-form-urlencoded" in content_type or (
        environ.get("REQUEST_METHOD") == "GET" and "Action=" in environ.get("QUERY_STRING", "")
    ):
        return "query"
    if "cbor" in content_type:
        return "cbor"
    return "json"


def _cbor_text_map(values: dict[str, str]) -> bytes:
    """A CBOR map of text strings (RFC 8949): CloudWatch's smithy-rpc-v2-cbor error body."""

    def head(major: int, length: int) -> bytes:
        if length < 24:
            return bytes([major << 5 | length])
        if length < 256:
            return bytes([major << 5 | 24, length])
        return bytes([major << 5 | 25]) + length.to_bytes(2, "big")

    out = bytearray(head(5, len(values)))
    for key, value in values.items():
        for text in (key, value):
            data = text.encode()
            out += head(3, len(data)) + data
    return bytes(out)


def _denied(refusal: Refusal, environ: dict[str, Any], service: str) -> Denied:
    protocol = _protocol(environ, service)
    code, message = _ERRORS[refusal]["json" if protocol == "cbor" else protocol]
    request_id = secrets.token_hex(16)
    if protocol == "s3":
        body = (
            f"<?xml version='1.0' encoding='UTF-8'?>\n<Error><Code>{code}</Code>"
            f"<Message>{message}</Message><RequestId>{request_id}</RequestId></Error>"
        ).encode()
        headers = [("Content-Type", "application/xml")]
    elif protocol == "query":
        body = (
            "<ErrorResponse><Error><Type>Sender</Type>"
            f"<Code>{code}</Code><Message>{message}</Message></Error>"
            f"<RequestId>{request_id}</RequestId></ErrorResponse>"
        ).encode()
        headers = [("Content-Type", "text/xml")]
    elif protocol == "cbor":
        body = _cbor_text_map({"__type": code, "message": message})
        headers = [("Content-Type", "application/cbor"), ("smithy-protocol", "rpc-v2-cbor")]
    else:
        body = json.dumps({"__type": code, "message": message}).encode()
        headers = [("Content-Type", "application/x-amz-json-1.1"), ("x-amzn-ErrorType", code)]
    headers += [("x-amzn-RequestId", request_id), ("Content-Length", str(len(body)))]
    return Denied(refusal, 403, headers, body)


# ------------------------------------------------------------------------ the signature, re-made
def _header(environ: dict[str, Any], name: str) -> str | None:
    key = name.upper().replace("-", "_")
    if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
        return environ.get(key)
    return environ.get(f"HTTP_{key}")


def _raw_path_and_query(environ: dict[str, Any]) -> tuple[str, str]:
    uri = environ.get("REQUEST_URI") or environ.get("RAW_URI")
    if uri:
        if "://" in uri:  # an absolute-form request line
            uri = "/" + uri.split("://", 1)[1].partition("/")[2]
        path, _, query = uri.partition("?")
        return path or "/", query
    return quote(environ.get("PATH_INFO", "/")), environ.get("QUERY_STRING", "")


def _canonical_path(path: str, service: str) -> str:
    if service == "s3":
        return path  # S3 signs the path as sent, encoded once
    # Others: the normalised path, URI-encoded a second time (as botocore's SigV4Auth signs it).
    normal = posixpath.normpath(path) if path not in ("", "/") else "/"
    if path.endswith("/") and normal != "/":
        normal += "/"
    return quote(normal.replace("//", "/"), safe="/~")


def _canonical_query(query: str, drop: str | None = None) -> str:
    pairs = []
    for pair in query.split("&") if query else []:
        key, _, value = pair.partition("=")
        if key != drop:
            pairs.append((key, value))
    return "&".join(f"{key}={value}" for key, value in sorted(pairs))


def _signing_key(secret: str, date: str, region: str, service: str) -> bytes:
    key = f"AWS4{secret}".encode()
    for part in (date, region, service, "aws4_request"):
        key = hmac.new(key, part.encode(), hashlib.sha256).digest()
    return key


@dataclass(frozen=True)
class _Signed:
    access_key_id: str
    scope: str  # date/region/service/aws4_request
    signed_headers: list[str]
    signature: str
    amz_date: str
    presigned: bool


def _signed(environ: dict[str, Any], query: str) -> _Signed | None:
    auth = environ.get("HTTP_AUTHORIZATION", "")
    if auth.startswith(_ALGORITHM + " "):
        fields = dict(
            part.strip().split("=", 1) for part in auth[len(_ALGORITHM) :].split(",") if "=" in part
        )
        credential = fields.get("Credential", "")
        key, _, scope = credential.partition("/")
        return _Signed(
            key,
            scope,
            fields.get("SignedHeaders", "").split(";"),
            fields.get("Signature", ""),
            _header(environ, "x-amz-date") or "",
            presigned=False,
        )
    if "X-Amz-Signature=" in query:  # a presigned URL
        from urllib.parse import parse_qs

        values = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        key, _, scope = values.get("X-Amz-Credential", "").partition("/")
        return _Signed(
            key,
            scope,
            values.get("X-Amz-SignedHeaders", "host").split(";"),
            values.get("X-Amz-Signature", ""),
            values.get("X-Amz-Date", ""),
            presigned=True,
        )
    return None


def _body(environ: dict[str, Any]) -> bytes:
    """The request body, read once and put back for the application behind."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    stream = environ.get("wsgi.input")
    if stream is None:
        return b""
    data = stream.read(length) if length else b""
    environ["wsgi.input"] = io.BytesIO(data)
    return data


def _expected_signature(
    environ: dict[str, Any], signed: _Signed, secret: str, path: str, query: str
) -> str:
    date, region, service = [*signed.scope.split("/"), "", "", ""][:3]
    headers = "".join(
        f"{name}:{' '.join((_header(environ, name) or '').split())}\n"
        for name in signed.signed_headers
    )
    if signed.presigned:
        payload = "UNSIGNED-PAYLOAD"
    else:
        payload = (
            _header(environ, "x-amz-content-sha256") or hashlib.sha256(_body(environ)).hexdigest()
        )
    canonical = "\n".join(
        [
            environ.get("REQUEST_METHOD", "GET").upper(),
            _canonical_path(path, service),
            _canonical_query(query, "X-Amz-Signature" if signed.presigned else None),
            headers,
            ";".join(signed.signed_headers),
            payload,
        ]
    )
    to_sign = "\n".join(
        [_ALGORITHM, signed.amz_date, signed.scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _signing_key(secret, date, region, service)
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


# S3's older presigned URLs (what boto3's `generate_presigned_url` makes for S3 by default):
# Signature Version 2 in the query, https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html
_S3_SUBRESOURCES = (
    "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber",
    "policy", "requestPayment", "tagging", "torrent", "uploadId", "uploads", "versionId",
    "versioning", "versions", "website", "response-content-type", "response-content-language",
    "response-expires", "response-cache-control", "response-content-disposition",
    "response-content-encoding",
)  # fmt: skip


def _v2_presigned(environ: dict[str, Any], path: str, query: str, secret_of: Any) -> Refusal | None:
    from urllib.parse import parse_qsl

    values = dict(parse_qsl(query, keep_blank_values=True))
    secret = secret_of(values.get("AWSAccessKeyId", ""))
    if secret is None:
        return Refusal.UNKNOWN_KEY
    amz = sorted(
        (key[5:].lower().replace("_", "-"), value)
        for key, value in environ.items()
        if key.startswith("HTTP_X_AMZ_")
    )
    subresources = sorted(
        (k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k in _S3_SUBRESOURCES
    )
    resource = path + (
        "?" + "&".join(f"{k}={v}" if v else k for k, v in subresources) if subresources else ""
    )
    to_sign = "\n".join(
        [
            environ.get("REQUEST_METHOD", "GET").upper(),
            _header(environ, "content-md5") or "",
            _header(environ, "content-type") or "",
            values.get("Expires", ""),
            *[f"{key}:{value}" for key, value in amz],
            resource,
        ]
    )
    expected = base64.b64encode(
        hmac.new(secret.encode(), to_sign.encode(), hashlib.sha1).digest()
    ).decode()
    if not hmac.compare_digest(expected, values.get("Signature", "")):
        return Refusal.BAD_SIGNATURE
    return None


def _token_sent(environ: dict[str, Any], query: str) -> str | None:
    """The session token the request carries: its header, or a presigned URL's query."""
    token = _header(environ, "x-amz-security-token")
    if token is not None or "security-token=" not in query.lower():
        return token
    from urllib.parse import parse_qsl

    values = {k.lower(): v for k, v in parse_qsl(query, keep_blank_values=True)}
    return values.get("x-amz-security-token")


def _token_matches(environ: dict[str, Any], query: str, access_key_id: str, token_of: Any) -> bool:
    """Whether a temporary key comes with its own session token (a key without one: True)."""
    wanted = token_of(access_key_id) if token_of is not None else None
    if wanted is None:
        return True
    sent = _token_sent(environ, query)
    return sent is not None and hmac.compare_digest(sent, wanted)


def _issued_token(access_key_id: str) -> str | None:
    from .sessions import issued_token

    return issued_token(access_key_id)


def check(
    environ: dict[str, Any], secret_of: Any, token_of: Any = _issued_token
) -> tuple[Denied | None, str | None]:
    """(None, access key) when the request is signed with a key the kit issued; else (the 403
    AWS would answer, None). `secret_of(access_key_id)` gives a key's secret, or None;
    `token_of(access_key_id)` the session token a temporary key must come with, or None."""
    path, query = _raw_path_and_query(environ)
    if "AWSAccessKeyId=" in query and "Signature=" in query:
        refusal = _v2_presigned(environ, path, query, secret_of)
        if refusal is None:
            key = _v2_key(query)
            if not _token_matches(environ, query, key, token_of):
                refusal = Refusal.UNKNOWN_KEY
        if refusal is not None:
            return _denied(refusal, environ, "s3"), None
        return None, "presigned"
    signed = _signed(environ, query)
    service = _service_of(environ, signed)
    if signed is None:
        return _denied(Refusal.UNSIGNED, environ, service), None
    secret = secret_of(signed.access_key_id)
    if secret is None:
        return _denied(Refusal.UNKNOWN_KEY, environ, service), None
    if not _token_matches(environ, query, signed.access_key_id, token_of):
        return _denied(Refusal.UNKNOWN_KEY, environ, service), None  # AWS knows no such key
    expected = _expected_signature(environ, signed, secret, path, query)
    if not hmac.compare_digest(expected, signed.signature):
        return _denied(Refusal.BAD_SIGNATURE, environ, service), None
    return None, signed.access_key_id


def _v2_key(query: str) -> str:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query, keep_blank_values=True)).get("AWSAccessKeyId", "")


def _service_of(environ: dict[str, Any], signed: _Signed | None) -> str:
    if signed is not None and signed.scope.count("/") >= 3:
        return signed.scope.split("/")[2]
    # Unsigned: S3 is the one service addressed by bucket paths and without a JSON target.
    target = environ.get("HTTP_X_AMZ_TARGET") or ""
    content_type = environ.get("CONTENT_TYPE", "")
    if target or "json" in content_type or "x-www-form-urlencoded" in content_type:
        return "other"
    path = environ.get("PATH_INFO", "/")
    first = path.strip("/").split("/", 1)[0]
    known = ("2015-03-31", "2017-03-31", "2018-10-31", "2019-09-25", "2021-10-31", "v2", "moto-api")
    if first.startswith(known) or first == "restapis":
        return "other"
    return "s3"
