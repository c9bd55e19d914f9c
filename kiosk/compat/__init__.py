"""Every deliberate use of a private (``_name``) API of Textual or Rich, one module each.

Each use has a test in ``tests/compat/`` that fails if an upgrade breaks it:

- :mod:`kiosk.compat.textual`: ``App._handle_exception`` (the one funnel of handler,
  timer and worker errors) and the two private calls that end the app after one.
- :mod:`kiosk.compat.rich`: Rich's word folding given at least one cell (a crash fix).
- :mod:`kiosk.compat.textual_serve`: textual-serve's session and process members and its
  page script (``kiosk serve``).
"""
