"""Notebook 08b's exercise: a caller that survives throttles."""

from __future__ import annotations

import contextlib
import math
import os
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


def _proxies_on_aws(proxies: Any) -> dict[str, Any]:
    """The entries of a Config's `proxies` a call to AWS uses: botocore picks the proxy by the
    request URL's scheme alone (`ProxyConfiguration.proxy_url_for`: `proxies.get(scheme)`),
    and every Lambda endpoint is `https://`
    (https://docs.aws.amazon.com/general/latest/gr/lambda-service.html), so only the `https`
    entry; one for `http` is never used there (learner trial 10, WD9)."""
    return {k: v for k, v in dict(proxies or {}).items() if k == "https"}


def _as_on_aws(answer: Any) -> Any:
    """The answer's Config as its calls to AWS would see it: the kit's endpoint is `http://`,
    so a `proxies` entry for `http`, which no AWS call uses, is left out here."""
    from botocore.config import Config

    proxies = answer.proxies
    if not isinstance(proxies, dict) or "http" not in proxies:
        return answer
    return answer.merge(Config(proxies={k: v for k, v in proxies.items() if k != "http"}))


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


# The shortest connect and read timeouts a Lambda invoke from a learner's machine can live with.
# The kit answers a warm invoke on 127.0.0.1 in a few milliseconds, so a timeout of 10 ms may
# pass here; on AWS the round trip to a Region alone (TCP and TLS handshakes, several round
# trips each) and a new function's cold start take far longer. A read that times out after the
# request was sent is retried by botocore, and Lambda runs the function again each time ("When
# an error occurs, your function may be invoked multiple times",
# https://docs.aws.amazon.com/lambda/latest/dg/API_Invoke.html; boto3's defaults are 60 s each,
# https://aws.amazon.com/premiumsupport/knowledge-center/lambda-function-retry-timeout-sdk/).
# A fixed floor, not the kit's timing, decides: a verdict must not depend on how fast this
# machine is (learner trial 9, QD1).
MIN_TIMEOUT_S = 1.0


def _too_short_timeouts(answer: Any) -> dict[str, float]:
    """The Config's `read_timeout` and `connect_timeout` below MIN_TIMEOUT_S, by name."""
    found = {}
    for setting in ("read_timeout", "connect_timeout"):
        value = getattr(answer, setting, None)
        number = isinstance(value, int | float) and not isinstance(value, bool)
        # 0 or less is no short timeout: boto3 refuses it (`_non_positive_timeouts`).
        if number and 0 < value < MIN_TIMEOUT_S:
            found[setting] = float(value)
    return found


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


# What Lambda answers a request it can't authenticate: unsigned, or signed another way.
_AUTH_ERRORS = (
    "MissingAuthenticationTokenException",
    "IncompleteSignatureException",
    "InvalidSignatureException",
)


# The signature versions that sign a Lambda call as Lambda requires: SigV4 (S3's variant of
# it signs the same way here). https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv.html
_SIGV4 = ("v4", "s3v4")


def _unsignable(signature_version: Any, err: Exception) -> bool:
    """Whether `err`, raised by a client's call before any answer, comes from a
    `signature_version` botocore can't sign a Lambda request with: a name it doesn't know
    (UnknownSignatureVersionError, e.g. a typo "v4s"), or one whose signer fails on Lambda's
    JSON body ("v2": a TypeError) or lacks what it needs ("bearer": no token). A connection
    error is not one: `reaching_lambda` names those."""
    from botocore.exceptions import ConnectionError as BotoConnectionError
    from botocore.exceptions import HTTPClientError, UnknownSignatureVersionError

    if signature_version is None or isinstance(err, BotoConnectionError | HTTPClientError):
        return False
    return isinstance(err, UnknownSignatureVersionError) or signature_version not in _SIGV4


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
    from botocore import UNSIGNED

    if answer.signature_version is UNSIGNED:
        # Unsigned requests are for public S3 objects: Lambda answers every one with
        # MissingAuthenticationTokenException (403), on AWS as in the kit.
        raise Incorrect(
            "your `Config` sets `signature_version=UNSIGNED`: a client made with it sends its "
            "calls without a signature, and Lambda refuses every one of them "
            "(MissingAuthenticationTokenException), so no retry can help. Unsigned requests "
            "are for public S3 objects; leave `signature_version` out of the `Config`: the task "
            "asks only for retries."
        )
    if found := _unreachable_proxy(answer.proxies):
        key, url, why = found
        through = "Every AWS endpoint is `https://`, so on AWS every call goes through it and"
        raise Incorrect(
            f"your `Config` sends calls for `{key}` through the proxy `{url}` "
            f"(`proxies={answer.proxies!r}`), and this machine can't reach it: {why}. "
            f"{through} fails before it reaches Lambda (ProxyConnectionError), whatever the "
            "retries. The task asks only for retries: leave `proxies` out of the `Config`, or "
            "name a proxy this machine can reach."
        )
    if found := _unloadable_client_cert(answer.client_cert):
        path, why = found
        raise Incorrect(
            f"your `Config` sends every call with the client certificate "
            f"`client_cert={answer.client_cert!r}`, and this machine can't load `{path}`: "
            f"{why}. The kit's endpoint is `http://`, so it is never read here; every AWS "
            "endpoint is `https://`, where each call loads it first and fails before it "
            "reaches Lambda, whatever the retries. The task asks only for retries: leave "
            "`client_cert` out of the `Config`."
        )
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
    if short := _too_short_timeouts(answer):
        said = " and ".join(f"`{name}={value:g}`" for name, value in short.items())
        rerun = (
            " A read that times out is retried after the request was sent, so Lambda runs the "
            "function again each time."
            if "read_timeout" in short
            else ""
        )
        raise Incorrect(
            f"your `Config` sets {said} (seconds): the local AWS answers on this machine "
            "within milliseconds, but a call to AWS crosses the network, and the check's "
            "function is new, so its first answer comes after a cold start: under "
            f"{MIN_TIMEOUT_S:g} s, a timeout gives up on calls that would succeed.{rerun} "
            "Leave the timeouts out (boto3's default is 60 s), or give them several seconds: "
            "the task asks only for retries."
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
                suspects="a proxy, or a `connect_timeout` or `read_timeout` too short",
            ),
        ):
            try:
                response = lam.invoke(FunctionName=name, Payload=b"{}")
                response["Payload"].read()
            except (BotoCoreError, TypeError) as err:
                if not _unsignable(answer.signature_version, err):
                    raise
                raise Incorrect(
                    f"your client could not sign its call: with your `Config`'s "
                    f"`signature_version={answer.signature_version!r}` botocore raised "
                    f"{type(err).__name__} ({err}) before sending it. Lambda takes requests "
                    "signed with Signature Version 4 only (SigV4, `'v4'`, which botocore uses "
                    "for it by default), on AWS as here. Leave `signature_version` out of the "
                    "`Config`: the task asks only for retries."
                ) from None
            except ClientError as err:
                code = err.response["Error"]["Code"]
                if code in _AUTH_ERRORS and answer.signature_version is not None:
                    raise Incorrect(
                        f"Lambda refused your client's call ({code}: "
                        f"{err.response['Error'].get('Message', '')}): with your `Config`'s "
                        f"`signature_version={answer.signature_version!r}` its calls are not "
                        "signed as Lambda requires. Leave `signature_version` out of the "
                        "`Config`: the task asks only for retries."
                    ) from None
                if code != "TooManyRequestsException":
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
