"""The layers as a test: dependencies point one way only, from the edge inwards.

`pact_ledger` (the edge) may import `schema`, `schema` may import `projections`, `projections`
may import `ledger`; never the other way (TYPE_CHECKING imports count too). The import graph is
built from the source by grimp.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp
import pytest

LAYERS = ("pact_ledger", "schema", "projections", "ledger")  # outermost first


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph(*LAYERS)


def test_the_graph_sees_every_layer(graph: grimp.ImportGraph) -> None:
    """A scan that found nothing would prove nothing."""
    assert {"ledger.case.aggregate", "projections.case_projection", "schema.build",
            "pact_ledger.server"} <= graph.modules
    assert graph.direct_import_exists(importer="pact_ledger.wiring",
                                      imported="ledger.application")


def test_no_layer_imports_an_outer_one(graph: grimp.ImportGraph) -> None:
    illegal = graph.find_illegal_dependencies_for_layers(layers=LAYERS)
    routes = sorted(f"{dep.importer} -> {dep.imported}: {', '.join(route.heads)} ... "
                    f"{', '.join(route.tails)}" for dep in illegal for route in dep.routes)
    assert not routes, "imports against the layers:\n" + "\n".join(routes)


def test_the_cli_starts_without_the_graphql_layer() -> None:
    """The commands but `serve` and `export-schema` (which import it when run) start without
    `schema`, strawberry and graphql-core: strawberry builds its types as it is imported, which
    added ~0.2-0.45 s to every command's start (`pact-ledger digest`: 0.71-0.78 s against
    0.84-1.07 s)."""
    code = ("import sys, pact_ledger.cli; print(' '.join(sorted({m.split('.')[0] for m in "
            "sys.modules} & {'schema', 'strawberry', 'graphql'})))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True, cwd=Path(__file__).resolve().parents[2])
    assert done.stdout.split() == []
