"""Screens of the kiosk."""
