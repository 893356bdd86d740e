"""What every CLI command shares: settings, a lazily made engine, the clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from console.settings import Settings
from domain.clock import Clock, system_clock

if TYPE_CHECKING:  # SQLAlchemy is imported by the first command that needs the database
    from sqlalchemy import Engine


@dataclass
class CliContext:
    """Handed to commands through `typer.Context.obj`."""

    settings: Settings
    clock: Clock = system_clock
    _engine: Engine | None = field(default=None, repr=False)

    def engine(self, *, upgrade: bool = True) -> Engine:
        """The database engine; the schema is upgraded first when it is behind."""
        if self._engine is None:
            from storage.engine import make_engine
            from storage.schema import ensure_current

            engine = make_engine(self.settings.db)
            ensure_current(engine, auto_upgrade=upgrade)
            self._engine = engine
        return self._engine

    def raw_engine(self) -> Engine:
        """An engine without the schema check (for `init`, `restore`, ...)."""
        from storage.engine import make_engine

        return make_engine(self.settings.db)

    def now(self) -> datetime:
        return self.clock()
