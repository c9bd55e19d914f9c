"""Signed bundles: with deck_public_key set, only a bundle signed with that key installs.

Keys and signatures are minisign's; where the minisign command is installed
(.ci/apt-packages.txt) the tests check that both ways interoperate.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.deck.signature import public_key_problem
from kiosk.site import load_site
from tests.deckops.conftest import make_deck, make_keys, seizure_title, write_site

pytestmark = [pytest.mark.data]

needs_minisign = pytest.mark.skipif(
    shutil.which("minisign") is None, reason="minisign not installed (.ci/apt-packages.txt)"
)


def signed_bundle(tmp_path: Path, keys, title: str = "Signed") -> Path:
    out = tmp_path / "deck.kdeck"
    source = make_deck(tmp_path / "src", title)
    assert main(["deck", "build", str(source), "--out", str(out), "--sign", str(keys.secret)]) == 0
    return out


def install(tmp_path: Path, capsys, bundle: Path, key_setting: str, *extra: str):
    site = write_site(
        tmp_path / "site.toml", deck_public_key=key_setting, decks_dir=str(tmp_path / "decks")
    )
    status = main(["deck", "install", str(bundle), "--site", str(site), *extra])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


@pytest.mark.parametrize("as_path", [True, False], ids=["key file", "key text"])
def test_a_signed_bundle_installs(tmp_path, capsys, as_path: bool) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    capsys.readouterr()
    setting = str(keys.public) if as_path else keys.public_text
    status, out = install(tmp_path, capsys, bundle, setting)
    assert status == 0, out
    assert f"signed with key {keys.key_id_hex}" in out
    assert seizure_title(tmp_path / "decks" / "current") == "Signed"


def test_an_unsigned_bundle_is_refused(tmp_path, capsys) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    os.unlink(str(bundle) + ".minisig")
    status, out = install(tmp_path, capsys, bundle, str(keys.public))
    assert status == 1 and "refused: unsigned" in out
    assert not (tmp_path / "decks" / "current").exists()


def test_a_tampered_bundle_is_refused(tmp_path, capsys) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    data = bytearray(bundle.read_bytes())
    at = data.index(b"Signed")
    data[at : at + 6] = b"Evil!!"
    bundle.write_bytes(bytes(data))
    status, out = install(tmp_path, capsys, bundle, str(keys.public))
    assert status == 1 and "the signature does not match" in out


def test_a_tampered_manifest_is_refused(tmp_path, capsys) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    data = bytearray(bundle.read_bytes())
    at = data.index(b'"deck_version": "') + len('"deck_version": "')
    data[at] = ord("X") if data[at] != ord("X") else ord("Y")
    bundle.write_bytes(bytes(data))
    status, out = install(tmp_path, capsys, bundle, str(keys.public))
    assert status == 1 and "the signature does not match" in out


def test_a_bundle_signed_with_another_key_is_refused(tmp_path, capsys) -> None:
    signer = make_keys(tmp_path / "theirs")
    trusted = make_keys(tmp_path / "ours")
    bundle = signed_bundle(tmp_path, signer)
    status, out = install(tmp_path, capsys, bundle, trusted.public_text)
    assert status == 1 and f"signed with another key ({signer.key_id_hex})" in out
    assert trusted.key_id_hex in out


def test_an_edited_trusted_comment_is_refused(tmp_path, capsys) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    signature = Path(str(bundle) + ".minisig")
    lines = signature.read_text().splitlines()
    lines[2] = "trusted comment: deck: something else"
    signature.write_text("\n".join(lines) + "\n")
    status, out = install(tmp_path, capsys, bundle, keys.public_text)
    assert status == 1 and "trusted comment was changed" in out


def test_require_signature_without_a_key_is_off_and_says_so(tmp_path, capsys) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    status, out = install(tmp_path, capsys, bundle, "", "--require-signature")
    assert status == 1 and "USB install" in out and "is off" in out and "deck_public_key" in out


def test_without_a_key_a_bundle_needs_no_signature(tmp_path, capsys) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    os.unlink(str(bundle) + ".minisig")
    assert install(tmp_path, capsys, bundle, "")[0] == 0


def test_site_file_reports_an_unusable_key(tmp_path) -> None:
    assert public_key_problem("") is None
    site = write_site(tmp_path / "site.toml", deck_public_key="/nope/deck.pub")
    problems = load_site(site).problems
    assert [p.code for p in problems] == ["E121"] and "not found" in problems[0].message
    site = write_site(tmp_path / "site.toml", deck_public_key="RWQnotakey")
    assert [p.code for p in load_site(site).problems] == ["E121"]
    site = write_site(tmp_path / "site.toml", deck_public_key="keys/deck.pub")
    assert "not an absolute path" in load_site(site).problems[0].message


def test_a_broken_key_setting_refuses_the_install(tmp_path, capsys) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    os.unlink(str(bundle) + ".minisig")
    status, out = install(tmp_path, capsys, bundle, "/nope/deck.pub")
    assert status == 1 and "E121" in out  # never falls back to "no key: anything goes"


@needs_minisign
def test_minisign_verifies_what_kiosk_signs(tmp_path) -> None:
    keys = make_keys(tmp_path / "keys")
    bundle = signed_bundle(tmp_path, keys)
    check = subprocess.run(
        ["minisign", "-V", "-p", str(keys.public), "-m", str(bundle)],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "deck:" in check.stdout  # the trusted comment names the deck version


@needs_minisign
def test_kiosk_verifies_what_minisign_signs(tmp_path, capsys) -> None:
    keys_dir = tmp_path / "keys"
    keys_dir.mkdir()
    pub, key = keys_dir / "m.pub", keys_dir / "m.key"
    subprocess.run(
        ["minisign", "-G", "-W", "-p", str(pub), "-s", str(key)], check=True, capture_output=True
    )
    bundle = tmp_path / "deck.kdeck"
    assert (
        main(
            ["deck", "build", str(make_deck(tmp_path / "src", "By minisign")), "--out", str(bundle)]
        )
        == 0
    )
    for legacy in ([], ["-l"]):
        subprocess.run(
            ["minisign", "-S", *legacy, "-s", str(key), "-m", str(bundle)],
            check=True,
            capture_output=True,
        )
        capsys.readouterr()
        status, out = install(tmp_path, capsys, bundle, str(pub), "--skip-installed")
        assert status == 0, out


@needs_minisign
@pytest.mark.slow
def test_an_encrypted_minisign_key_signs_with_its_password(tmp_path, monkeypatch, capsys) -> None:
    """minisign's default key (scrypt, 1 GiB): a few seconds to open."""
    import io

    pub, key = tmp_path / "e.pub", tmp_path / "e.key"
    subprocess.run(
        ["minisign", "-G", "-p", str(pub), "-s", str(key)],
        input="pw\npw\n",
        text=True,
        check=True,
        capture_output=True,
    )
    out = tmp_path / "deck.kdeck"
    source = make_deck(tmp_path / "src")
    monkeypatch.setattr("sys.stdin", io.StringIO("wrong\n"))
    assert main(["deck", "build", str(source), "--out", str(out), "--sign", str(key)]) == 1
    assert "wrong password" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("pw\n"))
    assert main(["deck", "build", str(source), "--out", str(out), "--sign", str(key)]) == 0
    check = subprocess.run(["minisign", "-V", "-p", str(pub), "-m", str(out)], capture_output=True)
    assert check.returncode == 0
