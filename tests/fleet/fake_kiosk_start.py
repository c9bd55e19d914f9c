"""Stands for `systemctl restart kiosk` in tests/fleet/test_ansible.py.

Does what the kiosk does at start for the health check: writes the metrics file, with
the real kiosk.fleet.metrics, naming the live deck version. A deck whose seizure card
is titled "Crashes on start" stands for a deck the kiosk cannot run: nothing is
written, as when the kiosk dies before its first metrics write.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from kiosk.fleet.metrics import KioskMetrics

CRASH_TITLE = "Crashes on start"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--decks", type=Path, required=True)
    parser.add_argument("--metrics", type=Path, required=True)
    args = parser.parse_args()
    live = Path(os.path.realpath(args.decks / "current"))
    if CRASH_TITLE in (live / "en" / "seizure.toml").read_text(encoding="utf-8"):
        return
    metrics = KioskMetrics(args.metrics)
    metrics.deck_loaded(deck_version=live.name, cards=1, past_review=0)
    metrics.write()


if __name__ == "__main__":
    main()
