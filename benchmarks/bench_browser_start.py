"""Browser start: page load to the first home-screen text, warm app process against cold.

Two ``kiosk serve --kiosk`` servers run side by side: one with ``--warm 1`` (the default:
an app process started in advance is handed to the next page), one with ``--warm 0``
(every page load starts a new app process, as before issue 12). Headless Chromium (Debian's
``/usr/bin/chromium``, through Playwright) loads each page in turn, interleaved, so both
see the same machine load. The time is measured in the page: ``performance.now()`` (from
navigation start) when the home screen's prompt first appears in the terminal buffer.
Before each warm load the benchmark waits until the warm process has drawn its screen,
as it has on a kiosk between visitors.

    .venv/bin/python benchmarks/bench_browser_start.py [--runs 7] [--width 1024 --height 600]

Prints each run, the medians and the load average before and after. Not a test.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"

FIRST_SEEN = """(text) => {
    const session = window.textualSession;
    if (!session) { return false; }
    const buffer = session.terminal.buffer.active;
    for (let row = 0; row < session.terminal.rows; row++) {
        const line = buffer.getLine(buffer.viewportY + row);
        if (line && line.translateToString(true).includes(text)) { return performance.now(); }
    }
    return false;
}"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self, warm: int) -> None:
        self.warm = warm
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "serve", "--kiosk"]
            + ["--port", str(self.port), "--warm", str(warm)],
            cwd=REPO_ROOT,
            env=dict(os.environ, PYTHONPATH=str(REPO_ROOT)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while True:
            try:
                self.health()
                return
            except OSError:
                if time.monotonic() > deadline or self.process.poll() is not None:
                    raise SystemExit(f"kiosk serve --warm {warm} did not start") from None
                time.sleep(0.2)

    def health(self) -> dict[str, object]:
        with urllib.request.urlopen(self.url + "health", timeout=5) as response:
            return json.loads(response.read())

    def settle(self) -> None:
        """Until no session is open and, with --warm 1, the warm process has drawn."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            health = self.health()
            if health["sessions"] == 0 and (health["warm"] or not self.warm):
                return
            time.sleep(0.1)
        raise SystemExit(f"--warm {self.warm}: the server did not settle: {self.health()}")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


def load_once(page, url: str, text: str) -> float:
    """Load (or reload) the kiosk page in ``page``; ms from navigation start to ``text``.

    The page's previous session ends as the page navigates, as when the kiosk page
    reloads itself after a recovery; the browser's cache is kept, as on the kiosk.
    """
    page.goto(url)
    handle = page.wait_for_function(FIRST_SEEN, arg=text, polling="raf", timeout=60_000)
    return float(handle.json_value())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--width", type=int, default=1024)
    parser.add_argument("--height", type=int, default=600)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO_ROOT))
    from playwright.sync_api import sync_playwright

    from kiosk.strings import Strings

    home_prompt = Strings("en")["home.search"]
    size = (args.width, args.height)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    servers = {"warm": Server(1), "cold": Server(0)}
    times: dict[str, list[float]] = {"warm": [], "cold": []}
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
            )
            viewport = {"width": size[0], "height": size[1]}
            pages = {name: browser.new_context(viewport=viewport).new_page() for name in servers}
            # one load each first: the warm server learns the page's size, the cache fills
            for name, server in servers.items():
                server.settle()
                load_once(pages[name], server.url, home_prompt)
                pages[name].goto("about:blank")  # ends the session
            for run in range(args.runs):
                order = ("warm", "cold") if run % 2 == 0 else ("cold", "warm")
                for name in order:
                    servers[name].settle()
                    times[name].append(load_once(pages[name], servers[name].url, home_prompt))
                    pages[name].goto("about:blank")
                print(
                    f"run {run + 1}: warm {times['warm'][-1]:.0f} ms, "
                    f"cold {times['cold'][-1]:.0f} ms"
                )
            browser.close()
    finally:
        for server in servers.values():
            server.stop()
    warm, cold = statistics.median(times["warm"]), statistics.median(times["cold"])
    print(f"viewport {size[0]}x{size[1]}, {args.runs} runs each, interleaved")
    print(f"warm (kiosk serve --warm 1): median {warm:.0f} ms, best {min(times['warm']):.0f} ms")
    print(f"cold (kiosk serve --warm 0): median {cold:.0f} ms, best {min(times['cold']):.0f} ms")
    print(f"warm / cold: {warm / cold:.2f}")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
