"""A stand-in identity provider for tests: RSA and EC keys generated here, tokens shaped as
Keycloak or Entra ID issue them, and its JWKS served from a file or a local HTTP server."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm

ISSUER = "https://idp.test/realms/pact"
AUDIENCE = "pact-ledger-api"


class SigningKey:
    def __init__(self, kind: str, kid: str) -> None:
        self.kid, self.kind = kid, kind
        if kind == "RSA":
            self.private: Any = rsa.generate_private_key(public_exponent=65537, key_size=2048)
            self.algorithm = "RS256"
            self.jwk = RSAAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        else:
            self.private = ec.generate_private_key(ec.SECP256R1())
            self.algorithm = "ES256"
            self.jwk = ECAlgorithm.to_jwk(self.private.public_key(), as_dict=True)
        self.jwk = {**self.jwk, "kid": kid, "use": "sig", "alg": self.algorithm}

    def sign(self, claims: dict[str, Any], lifetime: timedelta = timedelta(minutes=5),
             **header: Any) -> str:
        now = datetime.now(UTC)
        full = {"iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + lifetime, **claims}
        return jwt.encode(full, self.private, algorithm=self.algorithm,
                          headers={"kid": self.kid, **header})


def jwks(*keys: SigningKey) -> dict[str, Any]:
    return {"keys": [key.jwk for key in keys]}


def keycloak_claims(subject: str, roles: list[str], member_state: str) -> dict[str, Any]:
    return {"sub": subject, "realm_access": {"roles": ["offline_access", *roles]},
            "member_state": member_state, "authority": f"{member_state} Keycloak authority",
            "preferred_username": "someone"}


class JwksServer:
    """Serves `document` at http://127.0.0.1:PORT/certs; counts the fetches."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document, self.fetches = document, 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                owner.fetches += 1
                body = json.dumps(owner.document).encode()
                self.send_response(200)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}/certs"


@contextmanager
def jwks_server(document: dict[str, Any]) -> Iterator[JwksServer]:
    server = JwksServer(document)
    thread = threading.Thread(target=server.http.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.http.shutdown()
        server.http.server_close()
        thread.join(timeout=5)
