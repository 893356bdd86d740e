"""Customers: validated contacts, lookup by phone, e-mail or name, earlier requests."""

from datetime import timedelta

import pytest

from domain.errors import InvalidInput
from storage.customer_lookup import customer_history, lookup_customers
from storage.customers import add_customer, get_customer, update_customer
from storage.engine import read_session
from storage.requests import open_request
from storage.tables import AuditEntry
from storage.tables_console import CustomerSearch


def _add(engine, now, **kw):
    kw.setdefault("region", "PL")
    return add_customer(engine, now=now, actor_id=None, actor="cli", **kw)


def test_phones_and_emails_are_normalised_when_a_customer_is_added(engine, now):
    customer = _add(engine, now, name="  Łukasz   Żółw ", phones=["601 234 567", ""],
                    emails=["Lukasz@Example.COM"])
    assert customer.name == "Łukasz Żółw"
    assert customer.phones == ["+48601234567"] and customer.emails == ["Lukasz@example.com"]


@pytest.mark.parametrize("field, value, where", [
    ("phones", ["12"], "phone"), ("phones", ["call me"], "phone"),
    ("emails", ["not-an-address"], "e-mail"), ("name", " ", "name")])
def test_bad_contacts_are_refused_naming_the_field(engine, now, field, value, where):
    kwargs = {"name": "Ann", field: value}
    with pytest.raises(InvalidInput, match=f"^{where}: "):
        _add(engine, now, **kwargs)


def test_a_customer_is_found_by_phone_in_any_notation_or_a_fragment(engine, now):
    ann = _add(engine, now, name="Ann", phones=["+48 601 234 567"])
    _add(engine, now, name="Bob", phones=["+48 22 111 22 33"])
    for typed in ("601234567", "+48601234567", "601-234-567", "(601) 234", "4567"):
        assert [c.id for c in lookup_customers(engine, text=typed, region="PL")] == [ann.id], typed


def test_a_customer_is_found_by_email_or_name_without_diacritics(engine, now):
    lukasz = _add(engine, now, name="Łukasz Żółw", emails=["lz@example.com"])
    _add(engine, now, name="Zoe Smith")
    assert [c.id for c in lookup_customers(engine, text="LZ@example")] == [lukasz.id]
    assert [c.id for c in lookup_customers(engine, text="zolw lukasz")] == [lukasz.id]
    assert [c.id for c in lookup_customers(engine, text="Łukasz")] == [lukasz.id]
    assert lookup_customers(engine, text="100%_") == []


def test_updating_a_customer_changes_only_what_is_given_and_is_audited(engine, now):
    ann = _add(engine, now, name="Ann", phones=["601234567"], emails=["ann@example.com"])
    updated = update_customer(engine, customer_id=ann.id, now=now, actor_id=None, actor="cli",
                              name="Ann Ćwik", phones=["601234567", "22 111 22 33"], region="PL")
    assert updated.phones == ["+48601234567", "+48221112233"]
    assert updated.emails == ["ann@example.com"] and get_customer(engine, ann.id) == updated
    with read_session(engine) as session:
        assert session.get(CustomerSearch, ann.id).name_folded == "ann cwik"
        entry = session.exec(AuditEntry.__table__.select().where(
            AuditEntry.action == "update")).one()
    assert entry.changes["name"] == ["Ann", "Ann Ćwik"] and "emails" not in entry.changes


def test_earlier_requests_are_listed_newest_first(engine, now):
    ann = _add(engine, now, name="Ann")
    numbers = [open_request(engine, now=now + timedelta(minutes=i), agent_id=None, actor="cli",
                            customer_id=ann.id).number for i in range(3)]
    history = customer_history(engine, ann.id)
    assert [r.number for r in history] == numbers[::-1]
    assert [r.number for r in customer_history(engine, ann.id, before=numbers[2])] == numbers[1::-1]
