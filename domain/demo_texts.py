"""What the demo's customers ask and say, and what agents write back, in en, pl, nl and pt."""

from __future__ import annotations

QUESTIONS = {
    "en": ["Opening hours of the town hall", "When is the next bulky waste collection?",
           "How do I apply for a residential parking permit?", "Which bin does glass go in?",
           "Where can I pay the waste fee?", "Is the office open on public holidays?",
           "Lost ID card: what do I do?", "Bus timetable changes this weekend",
           "How do I register a new address?", "Who do I call about a gas smell?"],
    "pl": ["Godziny otwarcia urzędu", "Kiedy jest najbliższy odbiór gabarytów?",
           "Jak złożyć wniosek o abonament parkingowy?", "Do którego pojemnika wrzucić szkło?",
           "Gdzie zapłacić opłatę za wywóz odpadów?", "Czy urząd jest czynny w święta?",
           "Zgubiony dowód osobisty – co zrobić?", "Zmiany w rozkładzie jazdy w weekend",
           "Jak zameldować się pod nowym adresem?", "Gdzie dzwonić, gdy czuć gaz?"],
    "nl": ["Openingstijden van het stadhuis", "Wanneer wordt het grofvuil weer opgehaald?",
           "Hoe vraag ik een bewonersvergunning aan?", "In welke container hoort glas?",
           "Waar betaal ik de afvalstoffenheffing?", "Is het kantoor open op feestdagen?",
           "Identiteitskaart kwijt: wat moet ik doen?", "Dienstregeling bus dit weekend gewijzigd",
           "Hoe geef ik een verhuizing door?", "Wie bel ik bij een gaslucht?"],
    "pt": ["Horário de funcionamento da câmara", "Quando é a próxima recolha de monos?",
           "Como peço o dístico de residente?", "Em que contentor ponho o vidro?",
           "Onde pago a taxa de resíduos?", "A câmara abre nos feriados?",
           "Perdi o cartão de cidadão: o que faço?", "Horários de autocarro alterados no fim de semana",
           "Como registo a nova morada?", "Para onde ligo se cheirar a gás?"],
}
ANSWERED = {
    "en": ["Read the knowledge-base answer to the caller.", "Sent the link to the online form.",
           "Gave the phone number of the right department."],
    "pl": ["Odczytano klientowi odpowiedź z bazy wiedzy.", "Wysłano link do formularza online.",
           "Podano numer telefonu właściwego wydziału."],
    "nl": ["Antwoord uit de kennisbank voorgelezen.", "Link naar het online formulier gestuurd.",
           "Telefoonnummer van de juiste afdeling gegeven."],
    "pt": ["Lida ao munícipe a resposta da base de conhecimento.", "Enviada a ligação para o formulário online.",
           "Dado o número de telefone do serviço certo."],
}
WHEN = {
    "en": ["since this morning", "since yesterday evening", "for three days now", "for about a week"],
    "pl": ["od rana", "od wczoraj wieczorem", "od trzech dni", "od mniej więcej tygodnia"],
    "nl": ["sinds vanochtend", "sinds gisteravond", "al drie dagen", "al ongeveer een week"],
    "pt": ["desde esta manhã", "desde ontem à noite", "há três dias", "há cerca de uma semana"],
}
REPORTED = {
    "en": "Customer reports: {problem}, {when}. {extra}",
    "pl": "Klient zgłasza: {problem}, {when}. {extra}",
    "nl": "Klant meldt: {problem}, {when}. {extra}",
    "pt": "O munícipe comunica: {problem}, {when}. {extra}",
}
EXTRA = {
    "en": ["Neighbours have noticed it too.", "Second time this month.", "Children walk past here to school.", ""],
    "pl": ["Sąsiedzi też to zauważyli.", "Drugi raz w tym miesiącu.", "Tędy dzieci chodzą do szkoły.", ""],
    "nl": ["De buren hebben het ook gezien.", "Al de tweede keer deze maand.", "Hier lopen kinderen naar school.", ""],
    "pt": ["Os vizinhos também repararam.", "É a segunda vez este mês.", "Passam aqui crianças para a escola.", ""],
}
DONE = {
    "en": ["Work order done by the crew; customer informed.", "Crew fixed it on site; confirmed with photos."],
    "pl": ["Zlecenie wykonane przez ekipę; klient poinformowany.", "Ekipa naprawiła na miejscu; potwierdzone zdjęciami."],
    "nl": ["Werkorder uitgevoerd door de ploeg; klant geïnformeerd.", "Ploeg heeft het ter plekke opgelost; foto's als bewijs."],
    "pt": ["Ordem de serviço executada pela equipa; munícipe informado.", "Equipa resolveu no local; confirmado com fotos."],
}
QUESTION_TO_CUSTOMER = {
    "en": "Asked the customer for the exact house number and a photo.",
    "pl": "Poproszono klienta o dokładny numer domu i zdjęcie.",
    "nl": "Klant gevraagd naar het precieze huisnummer en een foto.",
    "pt": "Pedido ao munícipe o número exato da porta e uma fotografia.",
}
COMPLIMENTS = {
    "en": ["Thank you to {agent} for the quick help", "The new customer office is very pleasant"],
    "pl": ["Podziękowania dla {agent} za szybką pomoc", "Nowe biuro obsługi jest bardzo przyjemne"],
    "nl": ["Dank aan {agent} voor de snelle hulp", "Het nieuwe klantenkantoor is heel prettig"],
    "pt": ["Obrigado a {agent} pela ajuda rápida", "O novo balcão de atendimento é muito agradável"],
}
REMARKS = {
    "en": ["Suggestion: longer opening hours on Thursdays", "The website search could be better"],
    "pl": ["Sugestia: dłuższe godziny otwarcia w czwartki", "Wyszukiwarka na stronie mogłaby być lepsza"],
    "nl": ["Suggestie: langer open op donderdag", "De zoekfunctie op de website kan beter"],
    "pt": ["Sugestão: horário alargado às quintas-feiras", "A pesquisa no site podia ser melhor"],
}
COMPLAINTS = {
    "en": ["Waited 40 minutes on the phone", "Nobody came to collect the appliance",
           "Work order closed but the pothole is still there", "Unfriendly answer at the counter"],
    "pl": ["Czekałem 40 minut na połączenie", "Nikt nie przyjechał po urządzenie",
           "Zlecenie zamknięte, a dziura nadal jest", "Nieuprzejma obsługa w okienku"],
    "nl": ["40 minuten in de wacht gestaan", "Niemand is het apparaat komen ophalen",
           "Werkorder gesloten maar het gat is er nog", "Onvriendelijk geholpen aan de balie"],
    "pt": ["Esperei 40 minutos ao telefone", "Ninguém veio recolher o eletrodoméstico",
           "Ordem fechada mas o buraco continua lá", "Atendimento antipático ao balcão"],
}
COMPLAINT_ANSWER = {
    "en": "Supervisor called the customer back, apologised and agreed a new date.",
    "pl": "Kierownik oddzwonił, przeprosił i ustalił nowy termin.",
    "nl": "Supervisor heeft teruggebeld, excuses aangeboden en een nieuwe datum afgesproken.",
    "pt": "O supervisor ligou de volta, pediu desculpa e marcou nova data.",
}
THANKED = {
    "en": "Thanked the customer; passed on to the team.",
    "pl": "Podziękowano klientowi; przekazano zespołowi.",
    "nl": "Klant bedankt; doorgegeven aan het team.",
    "pt": "Agradecido ao munícipe; transmitido à equipa.",
}
CHANNEL_LINE = {
    "phone": "Incoming call from {phone}", "email": "E-mail received: {subject}",
    "fax": "Fax received (2 pages)", "web": "Web form submitted: {subject}",
    "social": "Message on social media: {subject}", "chat": "Chat started on the website",
    "walk_in": "Customer at the counter",
}
FIELD_TEXT = {
    "pole-number": lambda rng: f"L-{rng.randint(1000, 9999)}",
    "container-number": lambda rng: f"S-{rng.randint(100, 999)}",
    "plate": lambda rng: f"W{rng.choice('ABDEFHIJKLNOPRTUWXY')} {rng.randint(10000, 99999)}",
    "line": lambda rng: str(rng.choice([4, 9, 17, 33, 105, 128, 180, 523])),
    "item": lambda rng: rng.choice(["umbrella", "backpack", "phone", "wallet", "keys"]),
    "invoice-number": lambda rng: f"FV/2026/{rng.randint(1000, 9999)}",
    "asset-tag": lambda rng: f"UM-{rng.randint(10000, 99999)}",
    "printer-id": lambda rng: f"PRN-{rng.randint(1, 40):02d}",
    "since": lambda rng: rng.choice(["06:00", "this morning", "yesterday"]),
}
