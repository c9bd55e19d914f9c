"""``kiosk serve``: the kiosk in a browser. WALKING-SKELETON VERSION (issue 7)."""

from __future__ import annotations

import argparse
import sys


def serve_command(args: argparse.Namespace) -> int:
    print("kiosk serve is not available yet", file=sys.stderr)
    return 2
