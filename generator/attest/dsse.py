"""DSSE envelopes (the signing layer of in-toto attestations), signed with a PEM key.

The signature covers DSSE's pre-authentication encoding of the payload type and the payload
(https://github.com/secure-systems-lab/dsse/blob/master/protocol.md), so neither can be
swapped. Ed25519 and ECDSA (P-256 with SHA-256, P-384 with SHA-384) keys are accepted; a
key's id is the SHA-256 of its public key (DER SubjectPublicKeyInfo), so a reviewer can
tell which key signed without holding it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519

from generator.errors import InputError

PrivateKey = ed25519.Ed25519PrivateKey | ec.EllipticCurvePrivateKey
PublicKey = ed25519.Ed25519PublicKey | ec.EllipticCurvePublicKey
_CURVE_HASHES = {"secp256r1": hashes.SHA256, "secp384r1": hashes.SHA384}


@dataclass(frozen=True)
class Envelope:
    payload_type: str
    payload: bytes
    signatures: tuple[tuple[str, bytes], ...]  # (keyid, signature)

    def to_json(self) -> dict[str, Any]:
        return {"payloadType": self.payload_type,
                "payload": base64.b64encode(self.payload).decode(),
                "signatures": [{"keyid": k, "sig": base64.b64encode(s).decode()}
                               for k, s in self.signatures]}

    @classmethod
    def from_json(cls, data: Any, where: str) -> Envelope:
        try:
            return cls(data["payloadType"], base64.b64decode(data["payload"], validate=True),
                       tuple((s.get("keyid", ""), base64.b64decode(s["sig"], validate=True))
                             for s in data["signatures"]))
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise InputError(f"{where}: not a DSSE envelope ({exc})") from None


def pae(payload_type: str, payload: bytes) -> bytes:
    """DSSE v1 pre-authentication encoding: what is actually signed."""
    kind = payload_type.encode()
    return b"DSSEv1 %d %s %d %s" % (len(kind), kind, len(payload), payload)


def key_id(key: PublicKey) -> str:
    der = key.public_bytes(serialization.Encoding.DER,
                           serialization.PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()


def load_private_key(path: Path) -> PrivateKey:
    try:
        key = serialization.load_pem_private_key(_read(path), password=None)
    except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
        raise InputError(f"{path}: not an unencrypted PEM private key ({exc})") from None
    _check_supported(path, key, PrivateKey)
    return cast(PrivateKey, key)


def load_public_key(path: Path) -> PublicKey:
    data = _read(path)
    try:
        key: Any = serialization.load_pem_public_key(data)
    except (ValueError, UnsupportedAlgorithm):
        try:  # a private key also names its public half
            key = serialization.load_pem_private_key(data, password=None).public_key()
        except (ValueError, TypeError, UnsupportedAlgorithm) as exc:
            raise InputError(f"{path}: not a PEM public key ({exc})") from None
    _check_supported(path, key, PublicKey)
    return cast(PublicKey, key)


def sign(payload_type: str, payload: bytes, key: PrivateKey) -> Envelope:
    message = pae(payload_type, payload)
    if isinstance(key, ed25519.Ed25519PrivateKey):
        signature = key.sign(message)
    else:
        signature = key.sign(message, ec.ECDSA(_CURVE_HASHES[key.curve.name]()))
    return Envelope(payload_type, payload, ((key_id(key.public_key()), signature),))


def verify(envelope: Envelope, key: PublicKey) -> bool:
    """True when any signature of the envelope is ``key``'s over its type and payload."""
    message = pae(envelope.payload_type, envelope.payload)
    for _, signature in envelope.signatures:
        try:
            if isinstance(key, ed25519.Ed25519PublicKey):
                key.verify(signature, message)
            else:
                key.verify(signature, message, ec.ECDSA(_CURVE_HASHES[key.curve.name]()))
        except InvalidSignature:
            continue
        return True
    return False


def read_envelopes(path: Path) -> list[Envelope]:
    """Every envelope of a ``*.intoto.jsonl`` file (one JSON object per line)."""
    envelopes = []
    for number, line in enumerate(_read(path).decode("utf-8", "replace").splitlines(), 1):
        if line.strip():
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{number}: invalid JSON: {exc.msg}") from None
            envelopes.append(Envelope.from_json(data, f"{path}:{number}"))
    if not envelopes:
        raise InputError(f"{path}: no attestation in the file")
    return envelopes


def _check_supported(path: Path, key: object, kind: Any) -> None:
    """Only Ed25519 and ECDSA P-256/P-384 keys of ``kind`` (private or public) sign here."""
    curve = getattr(key, "curve", None)
    if not isinstance(key, kind) or (curve is not None and curve.name not in _CURVE_HASHES):
        shown = f"ECDSA curve {curve.name}" if curve is not None else f"{type(key).__name__} key"
        raise InputError(f"{path}: {shown} is not supported; use Ed25519 or ECDSA P-256/P-384")


def _read(path: Path) -> bytes:
    try:
        if not path.is_file():  # a FIFO would block: never opened
            raise InputError(f"{path}: {'not a regular file' if path.exists() else 'no such file'}")
        if path.stat().st_size > 16 * 1024 * 1024:
            raise InputError(f"{path}: too large for a key or an attestation")
        return path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None
