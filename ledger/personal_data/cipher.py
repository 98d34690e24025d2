"""AES-256-GCM, the one cipher for personal data and for wrapping data keys (computation only).

A random 96-bit nonce per sealing; keys are 32 random bytes. `cryptography`'s AESGCM checks the
tag, so a changed ciphertext, nonce or associated data fails to open (`InvalidTag`).
"""

from __future__ import annotations

import base64
import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_BYTES = 32
NONCE_BYTES = 12


def new_key() -> bytes:
    return AESGCM.generate_key(bit_length=8 * KEY_BYTES)


def seal(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """(nonce, ciphertext with tag)."""
    nonce = os.urandom(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes:
    """Raises `cryptography.exceptions.InvalidTag` if anything was changed."""
    return AESGCM(key).decrypt(nonce, ciphertext, aad)


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"), validate=True)
