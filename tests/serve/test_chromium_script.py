"""Red-team B8: ``deploy/chromium-kiosk.sh`` starts the browser again whenever it exits.

A stand-in browser (a shell script that notes each start and exits at once) and a
stand-in server (``/health`` answers 200) replace Chromium and ``kiosk serve``.
"""

from __future__ import annotations

import http.server
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("curl") is None, reason="the script needs curl"),
]

SCRIPT = Path(__file__).resolve().parents[2] / "deploy" / "chromium-kiosk.sh"


class Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b'{"ok": true}')

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_url() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def test_b8_the_browser_is_started_again_when_it_exits(tmp_path: Path, health_url: str) -> None:
    starts = tmp_path / "starts"
    browser = tmp_path / "fake-chromium"
    browser.write_text(f'#!/bin/sh\necho "$@" >> {starts}\nexit 3\n', encoding="utf-8")
    browser.chmod(0o755)
    runtime = tmp_path / "run"
    runtime.mkdir()
    script = subprocess.Popen(
        ["sh", str(SCRIPT)],
        env=dict(
            os.environ, KIOSK_URL=health_url, CHROMIUM=str(browser), XDG_RUNTIME_DIR=str(runtime)
        ),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 20
        while not starts.exists() or len(starts.read_text().splitlines()) < 3:
            assert script.poll() is None, f"the script ended: {script.stderr.read()!r}"
            assert time.monotonic() < deadline, "the browser was not started three times"
            time.sleep(0.1)
        lines = starts.read_text().splitlines()
        assert all(f"--app={health_url}" in line for line in lines)
        profiles = {word for line in lines for word in line.split() if "--user-data-dir" in word}
        assert len(profiles) == len(lines), "each start should get a fresh profile"
    finally:
        script.send_signal(signal.SIGTERM)
        try:
            script.wait(timeout=10)
        except subprocess.TimeoutExpired:
            script.kill()
            script.wait()
            pytest.fail("SIGTERM did not end the script")
    assert list(runtime.iterdir()) == [], "a browser profile was left behind"
