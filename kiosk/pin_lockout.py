"""A growing delay after wrong staff PINs (red-team A8).

Three wrong PINs in a row are free; the third starts a 30-second lockout, and each
further wrong PIN doubles it, up to 15 minutes. A PIN typed while locked is refused
without being checked (even the right one), so guessing costs at least the delay. The
right PIN, or a day without a wrong one, starts the count again. Every wrong PIN is
logged with the count and the delay, never with the digits typed. Time comes from the
app's clock (``time.monotonic`` or a test's fake clock); nothing here sleeps.

The count lives in the app, not in a PIN prompt, so closing and reopening the prompt
does not clear it; it is not kept across a restart of the process.
"""

from __future__ import annotations

import logging

from kiosk.session import Clock

log = logging.getLogger("kiosk")

FREE_TRIES = 3
"""Wrong PINs in a row before the first lockout."""

FIRST_LOCKOUT_SECONDS = 30.0
"""The lockout after the ``FREE_TRIES``-th wrong PIN; each further wrong one doubles it."""

MAX_LOCKOUT_SECONDS = 15 * 60.0
"""The longest lockout."""

FORGET_AFTER_SECONDS = 24 * 3600.0
"""Wrong PINs this long ago (with none since) no longer count."""


def lockout_seconds(failures: int) -> float:
    """The lockout after ``failures`` wrong PINs in a row (0 while the tries are free)."""
    if failures < FREE_TRIES:
        return 0.0
    doubling = float(2 ** (failures - FREE_TRIES))
    return min(MAX_LOCKOUT_SECONDS, FIRST_LOCKOUT_SECONDS * doubling)


def clock_text(seconds: float) -> str:
    """``0:30``, ``15:00``: whole seconds left, rounded up."""
    whole = int(-(-seconds // 1))
    return f"{whole // 60}:{whole % 60:02d}"


class PinLockout:
    """Wrong staff PINs in a row and the lockout they earned."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self.failures = 0
        self._locked_until = 0.0
        self._last_failure: float | None = None

    def seconds_left(self) -> float:
        """How long until a PIN may be checked again (0 when it may now)."""
        return max(0.0, self._locked_until - self._clock())

    @property
    def locked(self) -> bool:
        return self.seconds_left() > 0

    def wrong_pin(self) -> float:
        """Count a wrong PIN and log it; return the lockout it starts (seconds, maybe 0)."""
        now = self._clock()
        if self._last_failure is not None and now - self._last_failure >= FORGET_AFTER_SECONDS:
            self.failures = 0
        self.failures += 1
        self._last_failure = now
        delay = lockout_seconds(self.failures)
        self._locked_until = now + delay
        if delay:
            log.warning(
                "wrong staff PIN (%d in a row); staff access locked for %d s",
                self.failures,
                delay,
            )
        else:
            log.warning("wrong staff PIN (%d in a row)", self.failures)
        return delay

    def refused(self) -> None:
        """A PIN typed while locked: refused unchecked (logged, without the digits)."""
        log.warning("staff PIN refused unchecked: locked for %d s more", self.seconds_left())

    def right_pin(self) -> None:
        """The right PIN: wrong ones before it no longer count."""
        self.failures = 0
        self._locked_until = 0.0
        self._last_failure = None
