"""``kiosk stats``: the anonymous usage counts as CSV or JSON, for the clinical lead."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import sqlite3
import sys
from pathlib import Path

from kiosk.fleet.usage import DATABASE_NAME, EVENTS, UsageRow, read_rows, state_dir_for

COLUMNS = ("day", "card", "language", *EVENTS)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--site", type=Path, default=None, help="site file (for state_dir)")
    parser.add_argument("--state-dir", type=Path, default=None, help="overrides state_dir")
    parser.add_argument("--since", type=_day, default=None, help="first day, YYYY-MM-DD")
    parser.add_argument("--format", choices=("csv", "json"), default="csv")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day like 2026-12-01") from None


def format_rows(rows: list[UsageRow], form: str) -> str:
    if form == "json":
        return json.dumps([row.as_dict() for row in rows], indent=2, ensure_ascii=False) + "\n"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow((row.day, row.card, row.language, *row.counts))
    return out.getvalue()


def stats_command(args: argparse.Namespace) -> int:
    state_dir = args.state_dir
    if state_dir is None:
        from kiosk.site import load_site

        state_dir = state_dir_for(load_site(args.site).site.state_dir)
    database = Path(state_dir) / DATABASE_NAME
    try:
        rows = read_rows(database, args.since)
    except sqlite3.Error as error:
        print(f"kiosk stats: cannot read {database}: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(format_rows(rows, args.format))
    return 0
