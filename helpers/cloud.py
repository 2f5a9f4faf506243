"""The local AWS a notebook talks to, and the safety that keeps real AWS out of reach.

`start()` runs moto on 127.0.0.1 inside this process, with the kit's Lambda runtime, and points
this process's boto3 at it: endpoint, the owner's access key pair (random, made for this run,
unless given), region. The local AWS answers only requests signed with that pair (or with a
function's role credentials), so other accounts on a shared machine can't reach it. A learner
then writes plain `boto3.client("lambda")` exactly as the AWS docs do.

Safety, failing closed: the learner's own AWS credentials, profiles and endpoint settings are
hidden from this process (not used, not changed on disk), and every botocore request to anything
but loopback is refused before it leaves the machine. Real AWS is an explicit opt-in only.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import threading
from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import boto3
import botocore.config

from . import access, model_cache, patches, waiters
from .access.signatures import Owner, new_owner
from .memory_trim import trim_after_each_cell
from .runtime.service import Runtime
from .server import LOOPBACK, Server
from .triggers.async_queue import AsyncQueue
from .triggers.mappings import Mappings
from .triggers.timers import Timers

if TYPE_CHECKING:
    from .triggers.async_event import AsyncEvent

DEFAULT_REGION = "us-east-1"
ACCOUNT_ID = "123456789012"  # moto's default account

# Settings that could send boto3 elsewhere or give it real credentials.
_HIDDEN = (
    "AWS_PROFILE",
    "AWS_DEFAULT_PROFILE",
    "AWS_SESSION_TOKEN",
    "AWS_SECURITY_TOKEN",
    "AWS_ROLE_ARN",
    "AWS_ROLE_SESSION_NAME",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
    "AWS_CONTAINER_CREDENTIALS_FULL_URI",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
    "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
    "AWS_USE_FIPS_ENDPOINT",
    "AWS_USE_DUALSTACK_ENDPOINT",
    "AWS_S3_US_EAST_1_REGIONAL_ENDPOINT",
    "AWS_STS_REGIONAL_ENDPOINTS",
    "AWS_CA_BUNDLE",
)

_instance: LocalAWS | None = None
_lock = threading.Lock()
# The default boto3 session start() made, and the endpoint, Region and key it was made for.
_default_session: tuple[Any, tuple[str, str, str]] | None = None


class RealAWSBlocked(ConnectionRefusedError):
    """A request to somewhere other than the local AWS, stopped before it left the machine."""


def _refuse_unless_loopback(url: str) -> None:
    host = urlsplit(url).hostname or ""
    if host not in (LOOPBACK, "localhost", "::1") and not host.startswith("127."):
        raise RealAWSBlocked(
            f"The Lambda kit stopped a request to {url}: the kit runs AWS locally and "
            "never reaches real AWS unless you opt in. Create clients without endpoint_url "
            "(plain boto3.client(...)) to use the local AWS."
        )


def _guard_botocore() -> None:
    """Stop every botocore request to anything but loopback, before it connects (once).

    At the HTTP layer, on the class every client sends through: clients made before `start()`
    (still pointed at real AWS, perhaps holding real credentials) are stopped too.
    """
    from botocore.httpsession import URLLib3Session

    if getattr(URLLib3Session, "_kit_guarded", False):
        return
    original = URLLib3Session.send

    def send(self: Any, request: Any) -> Any:
        _refuse_unless_loopback(request.url)
        return original(self, request)

    URLLib3Session.send = send
    URLLib3Session._kit_guarded = True


def _point_boto3_here(endpoint_url: str, region: str, owner: Owner) -> None:
    """Make plain boto3 in this process talk to the local AWS, and only to it."""
    for name in list(os.environ):
        if name in _HIDDEN or name.startswith("AWS_ENDPOINT_URL_"):
            del os.environ[name]
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": owner.access_key_id,
            "AWS_SECRET_ACCESS_KEY": owner.secret_access_key,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_ENDPOINT_URL": endpoint_url,
            # The learner's ~/.aws files stay as they are, unread by the kit.
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
            "AWS_EC2_METADATA_DISABLED": "true",
        }
    )
    no_proxy = [p for p in os.environ.get("NO_PROXY", "").split(",") if p]
    for host in (LOOPBACK, "localhost"):
        if host not in no_proxy:
            no_proxy.append(host)
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = ",".join(no_proxy)
    _guard_botocore()
    waiters.install(_is_local_endpoint)
    model_cache.install()
    global _default_session
    pointing = (endpoint_url, region, owner.access_key_id)
    # A session made before now may hold other settings: replace it, unless it is the one made
    # here for this same local AWS (an exercise check calls start() each time it runs).
    if _default_session is None or _default_session != (boto3.DEFAULT_SESSION, pointing):
        boto3.setup_default_session()
        _default_session = (boto3.DEFAULT_SESSION, pointing)


def _is_local_endpoint(endpoint_url: str) -> bool:
    """Whether a client's endpoint is a local AWS this process started."""
    aws = _instance
    return aws is not None and aws.running and endpoint_url.startswith(aws.endpoint_url)


class LocalAWS:
    """A running local AWS: `.endpoint_url`, `.client(name)`, `.reset()`, `.stop()`."""

    def __init__(
        self,
        port: int = 0,
        *,
        region: str = DEFAULT_REGION,
        idle_timeout: float = 600.0,
        account_concurrency: int = 1000,
        spares: int = 1,
        quiet: bool = True,
        access_key_id: str | None = None,
        secret_access_key: str | None = None,
    ) -> None:
        self.running = False
        self.region = region
        self.account_id = ACCOUNT_ID
        if bool(access_key_id) != bool(secret_access_key):
            raise ValueError("give both access_key_id and secret_access_key, or neither")
        # Who may use this local AWS: whoever holds this pair (a new random one by default).
        self.owner = Owner(access_key_id, secret_access_key) if access_key_id else new_owner()
        # The runtime is made just after the server: the server's port is its endpoint.
        self._server = Server(port, owner=self.owner, quiet=quiet, busy=lambda: self.runtime.busy())
        self.endpoint_url = self._server.url
        self.port = self._server.port
        self.runtime = Runtime(
            self.endpoint_url,
            idle_timeout=idle_timeout,
            account_concurrency=account_concurrency,
            spares=spares,
        )
        # The composition root: what fires functions is made here and handed to the runtime,
        # which imports nothing from helpers.triggers.
        self.runtime.attach(
            async_queue=AsyncQueue(self.runtime, self.runtime.clock),
            mappings=Mappings(self.runtime),
            timers=Timers(self.runtime),
        )
        patches.apply(lambda: self.runtime if self.running else None)
        access.policies.use_clock(self.runtime.clock.now)  # aws:CurrentTime in IAM conditions
        self._server.start()
        self.running = True

    def client(self, service: str, **kwargs: Any) -> Any:
        """A boto3 client for this local AWS (for Lambda: no retries, long read timeout)."""
        kwargs.setdefault("endpoint_url", self.endpoint_url)
        kwargs.setdefault("region_name", self.region)
        kwargs.setdefault("aws_access_key_id", self.owner.access_key_id)
        kwargs.setdefault("aws_secret_access_key", self.owner.secret_access_key)
        if service == "lambda" and "config" not in kwargs:
            # A synchronous invoke lasts as long as the function (up to 900 s); a retry would
            # run the handler again.
            kwargs["config"] = botocore.config.Config(
                read_timeout=910, retries={"total_max_attempts": 1}
            )
        return boto3.session.Session().client(service, **kwargs)

    def configure(
        self,
        *,
        idle_timeout: float | None = None,
        account_concurrency: int | None = None,
        async_retry_delays: tuple[float, ...] | None = None,
        enforce_iam: bool | None = None,
        enforce_resource_policies: bool | None = None,
        strict_imports: bool | None = None,
        control_plane_delay: float | None = None,
    ) -> None:
        """Change idle lifetime (s), account concurrency, the waits before async retries (s),
        or whether the execution role is enforced.

        AWS waits 1 minute before the first retry of a failed asynchronous event and 2 minutes
        before the second: `async_retry_delays=(1, 2)` keeps the order but waits seconds.
        `enforce_iam=True` checks every AWS call a handler makes against its execution role's
        policies, as AWS does: what the role does not allow fails with AccessDenied. Your own
        calls from the notebook are never checked. `enforce_resource_policies=False` lets
        every service invoke every function, whatever its resource-based policy (the
        permissions `add_permission` gives; checked by default, as on AWS).
        `strict_imports=True` makes a handler's import of a package that is neither in its ZIP,
        its layers nor the Lambda runtime fail as on AWS (by default the kit lends its own copy
        and says so in the function's log).
        `control_plane_delay` is how long (s) a new function stays `Pending` and an update
        `InProgress`, as on AWS, where code must wait for them (boto3's `function_active_v2`
        and `function_updated_v2` waiters); 0 makes them instant.
        """
        if idle_timeout is not None:
            self.runtime.idle_timeout = idle_timeout
        if account_concurrency is not None:
            self.runtime.concurrency.account_limit = account_concurrency
        if async_retry_delays is not None:
            self.runtime.async_queue.retry_delays = tuple(float(d) for d in async_retry_delays)
        if enforce_iam is not None:
            access.enforce(enforce_iam)
        if enforce_resource_policies is not None:
            access.function_policies.enforce(enforce_resource_policies)
        if strict_imports is not None:
            self.runtime.strict_imports = bool(strict_imports)
        if control_plane_delay is not None:
            patches.function_states.set_delay(control_plane_delay)

    def settings(self) -> dict[str, Any]:
        """Kit-only: what `configure` holds now, by the names it takes."""
        return {
            "idle_timeout": self.runtime.idle_timeout,
            "account_concurrency": self.runtime.concurrency.account_limit,
            "async_retry_delays": self.runtime.async_queue.retry_delays,
            "enforce_iam": access.enforcing(),
            "enforce_resource_policies": access.function_policies.enforcing(),
            "strict_imports": self.runtime.strict_imports,
            "control_plane_delay": patches.function_states.delay_s,
        }

    @contextlib.contextmanager
    def configured(self, **settings: Any) -> Iterator[LocalAWS]:
        """Kit-only: `configure(**settings)` inside a `with` block; what was set comes back."""
        before = self.settings()
        self.configure(**settings)
        try:
            yield self
        finally:
            self.configure(**{name: before[name] for name in settings})

    def advance_clock(
        self, *, days: float = 0, hours: float = 0, minutes: float = 0, seconds: float = 0
    ) -> datetime:
        """Fast-forward the kit's clock: due schedules fire in order, due retries run."""
        total = timedelta(days=days, hours=hours, minutes=minutes, seconds=seconds)
        # What is due now runs now, before time jumps: an event queued before the jump runs
        # then, and its environment's idle time counts from then (as real waiting would).
        self.runtime.async_queue.wait_due()
        if total.total_seconds() > 0:  # what was Pending or InProgress has long finished
            patches.function_states.settle()
        self.runtime.clock.advance(total.total_seconds())
        self.runtime.async_queue.wait_due()
        return self.runtime.clock.now()

    def imports_lent(self) -> list[tuple[str, str]]:
        """Kit-only: (function, package) for each import the kit lent a handler, oldest first:
        a package in neither its ZIP, its layers nor AWS's runtime (AWS would fail it)."""
        return list(self.runtime.lent_imports)

    def imports_refused(self) -> list[tuple[str, str]]:
        """Kit-only: (function, package) for each import refused as AWS would refuse it (with
        `strict_imports`, as during an exercise check), oldest first."""
        return list(self.runtime.refused_imports)

    def retire_lending_environments(self) -> None:
        """Kit-only: stop the idle environments that imported a package only the kit has."""
        self.runtime.retire_lenders()

    def retire_environments(self, function: str) -> None:
        """Kit-only: stop `function`'s idle environments (not provisioned ones): its next
        invoke starts cold, as after Lambda reclaimed them."""
        self.runtime.forget(self.account_id, self.region, function, versions_too=False)

    @contextlib.contextmanager
    def own_processes(self, function: str) -> Iterator[None]:
        """Kit-only: while inside, `function`'s new execution environments start as new Python
        interpreters, not as forks of the kit's prepared one, so that each has what a process
        of its own has on AWS: its own salt for `hash()` of a str (Lambda sets no
        PYTHONHASHSEED), for one. A cold start then costs about half a second of CPU. For
        checks whose verdict depends on it; environments already running are kept."""
        key = (self.account_id, self.region, function)
        self.runtime.own_processes.add(key)
        try:
            yield
        finally:
            self.runtime.own_processes.discard(key)

    def now(self) -> datetime:
        """The kit's clock: real time plus however far `advance_clock` moved it."""
        return self.runtime.clock.now()

    def mapping_caught_up(self, uuid: str) -> bool | None:
        """Kit-only: whether a stream mapping (DynamoDB, Kinesis) has handed every record of
        its stream to its function and had it done (None: no such stream mapping)."""
        return self.runtime.mappings.caught_up(uuid)

    def async_events(self) -> list[dict[str, Any]]:
        """Every asynchronous event since the last reset and how it ended, oldest first."""
        return [event.summary() for event in self.runtime.async_queue.events()]

    def async_event_records(self) -> list[AsyncEvent]:
        """Kit-only: the kit's record of each asynchronous event since the last reset, oldest
        first: its function, source, payload, attempts and errors (`async_events` tabulates)."""
        return self.runtime.async_queue.events()

    def environments(self) -> list[dict[str, Any]]:
        """The execution environments alive now (warm or busy), one dict each."""
        return self.runtime.environments()

    def wait(self, timeout: float = 30.0) -> bool:
        """Wait for background invocations (async events, and retries due within `timeout`).

        Returns True when nothing more will run within the timeout; an event whose next retry
        is further away (AWS waits 1, then 2 minutes) stays "waiting to retry" in
        `async_events()` until then, or until `advance_clock` gets there.
        """
        return self.runtime.wait_idle(timeout)

    def reset(self) -> None:
        """Wipe all state: every function, bucket, queue, log... and every environment."""
        from moto.moto_api._internal.models import moto_api_backend

        moto_api_backend.reset()  # patched to stop the runtime's environments as well

    def stop(self) -> None:
        """Stop the server and every worker process; the kit leaves nothing running."""
        global _instance
        if not self.running:
            return
        self.running = False
        self._server.stop()
        self.runtime.stop()
        with _lock:
            if _instance is self:
                _instance = None

    def __enter__(self) -> LocalAWS:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<LocalAWS {self.endpoint_url} region={self.region} {state}>"


def start(
    *,
    port: int = 0,
    region: str = DEFAULT_REGION,
    idle_timeout: float = 600.0,
    account_concurrency: int = 1000,
) -> LocalAWS:
    """Start the local AWS (or return the one already running) and point boto3 at it."""
    global _instance
    with _lock:
        if _instance is None or not _instance.running:
            _instance = LocalAWS(
                port,
                region=region,
                idle_timeout=idle_timeout,
                account_concurrency=account_concurrency,
            )
            atexit.register(_instance.stop)
            trim_after_each_cell()  # a hub's kernels give freed memory back (issue 13)
        _point_boto3_here(_instance.endpoint_url, _instance.region, _instance.owner)
        return _instance


def current() -> LocalAWS | None:
    """The local AWS started in this process, if any."""
    return _instance
