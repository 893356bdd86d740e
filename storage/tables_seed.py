"""Tables of the seed and Open311 import: what a problem code needs to be published again."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class ProblemCodeOpen311(SQLModel, table=True):
    """The Open311 service type of a problem code imported from (or published to) a catalogue."""

    __tablename__ = "problem_code_open311"
    problem_code_id: int = Field(foreign_key="problem_code.id", primary_key=True, ondelete="CASCADE")
    service_type: str = Field(default="realtime", max_length=16)  # realtime | batch | blackbox
