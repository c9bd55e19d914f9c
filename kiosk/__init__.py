"""Offline large-print first-aid kiosk."""

__version__ = "0.1.0"
