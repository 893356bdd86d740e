"""Tables the agent console keeps: a folded copy of customer names for lookup.

SQL's `lower()` neither folds diacritics nor, on SQLite, non-ASCII case, so "lukasz"
would not find "Łukasz"; the storage layer keeps `domain.text.fold(name)` here, in the
same transaction as every change of the name.
"""

from __future__ import annotations

from sqlalchemy import Column, Text
from sqlmodel import Field, SQLModel


class CustomerSearch(SQLModel, table=True):
    """The folded name of one customer, matched by customer lookup."""

    __tablename__ = "customer_search"
    customer_id: int = Field(foreign_key="customer.id", primary_key=True, ondelete="CASCADE")
    name_folded: str = Field(default="", sa_column=Column(Text, nullable=False))
