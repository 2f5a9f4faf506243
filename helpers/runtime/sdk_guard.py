"""The SDK inside an execution environment: boto3 reaches the local AWS, and fails as on AWS.

Loaded by bootstrap.py (as a sibling file, like private_tmp.py) in every worker, before any
handler. `KIT_ENDPOINT` is set at Init.
"""

from __future__ import annotations

import os


class RealAWSBlocked(ConnectionRefusedError):
    """A handler's AWS request to somewhere other than the local AWS, stopped before it left."""


# The local AWS's endpoint, given at Init. It is kept out of os.environ, because Lambda's
# environment has no AWS_ENDPOINT_URL (os.environ["AWS_ENDPOINT_URL"] raises KeyError on AWS,
# https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars-runtime.html, as of
# 2026-12); boto3 reaches it through the patch below, subprocesses (the AWS CLI) through the
# process's own environment, which os.environ doesn't show.
KIT_ENDPOINT = ""
_LOCAL_ENDPOINTS: dict[
    str, str
] = {}  # a stand-in host -> the local endpoint_url a client was given


def _is_local(host: str) -> bool:
    return host in ("127.0.0.1", "localhost", "::1") or host.startswith("127.")


def guard_botocore() -> None:
    """A handler's boto3 reaches the local AWS only, as plain clients reach AWS: a client made
    without endpoint_url (whatever ignore_configured_endpoint_urls says) talks to the local AWS;
    one given a real AWS endpoint_url, or one on this machine (where on AWS nothing answers), is
    stopped before it connects (other hosts stay reachable through other libraries)."""
    import socket
    from urllib.parse import urlsplit

    from botocore.args import ClientArgsCreator
    from botocore.exceptions import ProxyConnectionError, SSLError
    from botocore.httpsession import ProxyConfiguration, URLLib3Session

    configured = ClientArgsCreator._compute_configured_endpoint_url

    def endpoint(self, client_config, endpoint_url):
        if endpoint_url is None:
            return KIT_ENDPOINT or configured(self, client_config, endpoint_url)
        if _is_local(urlsplit(endpoint_url).hostname or ""):
            stand_in = f"local-endpoint-{len(_LOCAL_ENDPOINTS)}.kit.invalid"
            _LOCAL_ENDPOINTS[stand_in] = endpoint_url
            return f"http://{stand_in}"
        return endpoint_url

    ClientArgsCreator._compute_configured_endpoint_url = endpoint
    # On AWS every endpoint is https: a client's https proxy carries its calls and its `verify`
    # bundle checks them; an http proxy is never used (botocore picks a proxy by the URL's
    # scheme). The local AWS is http on this machine, so the kit goes to it directly, after
    # failing as AWS would where the https proxy can't be reached or the bundle doesn't exist
    # (learner trial 10, WD9, WD13, WD14).
    proxy_for = ProxyConfiguration.proxy_url_for
    ProxyConfiguration.proxy_url_for = lambda self, url: (
        None if _is_local(urlsplit(url).hostname or "") else proxy_for(self, url)
    )
    original = URLLib3Session.send

    def as_on_aws(session, request) -> None:
        config = getattr(session, "_proxy_config", None)
        https_proxy = (getattr(config, "_proxies", None) or {}).get("https")
        if https_proxy:
            proxy = config._fix_proxy_url(https_proxy)
            where = urlsplit(proxy)
            try:
                socket.create_connection((where.hostname, where.port or 80), timeout=2).close()
            except (OSError, ValueError) as exc:
                raise ProxyConnectionError(proxy_url=proxy, error=exc) from None
        verify = getattr(session, "_verify", True)
        if isinstance(verify, str) and not os.path.exists(verify):
            raise SSLError(
                endpoint_url=request.url,
                error=FileNotFoundError(2, f"No such file or directory: {verify!r}"),
            )

    def send(self, request):
        parts = urlsplit(request.url)
        host = parts.hostname or ""
        if host in _LOCAL_ENDPOINTS:
            raise RealAWSBlocked(
                f"The Lambda kit stopped a request to {_LOCAL_ENDPOINTS[host]}: on AWS a "
                "function runs on AWS's machines, where that address reaches nothing (the "
                "local AWS is the kit's, on your computer). Create clients without "
                "endpoint_url (plain boto3.client(...)), as on AWS: here they reach the local "
                "AWS."
            )
        if _is_local(host):
            as_on_aws(self, request)
        else:
            raise RealAWSBlocked(
                f"The Lambda kit stopped a request to {request.url}: in the kit a function's "
                "boto3 talks to the local AWS only. Create clients without endpoint_url "
                "(plain boto3.client(...)), as on AWS."
            )
        return original(self, request)

    URLLib3Session.send = send
