"""`python -m helpers serve --port N`: the kit's local AWS as a server for any SDK or the CLI."""

from __future__ import annotations

import argparse
import os
import signal
import threading


def serve(
    port: int,
    region: str,
    idle_timeout: float,
    access_key_id: str | None = None,
    secret_access_key: str | None = None,
) -> None:
    """Run the local AWS in the foreground until Ctrl-C (or SIGTERM)."""
    from .cloud import LocalAWS

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    aws = LocalAWS(
        port,
        region=region,
        idle_timeout=idle_timeout,
        access_key_id=access_key_id,
        secret_access_key=secret_access_key,
    )
    print(f"Local AWS (with a Lambda runtime) at {aws.endpoint_url}  region={region}", flush=True)
    # The pair, each on a line of its own, so a script can read it (`export` them to use it).
    print(f"AWS_ACCESS_KEY_ID={aws.owner.access_key_id}", flush=True)
    print(f"AWS_SECRET_ACCESS_KEY={aws.owner.secret_access_key}", flush=True)
    print(
        "  Only requests signed with this pair are answered. With both exported:\n"
        f"  aws --endpoint-url {aws.endpoint_url} --region {region} lambda list-functions\n"
        "  Ctrl-C stops it (and every function environment).",
        flush=True,
    )
    try:
        stop.wait()
    except KeyboardInterrupt:
        pass
    finally:
        aws.stop()
        print("Stopped.", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m helpers", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve_cmd = commands.add_parser("serve", help="run the local AWS on 127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=5000, help="port (0: any free port)")
    serve_cmd.add_argument("--region", default="us-east-1")
    serve_cmd.add_argument(
        "--idle-timeout", type=float, default=600.0, help="seconds before an idle environment goes"
    )
    serve_cmd.add_argument(
        "--access-key-id",
        default=os.environ.get("AWS_ACCESS_KEY_ID"),
        help="the owner's access key (default: $AWS_ACCESS_KEY_ID, else a random one)",
    )
    serve_cmd.add_argument(
        "--secret-access-key",
        default=os.environ.get("AWS_SECRET_ACCESS_KEY"),
        help=(
            "its secret (default: $AWS_SECRET_ACCESS_KEY, else a random one). On a shared "
            "machine prefer the environment variable: a command line is visible to everyone "
            "in `ps`"
        ),
    )
    args = parser.parse_args(argv)
    if args.command == "serve":
        if bool(args.access_key_id) != bool(args.secret_access_key):
            parser.error("give both the access key id and its secret, or neither")
        serve(args.port, args.region, args.idle_timeout, args.access_key_id, args.secret_access_key)


if __name__ == "__main__":
    main()
