"""Seeded generators of hostile terminal input, one class of attack each.

Used by the hostile-input tests (``tests/hostile/``), the hostile soak
(``benchmarks/hostile_soak.py``) and the soak's ``hostile`` inputs (``benchmarks/soak.py``).
Each generator returns bytes as a terminal, a HID injector or the browser could send
them. The classes follow the red-team report (``docs/hardening.md``).
"""

from __future__ import annotations

import random
from collections.abc import Callable

ESC = b"\x1b"
#: Numbers that overflow, or fall just outside what Textual's ``chr()`` takes.
HUGE_NUMBERS = (
    "1114112",
    "5555555",
    "99999999",
    "99999999999999999999",
    "9" * 40,
    "0",
    "55296",
    "1114111",
    "",
)


def _number(rng: random.Random) -> str:
    if rng.random() < 0.6:
        return rng.choice(HUGE_NUMBERS)
    return str(rng.randrange(0, 100000))


def huge_csi(rng: random.Random) -> bytes:
    """Huge parameters on a random CSI final byte (every final from @ to ~)."""
    final = chr(rng.randrange(0x40, 0x7F))
    params = ";".join(_number(rng) for _ in range(rng.randrange(1, 5)))
    if rng.random() < 0.2:
        params = rng.choice("<=>?") + params
    return ESC + b"[" + params.encode() + final.encode()


def kitty_key(rng: random.Random) -> bytes:
    """kitty CSI-u and modifyOtherKeys forms with out-of-range code points and colons."""
    code = _number(rng)
    if rng.random() < 0.3:
        code += ":" + _number(rng)
    fields = [code]
    if rng.random() < 0.7:
        fields.append(rng.choice(["", "5", "5:1", _number(rng)]))
    if rng.random() < 0.5:
        fields.append(":".join(_number(rng) for _ in range(rng.randrange(1, 4))))
    final = rng.choice("u~ABCDEFHPQRS")
    if final == "~" and rng.random() < 0.5:
        fields = ["27", rng.choice(["5", "2"]), _number(rng)]
    return ESC + b"[" + ";".join(fields).encode() + final.encode()


def in_band_resize(rng: random.Random) -> bytes:
    """In-band window-size reports, from zero to absurd."""
    values = [rng.choice(["0", "1", "6", "12", "24", "80", "480", "640", "1000", "3000", "99999"])]
    values += [rng.choice(["0", "1", "12", "80", "640", "1000", "3000"]) for _ in range(3)]
    return ESC + b"[48;" + ";".join(values).encode() + b"t"


def bad_mouse(rng: random.Random) -> bytes:
    """SGR, X10 and urxvt mouse reports with odd buttons and coordinates."""
    kind = rng.random()
    if kind < 0.6:
        button = rng.choice(["0", "3", "32", "64", "99999", "99999999999999999999"])
        x = rng.choice(["0", "-5", "1", "10", "99999", "99999999999999999999"])
        y = rng.choice(["0", "-5", "1", "8", "99999"])
        return ESC + f"[<{button};{x};{y}{rng.choice('Mm')}".encode()
    if kind < 0.8:
        return ESC + b"[M" + bytes(rng.randrange(32, 256) for _ in range(3))
    urxvt = f"[{rng.randrange(0, 300)};{rng.randrange(0, 300)};{rng.randrange(0, 99)}M"
    return ESC + urxvt.encode()


def control_string(rng: random.Random) -> bytes:
    """OSC, DCS, APC, PM and SOS strings, terminated or not, with digits inside."""
    introducer = rng.choice([b"]", b"P", b"_", b"^", b"X"])
    body = bytes(rng.choice(b"0123456789;abc?+=/") for _ in range(rng.randrange(0, 200)))
    terminator = rng.choice([b"\x07", ESC + b"\\", b"", b"\x9c"])
    return ESC + introducer + body + terminator


def unterminated(rng: random.Random) -> bytes:
    """A sequence that never ends: its digits must not become key presses."""
    return rng.choice(
        [
            ESC + b"[" + ("9" * rng.randrange(1, 80)).encode(),
            ESC + b"[<0;10;",
            ESC + b"O",
            ESC + b"[?2048;",
            ESC + b"[48;24;80",
            ESC + b"]52;c;" + b"1" * rng.randrange(0, 50),
            ESC + b"P" + b"8" * rng.randrange(0, 50),
        ]
    )


def paste(rng: random.Random) -> bytes:
    """Bracketed pastes: long, with escapes and markup inside, or never closed."""
    alphabet = "abc 123 [@click=app.quit] \n\t/+-"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 600)))
    body = text.encode()
    if rng.random() < 0.3:
        body += ESC + b"[<0;10;8M"
    end = ESC + b"[201~" if rng.random() < 0.5 else b""
    return ESC + b"[200~" + body + end


def forged_report(rng: random.Random) -> bytes:
    """DECRPM, DA and cursor-position replies nobody asked for."""
    return rng.choice(
        [
            ESC + f"[?{rng.choice(['2048', '2026', '99999999'])};{rng.randrange(10)}$y".encode(),
            ESC + b"[?62;c",
            ESC + b"[>0;276;0c",
            ESC + f"[{_number(rng)};{_number(rng)}R".encode(),
            ESC + b"[I",
            ESC + b"[O",
        ]
    )


def random_bytes(rng: random.Random) -> bytes:
    """Raw bytes: invalid UTF-8, C1 controls, lone ESCs, NUL."""
    return bytes(
        rng.choice([0x1B, 0x9B, 0x90, 0x9D, 0xFF, 0xC0, 0x00, 0x5B, 0x3B, 0x37, 0x7E])
        for _ in range(rng.randrange(1, 24))
    )


#: Every class, by name.
GENERATORS: dict[str, Callable[[random.Random], bytes]] = {
    "huge_csi": huge_csi,
    "kitty_key": kitty_key,
    "in_band_resize": in_band_resize,
    "bad_mouse": bad_mouse,
    "control_string": control_string,
    "unterminated": unterminated,
    "paste": paste,
    "forged_report": forged_report,
    "random_bytes": random_bytes,
}

#: The red team's reproductions (docs/hardening.md), byte for byte.
REPRODUCTIONS: dict[str, bytes] = {
    "A1 chr() out of range (~)": b"\x1b[5555555~",
    "A1 kitty code point > 0x10FFFF": b"\x1b[1114112u",
    "A1 kitty with modifiers": b"\x1b[99999999;5u",
    "A1 modifyOtherKeys": b"\x1b[27;5;99999999~",
    "A1 cursor key": b"\x1b[1114112A",
    "A1 overflow": b"\x1b[99999999999999999999A",
    "A1 in-band 0 px then tap": b"\x1b[48;6;12;0;0t\x1b[<0;10;8M\x1b[<0;10;8m",
    "A5 in-band 1000x1000": b"\x1b[48;1000;1000;1000;1000t",
    "A5 in-band pixels": b"\x1b[48;24;80;480;640t",
    "A5 in-band 12x6": b"\x1b[48;6;12;0;0t",
}


def hostile(rng: random.Random) -> tuple[str, bytes]:
    """One hostile input from a random class: (class name, bytes)."""
    name = rng.choice(list(GENERATORS))
    return name, GENERATORS[name](rng)
