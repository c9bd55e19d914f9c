"""Command line: ``kiosk [run|check|list|serve]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kiosk import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="kiosk", description="Offline first-aid kiosk.")
    parser.add_argument("--version", action="version", version=f"kiosk {__version__}")
    sub = parser.add_subparsers(dest="command")

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--cards", type=Path, default=None, help="deck directory")
        p.add_argument("--site", type=Path, default=None, help="site configuration file")

    run = sub.add_parser("run", help="start the kiosk (the default)")
    common(run)
    run.add_argument("--kiosk", action="store_true", help="public lockdown mode")

    check = sub.add_parser("check", help="check a deck (and a site file)")
    common(check)

    lister = sub.add_parser("list", help="list the cards")
    common(lister)
    lister.add_argument("--lang", default=None)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    commands = {"run", "check", "list", "serve"}
    if not args_list or (
        args_list[0] not in commands
        and args_list[0].startswith("-")
        and args_list[0] not in ("-h", "--help", "--version")
    ):
        args_list.insert(0, "run")
    args = build_parser().parse_args(args_list)
    if args.command == "run":
        return run_command(args)
    if args.command == "check":
        return check_command(args)
    if args.command == "list":
        return list_command(args)
    return 2


def _load(args: argparse.Namespace):
    from kiosk.deck import bundled_cards_dir, load_deck
    from kiosk.site import load_site

    return load_deck(args.cards or bundled_cards_dir()), load_site(args.site)


def run_command(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk.app import make_app

    deck_result, site_result = _load(args)
    site = site_result.site
    if args.kiosk:
        site = replace(site, kiosk=True)
    make_app(deck_result, site).run()
    return 0


def check_command(args: argparse.Namespace) -> int:
    deck_result, site_result = _load(args)
    problems = deck_result.problems + site_result.problems
    for problem in problems:
        print(problem.format())
    errors = [p for p in problems if not p.code.startswith("W")]
    print(f"{len(errors)} error(s), {len(problems) - len(errors)} warning(s)")
    return 1 if errors else 0


def list_command(args: argparse.Namespace) -> int:
    deck_result, _ = _load(args)
    deck = deck_result.deck
    for card in deck.cards_for(args.lang or deck.default_language):
        langs = ",".join(lang for lang in deck.languages if card.id in deck.cards.get(lang, {}))
        print(f"{card.id}\t{langs}\t{card.title}")
    return 0
