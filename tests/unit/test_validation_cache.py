"""Validation results kept per parsed document (`schema.validation_cache`): a document sent
again gets the same answer, errors included, from the result kept for it; another document
(another text) is validated for itself."""

from __future__ import annotations

from schema import validation_cache
from schema.build import schema

INVALID = "{ cases(first: 1) { edges { node { noSuchField } } } }"
VALID = "{ __typename }"


def _errors(document: str) -> list[str]:
    result = schema.execute_sync(document)
    return [e.message for e in result.errors or []]


def test_a_document_sent_again_is_answered_from_its_kept_validation() -> None:
    first = _errors(INVALID)
    assert first and "noSuchField" in first[0]
    kept = [entry for entry in validation_cache._RESULTS.values() if entry[2]]
    assert len(kept) >= 1
    assert _errors(INVALID) == first  # the same errors, from the kept result
    assert [entry for entry in validation_cache._RESULTS.values() if entry[2]] == kept
    assert _errors(VALID) == []  # another document: validated for itself


def test_the_kept_results_are_bounded() -> None:
    for n in range(validation_cache.MAXSIZE + 5):
        _errors(f"{{ a{n}: __typename }}")
    assert len(validation_cache._RESULTS) <= validation_cache.MAXSIZE
