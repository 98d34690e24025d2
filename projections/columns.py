"""A read-model table defined once, as the TypedDict of its row: the column names (in order)
and the CREATE TABLE statement both come from it, so no column list is repeated by hand."""

from __future__ import annotations

from types import NoneType
from typing import Annotated, Any, get_args, get_origin, get_type_hints

#: Marks for `Annotated[...]` column types.
PRIMARY_KEY, UNIQUE, BIGINT = "PRIMARY KEY", "UNIQUE", "BIGINT"

_SQL = {str: "TEXT", int: "INTEGER"}


def columns(row_type: type[Any]) -> tuple[str, ...]:
    """The row's column names, in declaration order."""
    return tuple(get_type_hints(row_type))


def create_table(name: str, row_type: type[Any]) -> str:
    """`CREATE TABLE IF NOT EXISTS` with one column per key of `row_type`: TEXT for str,
    INTEGER for int (flags are 0/1), BIGINT where marked; NOT NULL unless `| None`."""
    parts = []
    for column, hint in get_type_hints(row_type, include_extras=True).items():
        marks: tuple[Any, ...] = ()
        if get_origin(hint) is Annotated:
            hint, *rest = get_args(hint)
            marks = tuple(rest)
        nullable = NoneType in get_args(hint)
        base = next(a for a in get_args(hint) if a is not NoneType) if nullable else hint
        sql = BIGINT if BIGINT in marks else _SQL[base]
        if PRIMARY_KEY in marks:
            parts.append(f"{column} {sql} PRIMARY KEY")
            continue
        parts.append(f"{column} {sql}" + ("" if nullable else " NOT NULL")
                     + (" UNIQUE" if UNIQUE in marks else ""))
    return f"CREATE TABLE IF NOT EXISTS {name} (\n    " + ",\n    ".join(parts) + "\n)"
