"""Alembic: upgrading an empty database gives exactly the models' schema, and back again."""

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from storage import schema
from storage.schema import include_object


def _diff(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={
            "include_object": include_object, "compare_type": True})
        return compare_metadata(context, SQLModel.metadata)


def test_upgrade_from_empty_gives_the_models_schema(engine):
    assert schema.current_revision(engine) == schema.head_revision()
    assert _diff(engine) == []


def test_downgrade_to_base_and_upgrade_again_round_trips(engine):
    schema.downgrade(engine, "base")
    assert schema.current_revision(engine) is None
    assert "request" not in inspect(engine).get_table_names()
    schema.upgrade(engine)
    assert schema.current_revision(engine) == schema.head_revision()
    assert _diff(engine) == []


def test_migrations_have_a_single_head():
    assert schema.head_revision()
