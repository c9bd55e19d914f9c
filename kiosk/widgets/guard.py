"""Keep an unexpected exception away from the visitor.

Textual ends the message loop of whatever widget raised in a handler (and
the whole app if the handler ran on the app's loop, as key bindings do), so
the kiosk's own handlers and actions are wrapped with :func:`guarded`: the
error is logged and the app is asked to return the visitor to the home
screen. :meth:`kiosk.app.KioskApp._handle_exception` is the second line of
defence for anything that still escapes.
"""

from __future__ import annotations

import functools
import inspect
import logging
from typing import Any, Callable, TypeVar

log = logging.getLogger("kiosk")

F = TypeVar("F", bound=Callable[..., Any])


def _recover(node: Any, error: BaseException) -> None:
    log.error("unexpected error in %s; returning home", type(node).__name__, exc_info=error)
    app = getattr(node, "app", None)
    recover = getattr(app, "recover_from_error", None)
    if recover is not None:
        app.call_later(recover)


def guarded(method: F) -> F:
    """Wrap a handler or action: on an exception, log it and send the visitor home."""
    if inspect.iscoroutinefunction(method):

        @functools.wraps(method)
        async def async_wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
            try:
                return await method(self, *args, **kwargs)
            except Exception as error:
                _recover(self, error)
                return None

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(method)
    def wrapper(self: Any, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except Exception as error:
            _recover(self, error)
            return None

    return wrapper  # type: ignore[return-value]
