"""The cost limit: one request may ask for at most so much heavy work.

Aliases and fragments make any field repeatable; the depth, alias and token limits bound a
document's size, not the work its fields cause. Each heavy field has a cost (verifying the
ledger reads and hashes the whole log; digests and proofs hash every leaf); a document whose
operation costs more than `MAX_COST` is refused before anything runs. Light fields cost nothing.
"""

from __future__ import annotations

from typing import Any

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
)

#: Field name -> cost. A request may cost at most MAX_COST: one `verifyLedger`, or a few proofs.
COSTS: dict[str, int] = {
    "verifyLedger": 100,
    "ledgerDigest": 20,
    "inclusionProof": 20,
    "consistencyProof": 20,
    "verifyCase": 5,
    "caseAsOf": 5,
    "decisionTrail": 2,
}
MAX_COST = 100


def _cost(context: ValidationContext, selections: SelectionSetNode | None,
          visiting: frozenset[str]) -> int:
    if selections is None:
        return 0
    total = 0
    for node in selections.selections:
        if isinstance(node, FieldNode):
            total += COSTS.get(node.name.value, 0) + _cost(context, node.selection_set, visiting)
        elif isinstance(node, InlineFragmentNode):
            total += _cost(context, node.selection_set, visiting)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in visiting:
            fragment = context.get_fragment(node.name.value)
            if fragment is not None:
                total += _cost(context, fragment.selection_set,
                               visiting | {node.name.value})
    return total


class CostLimit(ValidationRule):
    def enter_operation_definition(self, node: OperationDefinitionNode, *_: Any) -> None:
        cost = _cost(self.context, node.selection_set, frozenset())
        if cost > MAX_COST:
            self.report_error(GraphQLError(
                f"The request costs {cost}, more than {MAX_COST}: ask for at most one "
                f"verifyLedger (or a few digests and proofs) per request",
                node, extensions={"code": "QUERY_TOO_COSTLY", "cost": cost,
                                  "maxCost": MAX_COST}))
