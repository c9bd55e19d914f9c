"""Waiting for what a visitor would see, on a machine that may be slow."""

from __future__ import annotations

import time
from typing import Any, Callable


async def until(pilot: Any, condition: Callable[[], bool], timeout: float = 20.0) -> bool:
    """Pause the app until ``condition()`` holds (True) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        await pilot.pause(0.05)
    return condition()
