"""`python -m helpers serve --port N`: the kit's local AWS as a server for any SDK or the CLI."""

from __future__ import annotations

import argparse
import signal
import threading


def serve(port: int, region: str, idle_timeout: float) -> None:
    """Run the local AWS in the foreground until Ctrl-C (or SIGTERM)."""
    from .cloud import LocalAWS

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    aws = LocalAWS(port, region=region, idle_timeout=idle_timeout)
    print(f"Local AWS (with a Lambda runtime) at {aws.endpoint_url}  region={region}", flush=True)
    print(
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
    args = parser.parse_args(argv)
    if args.command == "serve":
        serve(args.port, args.region, args.idle_timeout)


if __name__ == "__main__":
    main()
