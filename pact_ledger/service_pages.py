"""The HTML the server answers itself: `GET /` (what this service is) and GraphiQL's page.

GraphiQL's scripts and styles are vendored in `pact_ledger/static/graphiql` (see its
`manifest.json` and `scripts/vendor-graphiql`) and served from this origin: the page references
no other host, and its Content-Security-Policy lets the browser load nothing from one.
"""

from __future__ import annotations

import json
from html import escape
from pathlib import Path

STATIC_DIR = Path(__file__).parent / "static" / "graphiql"
STATIC_PREFIX = "/static/graphiql"

#: Same-origin only. GraphiQL's editors set inline styles; no inline script is needed.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self'; style-src 'self' "
                           "'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
                           "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
                           "form-action 'none'")


def asset_versions() -> dict[str, str]:
    manifest = json.loads((STATIC_DIR / "manifest.json").read_text(encoding="utf-8"))
    return {package["name"]: package["version"] for package in manifest["packages"]}


def graphiql_page() -> str:
    s = STATIC_PREFIX
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Pact Ledger - GraphiQL</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{s}/graphiql.min.css">
<style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL...</div>
<script src="{s}/react.production.min.js"></script>
<script src="{s}/react-dom.production.min.js"></script>
<script src="{s}/graphiql.min.js"></script>
<script src="{s}/pact-ledger-graphiql.js"></script>
</body>
</html>
"""


def home_page(graphiql: bool, metrics: bool) -> str:
    versions = asset_versions()
    links = []
    if graphiql:
        links.append('<li><a href="/graphql">GraphiQL</a>: write and run queries in the browser '
                     f'(GraphiQL {escape(versions.get("graphiql", "?"))}, served from here); '
                     'paste a bearer token under <em>Headers</em></li>')
        links.append('<li><a href="/schema.graphql">schema.graphql</a>: the documented schema '
                     '(SDL)</li>')
    else:
        links.append("<li><code>POST /graphql</code>: the GraphQL API (GraphiQL is off on this "
                     "server)</li>")
    links.append('<li><a href="/healthz">/healthz</a>: health</li>')
    if metrics:
        links.append('<li><a href="/metrics">/metrics</a>: Prometheus metrics</li>')
    items = "\n".join(links)
    return f"""<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>Pact Ledger</title><link rel="icon" href="data:,"></head>
<body>
<h1>Pact Ledger</h1>
<p>An event-sourced case ledger for the procedures of the EU Pact on Migration and Asylum,
with a GraphQL API. Every request to <code>/graphql</code> needs a bearer token
(<code>Authorization: Bearer &lt;token&gt;</code>).</p>
<ul>
{items}
</ul>
<p>Documentation: <code>README.md</code> of the source (roles, commands, queries, configuration),
and the schema's own descriptions{" (see GraphiQL's documentation explorer)" if graphiql else ""}.
</p>
</body>
</html>
"""
