"""Running many kiosks: health metrics, the systemd watchdog, anonymous usage counts.

Nothing here imports Textual; the app calls these from its own loop (docs/fleet.md).
"""

from __future__ import annotations
