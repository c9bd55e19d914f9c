"""Shared helpers for the deck-update tests: decks to install, keys, the CLI."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.deck import bundled_cards_dir

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def no_default_site(monkeypatch: pytest.MonkeyPatch) -> None:
    """Never read a real /etc/kiosk/site.toml: an empty KIOSK_SITE means no site file."""
    monkeypatch.setenv("KIOSK_SITE", "")
    monkeypatch.delenv("KIOSK_DECK_FAILPOINT", raising=False)


def make_deck(path: Path, seizure_title: str = "") -> Path:
    """A copy of the bundled deck at ``path``; ``seizure_title`` retitles one card."""
    shutil.copytree(
        bundled_cards_dir(), path, ignore=shutil.ignore_patterns("__init__.py", "__pycache__")
    )
    if seizure_title:
        card = path / "en" / "seizure.toml"
        lines = card.read_text(encoding="utf-8").splitlines()
        lines = [f'title = "{seizure_title}"' if ln.startswith("title =") else ln for ln in lines]
        card.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def seizure_title(deck: Path) -> str:
    from kiosk.deck import load_deck

    card = load_deck(deck).deck.card("seizure", "en")
    assert card is not None
    return card.title


def kiosk(*args: str, env: dict[str, str] | None = None, timeout: float = 120):
    """``kiosk ARGS`` in a subprocess (no site file unless given)."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("KIOSK_")}
    full_env["KIOSK_SITE"] = ""
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "kiosk", *args],
        capture_output=True,
        text=True,
        env=full_env,
        timeout=timeout,
        cwd=REPO_ROOT,
    )


@dataclass
class KeyPair:
    public: Path
    secret: Path
    public_text: str
    key_id_hex: str


def make_keys(folder: Path, name: str = "deck") -> KeyPair:
    """A minisign key pair (unencrypted secret key, like ``minisign -G -W``)."""
    from nacl.signing import SigningKey

    folder.mkdir(parents=True, exist_ok=True)
    signer = SigningKey.generate()
    key_id = os.urandom(8)
    public = bytes(signer.verify_key)
    secret = bytes(signer) + public
    checksum = hashlib.blake2b(b"Ed" + key_id + secret, digest_size=32).digest()
    raw = b"Ed" + b"\0\0" + b"B2" + bytes(32) + bytes(16) + key_id + secret + checksum
    key_id_hex = key_id[::-1].hex().upper()
    public_line = base64.b64encode(b"Ed" + key_id + public).decode()
    pub = folder / f"{name}.pub"
    pub.write_text(f"untrusted comment: minisign public key {key_id_hex}\n{public_line}\n")
    sec = folder / f"{name}.key"
    sec.write_text(
        f"untrusted comment: minisign encrypted secret key\n{base64.b64encode(raw).decode()}\n"
    )
    return KeyPair(pub, sec, public_line, key_id_hex)


def write_site(path: Path, **settings: object) -> Path:
    """A site file with these settings (strings quoted as TOML basic strings)."""
    lines = [
        f"{key} = {json.dumps(value) if isinstance(value, str) else value}"
        for key, value in settings.items()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
