"""Benchmark: pre-rendering the deck with espeak-ng, and tap-to-sound latency from the cache.

    python benchmarks/bench_voice.py [--rounds 40] [--cards DIR]

1. **Pre-render** every item of the deck (every step, timer end, alarm and CPR cue, in
   every deck language) into an empty cache with ``VoiceService.prerender``, against a
   baseline measured in the same run: espeak-ng itself, one process per item on the same
   speech texts, output thrown away. Prints wall time, the CPU time of the espeak-ng
   processes, items, seconds of audio and the cache's size on disk; then a second pass
   (everything cached) to show start-up cost when nothing is missing.
2. **say() to the first audio byte** handed to the player, from a warm cache: into an
   in-process sink (``MemorySink``) and into a real player process (``cat`` standing in
   for ``aplay``: the same spawn and pipe, no sound card needed), against the baseline of
   reading the same WAV file. Also a cache miss (rendered on demand with espeak-ng), the
   case when pre-rendering has not got that far. Target: 150 ms.

Prints the load average before and after. A script that prints figures, not a test.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kiosk.deck import bundled_cards_dir, load_deck  # noqa: E402
from kiosk.site import Site  # noqa: E402
from kiosk.voice.cache import AudioCache, cache_name  # noqa: E402
from kiosk.voice.player import CommandSink, MemorySink  # noqa: E402
from kiosk.voice.script import speech_items  # noqa: E402
from kiosk.voice.service import VoiceService  # noqa: E402
from kiosk.voice.text import speech_text  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def ms(values: list[float]) -> str:
    median, p95, worst = (
        1000 * v for v in (statistics.median(values), percentile(values, 0.95), max(values))
    )
    return f"median {median:6.1f} ms, p95 {p95:6.1f} ms, worst {worst:6.1f} ms"


def bench_prerender(deck, workdir: Path) -> VoiceService:
    site = Site()
    service = VoiceService(deck, site, sink=MemorySink(), cache=AudioCache(workdir / "cache"))
    service.choose_all()
    items = speech_items(deck, site)
    print(f"deck: {len(deck.languages)} languages, {len(items)} items to say")
    for language, choice in service.choices.items():
        print(f"  {language}: {choice.best.voice_id if choice.best else 'silent'}")

    # Baseline: espeak-ng alone, one process per distinct text, output discarded.
    texts = sorted(
        {(i.language, speech_text(i.text, i.language, emergency_numbers=("112",))) for i in items}
    )
    cpu, started = children_cpu(), time.perf_counter()
    for language, text in texts:
        engine = service.choices[language].best
        assert engine is not None
        argv = [engine.command, "-v", engine.voice, "-s", str(engine.speed), "-b", "1"]  # type: ignore[attr-defined]
        subprocess.run([*argv, "--stdout", "--stdin"], input=text.encode(), capture_output=True)
    base_wall, base_cpu = time.perf_counter() - started, children_cpu() - cpu
    print(
        f"baseline, espeak-ng alone on {len(texts)} distinct texts: {base_wall:.2f} s wall,"
        f" {base_cpu:.2f} s CPU in espeak-ng"
    )

    cpu, started = children_cpu(), time.perf_counter()
    report = service.prerender(prune=True)
    wall, used = time.perf_counter() - started, children_cpu() - cpu
    print(
        f"prerender, empty cache: {wall:.2f} s wall ({wall / base_wall:.2f}x baseline),"
        f" {used:.2f} s CPU in espeak-ng; {report.rendered} rendered, {report.cached} shared"
        f" a text, {report.failed} failed; {report.audio_seconds / 60:.1f} min of audio,"
        f" {report.disk_bytes / 1e6:.1f} MB on disk"
    )
    started = time.perf_counter()
    again = service.prerender(prune=True)
    print(
        f"prerender, all cached (each start-up): {1000 * (time.perf_counter() - started):.0f} ms"
        f" for {again.items} items, {again.rendered} rendered"
    )
    return service


def first_byte_latency(service: VoiceService, sink, rounds: int) -> list[float]:
    """say() to the first byte the sink receives, over ``rounds`` different keys."""
    service.player.sink = sink
    items = [i for i in speech_items(service.deck, service.site) if i.key.kind == "step"]
    latencies = []
    for index in range(rounds):
        item = items[(index * 7) % len(items)]
        before = len(sink.streams if isinstance(sink, MemorySink) else sink.firsts)
        started = time.perf_counter()
        service.say(item.key)
        if isinstance(sink, MemorySink):
            while len(sink.streams) <= before or sink.streams[-1].first_byte_at is None:
                time.sleep(0.0005)
            latencies.append(sink.streams[-1].first_byte_at - started)
        else:
            while len(sink.firsts) <= before:
                time.sleep(0.0005)
            latencies.append(sink.firsts[-1] - started)
        time.sleep(0.02)
    service.stop()
    return latencies


class TimedCommandSink(CommandSink):
    """A real player process (``cat`` to /dev/null); notes when its first write returns."""

    def __init__(self) -> None:
        cat = shutil.which("cat") or "cat"
        super().__init__([cat])
        self.firsts: list[float] = []  # per playback: when its first write returned

    def open(self, rate: int):  # type: ignore[no-untyped-def]
        stream = super().open(rate)
        if isinstance(stream, str):
            return stream
        firsts = self.firsts
        original = stream.write
        written = [False]

        def write(data: bytes, deadline: float) -> str | None:
            result = original(data, deadline)
            if not written[0]:
                written[0] = True
                firsts.append(time.perf_counter())
            return result

        stream.write = write  # type: ignore[method-assign]
        return stream


def bench_latency(service: VoiceService, rounds: int) -> None:
    items = [i for i in speech_items(service.deck, service.site) if i.key.kind == "step"]
    reads = []
    for index in range(rounds):
        item = items[(index * 7) % len(items)]
        text = speech_text(item.text, item.language, emergency_numbers=service.emergency_numbers)
        best = service.choices[item.language].best
        assert best is not None and service.cache.folder is not None
        started = time.perf_counter()
        (service.cache.folder / cache_name(text, item.language, best.voice_id)).read_bytes()
        reads.append(time.perf_counter() - started)
    print(f"baseline, read the cached WAV file:        {ms(reads)}")
    in_process = first_byte_latency(service, MemorySink(), rounds)
    print(f"say() -> first byte, in-process sink:       {ms(in_process)}")
    with_process = first_byte_latency(service, TimedCommandSink(), rounds)
    print(f"say() -> first byte, player process (cat):  {ms(with_process)}")


def bench_miss(deck, workdir: Path, rounds: int) -> None:
    service = VoiceService(deck, Site(), sink=MemorySink(), cache=AudioCache(workdir / "empty"))
    service.choose_all()
    latencies = first_byte_latency(service, MemorySink(), min(rounds, 15))
    print(f"say() -> first byte, cache miss (espeak-ng): {ms(latencies)}")
    service.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--cards", type=Path, default=None)
    args = parser.parse_args()
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed: nothing to measure")
        return 1
    deck = load_deck(args.cards or bundled_cards_dir()).deck
    print(f"load average before: {load()}; {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    with tempfile.TemporaryDirectory() as temporary:
        workdir = Path(temporary)
        service = bench_prerender(deck, workdir)
        bench_latency(service, args.rounds)
        service.close()
        bench_miss(deck, workdir, args.rounds)
    print(f"load average after: {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
