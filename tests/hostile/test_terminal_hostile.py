"""The red team's reproductions, and seeded variants, against the real ``kiosk --kiosk``
in a real terminal (tmux). After each batch: no traceback on screen, the process alive
and not stopped (state not T), the emergency number shown, and a tap on "1 Seizure"
opening the seizure card.

The batches are short and seeded (``HOSTILE_SEED``, ``HOSTILE_BATCHES``); the long run is
``benchmarks/hostile_soak.py``.
"""

from __future__ import annotations

import importlib.util
import os
import random
import shlex
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

PYTHON = shlex.quote(sys.executable)
REPO_ROOT = Path(__file__).resolve().parents[2]
SEED = int(os.environ.get("HOSTILE_SEED", "20261201"))
BATCHES = int(os.environ.get("HOSTILE_BATCHES", "4"))
SITE = """\
name = "Riverside Pool"
emergency_number = "999"
staff_instruction = "Lifeguard: press the red button by the pool"
idle_timeout_seconds = 15
kiosk = true
staff_pin = "2468"
"""


def _seizure_tile() -> tuple[str, str]:
    """The seizure tile's text ("2 Seizure") and the card's title, from the bundled deck."""
    from kiosk.deck import bundled_cards_dir, load_deck

    deck = load_deck(bundled_cards_dir()).deck
    number = [card.id for card in deck.cards_for("en")].index("seizure") + 1
    card = deck.card("seizure", "en")
    assert card is not None
    return f"{number} {card.label}", card.title


HOME_TEXT, SEIZURE_TITLE = _seizure_tile()


def load_hostile_inputs():
    path = REPO_ROOT / "benchmarks" / "hostile_inputs.py"
    spec = importlib.util.spec_from_file_location("kiosk_hostile_inputs", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOSTILE = load_hostile_inputs()


def process_state(pid: int) -> str:
    """The process's state letter (R, S, T ...), or "gone"."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "gone"
    return stat.rsplit(")", 1)[1].split()[0]


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


class Kiosk:
    """``kiosk --kiosk`` in a tmux pane, started from the pane's shell."""

    def __init__(self, pane, tmp_path: Path) -> None:
        self.pane = pane
        self.site = tmp_path / "site.toml"
        self.site.write_text(SITE, encoding="utf-8")
        self.logs = tmp_path / "logs"
        self.pid = 0

    def start(self, wrapper: str = "", redirect: str = "", env: dict | None = None) -> None:
        self.pane.start({"KIOSK_LOG_DIR": str(self.logs), **(env or {})})
        command = f"{PYTHON} -m kiosk run --kiosk --site {shlex.quote(str(self.site))}"
        if wrapper:
            command = wrapper.format(command=command, site=shlex.quote(str(self.site)))
        repo = shlex.quote(str(REPO_ROOT))
        self.pane.type(f"cd {repo} && {command}{redirect}; echo KIOSK-EXIT:$?")

    def wait_home(self, timeout: float = 30.0) -> None:
        self.pane.wait_for(lambda: HOME_TEXT in self.pane.capture(), "the home screen", timeout)
        pid = self.pane.foreground_child()
        assert pid is not None
        self.pid = pid

    def send(self, data: bytes) -> None:
        """Raw bytes to the kiosk's terminal, exactly as given."""
        for start in range(0, len(data), 2000):
            chunk = data[start : start + 2000]
            self.pane.tmux("send-keys", "-t", "t", "-H", *(f"{byte:02x}" for byte in chunk))

    def tap_at(self, x: int, y: int) -> None:
        self.send(f"\x1b[<0;{x};{y}M\x1b[<0;{x};{y}m".encode())

    def assert_alive(self) -> None:
        state = process_state(self.pid)
        assert state not in ("gone", "T", "t", "Z"), f"kiosk state {state}"
        screen = self.pane.capture()
        assert "Traceback" not in screen and "KIOSK-EXIT" not in screen, screen
        assert self.pane.flag("alternate_on") == "1", "the kiosk left its screen"
        log = self.logs / "kiosk.log"
        if log.is_file():
            text = log.read_text(encoding="utf-8", errors="replace")
            assert "starting it again" not in text, "the app crashed and was restarted"

    def until_shown(self, action, text: str, what: str, attempts: int = 4) -> None:
        """Do ``action`` until ``text`` shows. Input that comes while the kiosk is still
        busy with an attack's inputs is dropped by design (a visitor presses again)."""
        for _ in range(attempts):
            action()
            deadline = time.monotonic() + 4.0
            while time.monotonic() < deadline:
                if text in self.pane.capture():
                    return
                time.sleep(0.1)
        raise AssertionError(f"{what}: {text!r} never showed; screen:\n{self.pane.capture()}")

    def keys(self, *keys: str) -> None:
        self.pane.tmux("send-keys", "-t", "t", *keys)

    def check(self, what: str) -> None:
        """The health check after a batch of hostile input."""
        time.sleep(1.2)  # open sequences and pastes time out, the input budget refills
        self.assert_alive()
        # Escape goes home; Home scrolls back to the first row (injected wheel events
        # may have scrolled the home screen, which a mouse can do too).
        self.until_shown(lambda: self.keys("Escape", "Home"), HOME_TEXT, f"home after {what}")
        screen = self.pane.capture()
        assert "999" in screen, f"no emergency number after {what}:\n{screen}"
        time.sleep(0.3)
        self.until_shown(lambda: self.pane.tap(HOME_TEXT), SEIZURE_TITLE, f"tap after {what}")
        assert "999" in self.pane.capture()
        self.until_shown(lambda: self.keys("Escape"), HOME_TEXT, f"home again ({what})")
        self.assert_alive()


@pytest.fixture
def kiosk(tmux_pane, tmp_path) -> Kiosk:
    return Kiosk(tmux_pane, tmp_path)


def test_red_team_reproductions_and_seeded_variants(kiosk: Kiosk) -> None:
    """A1, A4, A5 byte for byte, then batches of every generated class with taps mixed in."""
    kiosk.start()
    kiosk.wait_home()
    pid = kiosk.pid
    for data in HOSTILE.REPRODUCTIONS.values():
        kiosk.send(data)
    kiosk.check("the A1 and A5 reproductions")
    # A4: an unterminated paste start, then a tap on tile 1.
    kiosk.send(b"\x1b[200~")
    time.sleep(0.2)
    kiosk.pane.tap(HOME_TEXT)
    kiosk.pane.wait_for(lambda: SEIZURE_TITLE in kiosk.pane.capture(), "A4: the seizure card")
    assert "Night-time" not in kiosk.pane.capture()
    kiosk.check("A4")
    rng = random.Random(SEED)
    sent = 0
    for batch in range(BATCHES):
        data = b""
        for _ in range(25):
            data += HOSTILE.hostile(rng)[1]
            if rng.random() < 0.3:
                data += f"\x1b[<0;{rng.randrange(1, 80)};{rng.randrange(1, 24)}M".encode()
                data += f"\x1b[<0;{rng.randrange(1, 80)};{rng.randrange(1, 24)}m".encode()
            sent += 1
        kiosk.send(data)
        kiosk.check(f"batch {batch} (seed {SEED})")
    assert kiosk.pid == pid == kiosk.pane.foreground_child(), "the kiosk restarted"
    assert sent == 25 * BATCHES


def test_crash_sequences_then_ctrl_z_and_ctrl_c_do_nothing(kiosk: Kiosk) -> None:
    """A2, A3: from a shell, a crash then Ctrl+Z stopped the kiosk for good (state T) and
    Ctrl+C gave the visitor the shell."""
    kiosk.start()
    kiosk.wait_home()
    for data in HOSTILE.REPRODUCTIONS.values():
        kiosk.send(data)
        for key in ("C-z", "C-c", "C-\\"):
            kiosk.pane.tmux("send-keys", "-t", "t", key)
        time.sleep(0.1)
    for _ in range(10):
        kiosk.pane.tmux("send-keys", "-t", "t", "C-z")
        kiosk.pane.tmux("send-keys", "-t", "t", "C-c")
        time.sleep(0.1)
    kiosk.check("Ctrl+Z and Ctrl+C")
    assert "READY$" not in kiosk.pane.capture()


def test_ctrl_c_from_the_first_instant_of_start_up(kiosk: Kiosk) -> None:
    """A11: Ctrl+C during the first second printed a KeyboardInterrupt traceback and ended
    the kiosk. Started the way the deploy units start it (deploy/kiosk-run.sh)."""
    run = REPO_ROOT / "deploy" / "kiosk-run.sh"
    venv = shlex.quote(sys.prefix)
    kiosk.start(
        wrapper=f"KIOSK_VENV={venv} sh {shlex.quote(str(run))} --kiosk --site {{site}}",
    )
    # From the moment the shell has started it (earlier, Ctrl+C only clears the shell's line).
    kiosk.pane.wait_for(lambda: kiosk.pane.foreground_child() is not None, "the kiosk process")
    deadline = time.monotonic() + 2.0
    while time.monotonic() < deadline:
        kiosk.pane.tmux("send-keys", "-t", "t", "C-c")
        time.sleep(0.03)
    kiosk.wait_home()
    kiosk.check("Ctrl+C during start-up")
    assert "KeyboardInterrupt" not in kiosk.pane.capture()


def test_typed_flood_does_not_wedge_the_kiosk(kiosk: Kiosk, tmp_path: Path) -> None:
    """A7: 200 KB of typed keys wedged the kiosk for 16 minutes and grew it by 480 MB."""
    kiosk.start()
    kiosk.wait_home()
    before = rss_kib(kiosk.pid)
    rng = random.Random(SEED)
    flood = tmp_path / "flood.txt"
    flood.write_text("".join(rng.choice("abcdefghij0123456789 /+-") for _ in range(200_000)))
    kiosk.pane.tmux("load-buffer", "-b", "flood", str(flood))
    kiosk.pane.tmux("paste-buffer", "-b", "flood", "-t", "t")  # no -p: typed, not a paste
    started = time.monotonic()
    kiosk.pane.wait_for(lambda: "READY" not in kiosk.pane.capture(), "the flood", 5)
    time.sleep(2.0)
    kiosk.check("a 200 KB flood")
    recovered = time.monotonic() - started
    assert recovered < 60, f"took {recovered:.0f} s to answer again"
    assert rss_kib(kiosk.pid) - before < 50_000, "memory grew by more than 50 MB"


def test_stderr_to_a_file_still_draws_on_the_terminal(kiosk: Kiosk, tmp_path: Path) -> None:
    """D1: with ``2>file`` the terminal stayed blank and the file got every frame."""
    errors = tmp_path / "stderr.txt"
    kiosk.start(redirect=f" 2>{shlex.quote(str(errors))}")
    kiosk.wait_home()
    kiosk.check("stderr to a file")
    assert "Emergency" not in errors.read_text(encoding="utf-8", errors="replace")


def test_a_fifo_as_the_log_file_does_not_hang_the_start(kiosk: Kiosk) -> None:
    """D3: a FIFO named kiosk.log left a blank screen for ever."""
    kiosk.logs.mkdir()
    os.mkfifo(kiosk.logs / "kiosk.log")
    kiosk.start()
    kiosk.wait_home()
    kiosk.check("a FIFO log")
