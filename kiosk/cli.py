"""Command line: ``kiosk [run|check|list|serve|deck|print|speak|stats]``; alone, ``kiosk run``.

This module only parses arguments; each command lives with the code it drives:
``run`` in :mod:`kiosk.run`, ``check`` and ``list`` in :mod:`kiosk.report`,
``serve`` in :mod:`kiosk.serve`, ``print`` in :mod:`kiosk.handout.command`,
``speak`` in :mod:`kiosk.voice.cli`, ``deck`` in :mod:`kiosk.deck.commands`,
``stats`` in :mod:`kiosk.fleet.stats`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

COMMANDS = ("run", "check", "list", "serve", "print", "speak", "deck", "stats")


class _VersionAction(argparse.Action):
    """``--version``, looked up only when asked (install metadata costs tens of ms)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        import kiosk

        print(f"kiosk {kiosk.__version__}")
        parser.exit()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Offline first-aid kiosk.")
    parser.add_argument("--version", action=_VersionAction)
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
        "--warm",
        type=int,
        default=None,
        help="app processes kept started for the next browser: 1 (default) or 0",
    )
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
    # Read aloud (kiosk/voice): hear or save what the kiosk says; pre-render the deck.
    speak = sub.add_parser("speak", help="say a step or alarm aloud, or write it to a WAV file")
    deck_and_site(speak)
    what = speak.add_mutually_exclusive_group(required=True)
    what.add_argument("--card", help="card id (with --step)")
    what.add_argument("--alarm", help="seizure-5min, idle-warning or timer-done")
    what.add_argument("--cpr", type=float, metavar="SECONDS", help="the CPR tick track")
    what.add_argument("--all", action="store_true", help="pre-render the deck into the cache")
    speak.add_argument("--step", type=int, default=1, help="step number, from 1")
    speak.add_argument("--lang", default=None, help="language (default: the site's)")
    speak.add_argument("--out", type=Path, default=None, help="write a WAV file instead of playing")
    speak.add_argument("--show", action="store_true", help="print the text the engine is given")

    # `kiosk stats` (kiosk.fleet.stats): the anonymous usage counts, docs/privacy.md.
    from kiosk.fleet import stats

    stats.add_arguments(sub.add_parser("stats", help="anonymous usage counts as CSV or JSON"))

    from kiosk.deck import commands as deck_commands  # kiosk deck ...

    deck_commands.add_parser(sub)
    return parser


#: What a shell reports for a program ended by SIGPIPE (128 + 13), e.g. `seq 1e6 | head`.
BROKEN_PIPE_STATUS = 141


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command. Output cut short by the reader (`kiosk list | head`) ends
    quietly with status 141, for every command: no "internal error", no traceback."""
    try:
        return _run(argv)
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point it at
        # /dev/null first (the recipe in the signal module's documentation).
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return BROKEN_PIPE_STATUS


def _run(argv: Sequence[str] | None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    if not args_list or (
        args_list[0] not in COMMANDS and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "run")
    if args_list[0] == "run":  # before Textual is imported; see kiosk/process_guard.py
        from kiosk import process_guard

        process_guard.hold_visitor_signals()
    args = build_parser().parse_args(args_list)
    if args.command == "deck":
        from kiosk.deck import commands as deck_commands

        return deck_commands.run(args)
    if args.command == "run":
        from kiosk.run import run_from_args

        return run_from_args(args)
    if args.command == "speak":
        from kiosk.voice.cli import speak_command

        return speak_command(args)
    if args.command in ("check", "list"):
        from kiosk import report

        return report.check_command(args) if args.command == "check" else report.list_command(args)
    if args.command == "stats":
        from kiosk.fleet.stats import stats_command

        return stats_command(args)
    if args.command == "print":
        from kiosk.handout.command import print_command

        return print_command(args)
    from kiosk.serve import serve_command

    return serve_command(args)
