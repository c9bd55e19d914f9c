"""Health metrics for Prometheus: a text-format file for node exporter's textfile collector.

The kiosk tells a :class:`KioskMetrics` what happened (deck loaded, an error handled, an
idle reset) and calls :meth:`KioskMetrics.write` from time to time; the file is written by
``prometheus_client.write_to_textfile`` (a temporary file renamed over the old one, so the
collector never reads half a file). The path is the site's ``metrics_file``; empty means
no file. A full or read-only disk never stops the kiosk: the failure is logged once and
the next write tries again. The metric names are listed in ``docs/fleet.md``.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import kiosk
from kiosk.fleet.usage import UsageCounts

if TYPE_CHECKING:
    from prometheus_client import CollectorRegistry
    from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric

# prometheus_client (about 15% of the kiosk's start-up) is imported when the metrics file
# is first written or collected, not on the way to the first painted home screen.

log = logging.getLogger("kiosk.fleet.metrics")

SEVERITIES = ("error", "warning")


def problem_counts(problems: Iterable[object]) -> dict[str, int]:
    """Problems by severity (``error``/``warning``), from deck or site ``Problem`` objects."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for problem in problems:
        code = str(getattr(problem, "code", ""))
        counts["warning" if code.startswith("W") else "error"] += 1
    return counts


class KioskMetrics:
    """What the metrics file says, kept up to date by the app; a Prometheus collector."""

    def __init__(
        self,
        path: Path | str | None,
        *,
        usage: UsageCounts | None = None,
        version: str | None = None,
        started: float | None = None,
    ) -> None:
        self.path = Path(path) if path else None
        self.usage = usage
        self._version = version
        self.start_time = time.time() if started is None else started
        self.up = True
        self.deck_version = ""
        self.cards_loaded = 0
        self.cards_past_review = 0
        self.deck_problems = dict.fromkeys(SEVERITIES, 0)
        self.site_problems = dict.fromkeys(SEVERITIES, 0)
        self.unexpected_errors = 0
        self.idle_resets = 0
        self._registry: CollectorRegistry | None = None
        self._write_failed = False

    @property
    def version(self) -> str:
        """The kiosk's version (looked up when first written: not on the start-up path)."""
        if self._version is None:
            self._version = kiosk.__version__
        return self._version

    @property
    def registry(self) -> CollectorRegistry:
        """The Prometheus registry holding this collector (made when first needed)."""
        if self._registry is None:
            from prometheus_client import CollectorRegistry

            self._registry = CollectorRegistry(auto_describe=False)
            self._registry.register(self)
        return self._registry

    # -- what the app tells us ---------------------------------------------------------------

    def deck_loaded(
        self,
        *,
        deck_version: str,
        cards: int,
        past_review: int,
        problems: Iterable[object] = (),
    ) -> None:
        self.deck_version = deck_version
        self.cards_loaded = cards
        self.cards_past_review = past_review
        self.deck_problems = problem_counts(problems)

    def site_checked(self, problems: Iterable[object]) -> None:
        self.site_problems = problem_counts(problems)

    def error_handled(self) -> None:
        self.unexpected_errors += 1

    def idle_reset(self) -> None:
        self.idle_resets += 1

    def stopped(self) -> None:
        """The kiosk is shutting down cleanly: the next write says ``kiosk_up 0``."""
        self.up = False

    # -- the collector -----------------------------------------------------------------------

    def collect(self) -> Iterator[Metric]:
        from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily

        yield _gauge("kiosk_up", "1 while the kiosk runs; 0 after a clean stop.", self.up)
        yield _gauge(
            "kiosk_start_time_seconds", "When the kiosk started, Unix time.", self.start_time
        )
        info = InfoMetricFamily("kiosk_build", "Software and deck versions.")
        info.add_metric([], {"version": self.version, "deck_version": self.deck_version})
        yield info
        yield _gauge("kiosk_cards_loaded", "Cards loaded (all languages).", self.cards_loaded)
        yield _gauge(
            "kiosk_cards_past_review",
            "Loaded cards past their review date.",
            self.cards_past_review,
        )
        for name, doc, counts in (
            ("kiosk_deck_problems", "Deck check problems by severity.", self.deck_problems),
            ("kiosk_site_problems", "Site file problems by severity.", self.site_problems),
        ):
            family = GaugeMetricFamily(name, doc, labels=["severity"])
            for severity in SEVERITIES:
                family.add_metric([severity], counts.get(severity, 0))
            yield family
        yield _counter(
            "kiosk_unexpected_errors",
            "Unexpected errors handled (the visitor went home).",
            self.unexpected_errors,
        )
        yield _counter("kiosk_idle_resets", "Idle resets to the home screen.", self.idle_resets)
        usage = CounterMetricFamily(
            "kiosk_usage",
            "Anonymous usage counts since start, by event, card and language.",
            labels=["event", "card", "language"],
        )
        totals = self.usage.totals if self.usage is not None else {}
        for (event, card, language), value in sorted(totals.items()):
            usage.add_metric([event, card, language], value)
        yield usage

    # -- the file ----------------------------------------------------------------------------

    def write(self) -> bool:
        """Rewrite the metrics file; True if written (or off). Never raises."""
        if self.path is None:
            return True
        try:
            from prometheus_client import write_to_textfile

            write_to_textfile(os.fspath(self.path), self.registry)
        except Exception as error:  # OSError above all; nothing here may stop the kiosk
            if not self._write_failed:
                log.warning("cannot write the metrics file %s (%s)", self.path, error)
            self._write_failed = True
            _remove_leftovers(self.path)
            return False
        if self._write_failed:
            log.info("metrics file %s written again", self.path)
        self._write_failed = False
        return True


def cards_past_review(cards: Iterable[object], today: dt.date | None = None) -> int:
    """How many cards have a ``review_due`` date before ``today``."""
    today = today or dt.date.today()
    return sum(1 for card in cards if getattr(card, "review_due", today) < today)


def _gauge(name: str, doc: str, value: float) -> GaugeMetricFamily:
    from prometheus_client.core import GaugeMetricFamily

    return GaugeMetricFamily(name, doc, value=float(value))


def _counter(name: str, doc: str, value: float) -> CounterMetricFamily:
    from prometheus_client.core import CounterMetricFamily

    return CounterMetricFamily(name, doc, value=float(value))


def _remove_leftovers(path: Path) -> None:
    """Remove our half-written temporary file (``<path>.<pid>.<thread>``) after a failure."""
    try:
        for leftover in path.parent.glob(f"{path.name}.{os.getpid()}.*"):
            leftover.unlink()
    except OSError:
        pass
