"""The process guard (kiosk/process_guard.py): keyboard signals do nothing to a kiosk.

Each test runs in its own Python process, since the guard changes process-wide state.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

pytestmark = pytest.mark.data


def run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )


def test_kiosk_run_ignores_keyboard_signals_before_textual_is_imported() -> None:
    """A11: the guard is the first thing ``kiosk run`` does, before Textual is imported."""
    result = run(
        """
        import os, signal, sys
        import kiosk.run
        seen = {}
        def fake_run(args):
            seen["textual_before"] = "textual" in sys.modules
            for signum in (signal.SIGINT, signal.SIGQUIT, signal.SIGTSTP):
                os.kill(os.getpid(), signum)
            return 0
        from kiosk import cli, process_guard
        real_hold = process_guard.hold_visitor_signals
        def hold():
            seen["textual_at_hold"] = "textual.app" in sys.modules and "kiosk.app" not in seen
            real_hold()
        process_guard.hold_visitor_signals = hold
        kiosk.run.run_from_args = fake_run
        print(cli.main(["--kiosk"]), "ALIVE")
        """
    )
    assert result.returncode == 0, result.stderr
    assert "0 ALIVE" in result.stdout
    assert "KeyboardInterrupt" not in result.stderr


def test_kiosk_mode_from_the_site_file_keeps_them_ignored_and_plain_mode_gives_them_back(
    tmp_path,
) -> None:
    site = tmp_path / "site.toml"
    site.write_text("kiosk = true\n", encoding="utf-8")
    result = run(
        f"""
        import signal
        from kiosk import process_guard
        process_guard.hold_visitor_signals()
        process_guard.settle(kiosk=False)
        plain = signal.getsignal(signal.SIGINT) is signal.default_int_handler
        process_guard.hold_visitor_signals()
        from kiosk.site import load_site
        process_guard.settle(kiosk=load_site({str(site)!r}).site.kiosk)
        process_guard.settle(kiosk=False)  # kiosk mode is for the life of the process
        kiosk = all(signal.getsignal(s) is signal.SIG_IGN for s in process_guard.VISITOR_SIGNALS)
        print(plain, kiosk, process_guard.active())
        """
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


def test_textual_driver_handlers_are_undone_in_kiosk_mode() -> None:
    """A2: Textual's LinuxDriver installs a SIGTSTP handler that sends SIGSTOP; a Ctrl+Z
    in a restart gap stopped the kiosk for good. The hardened driver undoes it at once."""
    result = run(
        """
        import asyncio, signal
        from kiosk import process_guard
        process_guard.hold_visitor_signals()
        process_guard.settle(kiosk=True)
        from textual.drivers.linux_driver import LinuxDriver
        from kiosk.compat.textual_input import HardenedLinuxDriver

        class App:
            pass

        async def main():
            HardenedLinuxDriver(App())
            hardened = signal.getsignal(signal.SIGTSTP), signal.getsignal(signal.SIGCONT)
            LinuxDriver(App())
            plain = signal.getsignal(signal.SIGTSTP)
            print(hardened[0] is signal.SIG_IGN, hardened[1] is signal.SIG_DFL, callable(plain))

        asyncio.run(main())
        """
    )
    assert result.stdout.split() == ["True", "True", "True"], result.stderr


def test_a_crash_report_goes_to_the_log_not_the_terminal(tmp_path) -> None:
    """A1: Textual's crash report (its traceback) was printed on the visitor's screen."""
    run(
        f"""
        import logging, sys, threading
        from kiosk import logs, process_guard
        from kiosk.site import Site
        process_guard.hold_visitor_signals()
        process_guard.settle(kiosk=True)
        logs.setup_logging(Site(log_dir={str(tmp_path)!r}))
        from rich.console import Console
        Console(stderr=True).print("Traceback (most recent call last): from Textual's panic")
        threading.Thread(target=lambda: 1 / 0).start()
        raise RuntimeError("uncaught at the top")
        """
    )
    # stderr here is a pipe (like the journal), so the text is passed on as well as logged;
    # on a terminal it is only logged (next test).
    text = (tmp_path / "kiosk.log").read_text(encoding="utf-8")
    assert "from Textual's panic" in text
    assert "ZeroDivisionError" in text
    assert "uncaught at the top" in text


@pytest.mark.expected_errors
def test_on_a_terminal_stderr_text_is_only_logged() -> None:
    from kiosk.process_guard import StderrToLog

    class Terminal:
        written: list[str] = []

        def write(self, text: str) -> None:
            self.written.append(text)

    stream = StderrToLog(passthrough=None)
    stream.write("--- Logging error ---\n")
    assert Terminal.written == []
    assert not stream.isatty()
