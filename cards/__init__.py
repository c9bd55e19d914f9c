"""The bundled deck, importable as ``kiosk.cards`` so the wheel carries it (see pyproject.toml)."""
