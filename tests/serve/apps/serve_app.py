"""Serve a test app the way ``kiosk serve`` serves the kiosk: ``serve_app.py APP.py --port N``."""

from __future__ import annotations

import argparse
import shlex
import sys

from kiosk.serve import KioskServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("app")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--font-size", type=int, default=24)
    args = parser.parse_args()
    command = "exec " + shlex.join([sys.executable, args.app])
    KioskServer(command, port=args.port, font_size=args.font_size, title="Test").serve()


if __name__ == "__main__":
    main()
