"""Notebook 08b's exercise: a caller that survives throttles."""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any

from .core import Exercise, Incorrect
from .harness import check_id, client, reaching_lambda, throttled_for

# ---------------------------------------------------------------------- q1: throttles
# In a burst on a small reserved concurrency, a call can find every slot busy several times in
# a row. The check makes that certain rather than likely: its function refuses a call's first
# THROTTLES attempts (429) and lets the next one in. The notebook's burst shows the same thing
# with timing, which varies from run to run; a verdict must not. Throttles are retried by every
# retry mode, `total_max_attempts` counting the first attempt
# (https://docs.aws.amazon.com/boto3/latest/guide/retries.html).
THROTTLES = 3
NEEDED_ATTEMPTS = THROTTLES + 1

_THROTTLED_SOURCE = """
def handler(event, context):
    return "done"
"""


def _retry_settings(lam: Any) -> str:
    """The client's retry mode and attempts, as botocore resolved them, for messages."""
    retries = dict(lam.meta.config.retries or {})
    mode = retries.get("mode", "standard")
    total = retries.get("total_max_attempts")
    if total is None:
        total = {"standard": 3, "adaptive": 3, "legacy": 5}.get(mode, "?")
        return f'mode "{mode}", its default of {total} attempts in all'
    return f'mode "{mode}", {total} attempts in all'


_RETRY_ENV = ("AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE")


def _env_note(saved: dict[str, str], answer: Any) -> str:
    """A note when this process's environment set retries the answer's Config doesn't carry
    (learner trial 10, WW1): the check leaves them out on purpose, as the Config alone is the
    answer, and says so. Learner trial 11 (CW1): a Config with a `mode` but no number of
    attempts, beside `AWS_MAX_ATTEMPTS` in the environment, got no note; each variable is
    noted when the Config lacks its setting."""
    retries = answer.retries or {}
    lacks = {
        "AWS_MAX_ATTEMPTS": not ({"total_max_attempts", "max_attempts"} & set(retries)),
        "AWS_RETRY_MODE": "mode" not in retries,
    }
    shown = {name: value for name, value in saved.items() if lacks.get(name, not retries)}
    if not shown:
        return ""
    said = ", ".join(f"`{name}={value}`" for name, value in shown.items())
    return (
        f" Your notebook's environment sets {said}: a client made here takes it, but that is "
        "no part of the `Config`, and the check judges the `Config` alone (a client made with "
        "it elsewhere, in a function say, doesn't have it). Put the retries in its `retries`."
    )


# ------------------------------------------------------- a client as AWS's endpoints meet it
# Shared with notebook 09's q3, whose answer is a client (learner trial 13, OD18): both checks
# judge a client's setup the same way, here. The kit's endpoint is `http://127.0.0.1:...`,
# while every Lambda endpoint is `https://` ("Protocol: HTTPS",
# https://docs.aws.amazon.com/general/latest/gr/lambda-service.html): what botocore uses for
# https only (an `https` proxy, a client certificate, a CA bundle) is never tried here, and
# what it uses for http only (an `http` proxy) is never used there.
@dataclass(frozen=True)
class ClientSetup:
    """What of a boto3 client's setup decides whether its calls reach AWS's endpoints."""

    signature_version: Any = None
    proxies: Any = None
    client_cert: Any = None
    connect_timeout: Any = None
    verify: Any = None  # the client's CA bundle, a path (None or True: botocore's own)
    use_ssl: bool = True

    @classmethod
    def of_config(cls, config: Any) -> ClientSetup:
        """The setup a client made with the botocore Config `config` has."""
        return cls(
            signature_version=config.signature_version,
            proxies=config.proxies,
            client_cert=config.client_cert,
            connect_timeout=config.connect_timeout,
        )

    @classmethod
    def of_client(cls, lam: Any) -> ClientSetup:
        """The setup the client `lam` really uses: botocore hands its Config's connection
        settings to the endpoint's HTTP session when it makes the client (botocore/
        httpsession.py, URLLib3Session), where `verify` and `use_ssl`, given to
        `boto3.client` itself, are kept too."""
        config = lam.meta.config
        session = getattr(getattr(lam, "_endpoint", None), "http_session", None)
        timeout = getattr(session, "_timeout", None)
        connect = getattr(timeout, "connect_timeout", timeout)
        if connect is None or not isinstance(connect, int | float):
            connect = config.connect_timeout
        cert = config.client_cert
        if isinstance(getattr(session, "_cert_file", None), str):
            key = getattr(session, "_key_file", None)
            cert = (session._cert_file, key) if key else session._cert_file
        proxies = getattr(getattr(session, "_proxy_config", None), "_proxies", config.proxies)
        resolver = getattr(lam, "_ruleset_resolver", None)
        return cls(
            signature_version=config.signature_version,
            proxies=proxies,
            client_cert=cert,
            connect_timeout=connect,
            verify=getattr(session, "_verify", None),
            use_ssl=getattr(resolver, "_use_ssl", True) is not False,
        )


def _proxies_on_aws(proxies: Any) -> dict[str, Any]:
    """The entries of a Config's `proxies` a call to AWS uses: botocore picks the proxy by the
    request URL's scheme alone (`ProxyConfiguration.proxy_url_for`: `proxies.get(scheme)`),
    and every Lambda endpoint is `https://`
    (https://docs.aws.amazon.com/general/latest/gr/lambda-service.html), so only the `https`
    entry; one for `http` is never used there (learner trial 10, WD9)."""
    return {k: v for k, v in dict(proxies or {}).items() if k == "https"}


def _unreachable_proxy(proxies: Any) -> tuple[str, str, str] | None:
    """(key, proxy URL, why) of a proxy in a Config's `proxies` that a call to AWS would use
    and this machine can't connect to, or None: the `https` entry (`_proxies_on_aws`), which
    the kit's `http://` endpoint never tries, though every call to AWS goes through it.
    No timing decides: a closed port refuses the connection at once, and a host name that
    doesn't resolve is named before any connection is tried."""
    import socket
    from urllib.parse import urlsplit

    for key, url in _proxies_on_aws(proxies).items():
        if not isinstance(url, str) or not url:
            continue
        # botocore reads a proxy without a scheme as http://
        parts = urlsplit(url if "://" in url else f"http://{url}")
        host = parts.hostname
        if not host:
            continue
        try:
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError:
            return key, url, "its port is not a number"
        try:
            addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError):
            return key, url, f"the name `{host}` doesn't resolve here"
        family, kind, proto, _name, address = addresses[0]
        try:
            with socket.socket(family, kind, proto) as probe:
                probe.settimeout(10)
                probe.connect(address)
        except OSError as err:
            return key, url, f"connecting to it fails ({err.strerror or type(err).__name__})"
    return None


@contextlib.contextmanager
def proxies_as_on_aws(lam: Any) -> Iterator[None]:
    """While inside, the client `lam` leaves out its `http` proxy, as its calls to AWS's
    `https://` endpoints would (`_proxies_on_aws`); the kit's endpoint is `http://`, where
    that entry would send every call through it (learner trial 13, OD18)."""
    from botocore.httpsession import ProxyConfiguration

    session = getattr(getattr(lam, "_endpoint", None), "http_session", None)
    config = getattr(session, "_proxy_config", None)
    proxies = getattr(config, "_proxies", None)
    if not isinstance(proxies, dict) or "http" not in proxies:
        yield
        return
    session._proxy_config = ProxyConfiguration(
        proxies={k: v for k, v in proxies.items() if k != "http"},
        proxies_settings=config.settings,
    )
    try:
        yield
    finally:
        session._proxy_config = config


def _unloadable_client_cert(cert: Any) -> tuple[str, str] | None:
    """(file, why) when a Config's `client_cert` can't be loaded on this machine, or None.

    botocore hands `client_cert` to urllib3, which loads it only for TLS connections: the
    kit's endpoint is `http://`, so it is never read here, while every AWS endpoint is
    `https://`, where each call loads it first and fails before any request is sent (learner
    trial 9, QD18). https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html
    """
    import ssl

    if not cert:
        return None
    if isinstance(cert, str):
        cert_file, key_file = cert, None
    elif isinstance(cert, tuple | list) and len(cert) == 2:
        cert_file, key_file = cert
    else:
        return str(cert), "it should be a path, or a (certificate, key) pair of paths"
    for path in (cert_file, key_file):
        if path is not None and not os.path.isfile(str(path)):
            return str(path), "no such file on this machine"
    try:
        ssl.create_default_context().load_cert_chain(str(cert_file), key_file and str(key_file))
    except (ssl.SSLError, OSError, ValueError) as err:
        return str(cert_file), f"it doesn't load as a certificate and key ({err})"
    return None


def _unloadable_ca_bundle(verify: Any) -> str | None:
    """Why the CA bundle `verify` names can't be loaded on this machine, or None.

    botocore hands `verify` (or `AWS_CA_BUNDLE`) to urllib3 as `ca_certs` (a directory as
    `ca_cert_dir`) for https URLs only (botocore/httpsession.py, `_setup_ssl_cert`): the kit's
    `http://` endpoint never reads it, while on AWS each call loads it first and fails with
    SSLError before any request is sent (learner trial 13, OD17). `verify=False` (no
    verification) reaches AWS, unsafely; it is not refused here."""
    import ssl

    if not isinstance(verify, str) or not verify:
        return None
    if os.path.isdir(verify):
        return None
    if not os.path.isfile(verify):
        return "no such file on this machine"
    try:
        ssl.create_default_context(cafile=verify)
    except (ssl.SSLError, OSError, ValueError) as err:
        return f"it doesn't load as CA certificates ({err})"
    return None


# The shortest connect timeout a call to AWS from a learner's machine can live with. A connect
# is a TCP and a TLS handshake, two or three round trips to the Region, and `connect_timeout`
# bounds opening the connection only: a cold start comes after it, and only `read_timeout`
# waits for that ("The time in seconds till a timeout exception is thrown when attempting to
# make a connection", https://botocore.amazonaws.com/v1/documentation/api/latest/reference/config.html).
# From a home or office a round trip to a Region takes tens of milliseconds; the SDKs' own
# shortest default, for calls made inside the Region, is 1.1 s (`in-region` defaults mode,
# https://docs.aws.amazon.com/sdkref/latest/guide/feature-smart-config-defaults.html, botocore's
# data/sdk-default-configuration.json). Under a tenth of a second most connects from a
# learner's machine would time out; half a second works (learner trial 13, OD10: 08b refused
# 0.5 s, blaming a cold start, and 09 took 0.01 s). A fixed floor decides, not the kit's
# timing: its Lambda is on loopback, where any connect completes at once.
CONNECT_FLOOR_S = 0.1


def refuse_unworkable(
    setup: ClientSetup, *, subject: str, owner: str, config: str, asked: str
) -> None:
    """Incorrect when a client with `setup` would never get a call to AWS's Lambda, whatever
    its retries: it doesn't sign, or talks plain http, or loads a CA bundle, a client
    certificate or a proxy this machine doesn't have, or gives a connect no time.

    subject: the client, as a message names it ("a client made with your `Config`"); owner:
    whose settings ("your `Config`'s"); config: the Config ("the `Config`"); asked: what the
    task asks of it ("retries")."""
    from botocore import UNSIGNED

    task = f"the task asks only for {asked}"
    if setup.signature_version is UNSIGNED:
        # Unsigned requests are for public S3 objects: Lambda answers every one with
        # MissingAuthenticationTokenException (403), on AWS as in the kit.
        raise Incorrect(
            f"{subject} sends its calls unsigned (`signature_version=UNSIGNED` in {config}): "
            "Lambda accepts only calls signed with your credentials (Signature Version 4) and "
            "refuses every other one (MissingAuthenticationTokenException), so no call reaches "
            "a function and no retry can help. Unsigned requests are for public S3 objects: "
            f"leave `signature_version` out, {task}."
        )
    if not setup.use_ssl:
        # With use_ssl=False botocore turns the endpoint's https:// into http://
        # (botocore/regions.py, EndpointRulesetResolver); Lambda answers over HTTPS only.
        raise Incorrect(
            f"{subject} is made with `use_ssl=False`: it sends its calls to "
            "`http://lambda.<region>.amazonaws.com`, and Lambda's endpoints answer over HTTPS "
            "only (https://docs.aws.amazon.com/general/latest/gr/lambda-service.html), so on "
            "AWS no call would reach a function (and its signed requests would cross the "
            "network unencrypted). The kit's endpoint is `http://`, so it got through here. "
            f"Leave `use_ssl` out (it is True by default): {task}."
        )
    if why := _unloadable_ca_bundle(setup.verify):
        raise Incorrect(
            f"{subject} checks AWS's certificates with the CA bundle `{setup.verify}` "
            f"(`verify=`, or `AWS_CA_BUNDLE`), and this machine can't load it: {why}. The "
            "kit's endpoint is `http://`, so it is never read here; every AWS endpoint is "
            "`https://`, where each call loads it first and fails (SSLError) before it reaches "
            f"Lambda, whatever the retries. Leave `verify` out, botocore has its own: {task}."
        )
    if found := _unreachable_proxy(setup.proxies):
        key, url, why = found
        raise Incorrect(
            f"{subject} sends calls for `{key}` through the proxy `{url}` "
            f"(`proxies={setup.proxies!r}`), and this machine can't reach it: {why}. Every AWS "
            "endpoint is `https://`, so on AWS every call goes through it and fails before it "
            "reaches Lambda (ProxyConnectionError), whatever the retries. Leave `proxies` out "
            f"of {config}, or name a proxy this machine can reach: {task}."
        )
    if found := _unloadable_client_cert(setup.client_cert):
        path, why = found
        raise Incorrect(
            f"{subject} sends every call with the client certificate "
            f"`client_cert={setup.client_cert!r}`, and this machine can't load `{path}`: "
            f"{why}. The kit's endpoint is `http://`, so it is never read here; every AWS "
            "endpoint is `https://`, where each call loads it first and fails before it "
            f"reaches Lambda, whatever the retries. Leave `client_cert` out: {task}."
        )
    connect = setup.connect_timeout
    number = isinstance(connect, int | float) and not isinstance(connect, bool)
    if number and 0 < connect < CONNECT_FLOOR_S:
        raise Incorrect(
            f"{owner} `connect_timeout` is {connect:g} s: that is how long a call may take to "
            "open its connection to Lambda, a TCP and a TLS handshake, two or three round trips "
            "over the network, and from your machine a round trip to an AWS Region takes tens "
            f"of milliseconds. Under {CONNECT_FLOOR_S:g} s most attempts would end in "
            "ConnectTimeoutError and never reach a function (the kit's Lambda is on this "
            "machine, so it got through here); the SDKs' own shortest default, for calls made "
            "inside the Region, is 1.1 s. A cold start is no part of it (`read_timeout` waits "
            "for the answer). `connect_timeout` is in seconds: leave it out (60 s), or give "
            f"it a second or more: {task}."
        )


# What Lambda answers a request it can't authenticate: unsigned, or signed another way.
_AUTH_ERRORS = (
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "InvalidSignatureException",
)
# What AWS answers a call signed with credentials it doesn't take: an access key it doesn't
# know (UnrecognizedClientException, for Lambda; InvalidClientTokenId elsewhere), a secret that
# doesn't match the key (InvalidSignatureException), a session token expired or wrong.
# https://docs.aws.amazon.com/lambda/latest/api/CommonErrors.html
_CREDENTIAL_ERRORS = (
    "UnrecognizedClientException",
    "InvalidClientTokenId",
    "InvalidSignatureException",
    "SignatureDoesNotMatch",
    "ExpiredTokenException",
    "ExpiredToken",
    "AccessDeniedException",
)


# The signature versions that sign a Lambda call as Lambda requires: SigV4 (S3's variant of
# it signs the same way here). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
_SIGV4 = ("v4", "s3v4")


def _unsignable(signature_version: Any, err: Exception) -> bool:
    """Whether `err`, raised by a client's call before any answer, comes from a
    `signature_version` botocore can't sign a Lambda request with: a name it doesn't know
    (UnknownSignatureVersionError, e.g. a typo "v4s", or "v4a" without the CRT), or one whose
    signer fails on Lambda's JSON body ("v2": a TypeError) or lacks what it needs ("bearer":
    no token). A connection error is not one: `reaching_lambda` names those."""
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError, UnknownSignatureVersionError

    if signature_version is None or isinstance(err, BotoConnectionError | HTTPClientError):
        return False
    return isinstance(err, UnknownSignatureVersionError) or signature_version not in _SIGV4


def _access_key(lam: Any) -> str | None:
    """The access key id the client signs with, or None (never the secret)."""
    credentials = getattr(getattr(lam, "_request_signer", None), "_credentials", None)
    try:
        key = getattr(credentials, "access_key", None)
    except Exception:  # a refreshable provider failing to refresh: the call says the rest
        return None
    return key if isinstance(key, str) else None


def refused_call(err: Exception, lam: Any, *, owner: str, asked: str) -> Incorrect | None:
    """What to tell a learner whose client's call failed with `err` for a reason of its own
    making, the same on AWS, or None for another failure: a `signature_version` that can't
    sign a Lambda call (learner trial 13, OD18: "v4a" made 09's check blame itself), calls
    signed another way than SigV4, or credentials AWS doesn't take (learner trial 13, OD6:
    LocalStack's "test" keys, a mistyped secret, made 09's check blame itself)."""
    from botocore.exceptions import BotoCoreError, ClientError, NoCredentialsError

    signature_version = lam.meta.config.signature_version
    task = f"the task asks only for {asked}"
    if isinstance(err, NoCredentialsError):
        return Incorrect(
            "your client found no credentials to sign its calls with (NoCredentialsError), so "
            "none was sent. Make it without keys or a profile of its own: boto3 then finds "
            f"the credentials as `boto3.client('lambda')` does here: {task}."
        )
    if isinstance(err, BotoCoreError | TypeError) and _unsignable(signature_version, err):
        return Incorrect(
            f"your client could not sign its call: with {owner} "
            f"`signature_version={signature_version!r}` botocore raised "
            f"{type(err).__name__} ({err}) before sending it. Lambda takes requests "
            "signed with Signature Version 4 only (SigV4, `'v4'`, which botocore uses "
            f"for it by default), on AWS as here. Leave `signature_version` out: {task}."
        )
    if not isinstance(err, ClientError):
        return None
    code = err.response.get("Error", {}).get("Code", "")
    message = err.response.get("Error", {}).get("Message", "")
    if code in _AUTH_ERRORS and signature_version not in (None, *_SIGV4):
        return Incorrect(
            f"Lambda refused your client's call ({code}: {message}): with {owner} "
            f"`signature_version={signature_version!r}` its calls are not signed as Lambda "
            "requires (Signature Version 4, `'v4'`, botocore's default for it). Leave "
            f"`signature_version` out: {task}."
        )
    if code not in _CREDENTIAL_ERRORS:
        return None
    key = _access_key(lam)
    signs = f"the access key `{key}`" if key else "its credentials"
    why = {
        "InvalidSignatureException": "the secret key doesn't match the access key",
        "SignatureDoesNotMatch": "the secret key doesn't match the access key",
        "AccessDeniedException": "those credentials may not invoke the function",
    }.get(code, "AWS doesn't know those credentials, or they have expired")
    return Incorrect(
        f"Lambda refused your client's call ({code}: {message}): your client signs with "
        f"{signs}, and {why}. Every call of this client fails so, on AWS as here, whatever "
        "its retries. Leave `aws_access_key_id`, `aws_secret_access_key` and "
        "`aws_session_token` out of `boto3.client(...)`: boto3 then finds the credentials "
        f"itself, as `boto3.client('lambda')` does here: {task}."
    )


# The shortest read timeout a Lambda invoke from a learner's machine can live with. The kit
# answers a warm invoke on 127.0.0.1 in a few milliseconds, so a timeout of 10 ms may pass
# here; on AWS the round trip to a Region and a new function's cold start take far longer. A
# read that times out after the request was sent is retried by botocore, and Lambda runs the
# function again each time ("When an error occurs, your function may be invoked multiple
# times", https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html; boto3's defaults are
# 60 s, https://aws.amazon.com/premiumsupport/knowledge-center/lambda-function-retry-timeout-sdk/).
# A fixed floor, not the kit's timing, decides: a verdict must not depend on how fast this
# machine is (learner trial 9, QD1). The connect timeout has a floor of its own
# (`CONNECT_FLOOR_S`): a cold start is no part of a connect (learner trial 13, OD10).
MIN_TIMEOUT_S = 1.0

# The timeouts of the client the check calls with, when the answer's are at or above their
# floors: the floors alone judge the timeouts, so the check's call waits as long as boto3's
# default, and the cold start of the check's function on a loaded machine never decides
# (learner trial 13, OD1: `read_timeout=1`, right by the task, failed at load 10-17).
CHECK_WAIT_S = 60.0


def _too_short_read(answer: Any) -> float | None:
    """The Config's `read_timeout` if it is below MIN_TIMEOUT_S (and above 0), else None."""
    value = getattr(answer, "read_timeout", None)
    number = isinstance(value, int | float) and not isinstance(value, bool)
    # 0 or less is no short timeout: boto3 refuses it (`_non_positive_timeouts`).
    return float(value) if number and 0 < value < MIN_TIMEOUT_S else None


def _non_positive_timeouts(answer: Any) -> dict[str, Any]:
    """The Config's `read_timeout` and `connect_timeout` of 0 or less, by name.

    Learner trial 12 (ID8): 0 or -1 isn't "no timeout" in boto3: urllib3's `Timeout`, which
    botocore builds when it makes the client, refuses a value "less than or equal to 0"
    (ValueError), on AWS as here, so no call is ever sent (a timeout of None waits for ever).
    https://urllib3.readthedocs.io/en/stable/reference/urllib3.util.html#urllib3.util.Timeout
    """
    found = {}
    for setting in ("read_timeout", "connect_timeout"):
        value = getattr(answer, setting, None)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        if number and value <= 0:
            found[setting] = value
    return found


def _as_on_aws(answer: Any) -> Any:
    """The answer's Config as the check calls with it: its `http` proxy, which no call to
    AWS's https endpoints uses, left out (the kit's endpoint is `http://`); its timeouts, which
    the floors have judged, at least CHECK_WAIT_S."""
    from botocore.config import Config

    changes: dict[str, Any] = {}
    proxies = answer.proxies
    if isinstance(proxies, dict) and "http" in proxies:
        changes["proxies"] = {k: v for k, v in proxies.items() if k != "http"}
    for setting in ("read_timeout", "connect_timeout"):
        value = getattr(answer, setting, None)
        if isinstance(value, int | float) and not isinstance(value, bool) and value < CHECK_WAIT_S:
            changes[setting] = CHECK_WAIT_S
    return answer.merge(Config(**changes)) if changes else answer


def _check_retries(answer: Any = None) -> str:
    from botocore.config import Config
    from botocore.exceptions import BotoCoreError, ClientError

    from ..iam import execution_role
    from ..packaging import zip_bytes

    if answer is None:
        raise Incorrect(
            "set `answer` to a botocore `Config` with a `retries` setting, "
            '`Config(retries={"mode": ..., "total_max_attempts": ...})`, then pass it to the '
            "check: `q1.check(answer)`."
        )
    if not isinstance(answer, Config):
        raise Incorrect(
            f"the answer should be a `botocore.config.Config` (`from botocore.config import "
            f"Config`), not {type(answer).__name__} {answer!r}."
        )
    import boto3

    endless = {
        setting: value
        for setting in ("read_timeout", "connect_timeout")
        if isinstance(value := getattr(answer, setting, None), float) and not math.isfinite(value)
    }
    if endless:
        # Learner trial 10 (WW3): `read_timeout=float("inf")` is no "too short" timeout: a
        # socket takes no infinite timeout, and every call fails before it is sent
        # (OverflowError: timestamp out of range), on AWS as here.
        said = " and ".join(f"`{name}={value!r}`" for name, value in endless.items())
        raise Incorrect(
            f"your `Config` sets {said}: Python's sockets take no infinite timeout, so a client "
            "made with it fails every call before sending it (timestamp out of range), "
            "whatever the retries. Leave the timeouts out (boto3's default is 60 s), or give "
            "them a number of seconds: the task asks only for retries."
        )
    if zero := _non_positive_timeouts(answer):
        said = " and ".join(f"`{name}={value!r}`" for name, value in zero.items())
        raise Incorrect(
            f'your `Config` sets {said}: 0 or a negative number isn\'t "no timeout" in '
            "boto3, it refuses it (ValueError: the timeout cannot be set to a value less than "
            "or equal to 0), so the client can't even be made, whatever the retries. Leave the "
            "timeouts out (boto3's default is 60 s), or give them a number of seconds: the "
            "task asks only for retries."
        )
    if (short := _too_short_read(answer)) is not None:
        raise Incorrect(
            f"your `Config` sets `read_timeout={short:g}` (seconds): the local AWS answers on "
            "this machine within milliseconds, but a call to AWS crosses the network, and the "
            "check's function is new, so its first answer comes after a cold start: under "
            f"{MIN_TIMEOUT_S:g} s, a read timeout gives up on calls that would succeed. A read "
            "that times out is retried after the request was sent, so Lambda runs the function "
            "again each time. Leave the timeouts out (boto3's default is 60 s), or give them "
            "several seconds: the task asks only for retries."
        )
    refuse_unworkable(
        ClientSetup.of_config(answer),
        subject="a client made with your `Config`",
        owner="your `Config`'s",
        config="the `Config`",
        asked="retries",
    )
    # The answer's Config alone decides: AWS_MAX_ATTEMPTS or AWS_RETRY_MODE in this machine's
    # environment would change the client's retries, and the verdict with them.
    saved = {name: os.environ.pop(name) for name in _RETRY_ENV if name in os.environ}
    try:
        lam = boto3.session.Session().client("lambda", config=_as_on_aws(answer))
    except (BotoCoreError, ValueError, TypeError) as exc:
        raise Incorrect(f"boto3 refuses to make a client with your `Config`: {exc}") from None
    finally:
        os.environ.update(saved)
    settings = _retry_settings(lam)

    admin = client("lambda")
    # A Config may name a Region: the check's function, in the kit's Region, would then be
    # "not found" (ResourceNotFoundException) to the client, whatever its retries.
    region, home = lam.meta.region_name, admin.meta.region_name
    if region != home:
        raise Incorrect(
            f"your `Config` sets `region_name='{region}'`, and the functions are in `{home}` "
            "(the Region of `boto3.client('lambda')` here): every call with it would answer "
            "ResourceNotFoundException, as the function does not exist in that Region. Leave "
            f"`region_name` out of the `Config`, or make it `'{home}'`."
        )
    name = check_id("q1-reserved")
    admin.create_function(
        FunctionName=name,
        Runtime="python3.13",
        Role=execution_role(),
        Handler="app.handler",
        Code={"ZipFile": zip_bytes({"app.py": _THROTTLED_SOURCE})},
    )
    admin.get_waiter("function_active_v2").wait(FunctionName=name)
    try:
        with (
            throttled_for(lam, name, THROTTLES) as throttled,
            reaching_lambda(
                whose="a client made with your `Config`",
                config="the `Config`",
                proxies=_as_on_aws(answer).proxies,
                asked="retries",
                suspects="a proxy, or another setting of the connection",
            ),
        ):
            try:
                response = lam.invoke(FunctionName=name, Payload=b"{}")
                response["Payload"].read()
            except (BotoCoreError, ClientError, TypeError) as err:
                refused = refused_call(err, lam, owner="your `Config`'s", asked="retries")
                if refused is not None:
                    raise refused from None
                if not isinstance(err, ClientError):
                    raise
                if err.response["Error"]["Code"] != "TooManyRequestsException":
                    raise
                raise Incorrect(
                    f"the check's function was busy for a call's first {THROTTLES} attempts and "
                    f"free from attempt {NEEDED_ATTEMPTS}, but your client ({settings}) gave up "
                    f"after {len(throttled)} attempt(s) with TooManyRequestsException. "
                    "`total_max_attempts` counts the first attempt too: allow at least "
                    f'{NEEDED_ATTEMPTS}, with `"mode": "standard"` (or `"adaptive"`), which '
                    f"retries throttles after a growing, random wait.{_env_note(saved, answer)}"
                ) from None
    finally:  # the check's function and its log leave no trace in the learner's account
        with contextlib.suppress(admin.exceptions.ResourceNotFoundException):
            admin.delete_function(FunctionName=name)
        logs = client("logs")
        with contextlib.suppress(logs.exceptions.ResourceNotFoundException):
            logs.delete_log_group(logGroupName=f"/aws/lambda/{name}")
    retries = response["ResponseMetadata"]["RetryAttempts"]
    return (
        f"Your client ({settings}) was throttled {len(throttled)} times in a row, retried "
        f"{retries} times by itself with a growing, random wait, and got the function's result: "
        "the caller never saw the throttles."
    )


_RETRIES_SOLUTION = """
from botocore.config import Config

# Standard retries: throttles are retried with a growing random wait; ten attempts in all.
answer = Config(retries={"mode": "standard", "total_max_attempts": 10})
"""


notebook_08b = SimpleNamespace(
    q1=Exercise(
        name="q1",
        task=(
            "Make a botocore `Config` whose retries carry a call through throttles: in a burst "
            "on a small reserved concurrency, a call may be throttled (429) three times in a "
            "row before a slot is free. `q1.check(answer)` calls a function that throttles a "
            "call's first three attempts, through a client made with your `Config`."
        ),
        checker=_check_retries,
        hint_text=(
            'A throttle (429, TooManyRequestsException) is worth retrying. `Config(retries={"mode":'
            ' "standard", "total_max_attempts": N})` retries it with a random wait that grows '
            "each time. N counts every attempt, the first one included: how many does a call "
            "throttled three times need?"
        ),
        solution_code=_RETRIES_SOLUTION,
    ),
)
