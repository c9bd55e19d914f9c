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
