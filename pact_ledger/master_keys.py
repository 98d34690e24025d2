"""Master keys: they wrap every per-case data key of the key store (`pact_ledger.keystore`).

`PACT_LEDGER_MASTER_KEYS` is `kid1:base64key1,kid2:base64key2` (32-byte AES keys): the first
wraps, all unwrap. Rotation: put a new key first, run `pact-ledger rewrap-keys` (every data key is
rewrapped under it), then remove the old one. Without the variable, a development key is kept in
`data/dev-master.key` (created on first use, owner-only), like the JWT development key.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

from ledger.personal_data import cipher

MASTER_KEYS = "PACT_LEDGER_MASTER_KEYS"
DEV_MASTER_KEY_FILE = "dev-master.key"
_KID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


@dataclass(frozen=True)
class MasterKeys:
    keys: tuple[tuple[str, bytes], ...]  # (kid, key), the wrapping key first
    development: bool = False

    @classmethod
    def parse(cls, text: str) -> MasterKeys:
        keys: list[tuple[str, bytes]] = []
        for item in filter(None, (part.strip() for part in text.split(","))):
            kid, sep, encoded = item.partition(":")
            if not sep or not _KID.match(kid):
                raise ValueError(f"{MASTER_KEYS}: each key is KID:BASE64, the id of letters, "
                                 "digits, . _ -")
            try:
                key = base64.b64decode(encoded, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError(f"{MASTER_KEYS}: key {kid!r} is not base64") from None
            if len(key) != cipher.KEY_BYTES:
                raise ValueError(f"{MASTER_KEYS}: key {kid!r} must be {cipher.KEY_BYTES} bytes "
                                 f"(base64 of 32 random bytes), not {len(key)}")
            if kid in dict(keys):
                raise ValueError(f"{MASTER_KEYS}: key id {kid!r} is given twice")
            keys.append((kid, key))
        if not keys:
            raise ValueError(f"{MASTER_KEYS}: no keys")
        return cls(tuple(keys))

    @property
    def current(self) -> tuple[str, bytes]:
        return self.keys[0]

    def key(self, kid: str) -> bytes | None:
        return dict(self.keys).get(kid)


def new_master_key_text(kid: str) -> str:
    """A fresh `kid:base64` entry (for `pact-ledger new-master-key`)."""
    return f"{kid}:{base64.b64encode(cipher.new_key()).decode('ascii')}"


def development_master_keys(data_dir: Path) -> MasterKeys:
    """The local development master key, created (owner-only) on first use."""
    path = data_dir / DEV_MASTER_KEY_FILE
    data_dir.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as file:
            file.write(base64.b64encode(cipher.new_key()).decode("ascii") + "\n")
    encoded = path.read_text(encoding="utf-8").strip()
    kid = "dev-" + hashlib.sha256(encoded.encode()).hexdigest()[:8]
    return MasterKeys(MasterKeys.parse(f"{kid}:{encoded}").keys, development=True)
