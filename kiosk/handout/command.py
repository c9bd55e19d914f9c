"""``kiosk print``: a card's handout as a file (PDF, ESC/POS bytes, receipt PNG), or on
the site's printer, for staff checking a printer and for tests.

Exit status: 0 done, 1 the printer failed (the reason is printed), 2 a usage error (no
such card, a missing library or font).
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

FORMATS = ("pdf", "escpos", "png")
USAGE_ERROR = 2


def render(card_id: str, language: str, fmt: str, width_mm: int, args: argparse.Namespace) -> bytes:
    """The bytes of ``card_id``'s handout in ``fmt`` (see :data:`FORMATS`)."""
    card, site = _card_and_site(card_id, language, args)
    from kiosk.handout.document import card_document

    document = card_document(card, site, dt.datetime.now())
    if fmt == "pdf":
        from kiosk.handout.pdf import render_pdf

        return render_pdf(document)
    from kiosk.handout.receipt import receipt_image

    image = receipt_image(document, width_mm)
    if fmt == "png":
        import io

        buffer = io.BytesIO()
        image.save(buffer, format="PNG", optimize=True)
        return buffer.getvalue()
    from escpos.printer import Dummy

    from kiosk.handout.receipt import receipt_profile, write_receipt

    printer = Dummy(profile=receipt_profile(width_mm))
    write_receipt(printer, image)
    output: bytes = printer.output
    return output


class UsageError(Exception):
    pass


def _card_and_site(card_id: str, language: str, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from kiosk.deck import bundled_cards_dir, load_deck
    from kiosk.site import load_site

    deck = load_deck(args.cards or bundled_cards_dir()).deck
    card = deck.cards.get(language, {}).get(card_id)
    if card is None:
        known = ", ".join(deck.card_ids()) or "none"
        raise UsageError(f"no card {card_id!r} in language {language!r} (cards: {known})")
    site_result = load_site(args.site)
    for problem in site_result.errors:
        print(f"kiosk print: site file: {problem.format()}", file=sys.stderr)
    return card, site_result.site


def print_command(args: argparse.Namespace) -> int:
    from kiosk.handout.fonts import FontMissing

    try:
        if args.out is not None:
            width = args.width or 80
            data = render(args.card, args.lang, args.format, width, args)
            Path(args.out).write_bytes(data)
            print(f"wrote {args.out} ({len(data)} bytes, {args.format})")
            return 0
        return _print_on_site_printer(args)
    except UsageError as error:
        print(f"kiosk print: {error}", file=sys.stderr)
    except FontMissing as error:
        print(f"kiosk print: {error}", file=sys.stderr)
    except ImportError as error:
        print(
            f"kiosk print: the print extra is not installed ({error.name} missing):"
            " KIOSK_EXTRAS=print ./run_kiosk.sh check",
            file=sys.stderr,
        )
    except OSError as error:
        print(f"kiosk print: cannot write {args.out}: {error.strerror}", file=sys.stderr)
    return USAGE_ERROR


def _print_on_site_printer(args: argparse.Namespace) -> int:
    from dataclasses import replace

    from kiosk.handout.printing import Printing

    card, site = _card_and_site(args.card, args.lang, args)
    if args.width:
        site = replace(site, printer_width=args.width)
    printing = Printing(site)
    if not printing.configured:
        raise UsageError("the site file names no printer: give --site FILE, or --out FILE")
    result = printing.print_card(card, args.lang)
    print(f"kiosk print: {result.code}: {result.staff}")
    return 0 if result.ok else 1
