"""From the app process to the kiosk page: requests that only a browser can carry out.

Under ``kiosk serve`` the app runs with Textual's web driver, which writes "meta"
packets to the server next to the screen output. :func:`request_font_scale` sends one
the server forwards to the page (``kiosk/serve.py``, :data:`FONT_SCALE_META`); the page
sets the terminal's font size to the site's ``font_size`` times the scale and refits the
terminal, and the app gets the new size in cells as an ordinary resize. In a terminal
nothing happens (a program cannot change a terminal's font) and the call returns False.

The app calls it whenever the text size changes::

    request_text_size(app, "large")

Call it on the app's own thread (a handler, an action), like any other Textual call.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from textual.app import App

from kiosk.compat.textual import web_driver

log = logging.getLogger("kiosk.web_bridge")

FONT_SCALE_META = "kiosk_font_scale"
"""The meta packet type (app to server) and the message type (server to page)."""

FONT_SCALE_RANGE = (0.5, 3.0)
"""Scales outside this range are clamped, here and again by the server and the page."""

TEXT_SIZE_SCALES: dict[str, float] = {"normal": 1.0, "large": 1.25, "extra-large": 1.5}
"""The font scale for each of the kiosk's text sizes (``kiosk.site.TEXT_SIZES``)."""


def clamp_font_scale(scale: object) -> float | None:
    """``scale`` as a float within :data:`FONT_SCALE_RANGE`, or ``None`` if it is not a number."""
    if isinstance(scale, bool) or not isinstance(scale, (int, float)):
        return None
    value = float(scale)
    if not math.isfinite(value):
        return None
    low, high = FONT_SCALE_RANGE
    return max(low, min(high, value))


def request_font_scale(app: App[Any], scale: float) -> bool:
    """Ask the kiosk page to draw the terminal at ``scale`` times the site's font size.

    Returns True if the request was sent (the app runs in a browser session), False in
    a terminal, in tests, before the app runs, or if the request could not be written.
    Never raises: a font size is not worth a crash.
    """
    value = clamp_font_scale(scale)
    if value is None:
        log.warning("ignored a font scale that is not a number: %r", scale)
        return False
    driver = web_driver(app)
    if driver is None:
        return False
    try:
        driver.write_meta({"type": FONT_SCALE_META, "scale": value})
    except Exception as error:  # a closed pipe: the session is ending anyway
        log.warning("could not ask the page for a font scale of %g: %s", value, error)
        return False
    return True


def request_text_size(app: App[Any], text_size: str) -> bool:
    """:func:`request_font_scale` for one of the kiosk's text sizes (normal, large, extra-large)."""
    return request_font_scale(app, TEXT_SIZE_SCALES.get(text_size, 1.0))
