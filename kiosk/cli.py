"""Command line: ``kiosk [run|check|list|serve|print|stats|deck]``; ``kiosk`` alone means
``kiosk run``.

This module only parses arguments; each command lives with the code it drives:
``run`` in :mod:`kiosk.app`, ``check`` and ``list`` in :mod:`kiosk.deck.report`,
``serve`` in :mod:`kiosk.serve`, ``print`` in :mod:`kiosk.handout.command`,
``stats`` in :mod:`kiosk.fleet.stats`, ``deck`` in :mod:`kiosk.deck.commands`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__

COMMANDS = ("run", "check", "list", "serve", "print", "stats")
COMMANDS += ("deck",)  # kiosk deck install|list|rollback|build: kiosk.deck.commands


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Offline first-aid kiosk.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command")

    def deck_and_site(p: argparse.ArgumentParser) -> None:
        p.add_argument("--cards", type=Path, default=None, help="deck directory (default: bundled)")
        p.add_argument("--site", type=Path, default=None, help="site configuration file (TOML)")

    run = sub.add_parser("run", help="start the kiosk in this terminal (the default)")
    deck_and_site(run)
    run.add_argument("--kiosk", action="store_true", help="public lockdown mode")

    check = sub.add_parser("check", help="check a deck and, with --site, a site file")
    deck_and_site(check)

    lister = sub.add_parser("list", help="list the cards: id, languages, title")
    deck_and_site(lister)
    lister.add_argument("--lang", default=None, help="language of the titles")

    serve = sub.add_parser("serve", help="serve the kiosk to a browser (Chromium kiosk)")
    deck_and_site(serve)
    serve.add_argument("--kiosk", action="store_true", help="public lockdown mode")
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--font-size", type=int, default=None, help="browser font size (px)")
    serve.add_argument(
        "--allow-remote",
        action="store_true",
        help="required to listen on an address other than loopback",
    )

    # `kiosk print` (kiosk.handout.command): a handout as a file, or on the site's printer.
    printer = sub.add_parser("print", help="print a card's handout, or write it to a file")
    deck_and_site(printer)
    printer.add_argument("--card", required=True, help="card id (see `kiosk list`)")
    printer.add_argument("--lang", default="en", help="language of the card")
    printer.add_argument("--format", choices=("pdf", "escpos", "png"), default="pdf")
    printer.add_argument("--width", type=int, choices=(58, 80), help="receipt paper (mm)")
    printer.add_argument("--out", type=Path, help="write here instead of printing")

    # `kiosk stats` (kiosk.fleet.stats): the anonymous usage counts, docs/privacy.md.
    from kiosk.fleet import stats

    stats.add_arguments(sub.add_parser("stats", help="anonymous usage counts as CSV or JSON"))

    from kiosk.deck import commands as deck_commands  # kiosk deck ...

    deck_commands.add_parser(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "run")
    args = build_parser().parse_args(args_list)
    if args.command == "deck":
        from kiosk.deck import commands as deck_commands

        return deck_commands.run(args)
    if args.command == "run":
        from kiosk.app import run_from_args

        return run_from_args(args)
    if args.command in ("check", "list"):
        from kiosk.deck import report

        return report.check_command(args) if args.command == "check" else report.list_command(args)
    if args.command == "stats":
        from kiosk.fleet.stats import stats_command

        return stats_command(args)
    if args.command == "print":
        from kiosk.handout.command import print_command

        return print_command(args)
    from kiosk.serve import serve_command

    return serve_command(args)
