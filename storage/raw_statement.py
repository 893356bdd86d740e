"""SQLAlchemy statements compiled once and run straight on a DBAPI cursor.

For the one hot path where SQLAlchemy's per-execution work costs more than the statement
itself: pull-next, whose claim on SQLite runs under the database's single write lock,
and on PostgreSQL competes for the same cores as the server with every other puller.
Executing a cached statement through a Session costs about 0.3 ms of Python per statement
(cache lookup, execution context, result wrapping); on the cursor it is a few microseconds.

The statement is still built with SQLAlchemy, and its values go through the same type
processors SQLAlchemy would apply (`UTCDateTime`, JSON), so what is written is identical
to an ordinary execute — `tests/storage/test_raw_statement.py` checks it. Rows come back
as the driver gives them: the statements run here return numbers and plain strings.
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
        self.sql = expanded.statement
        processors = {name: _bind_processor(bind.type, dialect) for name, bind in compiled.binds.items()}
        processors.update(expanded.processors)  # those of the expanded IN values
        # Constants converted now; the named values, with their processors, at each run.
        # Positional paramstyles (SQLite's "?") take a list, named ones (psycopg's
        # "%(name)s") a dict.
        order = expanded.positiontup or list(expanded.parameters)
        self._positional = expanded.positiontup is not None
        self._slots: list[tuple[int | str, str, Processor]] = []
        template: dict[int | str, Any] = {}
        for position, name in enumerate(order):
            key = position if self._positional else name
            processor = processors.get(name)
            if name in names:
                self._slots.append((key, name, processor))
                template[key] = None
            else:
                value = expanded.parameters[name]
                template[key] = processor(value) if processor else value
        self._template = list(template.values()) if self._positional else template

    def parameters(self, values: dict[str, Any]) -> list[Any] | dict[str, Any]:
        """The parameters for `values` (every name given at construction), in the form the
        driver takes."""
        parameters = self._template.copy()
        for key, name, processor in self._slots:
            value = values[name]
            parameters[key] = processor(value) if processor else value
        return parameters

    def execute(self, cursor: Any, values: dict[str, Any]) -> Any:
        """Run the statement on `cursor`; the rows it returns are the driver's, unconverted
        (the pull's claims return plain numbers)."""
        cursor.execute(self.sql, self.parameters(values))
        return cursor


def _bind_processor(type_: Any, dialect: Dialect) -> Processor:
    return type_.dialect_impl(dialect).bind_processor(dialect)
