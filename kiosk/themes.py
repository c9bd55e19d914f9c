"""The kiosk's colour themes: dark, light and high contrast.

Registered as Textual themes so every widget picks up ``$primary``,
``$error`` and friends; the site config names the default
(``site.theme``) and the visitor cycles them with the theme button.
The urgency colours are extra variables (``$urgency-emergency`` and so on)
so the card screen does not hard-code colours per theme.

Contrast (WCAG 2.2 AA, issue 12): every text meets 4.5:1 on its background in every
theme and 7:1 in high contrast, checked on the rendered screens by
tests/app/test_contrast.py. Two rules keep it so. A colour used both as a background
and as text on the screen background cannot serve both on a dark theme, so text in
those colours uses the ``text-*`` variables set here (``$text-error`` for "Call
emergency if"), never ``$error``. And Textual's ``auto`` text colour picks white or
black by brightness, not by WCAG contrast, so mid-tone button colours (``primary``,
``success``) are chosen where its pick passes.
"""

from __future__ import annotations

from textual.theme import Theme

from kiosk.core.choices import THEMES

#: Site config value -> Textual theme name, in the order the theme button cycles.
THEME_NAMES = {name: f"kiosk-{name}" for name in THEMES}

#: Urgency colours for themes that do not set their own (CSS needs them defined everywhere).
URGENCY_COLOURS = {
    "urgency-emergency": "#c81e1e",
    "urgency-see-a-doctor": "#b45309",
    "urgency-self-care": "#15803d",
}

KIOSK_THEMES = (
    Theme(
        name="kiosk-dark",
        primary="#1d4ed8",
        secondary="#60a5fa",
        accent="#fbbf24",
        warning="#f59e0b",
        error="#c81e1e",
        success="#2fbf71",
        foreground="#f2f2f2",
        background="#121417",
        surface="#1d2127",
        panel="#262b33",
        dark=True,
        variables={
            "urgency-emergency": "#c81e1e",
            "urgency-see-a-doctor": "#b45309",
            "urgency-self-care": "#15803d",
            "footer-background": "#121417",
            "text-error": "#f87171",
            "text-muted": "#b4b8bf",
            "text-disabled": "#a8acb3",
        },
    ),
    Theme(
        name="kiosk-light",
        primary="#1d4ed8",
        secondary="#2563eb",
        accent="#b45309",
        warning="#b45309",
        error="#b91c1c",
        success="#166534",
        foreground="#111111",
        background="#fafafa",
        surface="#ececec",
        panel="#dddddd",
        dark=False,
        variables={
            "urgency-emergency": "#b91c1c",
            "urgency-see-a-doctor": "#9a3412",
            "urgency-self-care": "#166534",
            "text-error": "#b91c1c",
            "text-muted": "#4a4a4a",
            "text-disabled": "#555555",
        },
    ),
    Theme(
        name="kiosk-high-contrast",
        primary="#ffff00",
        secondary="#ffff00",
        accent="#00ffff",
        warning="#ffff00",
        error="#ff7a7a",
        success="#00ff00",
        foreground="#ffffff",
        background="#000000",
        surface="#000000",
        panel="#000000",
        dark=True,
        luminosity_spread=0.0,
        text_alpha=1.0,
        variables={
            "urgency-emergency": "#ff7a7a",
            "urgency-see-a-doctor": "#ffff00",
            "urgency-self-care": "#00ff00",
            "button-color-foreground": "#000000",
            "text-error": "#ff7a7a",
            "text-muted": "#e0e0e0",
            "text-disabled": "#d0d0d0",
        },
    ),
)


def theme_name(site_theme: str) -> str:
    """The Textual theme for a site config value (unknown values fall back to dark)."""
    return THEME_NAMES.get(site_theme, THEME_NAMES["dark"])
