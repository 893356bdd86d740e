"""Phone numbers and e-mail addresses: validated and normalised before they are stored."""

from __future__ import annotations

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from domain.errors import InvalidInput


def normalise_phone(raw: str, *, region: str | None = None, where: str = "phone") -> str:
    """Return `raw` as E.164 (`+48221234567`), reading national numbers in `region`."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidInput(f"{raw!r} is not a phone number ({exc})", where=where) from None
    if not phonenumbers.is_possible_number(number):
        raise InvalidInput(f"{raw!r} has the wrong number of digits for a phone number", where=where)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def format_phone(e164: str) -> str:
    """An E.164 number in international notation for reading aloud (`+48 22 123 45 67`)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def normalise_email(raw: str, *, where: str = "email") -> str:
    """Return the normalised address, or raise InvalidInput naming what is wrong."""
    try:
        return validate_email(raw.strip(), check_deliverability=False).normalized
    except EmailNotValidError as exc:
        raise InvalidInput(f"{raw!r} is not an e-mail address ({exc})", where=where) from None
