"""``kiosk speak``: hear or save what the kiosk will say, and pre-render the deck.

::

    kiosk speak --card seizure --step 1 --lang uk --out step1.wav
    kiosk speak --alarm seizure-5min --lang en            # plays it on the loudspeaker
    kiosk speak --card seizure --step 3 --show            # prints the text the engine gets
    kiosk speak --cpr 60 --out cpr.wav                    # a minute of the CPR tick track
    kiosk speak --all --site /etc/kiosk/site.toml         # deck install: render everything

Exit status: 0 done, 1 nothing to say or no voice (the reason on stderr), 2 internal error.
Never a traceback.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from kiosk.voice.audio import Pcm

if TYPE_CHECKING:
    from kiosk.voice.service import VoiceService

INTERNAL_ERROR_STATUS = 2


def speak_command(args: argparse.Namespace) -> int:
    try:
        return _speak(args)
    except Exception as error:  # the operator gets one line, never a traceback
        print(f"kiosk speak: internal error: {error!r}", file=sys.stderr)
        return INTERNAL_ERROR_STATUS


def _speak(args: argparse.Namespace) -> int:
    from kiosk.deck import bundled_cards_dir, load_deck
    from kiosk.site import load_site
    from kiosk.voice.cache import AudioCache, cache_dir_for
    from kiosk.voice.cpr import CprTrack
    from kiosk.voice.script import SpeechKey, item_for
    from kiosk.voice.service import VoiceService
    from kiosk.voice.text import speech_text

    site = load_site(args.site).site
    deck = load_deck(args.cards or bundled_cards_dir()).deck
    if args.all:
        service = VoiceService(deck, site)
        if service.mode == "hidden":
            print("voice is hidden in the site file: nothing to render")
            return 0
        report = service.prerender(prune=True)
        print(
            f"{report.items} items: {report.rendered} rendered, {report.cached} already cached,"
            f" {report.failed} failed, {report.removed} stale files removed;"
            f" {report.seconds:.1f} s; {report.disk_bytes / 1e6:.1f} MB in {service.cache.folder}"
        )
        if not service.cache.writable:
            print(f"kiosk speak: cannot write in {service.cache.folder}", file=sys.stderr)
        return 1 if report.failed or not service.cache.writable else 0

    language = args.lang or site.default_language
    # Reads what is cached, writes nothing there: files made by root at the command line
    # would not be replaceable by the kiosk's user.
    cache = AudioCache(cache_dir_for(site))
    cache.writable = False
    service = VoiceService(deck, site, cache=cache)
    if args.cpr is not None:
        cue_item = item_for(deck, site, SpeechKey.cpr_breaths(language))
        service.choose_all()
        cue = service.render(cue_item, wait=0) if cue_item is not None else None
        pcm = CprTrack(service.rhythm, cue=cue).pcm(max(0.0, args.cpr))
        return _deliver(service, pcm, args.out, "the CPR track")

    if args.card:
        key = SpeechKey.for_step(args.card, args.step, language)
    else:
        key = SpeechKey.alarm(args.alarm, language)
    item = item_for(deck, site, key)
    if item is None:
        print(f"kiosk speak: nothing to say for {key}", file=sys.stderr)
        return 1
    if args.show:
        numbers = (site.emergency_number,)
        print(speech_text(item.text, item.language, emergency_numbers=numbers))
        if args.out is None:
            return 0
    service.choose_all()
    speech = service.render(item, wait=0)
    if speech is None:
        reasons = "; ".join(service.choices[item.language].reasons) or "no engine"
        print(f"kiosk speak: no voice for {item.language}: {reasons}", file=sys.stderr)
        return 1
    return _deliver(service, speech, args.out, str(key))


def _deliver(service: VoiceService, pcm: Pcm, out: Path | None, what: str) -> int:
    """Write ``pcm`` to ``out``, or play it and wait until it has been heard."""
    if out is not None:
        try:
            out.write_bytes(pcm.to_wav())
        except OSError as error:
            print(f"kiosk speak: cannot write {out}: {error.strerror}", file=sys.stderr)
            return 1
        print(f"{out}: {what}, {pcm.duration:.1f} s")
        return 0
    from kiosk.voice.player import Source

    player = service.player
    player.play(Source.from_pcm(what, pcm))
    deadline = time.monotonic() + pcm.duration + 10.0
    while player.plays + player.failures == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    player.close()
    if player.available is not True:
        print(f"kiosk speak: voice unavailable: {player.reason_unavailable}", file=sys.stderr)
        return 1
    return 0
