"""The site's name: staff tap it five times quickly to reach the staff screen."""

from __future__ import annotations

from textual import events
from textual.widgets import Static


class SiteName(Static):
    """The site's name (plain text); each tap is one staff knock (``app.site_name_tapped``)."""

    async def on_click(self, event: events.Click) -> None:
        await self.run_action("app.site_name_tapped")
