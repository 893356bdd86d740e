"""Finding a caller: by phone (any notation), e-mail or part of the name, with their history.

What the agent typed decides how it is read: with an `@` it is an e-mail address, mostly
digits it is a phone number (read in the office's region, so "601 234 567" finds
"+48601234567", and a fragment of digits finds every number holding it), otherwise it is
a name matched word by word, ignoring case and diacritics.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, and_, func, or_
from sqlmodel import select

from domain.contacts import normalise_phone
from domain.errors import InvalidInput
from domain.text import fold
from storage.customers import CustomerRecord, to_record
from storage.engine import read_session
from storage.tables import Customer, CustomerContact, Request
from storage.tables_console import CustomerSearch

_PHONE_LIKE = re.compile(r"^[+\d(][\d\s()./-]*$")


@dataclass(frozen=True)
class CustomerRequest:
    """One of a customer's requests, as listed under the customer."""

    number: int
    created_at: datetime
    type: str | None
    status: str
    subject: str


def _phone_ids(text: str, region: str | None):
    digits = re.sub(r"\D", "", text)
    if len(digits) < 3:
        return None
    wanted = [CustomerContact.value.contains(digits, autoescape=True)]
    try:
        wanted.append(CustomerContact.value == normalise_phone(text, region=region))
    except InvalidInput:
        pass
    return select(CustomerContact.customer_id).where(
        CustomerContact.kind == "phone", or_(*wanted))


def _email_ids(text: str):
    return select(CustomerContact.customer_id).where(
        CustomerContact.kind == "email",
        func.lower(CustomerContact.value).contains(text.lower(), autoescape=True))


def _name_condition(text: str):
    folded = select(CustomerSearch.customer_id).where(
        *[CustomerSearch.name_folded.contains(w, autoescape=True) for w in fold(text).split()])
    plain = and_(*[func.lower(Customer.name).contains(w, autoescape=True)
                   for w in text.lower().split()])
    # Customers written before their folded name was kept are still found by `plain`.
    return or_(Customer.id.in_(folded), plain)


def lookup_customers(engine: Engine, *, text: str, region: str | None = None,
                     limit: int = 20) -> list[CustomerRecord]:
    """Customers matching a phone number, an e-mail address or words of the name."""
    text = text.strip()
    if not text:
        return []
    if "@" in text:
        condition = Customer.id.in_(_email_ids(text))
    elif _PHONE_LIKE.match(text) and (ids := _phone_ids(text, region)) is not None:
        condition = Customer.id.in_(ids)
    else:
        condition = _name_condition(text)
    with read_session(engine) as session:
        rows = session.exec(select(Customer).where(condition).order_by(
            Customer.name, Customer.id).limit(limit)).all()
        return [to_record(session, c) for c in rows]


def customer_history(engine: Engine, customer_id: int, *, limit: int = 20,
                     before: int | None = None) -> list[CustomerRequest]:
    """The customer's requests, newest first (those numbered below `before` when given)."""
    conditions = [Request.customer_id == customer_id]
    if before is not None:
        conditions.append(Request.id < before)
    with read_session(engine) as session:
        rows = session.exec(select(Request).where(*conditions).order_by(
            Request.created_at.desc(), Request.id.desc()).limit(limit)).all()
        return [CustomerRequest(number=r.id, created_at=r.created_at, type=r.type,
                                status=r.status, subject=r.subject) for r in rows]
