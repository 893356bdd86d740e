"""Customers: creating and updating them with validated phone numbers and e-mail addresses.

Phones are stored as E.164, e-mails normalised (`domain.contacts`); a folded copy of the
name (`CustomerSearch`) is written with every name change, for lookup that ignores case
and diacritics (`storage.customer_lookup`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, delete, select

from domain.contacts import normalise_email, normalise_phone
from domain.errors import InvalidInput
from domain.records import JsonRecord
from domain.text import fold
from storage import audit
from storage.engine import read_session, run_write
from storage.errors import NotFound
from storage.tables import Customer, CustomerContact
from storage.tables_console import CustomerSearch


@dataclass(frozen=True)
class CustomerRecord(JsonRecord):
    """A customer with their contact details."""

    id: int
    name: str
    address: str
    vip: bool
    phones: list[str]
    emails: list[str]


def to_record(session: Session, customer: Customer) -> CustomerRecord:
    """The read model of `customer`."""
    contacts = session.exec(select(CustomerContact).where(
        CustomerContact.customer_id == customer.id).order_by(CustomerContact.id)).all()
    return CustomerRecord(id=customer.id, name=customer.name, address=customer.address,
                          vip=customer.vip,
                          phones=[c.value for c in contacts if c.kind == "phone"],
                          emails=[c.value for c in contacts if c.kind == "email"])


def find_by_contact(session: Session, kind: str, value: str) -> Customer | None:
    """The customer with this normalised phone or e-mail, if any."""
    return session.exec(select(Customer).join(
        CustomerContact, CustomerContact.customer_id == Customer.id).where(
        CustomerContact.kind == kind, CustomerContact.value == value).order_by(Customer.id)).first()


def _index_name(session: Session, customer: Customer) -> None:
    session.merge(CustomerSearch(customer_id=customer.id, name_folded=fold(customer.name)))


def create_customer(session: Session, *, name: str, now: datetime, actor_id: int | None, actor: str,
                    address: str = "", phones: Iterable[str] = (), emails: Iterable[str] = (),
                    vip: bool = False) -> Customer:
    """Add a customer (phones and e-mails already normalised) inside `session`."""
    phones, emails = list(phones), list(emails)
    customer = Customer(name=name, address=address, vip=vip, created_at=now)
    session.add(customer)
    session.flush()
    _index_name(session, customer)
    for phone in phones:
        session.add(CustomerContact(customer_id=customer.id, kind="phone", value=phone))
    for email in emails:
        session.add(CustomerContact(customer_id=customer.id, kind="email", value=email))
    audit.record(session, at=now, actor_id=actor_id, actor=actor, entity="customer",
                 entity_id=customer.id, action="create",
                 changes={"name": [None, name], "phones": [None, phones],
                          "emails": [None, emails], "address": [None, address]})
    return customer


def customer_for_phone(engine: Engine, *, phone: str, now: datetime, actor_id: int | None,
                       actor: str) -> CustomerRecord:
    """The customer with this E.164 number, created (named by the number) if unknown."""

    def work(session: Session) -> CustomerRecord:
        customer = find_by_contact(session, "phone", phone) or create_customer(
            session, name=phone, phones=[phone], now=now, actor_id=actor_id, actor=actor)
        return to_record(session, customer)

    return run_write(engine, work)


def checked_contacts(phones: Iterable[str], emails: Iterable[str], *,
                     region: str | None) -> tuple[list[str], list[str]]:
    """Phones as E.164 and e-mails normalised, blanks dropped, duplicates removed."""
    good_phones = [normalise_phone(p, region=region, where="phone") for p in phones if p.strip()]
    good_emails = [normalise_email(e, where="e-mail") for e in emails if e.strip()]
    return list(dict.fromkeys(good_phones)), list(dict.fromkeys(good_emails))


def _checked_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise InvalidInput("is required", where="name")
    return name


def add_customer(engine: Engine, *, name: str, now: datetime, actor_id: int | None, actor: str,
                 phones: Iterable[str] = (), emails: Iterable[str] = (), address: str = "",
                 region: str | None = None) -> CustomerRecord:
    """Create a customer from what the agent typed; bad phones or e-mails raise InvalidInput."""
    name = _checked_name(name)
    good_phones, good_emails = checked_contacts(phones, emails, region=region)

    def work(session: Session) -> CustomerRecord:
        return to_record(session, create_customer(
            session, name=name, address=address.strip(), phones=good_phones, emails=good_emails,
            now=now, actor_id=actor_id, actor=actor))

    return run_write(engine, work)


def update_customer(engine: Engine, *, customer_id: int, now: datetime, actor_id: int | None,
                    actor: str, name: str | None = None, address: str | None = None,
                    phones: Iterable[str] | None = None, emails: Iterable[str] | None = None,
                    region: str | None = None) -> CustomerRecord:
    """Change what is given (None leaves a part alone); the change is audited."""
    name = _checked_name(name) if name is not None else None
    new_phones, new_emails = checked_contacts(phones or (), emails or (), region=region)

    def work(session: Session) -> CustomerRecord:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id}")
        before = to_record(session, customer)
        after = {"name": name, "address": address.strip() if address is not None else None,
                 "phones": new_phones if phones is not None else None,
                 "emails": new_emails if emails is not None else None}
        diff = {key: [getattr(before, key), value] for key, value in after.items()
                if value is not None and getattr(before, key) != value}
        if "name" in diff:
            customer.name = name
            _index_name(session, customer)
        if "address" in diff:
            customer.address = after["address"]
        for kind, key in (("phone", "phones"), ("email", "emails")):
            if key in diff:
                session.execute(delete(CustomerContact).where(
                    CustomerContact.customer_id == customer_id, CustomerContact.kind == kind))
                session.add_all(CustomerContact(customer_id=customer_id, kind=kind, value=v)
                                for v in after[key])
        if diff:
            session.add(customer)
            audit.record(session, at=now, actor_id=actor_id, actor=actor, entity="customer",
                         entity_id=customer_id, action="update", changes=diff)
            session.flush()
        return to_record(session, customer)

    return run_write(engine, work)


def get_customer(engine: Engine, customer_id: int) -> CustomerRecord:
    """One customer, or NotFound."""
    with read_session(engine) as session:
        customer = session.get(Customer, customer_id)
        if customer is None:
            raise NotFound(f"no customer {customer_id}")
        return to_record(session, customer)
