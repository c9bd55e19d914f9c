"""Shared test helpers: one fake clock, one screen reader, one card writer, the fixture decks."""
