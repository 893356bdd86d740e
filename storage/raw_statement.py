"""SQLAlchemy statements compiled once and run straight on a DBAPI cursor.

For the one hot path where SQLAlchemy's per-execution work costs more than the statement
itself and is paid while every other console waits: pull-next on SQLite, whose claim runs
under the database's single write lock. Executing a cached statement through a Session
costs about 0.3 ms of Python per statement (cache lookup, execution context, result
wrapping); on the cursor it is a few microseconds.

The statement is still built with SQLAlchemy, and its values go through the same type
processors SQLAlchemy would apply (`UTCDateTime`, JSON), so what is written and read back
is identical to an ordinary execute — `tests/storage/test_raw_statement.py` checks it.
"""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy.engine import Dialect
from sqlalchemy.sql import ClauseElement

Processor = Callable[[Any], Any] | None


class RawStatement:
    """`statement` compiled for `dialect`, run with named values on a DBAPI cursor.

    `names` are the statement's own bind parameters (those without a value); every
    other parameter is a constant of the statement, converted once here.
    """

    def __init__(self, statement: ClauseElement, dialect: Dialect, names: tuple[str, ...]) -> None:
        compiled = statement.compile(dialect=dialect)
        # Expanding IN lists are rendered once: their values are constants of the statement.
        expanded = compiled.construct_expanded_state({name: None for name in names})
        if expanded.positiontup is None:
            raise ValueError(f"{dialect.name} does not use positional parameters")
        self.sql = expanded.statement
        constants = expanded.parameters
        processors = {name: _bind_processor(bind.type, dialect) for name, bind in compiled.binds.items()}
        processors.update(expanded.processors)  # those of the expanded IN values
        # Positions of the named values, with their processors; constants converted now.
        self._slots: list[tuple[int, str, Processor]] = []
        self._template: list[Any] = []
        for position, name in enumerate(expanded.positiontup):
            processor = processors.get(name)
            if name in names:
                self._slots.append((position, name, processor))
                self._template.append(None)
            else:
                value = constants[name]
                self._template.append(processor(value) if processor else value)
        returned = getattr(statement, "exported_columns", None) or ()
        self._columns = [(column.key, _result_processor(column.type, dialect)) for column in returned]

    def parameters(self, values: dict[str, Any]) -> list[Any]:
        """The positional parameter list for `values` (every name given at construction)."""
        parameters = list(self._template)
        for position, name, processor in self._slots:
            value = values[name]
            parameters[position] = processor(value) if processor else value
        return parameters

    def execute(self, cursor: Any, values: dict[str, Any]) -> Any:
        """Run the statement on `cursor`; rows stay raw until `convert`ed."""
        cursor.execute(self.sql, self.parameters(values))
        return cursor

    def convert(self, row: tuple[Any, ...]) -> dict[str, Any]:
        """One row as SQLAlchemy would return it (`.mappings()`), by column label."""
        return {key: processor(value) if processor else value
                for (key, processor), value in zip(self._columns, row, strict=True)}


def _bind_processor(type_: Any, dialect: Dialect) -> Processor:
    return type_.dialect_impl(dialect).bind_processor(dialect)


def _result_processor(type_: Any, dialect: Dialect) -> Processor:
    return type_.dialect_impl(dialect).result_processor(dialect, None)
