"""minisign signatures for deck bundles: read keys and signatures, verify, sign.

Keys and signature files are those of the ``minisign`` command (Ed25519), so an
author may sign with ``minisign -Sm deck.kdeck`` and a kiosk may check with
``minisign -Vm deck.kdeck -p deck.pub``; :func:`sign_file` and :func:`verify_file`
do the same in Python. Only the file formats are parsed here; the cryptography is
PyNaCl's (libsodium, the library minisign itself is built on): Ed25519 signatures,
the scrypt key derivation of encrypted secret keys, and BLAKE2b from ``hashlib``.

The formats (https://jedisct1.github.io/minisign/):

- public key: ``untrusted comment: ...`` then base64 of ``"Ed" || key id (8) || key (32)``;
- signature: ``untrusted comment: ...``, base64 of ``alg || key id (8) || sig (64)``
  where ``alg`` is ``"ED"`` (the Ed25519 signature of the file's BLAKE2b-512 hash, the
  default) or ``"Ed"`` (legacy: of the whole file), then ``trusted comment: TEXT`` and
  base64 of the global signature, Ed25519 of ``sig || TEXT``;
- secret key: base64 of ``"Ed" || kdf ("Sc" scrypt or two zero bytes) || "B2" ||
  salt (32) || opslimit (8) || memlimit (8) || (key id || secret key (64) || checksum
  (32)) xor scrypt(password)``, the checksum being BLAKE2b-256 of ``"Ed" || key id ||
  secret key``.

Nothing here imports PyNaCl until a signature is checked or made, so reading a site
file stays cheap.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SIGNATURE_SUFFIX = ".minisig"
MAX_KEY_FILE_BYTES = 4096
MAX_SIGNATURE_FILE_BYTES = 4096
MAX_LEGACY_SIGNED_BYTES = 64 * 1024 * 1024
"""A legacy (``Ed``) signature needs the whole file in memory; bigger files are refused."""

_UNTRUSTED = "untrusted comment:"
_TRUSTED = "trusted comment: "
_ALG_ED25519 = b"Ed"
_ALG_PREHASHED = b"ED"
_KDF_SCRYPT = b"Sc"
_KDF_NONE = b"\x00\x00"
_CHECKSUM_BLAKE2B = b"B2"
_CHUNK = 1024 * 1024


class SignatureError(Exception):
    """A key or signature that cannot be used; the message says why, for an operator."""


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes
    key: bytes

    @property
    def key_id_hex(self) -> str:
        """The key id as minisign prints it (``minisign public key 18E9C92CA4FFA1AD``)."""
        return key_id_hex(self.key_id)


@dataclass(frozen=True)
class Signature:
    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    seed: bytes

    @property
    def public_key(self) -> PublicKey:
        from nacl.signing import SigningKey

        return PublicKey(self.key_id, bytes(SigningKey(self.seed).verify_key))


def key_id_hex(key_id: bytes) -> str:
    return key_id[::-1].hex().upper()


def _b64(text: str, what: str, length: int) -> bytes:
    try:
        raw = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"{what} is not valid base64") from None
    if len(raw) != length:
        raise SignatureError(f"{what} has {len(raw)} bytes, expected {length}")
    return raw


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def parse_public_key(text: str) -> PublicKey:
    """A public key from a ``.pub`` file's text, or from its base64 line alone."""
    lines = _lines(text)
    if lines and lines[0].startswith(_UNTRUSTED):
        lines = lines[1:]
    if len(lines) != 1:
        raise SignatureError("not a minisign public key (expected one base64 line)")
    raw = _b64(lines[0], "the public key", 42)
    if raw[:2] != _ALG_ED25519:
        raise SignatureError("not a minisign Ed25519 public key")
    return PublicKey(raw[2:10], raw[10:])


def _read_small(path: Path, limit: int, what: str) -> str:
    try:
        with open(path, "rb") as handle:
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise SignatureError(f"{what} {path} not found") from None
    except OSError as error:
        raise SignatureError(f"cannot read {what} {path}: {error.strerror or error}") from None
    if len(data) > limit:
        raise SignatureError(f"{what} {path} is larger than {limit} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise SignatureError(f"{what} {path} is not text") from None


def load_public_key(setting: str) -> PublicKey:
    """The key a site file names in ``deck_public_key``: an absolute path to a minisign
    ``.pub`` file, or the key itself (its base64 line, ``RW...``)."""
    if setting.startswith("/"):
        path = Path(setting)
        text = _read_small(path, MAX_KEY_FILE_BYTES, "public key file")
        try:
            return parse_public_key(text)
        except SignatureError as error:
            raise SignatureError(f"{path}: {error}") from None
    return parse_public_key(setting)


def public_key_problem(setting: str) -> str | None:
    """Why ``deck_public_key = setting`` is unusable, or None when it is fine."""
    if not setting:
        return None
    try:
        load_public_key(setting)
    except SignatureError as error:
        if not setting.startswith("/") and (setting.endswith(".pub") or setting[0] in ".~"):
            return "is not an absolute path: write /etc/kiosk/deck.pub or the key itself (RW...)"
        return str(error)
    return None


def parse_signature(text: str) -> Signature:
    """A minisign signature file's four lines."""
    lines = [line.rstrip("\r") for line in text.split("\n")]
    lines = [line for line in lines if line.strip()]
    if len(lines) != 4 or not lines[0].startswith(_UNTRUSTED):
        raise SignatureError("not a minisign signature file (expected 4 lines)")
    if not lines[2].startswith(_TRUSTED):
        raise SignatureError("not a minisign signature file (no trusted comment line)")
    raw = _b64(lines[1], "the signature", 74)
    if raw[:2] not in (_ALG_ED25519, _ALG_PREHASHED):
        raise SignatureError(f"unknown signature algorithm {raw[:2]!r}")
    global_signature = _b64(lines[3], "the trusted comment signature", 64)
    return Signature(raw[:2], raw[2:10], raw[10:], lines[2][len(_TRUSTED) :], global_signature)


def _blake2b_of(path: Path) -> bytes:
    digest = hashlib.blake2b(digest_size=64)
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.digest()


def _signed_message(path: Path, algorithm: bytes) -> bytes:
    if algorithm == _ALG_PREHASHED:
        return _blake2b_of(path)
    if os.path.getsize(path) > MAX_LEGACY_SIGNED_BYTES:
        raise SignatureError(
            "legacy (non-prehashed) signature on a large file; sign again with a current minisign"
        )
    return Path(path).read_bytes()


def verify_file(path: Path, signature_path: Path, key: PublicKey) -> str:
    """Check ``signature_path`` for ``path`` with ``key``; the trusted comment.

    Raises :class:`SignatureError` naming the reason: no signature, another key,
    a file changed after signing, an edited signature file.
    """
    from nacl.exceptions import BadSignatureError
    from nacl.signing import VerifyKey

    if not os.path.lexists(signature_path):
        raise SignatureError(
            f"unsigned: no signature {signature_path.name} next to it, and the site file's"
            " deck_public_key requires one"
        )
    signature = parse_signature(
        _read_small(signature_path, MAX_SIGNATURE_FILE_BYTES, "signature file")
    )
    if signature.key_id != key.key_id:
        raise SignatureError(
            f"signed with another key ({key_id_hex(signature.key_id)}); the site file trusts"
            f" key {key.key_id_hex}"
        )
    verifier = VerifyKey(key.key)
    try:
        verifier.verify(_signed_message(path, signature.algorithm), signature.signature)
    except BadSignatureError:
        raise SignatureError(
            "the signature does not match: the file was changed after it was signed"
            " (or the signature belongs to another file)"
        ) from None
    try:
        comment = signature.trusted_comment.encode("utf-8")
        verifier.verify(signature.signature + comment, signature.global_signature)
    except BadSignatureError:
        raise SignatureError("the signature file's trusted comment was changed") from None
    return signature.trusted_comment


def load_secret_key(path: Path, password: Callable[[], str]) -> SecretKey:
    """A minisign secret key file; ``password()`` is asked only for an encrypted key."""
    from nacl.pwhash import scrypt

    text = _read_small(path, MAX_KEY_FILE_BYTES, "secret key file")
    lines = _lines(text)
    if lines and lines[0].startswith(_UNTRUSTED):
        lines = lines[1:]
    if not lines:
        raise SignatureError(f"{path}: not a minisign secret key")
    raw = _b64(lines[0], f"{path}: the secret key", 158)
    algorithm, kdf, checksum_algorithm = raw[0:2], raw[2:4], raw[4:6]
    if algorithm != _ALG_ED25519 or checksum_algorithm != _CHECKSUM_BLAKE2B:
        raise SignatureError(f"{path}: not a minisign Ed25519 secret key")
    salt = raw[6:38]
    opslimit, memlimit = struct.unpack("<QQ", raw[38:54])
    sealed = raw[54:158]
    if kdf == _KDF_SCRYPT:
        stream = scrypt.kdf(
            len(sealed), password().encode("utf-8"), salt, opslimit=opslimit, memlimit=memlimit
        )
        sealed = bytes(a ^ b for a, b in zip(sealed, stream))
    elif kdf != _KDF_NONE:
        raise SignatureError(f"{path}: unknown key derivation {kdf!r}")
    key_id, secret, checksum = sealed[:8], sealed[8:72], sealed[72:104]
    expected = hashlib.blake2b(algorithm + key_id + secret, digest_size=32).digest()
    if checksum != expected:
        what = "wrong password" if kdf == _KDF_SCRYPT else "damaged key file"
        raise SignatureError(f"{path}: cannot open the secret key ({what})")
    return SecretKey(key_id, secret[:32])


def sign_file(path: Path, key: SecretKey, trusted_comment: str = "") -> str:
    """The text of a minisign signature file (prehashed, as ``minisign -S`` makes)."""
    from nacl.signing import SigningKey

    if "\n" in trusted_comment or "\r" in trusted_comment:
        raise SignatureError("a trusted comment is one line")
    comment = trusted_comment or f"timestamp:{int(time.time())}\tfile:{Path(path).name}\thashed"
    signer = SigningKey(key.seed)
    signature = signer.sign(_blake2b_of(path)).signature
    global_signature = signer.sign(signature + comment.encode("utf-8")).signature
    encoded = base64.b64encode(_ALG_PREHASHED + key.key_id + signature).decode("ascii")
    return (
        f"{_UNTRUSTED} signature from minisign secret key\n"
        f"{encoded}\n"
        f"{_TRUSTED}{comment}\n"
        f"{base64.b64encode(global_signature).decode('ascii')}\n"
    )
