"""Deterministic multilingual text (pl, nl, pt, en) for articles and request subjects.

Each language has a ranked vocabulary of office words (with their diacritics) followed
by a long tail of made-up rare words; words are drawn with Zipf weights, so benchmarks
can pick common words from the head (`common_words`) and rare ones from the tail
(`rare_words`).
"""

from __future__ import annotations

import functools
import itertools
import random

LANGUAGES = ("pl", "nl", "pt", "en")

_HEADS = {
    "pl": """odpady wywóz odpadów zgłoszenie usługi środowiskowe odbiór urządzeń płatność
    opłata termin kontener śmieci segregacja harmonogram ulica mieszkańcy urząd miasta
    informacja wniosek formularz dokument numer telefonu adres godziny otwarcia wtorek
    czwartek piątek poniedziałek środa sobota niedziela pojemnik zielone bio papier szkło
    plastik metal gabaryty meble elektroodpady lodówka pralka kuchenka zmywarka telewizor
    naprawa oświetlenie latarnia chodnik droga dziura jezdnia parking mandat zezwolenie
    podatek nieruchomości faktura rachunek przelew konto zwrot reklamacja skarga pochwała
    pracownik biuro obsługa klienta kolejka rejestracja wizyta lekarz szkoła przedszkole
    autobus tramwaj bilet rozkład jazdy przystanek awaria woda kanalizacja ciepło gaz
    prąd licznik odczyt umowa rezygnacja zmiana właściciel najemca wspólnota spółdzielnia
    drzewo park zieleń trawnik koszenie śnieg odśnieżanie gołoledź piasek sól zwierzęta
    pies kot schronisko hałas sąsiad noc impreza policja straż miejska pożar""",
    "nl": """afval huisvuil ophalen melding milieuservices witgoedverwijdering betaling
    kosten datum container vuilnis scheiden ophaalschema straat bewoners gemeente
    informatie aanvraag formulier document telefoonnummer adres openingstijden dinsdag
    donderdag vrijdag maandag woensdag zaterdag zondag bak groente fruit tuinafval papier
    glas plastic metaal grofvuil meubels elektronica koelkast wasmachine fornuis
    vaatwasser televisie reparatie verlichting lantaarnpaal stoep weg gat rijbaan parkeren
    boete vergunning belasting onroerend factuur rekening overschrijving terugbetaling
    klacht compliment medewerker kantoor klantenservice wachtrij inschrijving afspraak
    huisarts school kinderopvang bus tram kaartje dienstregeling halte storing water riool
    warmte gas stroom meter meterstand contract opzegging wijziging eigenaar huurder
    vereniging coöperatie boom park groen gazon maaien sneeuw strooien gladheid zand zout
    dieren hond kat asiel geluidsoverlast buren nacht feest politie handhaving brand
    ĳsje ĳzel ideeën financiële""",
    "pt": """lixo coleta resíduos sólidos solicitação serviços ambientais eletrodomésticos
    pagamento taxa prazo contentor recolha separação calendário rua moradores câmara
    municipal informação pedido formulário documento número telefone endereço horário
    funcionamento terça quinta sexta segunda quarta sábado domingo caixote orgânico papel
    vidro plástico metal volumosos móveis eletrónicos frigorífico máquina lavar fogão
    televisão reparação iluminação candeeiro passeio estrada buraco faixa estacionamento
    multa licença imposto imóvel fatura conta transferência reembolso reclamação elogio
    funcionário escritório atendimento cliente fila inscrição consulta médico escola
    creche autocarro elétrico bilhete horários paragem avaria água esgoto aquecimento gás
    eletricidade contador leitura contrato cancelamento alteração proprietário inquilino
    condomínio cooperativa árvore parque jardim relva corte neve gelo areia sal animais
    cão gato canil ruído vizinho noite festa polícia municipal incêndio ação atenção""",
    "en": """waste garbage collection request environmental services appliance pickup
    payment fee deadline container trash sorting schedule street residents city hall
    information application form document phone number address opening hours tuesday
    thursday friday monday wednesday saturday sunday bin green organic paper glass
    plastic metal bulky furniture electronics fridge washer stove dishwasher television
    repair lighting streetlight sidewalk road pothole lane parking fine permit tax
    property invoice bill transfer refund complaint compliment employee office customer
    service queue registration appointment doctor school nursery bus tram ticket
    timetable stop outage water sewer heating gas power meter reading contract
    cancellation change owner tenant association cooperative tree park greenery lawn
    mowing snow gritting ice sand salt animals dog cat shelter noise neighbour night party
    police enforcement fire straße café naïve""",
}

_SYLLABLES = {
    "pl": "ka zo wy rze szcz ło ść ną dę pió mi ró ża gó bu",
    "nl": "ve ij oe aa ui sch ge lo kr mee ber dorp vliet ee",
    "pt": "ção ão lho nha ré mu ti ca pé çu lá dor ri ga",
    "en": "ly ton bur sh ford ing ham ble wick ter ox dale ver",
}
TAIL_SIZE = 3000


@functools.cache
def vocabulary(language: str) -> tuple[str, ...]:
    """The ranked words of `language`: real office words, then made-up rare ones."""
    head = list(dict.fromkeys(_HEADS[language].split()))
    rng = random.Random(f"tail-{language}")
    syllables = _SYLLABLES[language].split()
    tail: dict[str, None] = {}
    while len(tail) < TAIL_SIZE:
        word = "".join(rng.choice(syllables) for _ in range(rng.randint(3, 5)))
        if word not in head:
            tail[word] = None
    return tuple(head) + tuple(tail)


@functools.cache
def _cumulative(language: str) -> list[float]:
    weights = [1.0 / (rank + 1) for rank in range(len(vocabulary(language)))]
    return list(itertools.accumulate(weights))


def common_words(language: str, count: int = 10) -> list[str]:
    """The `count` most frequent words of `language`."""
    return list(vocabulary(language)[:count])


def rare_words(language: str, count: int = 10) -> list[str]:
    """`count` words from the far end of the tail (each in few articles)."""
    return list(vocabulary(language)[-count:])


def words(rng: random.Random, language: str, count: int) -> list[str]:
    """`count` words of `language` drawn with Zipf weights."""
    return rng.choices(vocabulary(language), cum_weights=_cumulative(language), k=count)


def sentence(rng: random.Random, language: str, count: int) -> str:
    """A capitalised sentence of `count` words ending with a full stop."""
    text = " ".join(words(rng, language, count))
    return text[:1].upper() + text[1:] + "."


def paragraphs(rng: random.Random, language: str, total_words: int) -> str:
    """Markdown paragraphs of about `total_words` words."""
    out, left = [], total_words
    while left > 0:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            length = min(left, rng.randint(6, 16))
            if length <= 0:
                break
            sentences.append(sentence(rng, language, length))
            left -= length
        out.append(" ".join(sentences))
    return "\n\n".join(out)
