"""Benchmark: tap-to-sound through the app, from the cache.

    python benchmarks/bench_voice_ui.py [--rounds 30]

The real app (``make_app``, headless, 80x24) with the real ``VoiceService`` and a real
player process (``cat`` to /dev/null standing in for ``aplay``: the same spawn and pipe,
no sound card needed). The steps of the seizure and resuscitation cards are rendered
with espeak-ng into a fresh cache first (warm cache, as after pre-rendering). Then, for
each round, the time from the button press (``Button.press``, which a tap's Click calls)
to the first PCM write that returns from the player's stdin; also from just before
``pilot.click`` (an upper bound: Pilot waits for the app to go idle three times around
its mouse events):

1. a tap on **Read aloud** (off -> on: the step shown is said);
2. a tap on **Next** with Read aloud on (the next step is said).

Split: tap -> ``VoiceService.say`` called (the UI part), and say -> first write (the
audio part). Baseline measured in the same run: ``VoiceService.say`` called directly,
with no app, to the first write. Prints the load average before and after. Target:
150 ms (issue 17). A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE))

from bench_voice import TimedCommandSink  # noqa: E402
from textual.widgets import Button  # noqa: E402

import kiosk.voice.service  # noqa: E402
import kiosk.voice.ui  # noqa: E402
from kiosk.app import make_app  # noqa: E402
from kiosk.deck import bundled_cards_dir, load_deck  # noqa: E402
from kiosk.site import Site  # noqa: E402
from kiosk.voice.cache import AudioCache  # noqa: E402
from kiosk.voice.script import SpeechKey, item_for  # noqa: E402
from kiosk.voice.service import VoiceService  # noqa: E402

CARDS = ("seizure", "resuscitation")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]
    median, worst = statistics.median(values), max(values)
    return f"median {1000 * median:6.1f} ms, p95 {1000 * p95:6.1f} ms, worst {1000 * worst:6.1f} ms"


def warm_service(deck, cache_dir: Path, sink) -> VoiceService:
    # No pre-render pass of the whole deck in the background while measuring (start()
    # would run one): only the steps used here are rendered, below.
    kiosk.voice.service.speech_items = lambda deck, site: []  # type: ignore[assignment]
    service = VoiceService(deck, Site(), sink=sink, cache=AudioCache(cache_dir))
    service.choose_all()
    for language in deck.languages:
        for card_id in CARDS:
            card = deck.card(card_id, language)
            for number in range(1, len(card.steps) + 1):
                item = item_for(deck, service.site, SpeechKey.for_step(card_id, number, language))
                assert item is not None and service.render(item) is not None
    return service


async def wait_first_write(sink: TimedCommandSink, before: int, timeout: float = 10.0) -> float:
    deadline = time.perf_counter() + timeout
    while len(sink.firsts) <= before:
        if time.perf_counter() > deadline:
            raise RuntimeError("no audio reached the player")
        await asyncio.sleep(0.0005)
    return sink.firsts[-1]


async def through_the_app(service: VoiceService, sink: TimedCommandSink, rounds: int) -> None:
    said_at: list[float] = []
    original_say = service.say

    def timed_say(key: SpeechKey) -> None:
        said_at.append(time.perf_counter())
        original_say(key)

    service.say = timed_say  # type: ignore[method-assign]
    pressed_at: list[float] = []
    original_press = Button.press

    def timed_press(button: Button) -> Button:
        pressed_at.append(time.perf_counter())
        return original_press(button)

    Button.press = timed_press  # type: ignore[method-assign]
    kiosk.voice.ui.service_factory = lambda deck, site, clock: service
    app = make_app(load_deck(bundled_cards_dir()), Site())
    toggle_total, toggle_ui, next_total, next_ui = [], [], [], []
    toggle_press, next_press = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        while app.read_aloud.service is None:
            await asyncio.sleep(0.01)
        await asyncio.sleep(0.5)  # the start-up probe
        for index in range(rounds):
            app.action_open_card(CARDS[index % 2])
            await pilot.pause()
            before, started = len(sink.firsts), time.perf_counter()
            await pilot.click("#read-aloud")  # on: says the step shown
            first = await wait_first_write(sink, before)
            toggle_total.append(first - started)
            toggle_ui.append(said_at[-1] - started)
            toggle_press.append(first - pressed_at[-1])
            await asyncio.sleep(0.05)
            before, started = len(sink.firsts), time.perf_counter()
            await pilot.click("#next")  # says the next step
            first = await wait_first_write(sink, before)
            next_total.append(first - started)
            next_ui.append(said_at[-1] - started)
            next_press.append(first - pressed_at[-1])
            await asyncio.sleep(0.05)
            await pilot.click("#read-aloud")  # off again
            app.action_home()
            await pilot.pause()
    service.say = original_say  # type: ignore[method-assign]
    Button.press = original_press  # type: ignore[method-assign]
    print(f"Read aloud: button press -> first write:     {ms(toggle_press)}")
    print(f"  pilot.click start -> first write:          {ms(toggle_total)}")
    print(f"  pilot.click start -> say() (Pilot + UI):   {ms(toggle_ui)}")
    print(f"Next, Read aloud on: press -> first write:   {ms(next_press)}")
    print(f"  pilot.click start -> first write:          {ms(next_total)}")
    print(f"  pilot.click start -> say() (Pilot + UI):   {ms(next_ui)}")


def baseline(service: VoiceService, sink: TimedCommandSink, rounds: int) -> None:
    latencies = []
    for index in range(rounds):
        before, started = len(sink.firsts), time.perf_counter()
        service.say_step(CARDS[index % 2], 1 + index % 3, "en")
        while len(sink.firsts) <= before:
            time.sleep(0.0005)
        latencies.append(sink.firsts[-1] - started)
        time.sleep(0.05)
    service.stop()
    print(f"baseline, say() with no app -> first write: {ms(latencies)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: nothing to measure")
        return 1
    print(f"load average before: {load()}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    deck = load_deck(bundled_cards_dir()).deck
    with tempfile.TemporaryDirectory() as temporary:
        sink = TimedCommandSink()
        service = warm_service(deck, Path(temporary) / "cache", sink)
        baseline(service, sink, args.rounds)
        asyncio.run(through_the_app(service, sink, args.rounds))
        service.close()
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
