"""Bundles: build, install, and every bad input refused with its reason, nothing lost."""

from __future__ import annotations

import io
import json
import os
import tarfile
import time
from pathlib import Path

import pytest

from kiosk.cli import main
from kiosk.deck import bundle as bundles
from tests.deckops.conftest import make_deck, seizure_title

pytestmark = [pytest.mark.data]


def deck_files(tmp_path: Path) -> int:
    """How many files the bundled deck has (it grows as cards are added)."""
    return sum(1 for p in make_deck(tmp_path / "count").rglob("*") if p.is_file())


def build(tmp_path: Path, title: str = "Seizure v2", name: str = "deck.kdeck") -> Path:
    out = tmp_path / name
    assert (
        main(["deck", "build", str(make_deck(tmp_path / f"src-{name}", title)), "--out", str(out)])
        == 0
    )
    return out


def install(bundle: Path, decks: Path, capsys: pytest.CaptureFixture[str], *extra: str):
    status = main(["deck", "install", str(bundle), "--decks", str(decks), *extra])
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def members(bundle: Path) -> list[tuple[tarfile.TarInfo, bytes]]:
    with tarfile.open(bundle) as tar:
        return [(m, tar.extractfile(m).read() if m.isreg() else b"") for m in tar.getmembers()]


def rewrite(
    bundle: Path,
    out: Path,
    change=None,
    extra: list[tuple[tarfile.TarInfo, bytes]] = (),
    fmt: int = tarfile.USTAR_FORMAT,
) -> Path:
    """A copy of ``bundle`` with members changed by ``change(info, data) -> (info, data)|None``."""
    with tarfile.open(out, "w", format=fmt) as tar:
        for info, data in members(bundle) + list(extra):
            if change is not None:
                changed = change(info, data)
                if changed is None:
                    continue
                info, data = changed
            info.size = len(data) if info.isreg() else 0
            tar.addfile(info, io.BytesIO(data) if info.isreg() else None)
    return out


def manifest_with(bundle: Path, path: str, data: bytes) -> bytes:
    """The bundle's manifest with one more file listed."""
    manifest = json.loads(dict((i.name, d) for i, d in members(bundle))[bundles.MANIFEST_NAME])
    import hashlib

    manifest["files"].append(
        {"path": path, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    )
    return json.dumps(manifest).encode()


def test_build_then_install_a_bundle(tmp_path, capsys) -> None:
    bundle = build(tmp_path)
    names = [info.name for info, _ in members(bundle)]
    assert (
        names[0] == bundles.MANIFEST_NAME
        and "deck/deck.toml" in names
        and "deck/en/seizure.toml" in names
    )
    manifest = json.loads(members(bundle)[0][1])
    assert manifest["format_version"] == 1 and len(manifest["files"]) == deck_files(tmp_path)
    status, out = install(bundle, tmp_path / "decks", capsys)
    assert status == 0, out
    assert seizure_title(tmp_path / "decks" / "current") == "Seizure v2"


def test_a_bundle_built_before_the_live_one_needs_allow_older(tmp_path, capsys) -> None:
    old = build(tmp_path, "Old", "old.kdeck")
    time.sleep(1.1)
    new = build(tmp_path, "New", "new.kdeck")
    decks = tmp_path / "decks"
    assert install(new, decks, capsys)[0] == 0
    status, out = install(old, decks, capsys)
    assert status == 1 and "before the live deck's bundle" in out
    assert install(old, decks, capsys, "--allow-older")[0] == 0
    assert seizure_title(decks / "current") == "Old"


def tar_member(name: str, kind: bytes = tarfile.REGTYPE, data: bytes = b"x", link: str = ""):
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = link
    return info, data


BAD_MEMBERS = {
    "dot-dot": (tar_member("deck/../evil.toml"), "'..' in the path"),
    "absolute": (tar_member("/etc/evil.toml"), "absolute path"),
    "symlink": (
        tar_member("deck/en/link.toml", tarfile.SYMTYPE, link="/etc/passwd"),
        "a symbolic link",
    ),
    "hard link": (
        tar_member("deck/en/hard.toml", tarfile.LNKTYPE, link="deck/deck.toml"),
        "a hard link",
    ),
    "device": (tar_member("deck/en/dev.toml", tarfile.CHRTYPE), "a character device"),
    "block device": (tar_member("deck/en/blk.toml", tarfile.BLKTYPE), "a block device"),
    "fifo": (tar_member("deck/en/fifo.toml", tarfile.FIFOTYPE), "a FIFO"),
    "not in manifest": (tar_member("deck/en/extra.toml"), "not in the manifest"),
    "outside deck/": (tar_member("README.txt"), "not in the manifest"),
    "hidden": (tar_member("deck/en/.kiosk-deck.json"), "hidden name"),
    "backslash": (tar_member("deck/en\\x.toml"), "backslash"),
}


@pytest.mark.parametrize("case", sorted(BAD_MEMBERS))
def test_bad_members_are_refused_and_nothing_is_installed(tmp_path, capsys, case: str) -> None:
    (info, data), reason = BAD_MEMBERS[case]
    bad = rewrite(build(tmp_path), tmp_path / "bad.kdeck", extra=[(info, data)])
    decks = tmp_path / "decks"
    status, out = install(bad, decks, capsys)
    assert status == 1, out
    assert reason in out and str(bad) in out
    assert not (decks / "current").exists()
    assert sorted(os.listdir(decks)) == [".lock"]  # no staging folder left behind


def test_a_member_listed_in_the_manifest_still_must_not_escape(tmp_path, capsys) -> None:
    good = build(tmp_path)
    manifest = manifest_with(good, "../evil.toml", b"x")
    bad = rewrite(
        good,
        tmp_path / "bad.kdeck",
        change=lambda i, d: (i, manifest) if i.name == bundles.MANIFEST_NAME else (i, d),
    )
    status, out = install(bad, tmp_path / "decks", capsys)
    n = deck_files(tmp_path)
    assert status == 1 and f"files[{n}].path '../evil.toml': '..' in the path" in out


def test_a_changed_file_is_refused_by_its_sha256(tmp_path, capsys) -> None:
    def tamper(info, data):
        if info.name == "deck/en/seizure.toml":
            data = data.replace(b"Seizure", b"Seizur3")  # same size, other bytes
        return info, data

    bad = rewrite(build(tmp_path), tmp_path / "bad.kdeck", change=tamper)
    status, out = install(bad, tmp_path / "decks", capsys)
    assert status == 1 and "'deck/en/seizure.toml'" in out and "SHA-256 differs" in out


def test_a_size_that_differs_from_the_manifest_is_refused(tmp_path, capsys) -> None:
    def grow(info, data):
        return (info, data + b"\n# more\n") if info.name == "deck/en/seizure.toml" else (info, data)

    bad = rewrite(build(tmp_path), tmp_path / "bad.kdeck", change=grow)
    status, out = install(bad, tmp_path / "decks", capsys)
    assert status == 1 and "but the manifest says" in out


def test_a_file_missing_from_the_bundle_is_refused(tmp_path, capsys) -> None:
    bad = rewrite(
        build(tmp_path),
        tmp_path / "bad.kdeck",
        change=lambda i, d: None if i.name == "deck/uk/seizure.toml" else (i, d),
    )
    status, out = install(bad, tmp_path / "decks", capsys)
    assert status == 1 and "'uk/seizure.toml' is in the manifest but not in the bundle" in out


def test_a_member_twice_is_refused(tmp_path, capsys) -> None:
    good = build(tmp_path)
    again = [(i, d) for i, d in members(good) if i.name == "deck/deck.toml"]
    bad = rewrite(good, tmp_path / "bad.kdeck", extra=again)
    status, out = install(bad, tmp_path / "decks", capsys)
    assert status == 1 and "appears twice" in out


@pytest.mark.parametrize(
    ("field", "value", "reason"),
    [
        ("format_version", 2, "format_version 2 is not 1"),
        ("format", "zip", "format must be"),
        ("deck_version", "x\u001b[31m", "deck_version must be"),
        ("created", "yesterday", "created must be a UTC time"),
        ("surprise", 1, "unknown field 'surprise'"),
        ("files", [], "files must be a non-empty list"),
    ],
)
def test_a_bad_manifest_field_is_named(tmp_path, capsys, field: str, value, reason: str) -> None:
    def edit(info, data):
        if info.name == bundles.MANIFEST_NAME:
            manifest = json.loads(data)
            manifest[field] = value
            data = json.dumps(manifest).encode()
        return info, data

    bad = rewrite(build(tmp_path), tmp_path / "bad.kdeck", change=edit)
    status, out = install(bad, tmp_path / "decks", capsys)
    assert status == 1 and reason in out and bundles.MANIFEST_NAME in out


def test_a_pax_header_is_refused_before_tarfile_reads_it(tmp_path, capsys) -> None:
    good = build(tmp_path)
    bad = rewrite(
        good,
        tmp_path / "bad.kdeck",
        change=lambda i, d: setattr(i, "pax_headers", {"comment": "x" * 10}) or (i, d),
        fmt=tarfile.PAX_FORMAT,
    )
    status, out = install(bad, tmp_path / "decks", capsys)
    assert status == 1 and "pax extended header" in out


def test_a_2_gb_bundle_is_refused_at_once_without_reading_it(tmp_path, capsys) -> None:
    huge = tmp_path / "huge.kdeck"
    with open(huge, "wb") as handle:
        handle.truncate(2 * 1024**3)  # sparse: 2 GB long, nothing on disk
    started = time.monotonic()
    status, out = install(huge, tmp_path / "decks", capsys)
    assert status == 1 and "larger than the 128 MiB a bundle may be" in out
    assert time.monotonic() - started < 5


def test_an_oversized_member_is_refused(tmp_path, capsys) -> None:
    big = b"# " + b"x" * (bundles.MAX_FILE_BYTES + 10) + b"\n"
    good = build(tmp_path)
    manifest = manifest_with(good, "en/big.toml", big)
    extra = [tar_member("deck/en/big.toml", data=big)]
    bad = rewrite(
        good,
        tmp_path / "bad.kdeck",
        change=lambda i, d: (i, manifest) if i.name == bundles.MANIFEST_NAME else (i, d),
        extra=extra,
    )
    status, out = install(bad, tmp_path / "decks", capsys)
    n = deck_files(tmp_path)
    assert status == 1 and f"files[{n}].size must be a whole number from 0 to 1048576" in out
    source = make_deck(tmp_path / "big-src")
    (source / "en" / "seizure.toml").write_bytes(big)
    assert main(["deck", "build", str(source), "--out", str(tmp_path / "b.kdeck")]) == 1
    assert "E019" in capsys.readouterr().out  # the deck check refuses it first


@pytest.mark.parametrize("content", [b"", b"not a tar at all" * 100, b"\0" * 4096])
def test_something_that_is_not_a_bundle_is_refused(tmp_path, capsys, content: bytes) -> None:
    bad = tmp_path / "bad.kdeck"
    bad.write_bytes(content)
    status, out = install(bad, tmp_path / "decks", capsys)
    assert status == 1 and ("not a bundle" in out or "first member" in out)


def test_a_truncated_bundle_is_refused(tmp_path, capsys) -> None:
    good = build(tmp_path)
    bad = tmp_path / "bad.kdeck"
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    status, out = install(bad, tmp_path / "decks", capsys)
    assert status == 1 and "truncated" in out


def test_build_refuses_a_deck_with_errors_and_a_bundle_inside_the_deck(tmp_path, capsys) -> None:
    source = make_deck(tmp_path / "src")
    assert main(["deck", "build", str(source), "--out", str(source / "x.kdeck")]) == 1
    assert "outside the deck folder" in capsys.readouterr().err
    (source / "en" / "seizure.toml").write_text("id = ", encoding="utf-8")
    assert main(["deck", "build", str(source), "--out", str(tmp_path / "x.kdeck")]) == 1
    out = capsys.readouterr()
    assert "seizure.toml:1: E001" in out.out and "no bundle written" in out.err
    assert not (tmp_path / "x.kdeck").exists()
