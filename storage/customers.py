"""Customers: finding them by phone, e-mail or name, and creating them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from domain.records import JsonRecord
from storage import audit
from storage.engine import read_session, run_write
from storage.tables import Customer, CustomerContact


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


def create_customer(session: Session, *, name: str, now: datetime, actor_id: int | None, actor: str,
                    address: str = "", phones: list[str] = (), emails: list[str] = (),
                    vip: bool = False) -> Customer:
    """Add a customer (phones and e-mails already normalised) inside `session`."""
    customer = Customer(name=name, address=address, vip=vip, created_at=now)
    session.add(customer)
    session.flush()
    for phone in phones:
        session.add(CustomerContact(customer_id=customer.id, kind="phone", value=phone))
    for email in emails:
        session.add(CustomerContact(customer_id=customer.id, kind="email", value=email))
    audit.record(session, at=now, actor_id=actor_id, actor=actor, entity="customer",
                 entity_id=customer.id, action="create",
                 changes={"name": [None, name], "phones": [None, list(phones)],
                          "emails": [None, list(emails)], "address": [None, address]})
    return customer


def customer_for_phone(engine: Engine, *, phone: str, now: datetime, actor_id: int | None,
                       actor: str) -> CustomerRecord:
    """The customer with this E.164 number, created (named by the number) if unknown."""

    def work(session: Session) -> CustomerRecord:
        customer = find_by_contact(session, "phone", phone) or create_customer(
            session, name=phone, phones=[phone], now=now, actor_id=actor_id, actor=actor)
        return to_record(session, customer)

    return run_write(engine, work)


def search_customers(engine: Engine, *, text: str, limit: int = 20) -> list[CustomerRecord]:
    """Customers whose name contains `text`, or whose phone or e-mail starts with it."""
    needle = text.strip()
    if not needle:
        return []
    with read_session(engine) as session:
        by_contact = select(CustomerContact.customer_id).where(
            func.lower(CustomerContact.value).startswith(needle.lower()))
        rows = session.exec(select(Customer).where(
            (func.lower(Customer.name).contains(needle.lower())) | Customer.id.in_(by_contact)
        ).order_by(Customer.name, Customer.id).limit(limit)).all()
        return [to_record(session, c) for c in rows]
