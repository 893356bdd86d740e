"""Made-up customers for the demo office: names, addresses, valid phone numbers, e-mails.

Everything comes from a seeded `random.Random`, so the same seed gives the same people.
Phone numbers are checked with `phonenumbers` (valid, not merely well-formed); e-mail
addresses use the reserved example domains, so nobody real is ever written to.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import phonenumbers

from domain.text import fold

FIRST = {
    "pl": ["Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Zofia", "Joanna",
           "Piotr", "Krzysztof", "Andrzej", "Tomasz", "Paweł", "Michał", "Łukasz", "Grzegorz",
           "Jan", "Stanisław", "Wojciech", "Jadwiga"],
    "nl": ["Sanne", "Lotte", "Emma", "Femke", "Anouk", "Daan", "Bram", "Joost", "Pieter", "Sem"],
    "pt": ["Maria", "Ana", "Inês", "Beatriz", "Joana", "João", "Tiago", "Rui", "Gonçalo", "Duarte"],
    "en": ["Olivia", "Emily", "Grace", "Sophie", "Jack", "Harry", "Oliver", "George", "Thomas", "James"],
}
LAST = {
    "pl": ["Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
           "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur",
           "Krawczyk", "Piotrowski", "Grabowski", "Pawłowski", "Michalski", "Król"],
    "nl": ["de Jong", "Jansen", "de Vries", "van den Berg", "Bakker", "Visser", "Smit", "Meijer",
           "Mulder", "de Boer"],
    "pt": ["Silva", "Santos", "Ferreira", "Pereira", "Oliveira", "Costa", "Rodrigues", "Martins",
           "Sousa", "Gonçalves"],
    "en": ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Walker", "Wright",
           "Hughes"],
}
# Polish surnames change with gender; the female form of -ski/-cki/-dzki ends in -a.
_FEMALE_PL = {"Anna", "Katarzyna", "Małgorzata", "Agnieszka", "Barbara", "Ewa", "Zofia",
              "Joanna", "Jadwiga"}
STREETS = ["Marszałkowska", "Puławska", "Grójecka", "Mokotowska", "Nowy Świat", "Krakowskie Przedmieście",
           "Żelazna", "Targowa", "Grochowska", "Wołoska", "Belwederska", "Koszykowa", "Hoża", "Wilcza",
           "Złota", "Chmielna", "Świętokrzyska", "Jana Pawła II", "Aleja Solidarności", "Ząbkowska",
           "Racławicka", "Odyńca", "Słowackiego", "Międzyparkowa", "Kondratowicza"]
REGIONS = {"pl": "PL", "nl": "NL", "pt": "PT", "en": "GB"}
# National mobile prefixes that give valid numbers in each region.
_MOBILE = {"PL": ["50", "51", "53", "60", "66", "69", "72", "78", "79", "88"], "NL": ["6"],
           "PT": ["91", "92", "93", "96"], "GB": ["74", "75", "77", "78", "79"]}
_NATIONAL_LENGTH = {"PL": 9, "NL": 9, "PT": 9, "GB": 10}
LANGUAGE_WEIGHTS = {"pl": 60, "nl": 14, "pt": 14, "en": 12}


@dataclass(frozen=True)
class Person:
    """A demo customer."""

    name: str
    language: str
    address: str
    phones: tuple[str, ...]
    emails: tuple[str, ...]
    vip: bool = False


def surname(first: str, last: str, language: str) -> str:
    """The surname in the form that goes with the first name (Kowalski -> Kowalska)."""
    if language == "pl" and first in _FEMALE_PL and last.endswith(("ski", "cki", "dzki")):
        return last[:-1] + "a"
    return last


def address(rng: random.Random) -> str:
    """A Warsaw street address."""
    street = rng.choice(STREETS)
    number = rng.randint(1, 180)
    flat = f"/{rng.randint(1, 60)}" if rng.random() < 0.6 else ""
    prefix = "" if street.startswith("Aleja") else "ul. "
    return f"{prefix}{street} {number}{flat}, 0{rng.randint(0, 4)}-{rng.randint(100, 999)} Warszawa"


def phone(rng: random.Random, region: str) -> str:
    """A valid mobile number in `region`, as E.164."""
    while True:
        prefix = rng.choice(_MOBILE[region])
        rest = "".join(rng.choice("0123456789") for _ in range(_NATIONAL_LENGTH[region] - len(prefix)))
        number = phonenumbers.parse(prefix + rest, region)
        if phonenumbers.is_valid_number(number):
            return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def email(rng: random.Random, first: str, last: str) -> str:
    """An address at a reserved example domain made from the name."""
    local = ".".join(fold(part).replace(" ", "") for part in (first, last))
    return f"{local}{rng.randint(1, 99)}@{rng.choice(('example.com', 'example.org', 'example.net'))}"


def people(rng: random.Random, count: int) -> list[Person]:
    """`count` customers, most Polish-speaking, each with a phone and often an e-mail."""
    languages = list(LANGUAGE_WEIGHTS)
    result: list[Person] = []
    used: set[str] = set()
    while len(result) < count:
        language = rng.choices(languages, weights=list(LANGUAGE_WEIGHTS.values()))[0]
        first, last = rng.choice(FIRST[language]), rng.choice(LAST[language])
        last = surname(first, last, language)
        region = REGIONS[language] if rng.random() < 0.4 or language == "pl" else "PL"
        phones = [phone(rng, region)]
        if rng.random() < 0.15:
            phones.append(phone(rng, "PL"))
        if used & set(phones):
            continue  # one number, one customer: lookup by phone must be unambiguous
        used.update(phones)
        emails = [email(rng, first, last)] if rng.random() < 0.7 else []
        result.append(Person(name=f"{first} {last}", language=language, address=address(rng),
                             phones=tuple(dict.fromkeys(phones)), emails=tuple(emails),
                             vip=rng.random() < 0.04))
    return result
