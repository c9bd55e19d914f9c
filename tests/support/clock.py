"""The one fake clock of the tests."""

from __future__ import annotations


class FakeClock:
    """A monotonic clock the test moves by hand: ``clock.advance(30)``.

    ``calls`` counts how often the app read it (a screen that ticks reads it).
    """

    def __init__(self, start: float = 1000.0) -> None:
        self.now = start
        self.calls = 0

    def __call__(self) -> float:
        self.calls += 1
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class ScaledClock:
    """Real time, sped up: ``ScaledClock(speed=200)`` runs 200 app seconds per real second.

    For tests that must go through the real timer path (the card screen's ticker, the
    idle timer) yet reach minutes of app time in a second or two: nothing calls
    ``refresh_timers()`` by hand, the app's own timers read this clock.
    """

    def __init__(self, speed: float, start: float = 1000.0) -> None:
        import time

        self.speed = speed
        self._real = time.monotonic
        self._origin = self._real()
        self.start = start

    def __call__(self) -> float:
        return self.start + (self._real() - self._origin) * self.speed
