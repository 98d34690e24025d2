"""An identity provider's signing keys: a JWKS read from a file or fetched from a URL, cached.

The set is read again after `refresh_seconds`, and at once when a token names a key id it does
not hold (the provider rotated its keys), but at most once per `unknown_kid_seconds`: tokens
with made-up key ids cannot make the server fetch the set on every request. A set that fails to
load keeps the keys last loaded (a provider's outage does not lock everyone out at once).
"""

from __future__ import annotations

import json
import logging
import threading
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

import jwt

log = logging.getLogger(__name__)

MAX_JWKS_BYTES = 1_000_000
FETCH_TIMEOUT_SECONDS = 5.0
#: Signature algorithms accepted from an identity provider, by key type.
ALGORITHMS = {"RSA": "RS256", "EC": "ES256"}


class KeysUnavailable(Exception):
    """No key set could be loaded (and none was loaded before)."""


class JwksKeys:
    def __init__(self, source: str, refresh_seconds: float = 300.0,
                 unknown_kid_seconds: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.source = source
        self.refresh_seconds = refresh_seconds
        self.unknown_kid_seconds = (max(1.0, refresh_seconds / 10)
                                    if unknown_kid_seconds is None else unknown_kid_seconds)
        self._clock = clock
        self._lock = threading.Lock()
        self._keys: dict[str, jwt.PyJWK] | None = None
        self._loaded_at = 0.0
        self._unknown_at: float | None = None
        self.loads = 0  # how many times the set was read (for tests and logs)

    def key(self, kid: str) -> jwt.PyJWK | None:
        with self._lock:
            now = self._clock()
            if self._keys is None or now - self._loaded_at >= self.refresh_seconds:
                self._reload(now)
            assert self._keys is not None
            found = self._keys.get(kid)
            if found is None and (self._unknown_at is None
                                  or now - self._unknown_at >= self.unknown_kid_seconds):
                self._unknown_at = now
                self._reload(now)
                found = self._keys.get(kid)
            return found

    def _reload(self, now: float) -> None:
        try:
            keys = parse_jwks(self._read())
        except Exception as error:  # a file, network or format problem: keep the old keys
            if self._keys is None:
                raise KeysUnavailable(f"cannot load the identity provider's keys from "
                                      f"{self.source}: {error}") from None
            log.warning("identity provider keys not refreshed", extra={
                "source": self.source, "error": str(error)})
            self._loaded_at = now
            return
        self.loads += 1
        self._keys, self._loaded_at = keys, now

    def _read(self) -> bytes:
        if urlparse(self.source).scheme in ("http", "https"):
            request = urllib.request.Request(self.source, headers={"Accept": "application/json"})
            with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT_SECONDS) as response:
                data: bytes = response.read(MAX_JWKS_BYTES + 1)
        else:
            data = Path(self.source).read_bytes()[:MAX_JWKS_BYTES + 1]
        if len(data) > MAX_JWKS_BYTES:
            raise ValueError(f"key set larger than {MAX_JWKS_BYTES} bytes")
        return data


def parse_jwks(data: bytes) -> dict[str, jwt.PyJWK]:
    """The signing keys of a JWKS document by key id (RSA and EC keys with a `kid`)."""
    document = json.loads(data)
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document (no 'keys' list)")
    keys: dict[str, jwt.PyJWK] = {}
    for entry in document["keys"]:
        if not isinstance(entry, dict) or entry.get("kty") not in ALGORITHMS \
                or entry.get("use", "sig") != "sig" or not isinstance(entry.get("kid"), str):
            continue
        algorithm = entry.get("alg") or ALGORITHMS[entry["kty"]]
        if algorithm != ALGORITHMS[entry["kty"]]:
            continue
        keys[entry["kid"]] = jwt.PyJWK.from_dict({**entry, "alg": algorithm})
    if not keys:
        raise ValueError("the key set holds no RSA (RS256) or EC (ES256) signing key with a kid")
    return keys
